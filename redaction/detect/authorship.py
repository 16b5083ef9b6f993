"""Pages written by a withheld party: proposed whole (:attr:`Reason.AUTHORED`).

- the manifest says so: ``documents: - file: ... author: tp-2`` and tp-2 is withheld
  -> every page of the file;
- a page's letterhead (its top ``letterhead_fraction``) names a withheld organisation;
- a "From:" line names a withheld party, its staff or its email address;
- a signature block ("Yours sincerely", "Kind regards" ... followed within a few lines
  by a name) names a withheld party or a withheld organisation's staff;
- a form's author field ("Reporting officer", "Completed by:", "Report written by") names
  one, on its line or the short lines under it.
"""

from __future__ import annotations

import re

from redaction.detect import manifest
from redaction.detect.align import PageText, displayed_top_fraction
from redaction.detect.base import DetectConfig, DetectContext
from redaction.detect.emails import _email_clean, _email_hits
from redaction.detect.match_protection import PartyMatch
from redaction.detect.rules import rule
from redaction.detect.tokens import Token, alnum
from redaction.detect.variants import Role
from redaction.detect.wrapped import line_ends, upright
from redaction.models import Box, ProposalDraft, Reason

NAME = "authorship"

_CLOSING = re.compile(
    r"^\s*(yours\s+(sincerely|faithfully|truly)|(kind|best|warm|many)\s+(regards|wishes)|regards|"
    r"with\s+(best|kind)\s+(regards|wishes)|best|thanks|thank\s+you|many\s+thanks|signed)\b",
    re.IGNORECASE,
)
_FROM = re.compile(r"^\s*from\s*:", re.IGNORECASE)
# a form's field that names who wrote it ("Reporting officer", "Completed by:", "Report written by")
_AUTHOR_LABEL = re.compile(
    r"^\s*(?:(?:reporting|investigating|attending)\s+officer|officer\s+in\s+(?:the\s+)?case"
    r"|(?:[a-z]+\s+)?(?:completed|prepared|written|compiled|authored)\s+by|author)\b\s*:?",
    re.IGNORECASE,
)
# an author field's label its table cell wrapped: "Reporting" beside the name, "officer" under it
_WRAPPED_LABEL = re.compile(r"^\s*(?:reporting|investigating|attending)\b", re.IGNORECASE)
_LABEL_TAIL = re.compile(r"^\s*officer\s*:?\s*$", re.IGNORECASE)


def _label_end(lines: list[str], i: int, opener: re.Pattern[str]) -> int | None:
    """Where ``opener``'s label ends on line ``i`` (None: no label there); an author field's label
    may have its last word on the next line, alone."""
    m = opener.match(lines[i])
    if m is not None:
        return m.end()
    if opener is _AUTHOR_LABEL and i + 1 < len(lines) and _LABEL_TAIL.match(lines[i + 1]):
        w = _WRAPPED_LABEL.match(lines[i])
        return w.end() if w is not None else None
    return None


_NOT_SIGNATURE = re.compile(r"^\s*(cc|copy\s+to|to|bcc)\b", re.IGNORECASE)


_SIGNATORY_MAX_WORDS = 8
# a signatory line is mostly the name ("Sarah Okafor", "S. Okafor, Social Worker"):
# DetectConfig.signatory_coverage
# an organisation named at the top in a title that addresses it ("Referral to ...",
# "Multi-Agency Referral Form - ...") is the recipient, unless the name is most of the line
# (DetectConfig.letterhead_coverage)
_ADDRESSED_TO = re.compile(r"\b(referral|referred|form|to|for|re|request|application|dear|attn)\b", re.IGNORECASE)


def _covers_line(pm: PartyMatch, pt: PageText, toks: list[Token], line: int, skip: int = 0,
                 within: set[int] | None = None) -> float:
    """Share of the line's letters and digits (of its words ``within``, when given) that the
    match covers (the first ``skip`` of them, a field's label, left out)."""
    line_chars = sum(len(alnum(w.text)) for i, (w, ln) in enumerate(zip(pt.words, pt.lines, strict=True))
                     if ln == line and (within is None or i in within)) - skip
    matched = sum(len(alnum(pt.words[i].text)) for i in
                  {toks[k].word for k in range(pm.match.first, pm.match.last + 1)} if pt.lines[i] == line)
    return matched / line_chars if line_chars else 0.0


