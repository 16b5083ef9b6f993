"""Scoring judged releases against the truth, and printing the figures.

:func:`score_case` turns the judge's word verdicts of one case into a :class:`Tally`
(plain counts, so cases add up); :func:`figures` turns a tally into the published
figures; :func:`format_table` prints them beside their targets and the baselines;
:func:`write_json` dumps everything.

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
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pymupdf
from rapidfuzz import fuzz

from redaction.case import Case, ThirdParty
from redaction.evaluation.judge import WordVerdict, must_go, withheld_party_ids
from redaction.models import Box, OcrPage

MENTION_KEYS = ("refused_ref", "refused_ref.name", "refused_ref.contact", "other_child", "relationship_ref")
PROTECTED_ROLES = ("child_name", "requester_name")

# figure -> (comparison, target)
TARGETS: dict[str, tuple[str, float]] = {
    "refused_recall": (">=", 0.995),
    "refused_name_recall": (">=", 0.995),
    "refused_contact_recall": (">=", 0.995),
    "other_child_recall": (">=", 0.99),
    "authored_pages": (">=", 0.98),
    "relationship_recall": (">=", 0.8),
    "keep_redacted": ("<=", 0.01),
    "child_name_redacted": ("==", 0),
    "requester_name_redacted": ("==", 0),
    "text_leaks": ("==", 0),
    "image_leaks": ("==", 0),
}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.casefold() if c.isalnum() and not unicodedata.combining(c))


def _words(s: str) -> set[str]:
    return {n for n in (_norm(t) for t in re.split(r"[\s,;/()\-]+", s)) if n}


# --- classification ----------------------------------------------------------------


def sub_kind(text: str, party: ThirdParty | None) -> str:
    """``contact`` or ``name`` for a refused_ref word (see module docstring)."""
    if "@" in text or sum(c.isdigit() for c in text) >= 3:
        return "contact"
    if party is None:
        return "name"
    n = _norm(re.sub(r"['\u2019]s$", "", text))
    names: set[str] = set()
    for s in (party.name, *party.aliases, *party.staff):
        names |= _words(s)
    contacts: set[str] = set()
    for s in (*party.addresses, *party.phones, *party.emails):
        contacts |= _words(s)
    if n in names:
        return "name"
    if n in contacts:
        return "contact"
    return "name"


_TITLE = re.compile(r"^(mr|mrs|ms|miss|mx|dr|prof|rev)\.?$", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def mention_form(text: str, cls: str, sub: str) -> str:
    """A coarse description of how a mention is written (for the misses table)."""
    toks = text.split()
    letters = [c for c in text if c.isalpha()]
    if cls == "relationship_ref":
        return "relationship"
    if "@" in text:
        return "email"
    if sum(c.isdigit() for c in text) >= 6 and not _POSTCODE.search(text):
        return "phone"
    if sub == "contact":
        return "address"
    if not toks:
        return "empty"
    if _TITLE.match(toks[0]) and len(toks) > 1:
        return "title+name"
    if re.search(r"['\u2019]s\W*$", text):
        return "possessive"
    if len(toks) == 1 and len(letters) <= 3 and text.replace(".", "").isupper():
        return "initials"
    if any(re.fullmatch(r"[A-Z]\.", t) for t in toks):
        return "initial+name"
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return "capitals"
    if len(toks) >= 3:
        return "long name (org/full)"
    return "two words" if len(toks) == 2 else "one word"


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


@dataclass(frozen=True)
class _Derot:
    cache: dict[tuple[float, float, int], pymupdf.Matrix] = field(default_factory=dict)

    def matrix(self, width: float, height: float, rotation: int) -> pymupdf.Matrix:
        k = (round(width, 2), round(height, 2), rotation % 360)
        if k not in self.cache:
            doc = pymupdf.open()
            page = doc.new_page(width=width, height=height)
            page.set_rotation(rotation)
            self.cache[k] = pymupdf.Matrix(page.derotation_matrix)
            doc.close()
        return self.cache[k]


_DEROT = _Derot()


def _ocr_status(words: Sequence[dict[str, Any]], ocr: OcrPage | None) -> str:
    """How the OCR read the words of a missed mention: ``read`` (every word found under
    its box, close in spelling), ``unread`` (some word has no OCR word under it) or
    ``misread``."""
    if ocr is None:
        return "n/a"
    derot = _DEROT.matrix(ocr.width, ocr.height, ocr.rotation)
    worst = "read"
    for w in words:
        target = _norm(w["text"])
        if not target:
            continue
        r = pymupdf.Rect(w["box"]) * derot
        r.normalize()
        found = []
        for o in ocr.words:
            ob = pymupdf.Rect(o.box.as_tuple())
            if ob.intersects(r) and (ob & r).get_area() > 0.3 * min(r.get_area(), ob.get_area()):
                found.append(o)
        if not found:
            return "unread"
        got = _norm("".join(o.text for o in found))
        if target not in got and fuzz.ratio(target, got) < 85:
            worst = "misread"
    return worst


def _page_rotation(ftruth: Mapping[str, Any], pi: int) -> int:
    return int(ftruth["pages"][pi].get("rotation", 0) or 0)


# an accepted proposal as the scorer sees it: (boxes, "reason/detector"), and optionally the
# rules behind it (the parts of its explanation; see :func:`rule_id`)
Accepted = tuple[Sequence[Box], str] | tuple[Sequence[Box], str, Sequence[str]]


def _derot(ocr: OcrPage | None, rotation: int) -> pymupdf.Matrix | None:
    if ocr is not None:
        return _DEROT.matrix(ocr.width, ocr.height, ocr.rotation)
    return pymupdf.Identity if rotation == 0 else None


def _covered_by(
    words: Sequence[dict[str, Any]], props: Sequence[Accepted], ocr: OcrPage | None, rotation: int
) -> str:
    """The labels of the proposals whose boxes cover any of the words ("?" if unknown)."""
    if not props:
        return ""
    derot = _derot(ocr, rotation)
    if derot is None:
        return "?"
    labels: set[str] = set()
    for w in words:
        r = _core_rect(pymupdf.Rect(w["box"]) * derot)
        for p in props:
            if any(pymupdf.Rect(b.as_tuple()).intersects(r) for b in p[0]):
                labels.add(p[1])
    return "+".join(sorted(labels)) or "?"


_DIGITS = re.compile(r"\d+")


_RULE_TAG = re.compile(r"\[([a-z0-9]+\.[a-z0-9.-]+)\]$")


def rule_id(part: str) -> str:
    """A rule's name as the evaluation counts it, from one part of a proposal's explanation (a
    merged proposal lists every rule that found it, parted by "; "): the rule id it ends in
    ("full name [manifest.full-name]"); a part naming none (a reviewer's box, an older
    proposal) counts as its words, numbers folded ("OCR could not read 41% ..." and
    "... 38% ..." are one)."""
    if (m := _RULE_TAG.search(part.strip())) is not None:
        return m.group(1)
    return _DIGITS.sub("#", part.strip())


def rules_of(explanation: str) -> tuple[str, ...]:
    """The rules behind a proposal, from its explanation."""
    return tuple(dict.fromkeys(rule_id(p) for p in explanation.split("; ") if p.strip()))


def _rule_counts(c: Counter[str], words: Sequence[dict[str, Any]], must: Sequence[bool],
                 mentions: Sequence[Sequence[int]], props: Sequence[Accepted], ocr: OcrPage | None,
                 rotation: int) -> None:
    """Per rule: truth words under its accepted boxes and how many of them must go (its
    precision), proposals, and the mentions (index lists into ``words``) its boxes cover
    wholly, alone or with other rules (its recall)."""
    ruled = [p for p in props if len(p) > 2 and p[2]]
    if not ruled:
        return
    derot = _derot(ocr, rotation)
    if derot is None:
        return
    cores = [_core_rect(pymupdf.Rect(w["box"]) * derot) for w in words]
    under: dict[str, set[int]] = {}
    for p in ruled:
        rects = [pymupdf.Rect(b.as_tuple()) for b in p[0]]
        hit = {i for i, r in enumerate(cores) if any(b.intersects(r) for b in rects)}
        for rule in p[2]:
            c[f"rule|{rule}|proposals"] += 1
            under.setdefault(rule, set()).update(hit)
    for rule, idx in under.items():
        c[f"rule|{rule}|words"] += len(idx)
        c[f"rule|{rule}|must_go"] += sum(must[i] for i in idx)
    for m in mentions:
        by = [rule for rule, idx in under.items() if all(i in idx for i in m)]
        for rule in by:
            c[f"rule|{rule}|mentions"] += 1
            c[f"rule|{rule}|only"] += len(by) == 1


def _core_rect(r: pymupdf.Rect) -> pymupdf.Rect:
    r.normalize()
    dx, dy = r.width * 0.2, r.height * 0.2
    return pymupdf.Rect(r.x0 + dx, r.y0 + dy, r.x1 - dx, r.y1 - dy)


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
    c = t.counts
    fname = ftruth["file"]

    def miss(key: str, idx: list[int], form: str) -> None:
        t.misses.append(Miss(
            case_id, fname, ftruth.get("kind", ""), ftruth.get("format", ""), pi, key, form,
            _ocr_status([words[i] for i in idx if not vs[i].redacted], ocr), len(idx),
            sum(vs[i].redacted for i in idx), " ".join(words[i]["text"] for i in idx),
        ))

    if whole_pages is not None:
        c["whole.checked"] += 1
    # a word of the same text that must go and was missed keeps the word in the text
    # layer: the judge calls that a text leak of every copy; here it is the miss's
    missed = {_norm(v.text) for v in vs if must_go(v) and not v.redacted}
    for v in vs:
        if v.redacted and must_go(v):
            c["redacted.must_go"] += 1
            leak = v.text_under or (v.text_leak and _norm(v.text) not in missed)
            c["leak.text"] += leak
            c["leak.text_by_a_miss"] += v.text_leak and not leak
            c["leak.image"] += v.image_leak
        if v.redacted:
            c["redacted.all"] += 1
            c["leak.any_text"] += v.text_leak
            c["leak.any_image"] += v.image_leak
    if vs and vs[0].cls == "authored_page":
        _rule_counts(c, words, [True] * len(vs), [list(range(len(vs)))], page_props, ocr, _page_rotation(ftruth, pi))
        c["authored.pages"] += 1
        c["authored.words"] += len(vs)
        c["authored.words_redacted"] += sum(v.redacted for v in vs)
        if all(v.redacted for v in vs):
            c["authored.all_redacted"] += 1
        else:
            miss("authored_page", list(range(len(vs))), "whole page")
        if whole_pages is not None and (fname, pi) in whole_pages:
            c["authored.proposed_whole"] += 1
        for v in vs:  # protected names on a withheld page go with the page: counted apart
            if v.role in PROTECTED_ROLES:
                c[f"authored.{v.role}"] += 1
        return

    if whole_pages is not None and (fname, pi) in whole_pages:
        c["whole.not_authored"] += 1  # a page withheld whole that no withheld party wrote

    # words
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

    # over-redaction: runs of consecutive keep words of one kind redacted
    k0 = 0
    while k0 < len(over):
        k1 = k0
        while k1 + 1 < len(over) and over[k1 + 1] == (over[k1][0] + 1, over[k0][1]):
            k1 += 1
        idx = [x for x, _ in over[k0 : k1 + 1]]
        text = " ".join(words[x]["text"] for x in idx)
        c[f"over.{over[k0][1]}.{ftruth.get('kind', '')}"] += len(idx)
        t.over.append(Miss(case_id, fname, ftruth.get("kind", ""), ftruth.get("format", ""), pi,
                           f"keep.{over[k0][1]}", mention_form(text, "keep", ""), "n/a", len(idx), len(idx), text,
                           _covered_by([words[x] for x in idx], page_props, ocr, _page_rotation(ftruth, pi))))
        k0 = k1 + 1

    # mentions: runs of consecutive words with one key
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
            miss(key, idx, mention_form(text, cls, key.split(".")[1] if "." in key else ""))
        i = j + 1
    _rule_counts(c, words, [k is not None for k in keys], runs, page_props, ocr, _page_rotation(ftruth, pi))


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


def meets(name: str, value: Any) -> bool | None:
    if name not in TARGETS or value is None:
        return None
    op, target = TARGETS[name]
    if op == ">=":
        return bool(value >= target)
    if op == "<=":
        return bool(value <= target)
    return bool(value == target)


# --- printing ----------------------------------------------------------------------

ROWS: tuple[tuple[str, str, str], ...] = (
    # (figure, label, format: "share" | "pct" | "count")
    ("refused_recall", "refused/pending party: mention recall", "share"),
    ("refused_name_recall", "  names (any form, staff, org names)", "share"),
    ("refused_contact_recall", "  contact details (address, phone, email)", "share"),
    ("refused_word_recall", "  word recall", "share"),
    ("other_child_recall", "other children: mention recall", "share"),
    ("authored_pages", "authored pages: all words redacted", "share"),
    ("authored_proposed_whole", "  proposed whole (pipeline only)", "share"),
    ("whole_pages_not_authored", "other pages withheld whole (pipeline only)", "count"),
    ("relationship_recall", "relationship refs: mention recall", "share"),
    ("keep_redacted", "keep words redacted", "pct"),
    ("granted_redacted", "  granted parties' words redacted", "pct"),
    ("child_name_redacted", "child's name redacted (count)", "count"),
    ("requester_name_redacted", "requester's name redacted (count)", "count"),
    ("staff_name_redacted", "staff names redacted (count)", "count"),
    ("text_leaks", "leaks: redacted, still in text layer", "count"),
    ("image_leaks", "leaks: redacted, still in image", "count"),
)


def _fmt(value: Any, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "share":
        return f"{value:.4f}"
    if kind == "pct":
        return f"{100 * value:.2f}%"
    return str(int(value))


def _fmt_target(name: str, kind: str) -> str:
    if name not in TARGETS:
        return ""
    op, target = TARGETS[name]
    if kind == "pct":
        return f"{op} {100 * target:g}%"
    if kind == "count":
        return f"{op} {int(target)}"
    return f"{op} {target:g}"


def format_table(systems: Mapping[str, Mapping[str, Any]], *, headers: Sequence[str] = (),
                 timing: Mapping[str, Any] | None = None) -> str:
    """The figures of each system (first: cleancopy) beside the targets, as text."""
    names = list(systems)
    w0 = max(len(r[1]) for r in ROWS) + 2
    cols = [max(14, len(n) + 2) for n in names]
    lines = [*headers, ""] if headers else []
    head = f"{'figure':<{w0}}{'target':<12}" + "".join(f"{n:>{w}}" for n, w in zip(names, cols, strict=True))
    lines += [head + "  met", "-" * (len(head) + 5)]
    first = names[0] if names else None
    for key, label, kind in ROWS:
        row = f"{label:<{w0}}{_fmt_target(key, kind):<12}"
        for n, w in zip(names, cols, strict=True):
            f = systems[n]
            v = f.get(key)
            cell = _fmt(v, kind)
            nn = f.get("n", {}).get(key)
            if kind == "share" and v is not None and nn is not None and n == first:
                cell += f" /{nn}"
            row += f"{cell:>{w}}"
        ok = meets(key, systems[first].get(key)) if first else None
        row += "  " + {True: "yes", False: "NO", None: ""}[ok]
        lines.append(row)
    if timing:
        lines += ["", format_timing(timing)]
    return "\n".join(lines)


def format_timing(timing: Mapping[str, Any]) -> str:
    lines = ["throughput (cleancopy pipeline: import, OCR, detect, decide, release)"]
    lines += [f"  {label}: {v}" for label, v in timing.items()]
    return "\n".join(lines)


def worst(per_family: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One system's figures over several families, each at its worst: the lowest share
    (a recall), the highest percentage or count (over-redaction, leaks). ``n`` is summed."""
    fams = list(per_family.values())
    out: dict[str, Any] = {}
    for key, _label, kind in ROWS:
        vals = [v for v in (f.get(key) for f in fams) if v is not None]
        if not vals:
            out[key] = None
        elif kind == "share":
            out[key] = min(vals)
        else:
            out[key] = max(vals)
    out["n"] = {k: sum(f.get("n", {}).get(k, 0) for f in fams) for k in fams[0].get("n", {})} if fams else {}
    return out


