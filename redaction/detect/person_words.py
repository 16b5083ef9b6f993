"""Name words: the people finder's name, words that are no name, where one ends, the words of people found."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect import manifest
from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.rules import rule
from redaction.detect.tokens import _GLUED_AFTER_QUOTE, Token, alnum
from redaction.detect.variants import ALL_TITLES
from redaction.detect.wrapped import line_ends, upright
from redaction.models import Reason

NAME = "presidio"


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
    "manager officer nurse visitor role said says "
    # a letter's thanks, a log's column heads, a school's class and a plan's headings
    "thanks thank office event information reception views invite pupil".split()
)


def _known_spans(ctx: DetectContext, page_i: int) -> list[tuple[int, int]]:
    toks = ctx.tokens[page_i]
    return [(toks[m.first].start, toks[m.last].end) for m in manifest.name_matches(ctx)[page_i]]


def _name_tokens(toks: list[Token], start: int, end: int) -> list[Token]:
    """The tokens of [start, end) that can be part of a name (titles, salutations dropped)."""
    return [t for t in toks if t.start < end and t.end > start
            and t.poss not in ALL_TITLES and t.poss not in _NOT_NAME and any(c.isalpha() for c in t.base)]


def _is_known(tok: Token, known: list[tuple[int, int]]) -> bool:
    return any(s <= tok.start and tok.end <= e for s, e in known)


FOUND_AGAIN = rule("presidio.again")
CASE_NAME_RULE = FOUND_AGAIN.id  # ProposalDraft.rule of AGAIN's proposals (a name found in another document)


# words of job titles, services and form labels: an entity holding one is no
# person's name, and none is looked for again as one
_NOT_A_NAME_WORD = frozenset(
    "designated safeguarding lead senco sendco coordinator specialist assistant practitioner therapist "
    "psychologist supervisor clinical health early help coach outreach social speech language community "
    "public nursing visitor officer constable sergeant detective key person deputy head first last known "
    "surname forename chair chairperson minute minutes taker attendee attendees apologies present household "
    "contact role agency relationship practice manager worker teacher nurse ref reference senior casework "
    "caseworker alnco "
    # a form's or a page's words the model takes for a name ("DRAFT Ysgol", "Move Children")
    "children draft communication interaction".split())


def name_words(found: Iterable[tuple[str, Reason]], into: dict[str, Reason] | None = None) -> dict[str, Reason]:
    """The name words (folded) of people found, with the reason they were found for; a word
    found for another child stays another child's."""
    out = into if into is not None else {}
    for text, reason in found:
        if reason is Reason.OTHER_CHILD and (key := _initials_key(text)) is not None:
            out[key] = reason  # "Tommy Grant" is "TG" in a table's column of initials
        # a double-barrelled name's parts too: the page's tokens are split at hyphens ("Ellis-Walcott")
        for w in [*text.split(), *(p for x in text.split() if "-" in x for p in x.split("-") if p)]:
            glued = _GLUED_AFTER_QUOTE.fullmatch(w.strip(".,;:()"))
            # "Kidane'and": the next word OCR ran on after a quote mark is no part of the name
            tok = alnum(glued.group(1) if glued is not None else w.removesuffix("'s").removesuffix("\u2019s"))
            if len(tok) < 3 or tok in _NOT_NAME or tok in _NOT_A_NAME_WORD or tok in ALL_TITLES or not w[:1].isupper():
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


_SENTENCE_END = re.compile(r"[.,;:!?)\]\"\u201d]$")
_INITIAL_WORD = re.compile(r"\S\.")


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
    if w + 1 >= len(pt.words):
        return end
    same_line = pt.lines[w + 1] == pt.lines[w]
    if same_line:
        nxt_text = pt.words[w + 1].text.strip()
        if _INITIAL_WORD.fullmatch(nxt_text) and not nxt_text[0].isalnum():
            return pt.spans[w + 1][1]
    # or first on the next line, the sentence going on after it ("with Chiara / Esposito, whose")
    if same_line or _sentence_goes_on(pt, w + 1):
        nxt = next((t for t in toks if t.start == pt.spans[w + 1][0]), None)
        if nxt is not None and _surname_shaped(nxt) and not nxt.cased.isupper() and surname_ok(nxt):
            return pt.spans[w + 1][1]
    return end


def _surname_shaped(t: Token) -> bool:
    return (t.upper_initial and t.base.isalpha() and len(t.base) >= 2 and t.poss not in _NOT_NAME
            and t.poss not in _NOT_A_NAME_WORD and t.poss not in ALL_TITLES and t.base not in STOP_WORDS)


def _sentence_goes_on(pt: PageText, w: int) -> bool:
    """Word ``w`` starts a line, and the sentence goes on after it in lower case ("Esposito, whose
    family", "Esposito's parent"), and it would not have fitted on the line before, which is as
    long as the lines of its paragraph reach: a name wrapped with its prose, not a short line's
    end over a label ("KORKMAZ, Azra" over "Reporting officer") or a table's next row."""
    if not (0 < w < len(pt.words) - 1 and pt.lines[w] == pt.lines[w - 1] + 1 and pt.lines[w + 1] == pt.lines[w]
            and pt.words[w + 1].text[:1].islower() and not pt.words[w].text.rstrip().endswith(":")):
        return False
    boxes, ends = upright(pt), line_ends(pt)
    left, height = boxes[ends[pt.lines[w - 1]][0]].x0, max(boxes[w].height, 1.0)
    reach = max(boxes[last].x1 for line, (first, last) in ends.items()
                if abs(line - pt.lines[w]) <= _PARAGRAPH_LINES and abs(boxes[first].x0 - left) <= height)
    return boxes[w - 1].x1 + _WORD_GAP * height + boxes[w].width > reach


_PARAGRAPH_LINES = 6  # lines above and below looked at for how far the paragraph's lines reach
_WORD_GAP = 0.3  # a space between two words, in line heights


def _surname_before(pt: PageText, toks: list[Token], first: Token,
                    surname_ok: Callable[[Token], bool] | None) -> int:
    """Where a name that ``first`` (a first name) begins starts, its surname printed before it
    and a comma included ("KORKMAZ, Azra", a register's order), when ``surname_ok`` accepts it
    and no title is before it (Mrs Korkmaz, Azra's mum, is not)."""
    i = next((k for k, t in enumerate(toks) if t is first), -1)
    if surname_ok is None or i < 1:
        return first.start
    prev = toks[i - 1]
    if (prev.word == first.word or not pt.text[prev.start:first.start].rstrip().endswith(",")
            or pt.text[prev.end:first.start].strip(", ") or "\n" in pt.text[prev.end:first.start]
            or not _surname_shaped(prev)):
        return first.start
    if i >= 2 and toks[i - 2].poss in ALL_TITLES and "\n" not in pt.text[toks[i - 2].end:prev.start]:
        return first.start
    return prev.start if surname_ok(prev) else first.start


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
        # on the next line only with its full stop: a name wrapped at the line's end ("Pratik / S.")
        if len(nxt.raw) == 1 and nxt.raw.isupper() and gap.strip() == "" and (
                dot if "\n" in gap else (dot or nxt.raw not in "AI")):
            return nxt.end + (1 if pt.text[nxt.end:nxt.end + 1] == "." else 0)
    return last.end