_CELL_GAP = 2.0  # a gap along a line wider than this many times its words' height parts two cells


def _cell(pt: PageText, toks: list[Token], pm: PartyMatch) -> set[int]:
    """The words of the match's line in the match's cell: reached from the match's words along
    the line without a gap wider than :data:`_CELL_GAP` heights. A letterhead sets the
    agency's name in a block of its own, its address or phone set apart beside it on the
    same line; those are not words of the name's line."""
    mine = sorted({toks[k].word for k in range(pm.match.first, pm.match.last + 1)})
    li = pt.lines[mine[0]]
    side = pt.sideways
    row = sorted((i for i, ln in enumerate(pt.lines) if ln == li),
                 key=lambda i: (pt.words[i].box.y0 if side else pt.words[i].box.x0))

    def span(i: int) -> tuple[float, float, float]:
        b = pt.words[i].box
        return (b.y0, b.y1, b.width) if side else (b.x0, b.x1, b.height)

    cell = set(mine)
    at = [row.index(i) for i in mine if i in row]  # the first is on the row: ``li`` is its line
    for step, start in ((-1, min(at)), (1, max(at))):
        k = start
        while 0 <= k + step < len(row):
            a, b = (row[k], row[k + step]) if step == 1 else (row[k + step], row[k])
            gap = span(b)[0] - span(a)[1]
            if gap > _CELL_GAP * max(span(a)[2], span(b)[2], 1.0):
                break
            k += step
            cell.add(row[k])
    return cell


def _signatory_lines(lines: list[str], closing: int, window: int, opener: re.Pattern[str] = _CLOSING) -> set[int]:
    """The lines that name whoever signs at ``closing`` (a line ``opener`` begins): the closing
    line itself when the signature follows on it ("Signed: KP"), else the short lines right
    after it (name, role, organisation), stopping at the first line of running text."""
    words_after = opener.sub("", lines[closing], count=1).strip(" :,.-").split()
    if words_after:
        return {closing} if len(words_after) <= _SIGNATORY_MAX_WORDS else set()
    out: set[int] = set()
    for li in range(closing + 1, min(closing + 1 + window, len(lines))):
        if _NOT_SIGNATURE.match(lines[li]) or len(lines[li].split()) > _SIGNATORY_MAX_WORDS:
            break
        out.add(li)
    return out


def whole_page(pt: PageText, party_id: str | None, rule_id: str, config: DetectConfig) -> ProposalDraft:
    """The whole page, proposed by the authorship rule ``rule_id``."""
    r = rule(rule_id)
    page = pt.page
    return ProposalDraft(
        page_index=page.page_index,
        boxes=(Box(0.0, 0.0, page.width, page.height),),
        reason=Reason.AUTHORED,
        detector=NAME,
        score=r.base(config),
        party_id=party_id,
        text="",
        explanation=r.explain(),
        whole_page=True,
    )


def _lines(pt: PageText) -> list[str]:
    return pt.text.split("\n")


_BODY_LINE_WORDS = 8  # a line of prose this long above it: the page's body has begun


def _heads_the_page(lines: list[str], li: int) -> bool:
    """Line ``li`` is part of the page's heading: no line of running text comes before it and
    it does not carry on a sentence ("completed. EEH duty desk informed." at the top of a
    concern log's second page is no letterhead)."""
    words = lines[li].split()
    if words and words[0][:1].islower():
        return False
    return all(len(ln.split()) < _BODY_LINE_WORDS for ln in lines[:li])


_CONTACT_WORD = re.compile(r"^[\W\d]*$|@|^(?:tel|telephone|phone|fax|email|e-mail|www)\W*$", re.IGNORECASE)


def _alone_on_its_row(pt: PageText, toks: list[Token], pm: PartyMatch) -> bool:
    """The organisation's name stands on a row of its own across the page, as a letterhead
    does: nothing beside it but contact details. A row of a table (an attendee list: a
    worker's name, their role, the agency, a phone) holds other cells at the same height."""
    mine = {toks[k].word for k in range(pm.match.first, pm.match.last + 1)}
    side = pt.sideways

    def across(b: Box) -> tuple[float, float]:
        return (b.x0, b.x1) if side else (b.y0, b.y1)

    lo = min(across(pt.words[i].box)[0] for i in mine)
    hi = max(across(pt.words[i].box)[1] for i in mine)
    contact_lines = _contact_lines(pt)
    for i, w in enumerate(pt.words):
        # a contact detail, a line of them, or a label of one ("Secure:", "Tel:"): a letterhead's block
        if i in mine or _CONTACT_WORD.search(w.text) or pt.lines[i] in contact_lines or w.text.endswith(":"):
            continue
        a, b = across(w.box)
        mid = (a + b) / 2
        if lo <= mid <= hi and sum(c.isalpha() for c in w.text) >= 2 and pt.lines[i] != pt.lines[min(mine)]:
            return False
    return True