def format_families(per_family: Mapping[str, Mapping[str, Mapping[str, Any]]], *, headers: Sequence[str] = ()) -> str:
    """Every figure per family and at its worst over the families (the minimum of a
    recall, the maximum of an over-redaction or a leak), for every system; "met" is
    judged on cleancopy's worst. ``per_family``: family -> system -> figures."""
    fams = list(per_family)
    systems = list(next(iter(per_family.values()))) if per_family else []
    first = systems[0] if systems else ""
    cols: list[tuple[str, Mapping[str, Any]]] = [(f"{first} {f}", per_family[f][first]) for f in fams]
    mins = {name: worst({f: per_family[f][name] for f in fams if name in per_family[f]}) for name in systems}
    cols.append((f"{first} min", mins[first]))
    cols += [(f"{sysname} min", mins[sysname]) for sysname in systems[1:]]
    w0 = max(len(r[1]) for r in ROWS) + 2
    widths = [max(14, len(n) + 2) for n, _ in cols]
    lines = [*headers, ""] if headers else []
    head = f"{'figure':<{w0}}{'target':<12}" + "".join(f"{n:>{w}}" for (n, _), w in zip(cols, widths, strict=True))
    lines += [head + "  met", "-" * (len(head) + 5)]
    for key, label, kind in ROWS:
        row = f"{label:<{w0}}{_fmt_target(key, kind):<12}"
        for (_n, f), w in zip(cols, widths, strict=True):
            row += f"{_fmt(f.get(key), kind):>{w}}"
        ok = meets(key, mins[first].get(key)) if first else None
        row += "  " + {True: "yes", False: "NO", None: ""}[ok]
        lines.append(row)
    return "\n".join(lines)


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


