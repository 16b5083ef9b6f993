"""Scoring judged releases against the truth: the tallies and the figures.

:func:`score_case` turns the judge's word verdicts of one case into a :class:`Tally`
(plain counts, so cases add up); :func:`figures` turns a tally into the published
figures; :func:`write_json` dumps everything. How a mention is classified is in
:mod:`~redaction.evaluation.mentions`, which proposals cover which words in
:mod:`~redaction.evaluation.coverage`; :mod:`~redaction.evaluation.tables` prints the figures
beside their targets and the baselines.

Definitions
-----------
- A *mention* is a run of consecutive truth words of one page with the same class, the
  same party and the same sub-kind; it is *recalled* when every one of its words is
  redacted (solid dark in the released page).
- Class figures leave out *authored pages* (pages written by a withheld party: every
  word on them must go); those are scored as pages: the share whose words are all
  redacted, and (pipeline only) the share proposed whole.
- ``refused_ref`` sub-kinds (the truth does not mark them; inferred per word from the
  manifest): ``contact`` (an @, three or more digits, or a word of the party's listed
  addresses, phones, e-mails), else ``name`` (name forms, aliases, staff, organisation
  names, initials).
- *keep redacted*: share of ``keep`` words redacted (outside authored pages). The
  child's and requester's names redacted there are counted apart: they must be 0.
- *leaks*: words that must go, are redacted, and can still be recovered from the text
  layer (text under the box; or the word still in the page's text layer, unless a
  missed copy of it on the page explains that: then it is counted as that miss) or
  from an embedded image.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from redaction.case import Case, ThirdParty
from redaction.evaluation.coverage import Accepted, covered_by, ocr_status, page_rotation, rule_counts
from redaction.evaluation.judge import WordVerdict, must_go, withheld_party_ids
from redaction.evaluation.mentions import mention_form, norm, sub_kind
from redaction.models import OcrPage

MENTION_KEYS = ("refused_ref", "refused_ref.name", "refused_ref.contact", "other_child", "relationship_ref")
PROTECTED_ROLES = ("child_name", "requester_name")

# --- tallies -----------------------------------------------------------------------


@dataclass
class Miss:
    """A mention that must go and was not wholly redacted (synthetic data: its text is kept)."""

    case_id: str
    file: str
    kind: str  # document kind: record_form, concern_log, agency_letter ...
    format: str  # pdf_scan, png, pdf_text ...
    page_index: int
    key: str  # refused_ref.name, other_child, relationship_ref, authored_page ...
    form: str
    ocr: str  # read | misread | unread | n/a: what the OCR made of the words
    words: int
    redacted_words: int
    text: str
    by: str = ""  # over-redaction: the accepted proposals (reason/detector) whose boxes cover the words


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)
    over: list[Miss] = field(default_factory=list)  # runs of keep words redacted (key: keep.<who>)

    def add(self, other: Tally) -> None:
        self.counts.update(other.counts)
        self.misses.extend(other.misses)
        self.over.extend(other.over)


def score_case(
    verdicts: Sequence[WordVerdict],
    truth: Mapping[str, Any],
    case: Case,
    *,
    whole_pages: set[tuple[str, int]] | None = None,
    ocr_pages: Mapping[str, Sequence[OcrPage]] | None = None,
    released_files: Iterable[str] | None = None,
    proposals: Mapping[tuple[str, int], Sequence[Accepted]] | None = None,
) -> Tally:
    """Count one case's verdicts (from :func:`judge_release` with ``withheld_authors``).

    ``whole_pages``: (file, page) proposed whole by the pipeline; ``ocr_pages``: each
    file's OCR (to say whether a miss was the OCR's); ``released_files``: files the
    release wrote (a file missing from it counts as not released: every word left);
    ``proposals``: (file, page) -> accepted proposals' (boxes, "reason/detector"[, rules]), to
    say which proposals redacted keep words and (with rules) to count each rule's precision
    and recall (:func:`rule_figures`).
    """
    t = Tally()
    parties = {p.id: p for p in case.third_parties}
    by_page: dict[tuple[str, int], list[WordVerdict]] = {}
    for v in verdicts:
        by_page.setdefault((v.file, v.page_index), []).append(v)
    released = set(released_files) if released_files is not None else None
    withheld = withheld_party_ids(dict(truth))
    for ftruth in truth["files"]:
        fname = ftruth["file"]
        if released is not None and fname not in released:
            t.counts["files.not_released"] += 1
        for pi, ptruth in enumerate(ftruth["pages"]):
            words = ptruth["words"]
            vs = by_page.get((fname, pi))
            if vs is None:  # not released (held back): judged as nothing redacted
                t.counts["pages.not_released"] += 1
                author = ptruth.get("page", {}).get("author_party")
                cls_all = "authored_page" if ptruth.get("page", {}).get("authored") and author in withheld else None
                vs = [WordVerdict(fname, pi, w["text"], cls_all or w["class"], w.get("role"), w.get("party_id"),
                                  False, False, False, w["class"], author) for w in words]
            if len(vs) != len(words):
                raise ValueError(f"{fname} page {pi + 1}: {len(vs)} verdicts for {len(words)} truth words")
            t.counts["pages"] += 1
            ocr = None
            if ocr_pages is not None and fname in ocr_pages and pi < len(ocr_pages[fname]):
                ocr = ocr_pages[fname][pi]
            page_props = proposals.get((fname, pi), ()) if proposals is not None else ()
            _score_page(t, str(truth.get("case_id", "")), ftruth, pi, words, vs, parties, whole_pages, ocr,
                        page_props)
    return t


@dataclass(frozen=True)
class _Page:
    """One truth page being scored: its words, their verdicts, its OCR and accepted proposals."""

    t: Tally
    case_id: str
    ftruth: Mapping[str, Any]
    pi: int
    words: Sequence[dict[str, Any]]
    vs: Sequence[WordVerdict]
    ocr: OcrPage | None
    props: Sequence[Accepted]

    @property
    def rotation(self) -> int:
        return page_rotation(self.ftruth, self.pi)

    def miss(self, key: str, idx: list[int], form: str) -> None:
        words, vs, ftruth = self.words, self.vs, self.ftruth
        self.t.misses.append(Miss(
            self.case_id, ftruth["file"], ftruth.get("kind", ""), ftruth.get("format", ""), self.pi, key, form,
            ocr_status([words[i] for i in idx if not vs[i].redacted], self.ocr), len(idx),
            sum(vs[i].redacted for i in idx), " ".join(words[i]["text"] for i in idx),
        ))


def _score_page(
    t: Tally,
    case_id: str,
    ftruth: Mapping[str, Any],
    pi: int,
    words: Sequence[dict[str, Any]],
    vs: Sequence[WordVerdict],
    parties: Mapping[str, ThirdParty],
    whole_pages: set[tuple[str, int]] | None,
    ocr: OcrPage | None,
    page_props: Sequence[Accepted] = (),
) -> None:
    pg = _Page(t, case_id, ftruth, pi, words, vs, ocr, page_props)
    c = t.counts
    fname = ftruth["file"]
    if whole_pages is not None:
        c["whole.checked"] += 1
    _leak_counts(c, vs)
    if vs and vs[0].cls == "authored_page":
        _score_authored_page(pg, whole_pages is not None and (fname, pi) in whole_pages)
        return

    if whole_pages is not None and (fname, pi) in whole_pages:
        c["whole.not_authored"] += 1  # a page withheld whole that no withheld party wrote
    keys, over = _word_keys(c, words, vs, parties)
    _score_over(pg, over)
    runs = _score_mentions(pg, keys)
    rule_counts(c, words, [k is not None for k in keys], runs, page_props, ocr, pg.rotation)


def _leak_counts(c: Counter[str], vs: Sequence[WordVerdict]) -> None:
    # a word of the same text that must go and was missed keeps the word in the text
    # layer: the judge calls that a text leak of every copy; here it is the miss's
    missed = {norm(v.text) for v in vs if must_go(v) and not v.redacted}
    for v in vs:
        if v.redacted and must_go(v):
            c["redacted.must_go"] += 1
            leak = v.text_under or (v.text_leak and norm(v.text) not in missed)
            c["leak.text"] += leak
            c["leak.text_by_a_miss"] += v.text_leak and not leak
            c["leak.image"] += v.image_leak
        if v.redacted:
            c["redacted.all"] += 1
            c["leak.any_text"] += v.text_leak
            c["leak.any_image"] += v.image_leak


def _score_authored_page(pg: _Page, proposed_whole: bool) -> None:
    """A page a withheld party wrote: scored as a page (every word must go)."""
    c, vs = pg.t.counts, pg.vs
    rule_counts(c, pg.words, [True] * len(vs), [list(range(len(vs)))], pg.props, pg.ocr, pg.rotation)
    c["authored.pages"] += 1
    c["authored.words"] += len(vs)
    c["authored.words_redacted"] += sum(v.redacted for v in vs)
    if all(v.redacted for v in vs):
        c["authored.all_redacted"] += 1
    else:
        pg.miss("authored_page", list(range(len(vs))), "whole page")
    if proposed_whole:
        c["authored.proposed_whole"] += 1
    for v in vs:  # protected names on a withheld page go with the page: counted apart
        if v.role in PROTECTED_ROLES:
            c[f"authored.{v.role}"] += 1


def _word_keys(c: Counter[str], words: Sequence[dict[str, Any]], vs: Sequence[WordVerdict],
               parties: Mapping[str, ThirdParty]) -> tuple[list[str | None], list[tuple[int, str]]]:
    """Count each word by class; return each word's mention key ("class.sub|party", None
    for a keep word) and the (index, whose) of the keep words redacted."""
    keys: list[str | None] = []
    over: list[tuple[int, str]] = []  # (index, who) of keep words redacted
    for i, (w, v) in enumerate(zip(words, vs, strict=True)):
        cls = w["class"]
        if cls == "keep":
            c["keep.words"] += 1
            c["keep.redacted"] += v.redacted
            role = w.get("role")
            who = role or ("granted" if w.get("party_id") else "other")
            if who != "other":
                c[f"keep.{who}.words"] += 1
                c[f"keep.{who}.redacted"] += v.redacted
            if v.redacted:
                over.append((i, who))
            keys.append(None)
            continue
        key = cls
        if cls == "refused_ref":
            key = f"refused_ref.{sub_kind(w['text'], parties.get(w.get('party_id') or ''))}"
        keys.append(f"{key}|{w.get('party_id')}")
        for k in {cls, key}:
            c[f"word.{k}.total"] += 1
            c[f"word.{k}.hit"] += v.redacted
    return keys, over


def _score_over(pg: _Page, over: list[tuple[int, str]]) -> None:
    """Over-redaction: runs of consecutive keep words of one kind redacted."""
    c, words, ftruth = pg.t.counts, pg.words, pg.ftruth
    k0 = 0
    while k0 < len(over):
        k1 = k0
        while k1 + 1 < len(over) and over[k1 + 1] == (over[k1][0] + 1, over[k0][1]):
            k1 += 1
        idx = [x for x, _ in over[k0 : k1 + 1]]
        text = " ".join(words[x]["text"] for x in idx)
        c[f"over.{over[k0][1]}.{ftruth.get('kind', '')}"] += len(idx)
        pg.t.over.append(Miss(pg.case_id, ftruth["file"], ftruth.get("kind", ""), ftruth.get("format", ""), pg.pi,
                              f"keep.{over[k0][1]}", mention_form(text, "keep", ""), "n/a", len(idx), len(idx),
                              text, covered_by([words[x] for x in idx], pg.props, pg.ocr, pg.rotation)))
        k0 = k1 + 1


def _score_mentions(pg: _Page, keys: Sequence[str | None]) -> list[list[int]]:
    """Mentions: runs of consecutive words with one key, each recalled or missed; returns the runs."""
    c, words, vs = pg.t.counts, pg.words, pg.vs
    runs: list[list[int]] = []
    i = 0
    while i < len(keys):
        k = keys[i]
        if k is None:
            i += 1
            continue
        j = i
        while j + 1 < len(keys) and keys[j + 1] == k:
            j += 1
        idx = list(range(i, j + 1))
        runs.append(idx)
        key = k.split("|")[0]
        cls = key.split(".")[0]
        hit = all(vs[x].redacted for x in idx)
        for kk in {cls, key}:
            c[f"mention.{kk}.total"] += 1
            c[f"mention.{kk}.hit"] += hit
        if not hit:
            text = " ".join(words[x]["text"] for x in idx)
            pg.miss(key, idx, mention_form(text, cls, key.split(".")[1] if "." in key else ""))
        i = j + 1
    return runs


# --- figures -----------------------------------------------------------------------


def _share(c: Counter[str], hit: str, total: str) -> float | None:
    return c[hit] / c[total] if c[total] else None


def figures(t: Tally) -> dict[str, Any]:
    """The published figures of a tally (None where there was nothing to count)."""
    c = t.counts
    f: dict[str, Any] = {
        "refused_recall": _share(c, "mention.refused_ref.hit", "mention.refused_ref.total"),
        "refused_name_recall": _share(c, "mention.refused_ref.name.hit", "mention.refused_ref.name.total"),
        "refused_contact_recall": _share(c, "mention.refused_ref.contact.hit", "mention.refused_ref.contact.total"),
        "refused_word_recall": _share(c, "word.refused_ref.hit", "word.refused_ref.total"),
        "other_child_recall": _share(c, "mention.other_child.hit", "mention.other_child.total"),
        "authored_pages": _share(c, "authored.all_redacted", "authored.pages"),
        "authored_proposed_whole": _share(c, "authored.proposed_whole", "authored.pages"),
        "relationship_recall": _share(c, "mention.relationship_ref.hit", "mention.relationship_ref.total"),
        "keep_redacted": _share(c, "keep.redacted", "keep.words"),
        "granted_redacted": _share(c, "keep.granted.redacted", "keep.granted.words"),
        "child_name_redacted": c["keep.child_name.redacted"],
        "requester_name_redacted": c["keep.requester_name.redacted"],
        "staff_name_redacted": c["keep.staff_name.redacted"],
        "text_leaks": c["leak.text"],
        "image_leaks": c["leak.image"],
        "whole_pages_not_authored": c["whole.not_authored"] if c["whole.checked"] else None,
    }
    f["n"] = {
        "refused_recall": c["mention.refused_ref.total"],
        "refused_name_recall": c["mention.refused_ref.name.total"],
        "refused_contact_recall": c["mention.refused_ref.contact.total"],
        "refused_word_recall": c["word.refused_ref.total"],
        "other_child_recall": c["mention.other_child.total"],
        "authored_pages": c["authored.pages"],
        "authored_proposed_whole": c["authored.pages"],
        "relationship_recall": c["mention.relationship_ref.total"],
        "keep_redacted": c["keep.words"],
        "granted_redacted": c["keep.granted.words"],
        "child_name_redacted": c["keep.child_name.words"],
        "requester_name_redacted": c["keep.requester_name.words"],
        "staff_name_redacted": c["keep.staff_name.words"],
        "text_leaks": c["redacted.must_go"],
        "image_leaks": c["redacted.must_go"],
        "whole_pages_not_authored": c["pages"] - c["authored.pages"],
    }
    return f


def rule_figures(t: Tally) -> list[dict[str, Any]]:
    """Each rule's figures, most mentions first: ``precision`` (share of the truth words under
    its accepted boxes that must go), ``recall`` (share of every mention that must go, an
    authored page counted as one, that its boxes cover wholly), ``only`` (of those, the ones no
    other rule covers: what the rule adds), ``proposals``."""
    c = t.counts
    total = c["mention.refused_ref.total"] + c["mention.other_child.total"] + c["mention.relationship_ref.total"]
    total += c["authored.pages"]
    rules = sorted({k.split("|")[1] for k in c if k.startswith("rule|")})
    out = []
    for r in rules:
        words, must = c[f"rule|{r}|words"], c[f"rule|{r}|must_go"]
        out.append({
            "rule": r, "proposals": c[f"rule|{r}|proposals"], "words": words,
            "precision": must / words if words else None,
            "mentions": c[f"rule|{r}|mentions"], "only": c[f"rule|{r}|only"],
            "recall": c[f"rule|{r}|mentions"] / total if total else None,
        })
    return sorted(out, key=lambda x: (-x["mentions"], -x["proposals"], x["rule"]))


def write_json(path: Path, report: Mapping[str, Any]) -> None:
    def default(o: Any) -> Any:
        if isinstance(o, Miss):
            return asdict(o)
        if isinstance(o, Path):
            return str(o)
        if isinstance(o, set | frozenset | tuple):
            return list(o)
        raise TypeError(f"cannot write {type(o).__name__} to the report")

    path.write_text(json.dumps(report, indent=1, default=default, ensure_ascii=False) + "\n", encoding="utf-8")