_PROSE_BESIDE = 4  # lower-case words after the name's cell on its line: a row's running text


def _in_a_table_row(pt: PageText, cell: set[int]) -> bool:
    """The organisation's cell is one of a table row that OCR read as one line ("10.6.26  Ganesh
    Krishnan  07700900281  EPS  Asked for an update ..."): a word before it on the line that is
    no contact detail (a letterhead's name comes first on its line), or running text after it
    (a letterhead's line holds the name and its address, not a sentence)."""
    first = min(cell)
    row = [i for i, ln in enumerate(pt.lines) if ln == pt.lines[first] and i not in cell]
    before = [i for i in row if i < first]
    after = [i for i in row if i > first]
    if any(sum(c.isalpha() for c in pt.words[i].text) >= 2 and not _CONTACT_WORD.search(pt.words[i].text)
           for i in before):
        return True
    prose = [i for i in after if len(alnum(pt.words[i].text)) >= 2 and alnum(pt.words[i].text).isalpha()
             and pt.words[i].text[:1].islower()]
    return len(prose) >= _PROSE_BESIDE


# a line of a letterhead's contact block: an email, a web address, a phone's digits, a postcode
_CONTACT_LINE = re.compile(r"@|\bwww\.|\d[\d ]{4,}\d|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def _contact_lines(pt: PageText) -> set[int]:
    """The lines of the page that hold a contact detail, and the lines of their block: those a
    few lines from one that begin or end where it does and are short ("98 Ferry Lane," and
    "Newcastle upon Tyne" over the postcode's line), a letterhead's address beside the name."""
    found = {i for i, ln in enumerate(_lines(pt)) if _CONTACT_LINE.search(ln)}
    boxes, ends = upright(pt), line_ends(pt)

    def aligned(a: int, c: int) -> bool:  # the two lines begin, or end, at one place (left or right set)
        (a0, a1), (c0, c1) = ends[a], ends[c]
        h = max(boxes[a0].height, boxes[c0].height)
        return abs(boxes[a0].x0 - boxes[c0].x0) <= h or abs(boxes[a1].x1 - boxes[c1].x1) <= h

    block = set(found)
    grown = True
    while grown:
        grown = False
        for line, (first, last) in ends.items():
            if line in block or last - first + 1 > _BLOCK_LINE_WORDS:
                continue
            if any(abs(line - c) <= _BLOCK_REACH and c in ends and aligned(line, c) for c in block):
                block.add(line)
                grown = True
    return block


_BLOCK_REACH = 2  # lines from a contact detail's line that may be its block's
_BLOCK_LINE_WORDS = 6  # an address block's line is short (running text is not)


def _match_line(pt: PageText, toks: list[Token], pm: PartyMatch) -> int:
    return pt.lines[toks[pm.match.first].word]


class AuthorshipDetector:
    name = NAME

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
        note = ctx.case.note_for(ctx.file_name)
        if note is not None and note.author:
            party = ctx.case.party(note.author)
            if party is not None and party.withheld:
                return [whole_page(pt, party.id, "authorship.manifest-author", ctx.config)
                        for pt in ctx.texts]
        out: list[ProposalDraft] = []
        emails = {p.id: [_email_clean(e) for e in p.emails if "@" in e] for p in ctx.withheld}
        for pt, toks, pms in zip(ctx.texts, ctx.tokens, manifest.party_matches(ctx), strict=True):
            d = self._page(ctx, pt, toks, pms, emails)
            if d is not None:
                out.append(d)
        return out

    def _page(self, ctx: DetectContext, pt: PageText, toks: list[Token], pms: list[PartyMatch],
              emails: dict[str, list[str]]) -> ProposalDraft | None:
        """The page proposed whole: a withheld party's letterhead, 'From:' line or signature."""
        lines = _lines(pt)
        named = [pm for pm in pms if pm.reason is not Reason.SHARED_FIRST_NAME]
        return (_letterhead(ctx.config, pt, toks, named, lines)
                or _from_line(ctx.config, pt, toks, named, lines, emails)
                or _signature(ctx.config, pt, toks, named, lines)
                or _signature(ctx.config, pt, toks, named, lines, _AUTHOR_LABEL, "authorship.author-field"))


def _letterhead(cfg: DetectConfig, pt: PageText, toks: list[Token], named: list[PartyMatch],
                lines: list[str]) -> ProposalDraft | None:
    """A withheld organisation's name or acronym heading the page, alone on its row (an agency
    in an attendee table's row is no letterhead)."""
    for pm in named:
        if pm.match.variant.owner.role is not Role.ORG:
            continue
        w = pt.words[toks[pm.match.first].word]
        li = pt.lines[toks[pm.match.first].word]
        cell = _cell(pt, toks, pm)
        line_words = len(cell)
        cell_text = " ".join(pt.words[i].text for i in sorted(cell))
        top = displayed_top_fraction(pt.page, w.box) <= cfg.letterhead_fraction
        if top and _heads_the_page(lines, li) and (pm.match.length * 2 >= line_words or line_words <= 6) and (
                _covers_line(pm, pt, toks, li, within=cell) >= cfg.letterhead_coverage
                or not _ADDRESSED_TO.search(cell_text)) and _alone_on_its_row(pt, toks, pm) and (
                not _in_a_table_row(pt, cell)):
            return whole_page(pt, pm.party_id, "authorship.letterhead", cfg)
    return None


def _from_line(cfg: DetectConfig, pt: PageText, toks: list[Token], named: list[PartyMatch], lines: list[str],
               emails: dict[str, list[str]]) -> ProposalDraft | None:
    """A 'From:' line naming a withheld party or holding their email."""
    from_lines = {i for i, ln in enumerate(lines) if _FROM.match(ln)}
    if not from_lines:
        return None
    for pm in named:
        if _match_line(pt, toks, pm) in from_lines:
            return whole_page(pt, pm.party_id, "authorship.from-name", cfg)
    for pid, addrs in emails.items():
        if addrs and any(pt.lines[h.first] in from_lines for h in _email_hits(pt, addrs, cfg.email_similarity)):
            return whole_page(pt, pid, "authorship.from-email", cfg)
    return None


def _first_after_label(pt: PageText, toks: list[Token], pm: PartyMatch, label_end: int) -> bool:
    """The match is the first thing after an author field's label on its line (punctuation and
    OCR's table rules between): "Reporting officer  Filomena Ferraro  Police Constable 6070",
    the role after the name."""
    first, last = toks[pm.match.first].word, toks[pm.match.last].word
    start = pt.spans[first][0]
    line_start = pt.text.rfind("\n", 0, start) + 1
    between = pt.text[line_start + label_end:start]
    return pt.lines[first] == pt.lines[last] and not any(c.isalnum() for c in between)


def _signature(cfg: DetectConfig, pt: PageText, toks: list[Token], named: list[PartyMatch],
               lines: list[str], opener: re.Pattern[str] = _CLOSING,
               rule_id: str = "authorship.signature") -> ProposalDraft | None:
    """A withheld party's name on a signatory line after a closing ("Yours sincerely"), or, with
    ``opener`` :data:`_AUTHOR_LABEL`, in the field of a form that names its author ("Reporting
    officer", "Completed by:"): on the field's line or the short lines right under it."""
    closings = [i for i in range(len(lines)) if _label_end(lines, i, opener) is not None]
    if not closings:
        return None
    signatory_lines: set[int] = set()
    for c in closings:
        signatory_lines |= _signatory_lines(lines, c, cfg.signature_lines, opener)
    for pm in named:
        if pm.match.variant.owner.role not in (Role.PARTY, Role.PARTY_STAFF, Role.ORG):
            continue
        li = _match_line(pt, toks, pm)
        label = _label_end(lines, li, opener) if opener is _AUTHOR_LABEL else None  # "Completed by: S. Okafor"
        skip = len(alnum(lines[li][:label])) if label is not None else 0
        if li not in signatory_lines:
            continue
        if _covers_line(pm, pt, toks, li, skip) >= cfg.signatory_coverage or (
                label is not None and _first_after_label(pt, toks, pm, label)):
            return whole_page(pt, pm.party_id, rule_id, cfg)
    return None