def format_rules(rows: Sequence[Mapping[str, Any]], top: int = 60) -> str:
    """The per-rule table: where recall comes from and what each rule costs in precision."""
    if not rows:
        return "no per-rule figures (no accepted proposals with rules)"
    lines = ["per rule (accepted proposals; precision over the truth words under its boxes, recall over "
             "every mention that must go, 'only': mentions no other rule covers)",
             f"  {'props':>6} {'prec':>6} {'recall':>7} {'only':>5}  rule"]
    for r in rows[:top]:
        p = "-" if r["precision"] is None else f"{r['precision']:.3f}"
        rc = "-" if r["recall"] is None else f"{r['recall']:.3f}"
        name = r["rule"] if len(r["rule"]) <= 100 else r["rule"][:97] + "..."
        lines.append(f"  {r['proposals']:>6} {p:>6} {rc:>7} {r['only']:>5}  {name}")
    if len(rows) > top:
        lines.append(f"  ... {len(rows) - top} more in report.json")
    return "\n".join(lines)


def miss_categories(misses: Iterable[Miss]) -> list[tuple[tuple[str, str, str, str], int]]:
    """(key, document kind, form, ocr) -> number of missed mentions, most first."""
    cnt: Counter[tuple[str, str, str, str]] = Counter((m.key, m.kind, m.form, m.ocr) for m in misses)
    return cnt.most_common()


