"""A table row or line read along from a name: what is on it, and the phones, emails and addresses there."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.addresses import _address_at
from redaction.detect.align import PageText
from redaction.detect.emails import _ANY_EMAIL, _email_clean
from redaction.detect.phones import _phone_at
from redaction.detect.tokens import Token, fold
from redaction.models import Word

_ROW_TOKENS = 16  # how far along a row details are taken


_WRAPPED_TOKENS = 3  # words of a table cell wrapped under the row, stepped over along it


def _wrapped_below(pt: PageText, row: Word, w: Word) -> bool:
    """``w`` is on one of the two lines just under ``row``'s line, in a born-digital table
    cell or on an upright scan: the rest of a cell wrapped under the row."""
    if pt.sideways or pt.page.rotation != 0:
        return False
    h = max(row.box.height, w.box.height, 1.0)
    below = (w.box.y0 + w.box.y1) / 2 - (row.box.y0 + row.box.y1) / 2
    return 0.5 * h < below <= 2.6 * h


def _new_sentence(prev: Word, tok: Token) -> bool:
    """``tok`` starts a new sentence of prose after ``prev`` ("... from school? My mobile is"):
    what follows is no longer about the person named before it."""
    return bool(re.search(r"[.?!][\"'\u201d]?$", prev.text.strip())) and tok.upper_initial and tok.base in STOP_WORDS


def _next_on_row(pt: PageText, a: Word, b: Word) -> bool:
    """``b`` goes on the row of ``a``: on the same displayed line (see :func:`_same_row`) and,
    on an upright page, not to its left (a wrapped line starts back at the left)."""
    return _same_row(pt, a, b) and (pt.page.rotation != 0 or b.box.x1 >= a.box.x0)


def _same_row(pt: PageText, a: Word, b: Word) -> bool:
    """``b`` sits on the displayed line (or table row) of ``a``: their centres across the
    text direction are within half a line of each other. Table cells of a born-digital form
    are separate lines of text but one row."""
    sideways = pt.sideways
    ca = (a.box.x0 + a.box.x1) / 2 if sideways else (a.box.y0 + a.box.y1) / 2
    cb = (b.box.x0 + b.box.x1) / 2 if sideways else (b.box.y0 + b.box.y1) / 2
    h = max(a.box.width, b.box.width) if sideways else max(a.box.height, b.box.height)
    return abs(ca - cb) <= 0.5 * max(h, 1.0)


def _contacts_in(pt: PageText, toks: list[Token], t0: int, t1: int, known_phones: frozenset[str],
                 known_emails: frozenset[str]) -> list[tuple[int, int, str]]:
    """(first word, last word, what) of each phone, email and street address among tokens
    ``t0..t1``."""
    w0, w1 = toks[t0].word, toks[t1].word
    words = pt.words
    found: list[tuple[int, int, str]] = []
    w = w0
    while w <= w1:
        text = words[w].text
        phone = _phone_at(pt, w, w1)
        if phone is not None:
            if phone[1] not in known_phones:
                found.append((w, phone[0], "a phone number"))
            w = phone[0] + 1
            continue
        if "@" in text and _ANY_EMAIL.search(fold(text)) and _email_clean(text) not in known_emails:
            found.append((w, w, "an email address"))
            w += 1
            continue
        address = _address_at(pt, w, w1)
        if address:
            found += address
            w = address[0][1] + 1
            continue
        w += 1
    return found
