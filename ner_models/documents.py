"""Clean (noise-free) samples from a tagged cast: the synth documents and free notes.

The seven :data:`redaction.synth.documents.BUILDERS` (record form, concern log, minutes,
agency letter, e-mail, observation, referral) are laid out by the synth
:class:`~redaction.synth.layout.PageWriter` exactly as for a case folder; each page's
words are read back, grouped into lines by position (top to bottom, left to right: a
table row or two fields side by side become one line, as OCR reads them) and joined as
:func:`redaction.detect.align.build_page_text` joins OCR words: spaces within a line,
``"\\n"`` between lines. Pages are cut into chunks of a few lines (never inside a name).

Span conventions (OntoNotes, as the small spaCy model was trained): a PERSON span is the
name without its title ("Mr *Price*"), possessive ("*Daniel*'s") or surrounding
punctuation; an initial keeps its full stop ("*D. Price*", "*Daniel P.*"). A person's
initials ("DP") are left unannotated. Agency names and the school's name are ORG.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from ner_models.cast import ROLE_PREFIX
from ner_models.sample import Ent, Sample
from redaction.synth.cast import Cast
from redaction.synth.documents import BUILDERS
from redaction.synth.documents.context import Ctx
from redaction.synth.documents.letters import agency_letter
from redaction.synth.layout import Tag, TruthWord, words_of

TITLE_WORDS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "uncle", "auntie", "aunty"})
_LEAD = "([{\"'“‘<"
_TRAIL = ",.;:)]}\"'”’>!?"

Line = list[tuple[str, Tag]]


def mention_of(tag: Tag) -> tuple[str, str] | None:
    """(label, mention id) of a tagged word, or None."""
    if tag.role and tag.role.startswith(ROLE_PREFIX):
        label, _, ident = tag.role[len(ROLE_PREFIX) :].partition(":")
        return label, ident
    return None


def is_title(word: str) -> bool:
    return word.strip(_LEAD + _TRAIL).lower().rstrip(".") in TITLE_WORDS


def trim_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip leading brackets/quotes and trailing punctuation and a possessive 's; an
    initial's full stop ("P.") stays, as spaCy keeps it in the token."""
    while s < e and text[s] in _LEAD:
        s += 1
    while e > s:
        tail = text[s:e]
        if tail.endswith(("'s", "’s")) and e - 2 > s:
            e -= 2
        elif text[e - 1] == "." and e - 2 >= s and text[e - 2].isalpha() and (e - 2 == s or not text[e - 3].isalnum()):
            break  # "P." / "D."
        elif text[e - 1] in _TRAIL:
            e -= 1
        else:
            break
    return s, e


_Word = tuple[int, int, Tag, str]  # start, end, tag, text


def _join_lines(lines: list[Line]) -> tuple[str, list[_Word]]:
    """The lines' text (spaces within a line, ``"\\n"`` between lines) and each word's offsets."""
    parts: list[str] = []
    words: list[_Word] = []
    pos = 0
    for li, line in enumerate(lines):
        if li:
            parts.append("\n")
            pos += 1
        for wi, (w, tag) in enumerate(line):
            if wi:
                parts.append(" ")
                pos += 1
            parts.append(w)
            words.append((pos, pos + len(w), tag, w))
            pos += len(w)
    return "".join(parts), words


def _mention_span(text: str, label: str, group: list[_Word]) -> tuple[int, int] | None:
    """The span of one mention's words: a PERSON without its leading titles, trimmed; None
    when nothing is left."""
    if label == "PERSON":
        while len(group) > 1 and is_title(group[0][3]):
            group = group[1:]
        if is_title(group[0][3]):
            return None
    s, e = trim_span(text, group[0][0], group[-1][1])
    return None if e <= s else (s, e)


def _mention_spans(text: str, words: list[_Word]) -> tuple[list[Ent], list[tuple[int, int]]]:
    """One span per run of words tagged with the same mention: the entities, and the
    IGNORE spans."""
    ents: list[Ent] = []
    ignore: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        m = mention_of(words[i][2])
        if m is None:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and mention_of(words[j + 1][2]) == m:
            j += 1
        group = words[i : j + 1]
        i = j + 1
        label = m[0]
        span = _mention_span(text, label, group)
        if span is None:
            continue
        if label == "IGNORE":
            ignore.append(span)
        else:
            ents.append((span[0], span[1], label))
    return ents, ignore


