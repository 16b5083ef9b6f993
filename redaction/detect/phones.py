"""Phone numbers: their digits however written or OCR read them, and where a listed one is printed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.models import Word

# a word of a phone number; scan junk after it ("900225°", "375:") goes with it
# a speck between two digits reads as an apostrophe or a comma ("946'0531", "900,804")
_PHONE_WORD = re.compile(r"^[\"'\u201c\u201d]?[\d()+\-./OoIl|]*\d(?:[\d()+\-./OoIl|]|['\u2018\u2019,](?=\d))*"
                         r"[,;:.\"'\u00b0\u201d*]{0,2}$")
_PHONE_OCR = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def normalise_phone(s: str) -> str:
    """Digits of a UK phone number in national form: "+44 (0)7700 900123" -> "07700900123"."""
    s = s.strip()
    d = re.sub(r"\D", "", s)
    plus = s.startswith("+")
    if d.startswith("0044"):
        d = d[4:]
    elif d.startswith("44") and (plus or len(d) in (12, 13)):
        d = d[2:]
    else:
        return d
    return d if d.startswith("0") else "0" + d


_LABEL_OR_JUNK = re.compile(r"^(?:[^\d+(]*:)?[^\d+(]{0,3}")


_GLUED_ON = re.compile(r"^[0o]n(?=[0+(])", re.IGNORECASE)  # "0n07700": "on" run into the number


def _phone_start(word: str) -> str:
    """The part of a word where a phone number may start: a label ("Tel:", "Mob:07700") and up
    to three characters of scan junk before it ("-|.07700", "[020") are skipped; "" if none."""
    rest = _LABEL_OR_JUNK.sub("", _GLUED_ON.sub("", word, count=1), count=1)
    if not rest or not (rest[0].isdigit() or rest[0] in "+("):
        return ""
    return rest


def _same_subscriber(digits: str, target: str) -> bool:
    """``digits`` are ``target`` (national form, "07700900225") with its leading 0 lost or its
    country code misread ("7700900225", "+44" read as "444": "4447700900225")."""
    national = target[1:]
    return len(national) >= 9 and digits.endswith(national) and len(digits) - len(national) <= 3


_TAIL_DIGITS = 6  # the end of a number whose start OCR garbled ("uel 900255." for +44 7700 900255)


def _phone_tail_hits(pt: PageText, targets: set[str], others: frozenset[str]) -> list[_Hit]:
    """A word holding the last six digits or more of a target number (and nothing more) whose
    start OCR garbled into the words before it on the line: those words go with it when they
    are a country code or short lower-case debris."""
    out: list[_Hit] = []
    words = pt.words
    for i, w in enumerate(words):
        text = w.text.strip()
        if not _PHONE_WORD.match(text):
            continue
        d = re.sub(r"\D", "", text.translate(_PHONE_OCR))
        if len(d) < _TAIL_DIGITS or any(x.endswith(d) for x in others):
            continue
        if not any(x.endswith(d) and len(x) > len(d) for x in targets):
            continue
        first = i
        while first > 0 and i - first < 2 and pt.lines[first - 1] == pt.lines[i]:
            prev = words[first - 1].text.strip()
            if not (re.fullmatch(r"\+?\d{1,3}", prev) or (
                    re.fullmatch(r"[a-z]{1,4}", prev) and prev not in STOP_WORDS)):
                break
            first -= 1
        if first < i:  # the garbled start is there: not some other number's end
            out.append(_Hit(first, i, 0.7, "phone number (its start garbled by OCR)"))
    return out


@dataclass(frozen=True)
class _Hit:
    first: int  # word index
    last: int
    score: float
    explanation: str


_MAX_JUNK = 3


def _junk(w: Word) -> bool:
    """A speck OCR read as a word: no digit, at most two characters, and punctuation or read
    with low confidence."""
    t = w.text.strip()
    return (len(t) <= 2 and not any(c.isdigit() for c in t)
            and (not any(c.isalnum() for c in t) or w.conf < 50))


def _glued(before: str, word: str, targets: set[str]) -> bool:
    """``word`` ends a target number and runs on into the next number after a hyphen OCR
    read between them ("07700 900 049-2 Alfreton Crescent": the number, then a house's)."""
    head, dash, tail = word.partition("-")
    return bool(head and dash and tail[:1].isdigit()
                and normalise_phone(before + head.translate(_PHONE_OCR)) in targets)


def _phone_hits(pt: PageText, targets: set[str], max_tokens: int, others: frozenset[str] = frozenset()
                ) -> list[_Hit]:
    """Phone numbers of ``targets`` in any format; one misread digit is tolerated unless the
    number read is one of ``others`` (a consenting person's or the requester's number)."""
    words = pt.words
    out: list[_Hit] = []
    for i, w in enumerate(words):
        text = _phone_start(w.text)
        if not text:
            continue
        acc = ""
        skipped = 0
        for k in range(i, min(i + max_tokens + _MAX_JUNK, len(words))):
            t = text if k == i else words[k].text
            if k > i and not _PHONE_WORD.match(t):
                # a number the line broke ("020 7946" / "0456)"): scan debris OCR read at the start
                # of the next line ("i", "*") is stepped over while the digits so far begin a target
                so_far = normalise_phone(acc)
                if (skipped < _MAX_JUNK and _junk(words[k]) and len(so_far) >= 6
                        and any(x.startswith(so_far) for x in targets)):
                    skipped += 1
                    continue
                break
            before = acc
            acc += t.translate(_PHONE_OCR)
            digits = normalise_phone(acc)
            if digits in targets:
                out.append(_Hit(i, k, 0.95, "phone number"))
                break
            if _glued(before, t, targets):
                out.append(_Hit(i, k, 0.9, "phone number (the next number glued to its end)"))
                break
            if len(digits) >= 10 and digits not in others and any(_same_subscriber(digits, x) for x in targets):
                out.append(_Hit(i, k, 0.85, "phone number (its prefix misread)"))
                break
            if len(digits) >= 10 and digits not in others:
                near = [x for x in targets if len(x) == len(digits)
                        and sum(a != b for a, b in zip(x, digits, strict=True)) == 1]
                if near:
                    out.append(_Hit(i, k, 0.8, "phone number (one digit misread)"))
                    break
            if len(digits) > max(len(x) for x in targets) + 2:
                break
    return out


def _other_phones(ctx: DetectContext) -> frozenset[str]:
    return frozenset(normalise_phone(ph) for p in ctx.case.third_parties if not p.withheld for ph in p.phones)


def _phone_at(pt: PageText, w: int, w1: int) -> tuple[int, str] | None:
    """(last word, digits) of a phone number starting at word ``w`` (within ``w1``, or just past
    it: a number cut at the row's end goes on at the start of the next line, "+44 20 / 7946 0478")."""
    words = pt.words
    acc = _phone_start(words[w].text)
    if not acc:
        return None
    k, best = w, None
    while k < len(words) and (k <= w1 or (best is None and k <= w1 + 3)) and (
            k == w or _PHONE_WORD.match(words[k].text)):
        if k > w:
            acc += words[k].text
        digits = normalise_phone(acc.translate(_PHONE_OCR))
        if re.fullmatch(r"[127]\d{9}", digits):
            digits = "0" + digits  # OCR lost the leading 0 ("\u20ac7700900787")
        elif re.fullmatch(r"04[127]\d{9}", digits):
            digits = "0" + digits[2:]  # the "+" of "+44" read as a 4 ("4447700 900225")
        if re.fullmatch(r"0\d{9,10}", digits):
            best = (k, digits)
        if len(digits) > 13:
            break
        k += 1
    return best