def format_misses(misses: Sequence[Miss], top: int = 25, examples: int = 0) -> str:
    if not misses:
        return "no missed mentions"
    lines = [f"missed mentions by (class, document kind, form, OCR): {len(misses)} in all",
             f"  {'count':>5}  {'class':<22}{'document kind':<16}{'form':<22}ocr"]
    for (key, kind, form, ocr), n in miss_categories(misses)[:top]:
        lines.append(f"  {n:>5}  {key:<22}{kind:<16}{form:<22}{ocr}")
        if examples:
            ex = [m for m in misses if (m.key, m.kind, m.form, m.ocr) == (key, kind, form, ocr)][:examples]
            for m in ex:
                text = m.text if len(m.text) <= 60 else m.text[:57] + "..."
                lines.append(f"         e.g. {m.case_id} {m.file} p{m.page_index + 1}: {text!r}"
                             f" ({m.redacted_words}/{m.words} words redacted)")
    return "\n".join(lines)


def format_over(over: Sequence[Miss], top: int = 15, examples: int = 0) -> str:
    """Keep words redacted, by (whose words, document kind, form): where precision goes."""
    if not over:
        return "no keep words redacted"
    cnt: Counter[tuple[str, str, str]] = Counter()
    for m in over:
        cnt[(m.key, m.by, m.kind)] += m.words
    lines = [f"keep words redacted by (whose, proposal reason/detector, document kind): "
             f"{sum(m.words for m in over)} words in all",
             f"  {'words':>5}  {'whose':<20}{'by':<30}document kind"]
    for (key, by, kind), n in cnt.most_common(top):
        lines.append(f"  {n:>5}  {key:<20}{by or '-':<30}{kind}")
        if examples:
            for m in [m for m in over if (m.key, m.by, m.kind) == (key, by, kind)][:examples]:
                text = m.text if len(m.text) <= 60 else m.text[:57] + "..."
                lines.append(f"         e.g. {m.case_id} {m.file} p{m.page_index + 1}: {text!r}")
    return "\n".join(lines)


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