def lines_to_sample(lines: list[Line], source: str, orgs: tuple[str, ...] = ()) -> Sample:
    """Join tagged lines into text; one span per mention; ``orgs`` (e.g. the school's
    name) are labelled ORG wherever they occur untagged."""
    text, words = _join_lines(lines)
    ents, ignore = _mention_spans(text, words)
    for name in orgs:
        pat = re.compile(r"\s+".join(re.escape(w) for w in name.split()))
        for mt in pat.finditer(text):
            if not any(mt.start() < e and s < mt.end() for s, e, _ in ents):
                ents.append((mt.start(), mt.end(), "ORG"))
    return Sample(text, tuple(sorted(ents)), tuple(sorted(ignore)), source)


def page_lines(words: list[TruthWord]) -> list[Line]:
    """A page's words as lines: grouped by vertical position, read left to right."""
    rows: list[tuple[float, float, list[TruthWord]]] = []  # (centre y, height, words)
    for w in sorted(words, key=lambda w: ((w.box[1] + w.box[3]) / 2, w.box[0])):
        cy, h = (w.box[1] + w.box[3]) / 2, w.box[3] - w.box[1]
        if rows and abs(cy - rows[-1][0]) < 0.45 * max(h, rows[-1][1]):
            rows[-1][2].append(w)
        else:
            rows.append((cy, h, [w]))
    return [[(w.text, w.tag) for w in sorted(r[2], key=lambda w: w.box[0])] for r in rows]


def chunks(lines: list[Line], rng: random.Random, lo: int = 5, hi: int = 16) -> Iterator[list[Line]]:
    """Runs of ``lo``..``hi`` lines; never cut between two lines that one name spans."""
    i = 0
    while i < len(lines):
        n = rng.randint(lo, hi)
        j = min(i + n, len(lines))
        while j < len(lines) and lines[j - 1] and lines[j] and (
            mention_of(lines[j - 1][-1][1]) is not None
            and mention_of(lines[j - 1][-1][1]) == mention_of(lines[j][0][1])
        ):
            j += 1
        yield lines[i:j]
        i = j


def document_samples(cast: Cast, rng: random.Random, *, long: bool) -> list[Sample]:
    """Every synth document of the cast, laid out, as chunked clean samples."""
    ctx = Ctx(cast, rng, long=long)
    built = [(kind, b(ctx)) for kind, b in BUILDERS.items()]
    if ctx.o2 is not ctx.o:
        built.append(("agency_letter", agency_letter(ctx, ctx.o2)))
    out: list[Sample] = []
    for kind, b in built:
        _, pages = b.writer.finish()
        b.writer.doc.close()
        for words in pages:
            for chunk in chunks(page_lines(words), rng):
                out.append(lines_to_sample(chunk, f"doc:{kind}", (cast.school.name,)))
    return out


def wrap(words: list[tuple[str, Tag]], width: int) -> list[Line]:
    """Words into lines of at most ``width`` characters (a typed note, an e-mail body)."""
    lines: list[Line] = []
    cur: Line = []
    n = 0
    for w in words:
        if cur and n + 1 + len(w[0]) > width:
            lines.append(cur)
            cur, n = [], 0
        n += len(w[0]) + (1 if cur else 0)
        cur.append(w)
    if cur:
        lines.append(cur)
    return lines


def note_samples(ctx: Ctx, templates: list[str], rng: random.Random, source: str) -> list[Sample]:
    """Free-text notes: one to four templates at a time, each a paragraph (a ``"\\n"``
    in a template starts a new line), wrapped at a random width."""
    out: list[Sample] = []
    order = list(templates)
    rng.shuffle(order)
    i = 0
    while i < len(order):
        k = rng.randint(1, 4)
        width = rng.randint(45, 110)
        lines: list[Line] = []
        for t in order[i : i + k]:
            for seg in t.split("\n"):
                lines += wrap(words_of(ctx.fmt(seg)), width)
        i += k
        out.append(lines_to_sample(lines, source, (ctx.cast.school.name,)))
    return out
