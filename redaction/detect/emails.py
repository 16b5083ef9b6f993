"""Email addresses: compared however OCR split or misread them, and mailboxes made of a person's name."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.align import PageText
from redaction.detect.phones import _Hit
from redaction.detect.tokens import alnum, canon, fold
from redaction.detect.variants import parse_person_name

_EMAIL_OCR = (("\u00a9", "@"), ("(a)", "@"), ("(@)", "@"), (",", "."))


_EMAIL_MAX_WORDS = 6


@lru_cache(maxsize=1 << 16)
def _email_clean(s: str) -> str:
    s = fold(s).lower()
    for a, b in _EMAIL_OCR:
        s = s.replace(a, b)
    s = s.rstrip(":;,. ")  # the mark after an address ("...@inbox.example:")
    if ":" in s:
        s = s.split(":")[-1]  # a label before it ("email:ann@...")
    return s.strip("<>()[]{};'\"., ")


def _garbled_domain_end(pt: PageText, cand: str, target: str, k: int) -> int | None:
    """When ``cand`` (words up to ``k``) starts with the target's mailbox and the first label of
    its domain ("ewa.krol@walthamforest"), the address is the target's however OCR garbled the
    rest ("/ jexanp ee gov.uk."): the last word index that still belongs to it, on the same line
    and within the target's length; else None."""
    local, _, domain = target.partition("@")
    anchor = f"{local}@{domain.split('.')[0]}"
    if len(local) < 3 or len(cand) + 2 < len(anchor):
        return None
    if Levenshtein.normalized_similarity(cand[:len(anchor)], anchor) < 0.9 or len(cand) > len(anchor) + 2:
        return None
    words, line = pt.words, pt.lines[k]
    end, acc = k, cand
    while end + 1 < len(words) and pt.lines[end + 1] == line:
        raw = words[end + 1].text.strip()
        nxt = _email_clean(raw)
        if not nxt or raw[:1].isupper() or nxt in STOP_WORDS or len(acc) + len(nxt) > len(target) + 4:
            break
        acc += nxt
        end += 1
        if re.search(r"\.(?:uk|com|org|net)\W*$", raw):
            break
    return end if end > k else None


def _email_hits(pt: PageText, targets: list[str], threshold: float) -> list[_Hit]:
    """Email addresses, also when OCR split one into several words ("tanisha. wil liams@
    newham.example. gov.uk"): every run of up to ``_EMAIL_MAX_WORDS`` words holding an "@"
    is compared, joined without spaces, with each target; overlapping runs keep the best."""
    words = pt.words
    found: list[_Hit] = []
    longest = max((len(t) for t in targets), default=0)
    mailboxes = [m for m in (t.partition("@")[0] for t in targets) if len(m) >= 5]
    folded = [(t, canon(t)) for t in targets]
    for i in range(len(words)):
        if words[i].text.rstrip().endswith(":"):
            continue  # a label ("Email:"): the address starts in the next word
        acc = ""
        for k in range(i, min(i + _EMAIL_MAX_WORDS, len(words))):
            acc += words[k].text.strip()
            cand = _email_clean(acc)
            if len(cand) > longest + 8:
                break
            if "@" not in cand:
                # OCR misread the "@" ("chukwu\u00e9towerhamlets"): a target's mailbox and one
                # character where the "@" should be
                local = next((m for m in mailboxes if cand.startswith(m) and len(cand) > len(m) + 3), None)
                if local is None:
                    continue
                cand = f"{local}@{cand[len(local) + 1:]}"
            folded_cand = canon(cand)
            for t, folded_t in folded:
                sim = max(Levenshtein.normalized_similarity(cand, t),
                          Levenshtein.normalized_similarity(folded_cand, folded_t))
                if sim >= threshold:
                    found.append(_Hit(i, k, 0.95 if sim >= 0.999 else round(0.9 * sim, 3),
                                      "email address" + ("" if sim >= 0.999 else " (OCR-tolerant match)")))
                elif (end := _garbled_domain_end(pt, cand, t, k)) is not None:
                    found.append(_Hit(i, end, 0.85, "email address (its domain garbled by OCR)"))
    # best first; a run overlapping a better one is dropped
    out: list[_Hit] = []
    for h in sorted(found, key=lambda h: (-h.score, h.last - h.first)):
        if all(h.last < o.first or h.first > o.last for o in out):
            out.append(h)
    return sorted(out, key=lambda h: h.first)


_ANY_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")


def mailbox_forms(name: str) -> set[str]:
    """The mailboxes a person's work or home address is usually made of, folded to letters:
    "firstname.lastname", "f.lastname", "firstnamelastname", "firstname_lastname",
    "lastname.firstname" (middle names left out, a hyphenated or apostrophe surname run
    together: "leonor.dsouza")."""
    p = parse_person_name(name)
    if p is None or not p.surname:
        return set()
    first, last = alnum(p.first), alnum("".join(p.surname))
    if len(first) < 2 or len(last) < 2:
        return set()
    return {first + last, first[0] + last, last + first}


_AT_MISREAD = re.compile(r"(?<=[a-z])(?:\u00e9|\u00a9|\(a\)|\(@\))(?=[a-z])")  # "chukwu\u00e9towerhamlets"


def _sentence_word(text: str) -> bool:
    """A word that starts the next sentence after an address ("Copy", "The"), not a piece of
    its domain OCR set apart ("gov. Lk")."""
    a = alnum(text)
    return text.strip()[:1].isupper() and (len(a) > 3 or a in STOP_WORDS)


# a mailbox's dot OCR read as a colon, semicolon or comma, maybe with a speck ("joanna:\u2018kaminska@")
_DOT_MISREAD = re.compile(r"(?<=[A-Za-z])[:;,]['\u2018\u2019`]?(?=[A-Za-z][^@\s]*@)")


def _email_run(pt: PageText, w: int) -> tuple[int, re.Match[str] | None]:
    """The email address starting at word ``w``, also when OCR split it at its dots into
    several words on the line ("babatunde. chukwu\u00e9towerhamlets. example. gov. uk") and
    misread its "@": (its last word, the match), or (w, None)."""
    words, line = pt.words, pt.lines[w]
    last, joined = w, words[w].text.strip()
    while (last + 1 < len(words) and pt.lines[last + 1] == line and last - w < _EMAIL_MAX_WORDS - 1
           and (joined.endswith((".", "@")) or words[last + 1].text.strip().startswith((".", "@")))
           and not _sentence_word(words[last + 1].text)):
        last += 1
        joined += words[last].text.strip()
    for end in range(last, w, -1):
        text = "".join(x.text.strip() for x in words[w:end + 1]).rstrip(".,;:")
        if "@" not in text:
            text = _AT_MISREAD.sub("@", text, count=1)
        text = _DOT_MISREAD.sub(".", text)
        m = _ANY_EMAIL.fullmatch(fold(text).strip("<>()[]{};'\"_"))
        if m is not None:
            return end, m
    return w, _ANY_EMAIL.search(fold(_DOT_MISREAD.sub(".", words[w].text)))
