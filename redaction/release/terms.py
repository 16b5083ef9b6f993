"""What must not be readable in a clean copy, and how a careful reader finds it.

The verifier's own list, made from the case manifest alone: every withheld party's
name in its plain forms (full name, first and last name, surname alone, first name
alone), aliases, an organisation's name and its staff's names, phones, emails, and
addresses (street line and postcode). A form that is also the name of someone who
stays (the child, the requester, the setting's staff, a party who consented) is left
out: those words may rightly be on the page.

Matching is written here, apart from detection, as a reader squinting at an OCR'd
page would match: accents and case ignored, OCR's usual confusions forgiven (0/o,
1/l/I, 5/s), a letter or two wrong in a long word, possessives, digits of a phone
number spread over several words. A single-word name form counts only where the word
is capitalised (or in capitals), as names are printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Hamming, Levenshtein

from redaction.case import Case, ThirdParty

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev", "pc", "ds", "dc", "sgt"})
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.I)
_LETTERS_FOR_DIGITS = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "b", "|": "l", "!": "l", "$": "s"})
_DIGITS_FOR_LETTERS = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "i": "1", "|": "1", "s": "5",
                                     "S": "5", "B": "8", "b": "6", "Z": "2", "z": "2"})
MIN_NAME_LETTERS = 3
MAX_PHONE_WORDS = 5


@dataclass(frozen=True)
class Term:
    """One form to look for: ``tokens`` normalised words in order, or a ``digits``
    string for a phone number."""

    party_id: str
    kind: str  # "name" | "organisation" | "staff" | "phone" | "email" | "address"
    tokens: tuple[str, ...] = ()
    digits: str = ""
    # a phone's near neighbours that stay (a kept party's numbers): a reading that is one of
    # them exactly is that number, not a misread of this one
    kept_digits: tuple[str, ...] = ()

    @property
    def single(self) -> bool:
        return len(self.tokens) == 1


@dataclass(frozen=True)
class PageWord:
    """A word read off a page (by OCR or from its text layer), in page points."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Hit:
    term: Term
    x0: float
    y0: float
    x1: float
    y1: float


def fold(text: str) -> str:
    """Accents off, case folded, outer punctuation off."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().strip(".,;:!?()[]{}\"'`’‘“”«»-–—_/\\*")


def _name_token(text: str) -> str:
    t = fold(text).translate(_LETTERS_FOR_DIGITS)
    for end in ("'s", "’s", "s'", "’"):
        if t.endswith(end) and len(t) > len(end) + 2:
            t = t[: -len(end)]
    return re.sub(r"[^a-z]", "", t)


def _person_tokens(name: str) -> list[str]:
    name = name.split(",")[0]
    return [t for t in (_name_token(w) for w in name.split()) if t and t not in _TITLES]


def _name_forms(name: str) -> set[tuple[str, ...]]:
    toks = _person_tokens(name)
    forms: set[tuple[str, ...]] = set()
    if not toks:
        return forms
    forms.add(tuple(toks))
    if len(toks) >= 2:
        forms.add((toks[0], toks[-1]))
        forms.update((t,) for t in (toks[0], toks[-1]) if len(t) >= MIN_NAME_LETTERS)
    elif len(toks[0]) >= MIN_NAME_LETTERS:
        forms.add((toks[0],))
    return forms


def _protected(case: Case) -> tuple[set[str], set[tuple[str, ...]]]:
    names = [case.child.name, *case.child.aliases, case.requester.name, *case.requester.aliases, *case.staff]
    for p in case.third_parties:
        if not p.withheld:
            names += [p.name, *p.aliases, *p.staff]
    tokens = {t for n in names for t in _person_tokens(n)}
    wholes = {tuple(_person_tokens(n)) for n in names}
    return tokens, wholes


def _digits(text: str) -> str:
    d = re.sub(r"\D", "", text)
    return "0" + d[2:] if d.startswith("44") and len(d) >= 11 else d


def _address_terms(p: ThirdParty, address: str) -> list[Term]:
    out = []
    street = address.split(",")[0]
    toks = tuple(t for t in (fold(w) for w in street.split()) if t)
    if len(toks) >= 2:
        out.append(Term(p.id, "address", toks))
    for m in _POSTCODE.finditer(address):
        out.append(Term(p.id, "address", (fold(m.group(1) + m.group(2)),)))
    return out


def withheld_terms(case: Case) -> list[Term]:
    """Every form of every withheld party the verifier looks for (see module doc)."""
    kept_tokens, kept_wholes = _protected(case)
    kept_phones = tuple(sorted({_digits(n) for p in case.third_parties if not p.withheld for n in p.phones}))
    terms: list[Term] = []

    def add_names(p: ThirdParty, names: Iterable[str], kind: str) -> None:
        for n in names:
            for form in _name_forms(n):
                if form in kept_wholes or (len(form) == 1 and _near_any(form[0], kept_tokens)):
                    continue
                terms.append(Term(p.id, kind, form))

    for p in case.third_parties:
        if not p.withheld:
            continue
        if p.kind.value == "organisation":
            toks = tuple(t for t in (fold(w) for w in p.name.split()) if t)
            if toks:
                terms.append(Term(p.id, "organisation", toks))
            add_names(p, p.aliases, "organisation")
            add_names(p, p.staff, "staff")
        else:
            add_names(p, [p.name, *p.aliases], "name")
        for phone in p.phones:
            if len(_digits(phone)) >= 6:
                want = _digits(phone)
                near = tuple(k for k in kept_phones if len(k) == len(want) and k != want)
                terms.append(Term(p.id, "phone", digits=want, kept_digits=near))
        terms += [Term(p.id, "email", (fold(e),)) for e in p.emails if e.strip()]
        for a in p.addresses:
            terms += _address_terms(p, a)
    return sorted(set(terms), key=lambda t: (t.party_id, t.kind, t.tokens, t.digits))


def _allowed_edits(n: int) -> int:
    return 0 if n <= 4 else 1 if n <= 7 else 2


def _near(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return Levenshtein.distance(a, b, score_cutoff=_allowed_edits(len(b)) + 1) <= _allowed_edits(len(b))


def _near_any(token: str, others: Iterable[str]) -> bool:
    return any(_near(token, o) or _near(o, token) for o in others)


def _capitalised(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and letters[0].isupper()


@dataclass(frozen=True)
class _Page:
    """One page's words, keyed once for every term: folded (emails, addresses) and as
    name letters; and the digits each word may stand for."""

    words: Sequence[PageWord]
    folded: tuple[str, ...]
    names: tuple[str, ...]
    digits: tuple[str, ...]

    @classmethod
    def of(cls, words: Sequence[PageWord]) -> _Page:
        return cls(words, tuple(fold(w.text) for w in words), tuple(_name_token(w.text) for w in words),
                   tuple(_digits(w.text.translate(_DIGITS_FOR_LETTERS)) for w in words))

    def keys(self, term: Term) -> tuple[str, ...]:
        return self.folded if term.kind in ("email", "address") else self.names


def _span(term: Term, words: Sequence[PageWord], i: int, n: int) -> Hit:
    part = words[i : i + n]
    return Hit(term, min(w.x0 for w in part), min(w.y0 for w in part),
               max(w.x1 for w in part), max(w.y1 for w in part))


def _token_hits(term: Term, page: _Page) -> Iterable[Hit]:
    n, words, keys = len(term.tokens), page.words, page.keys(term)
    first = term.tokens[0]
    slack = _allowed_edits(len(first))
    postcode = term.kind == "address" and n == 1
    for i in range(len(words) - n + 1):
        if postcode and i + 1 < len(words) and _near(keys[i] + keys[i + 1], first):
            yield _span(term, words, i, 2)  # a postcode in two words
            continue
        if abs(len(keys[i]) - len(first)) > slack or not _near(keys[i], first):
            continue
        if not all(_near(keys[i + k], term.tokens[k]) for k in range(1, n)):
            continue
        if term.single and term.kind in ("name", "staff") and not _capitalised(words[i].text):
            continue
        yield _span(term, words, i, n)


def _phone_hits(term: Term, page: _Page) -> Iterable[Hit]:
    want, words, digits = term.digits, page.words, page.digits
    tolerance = 1 if len(want) >= 10 else 0
    for i in range(len(words)):
        got = ""
        for k in range(i, min(len(words), i + MAX_PHONE_WORDS)):
            if not digits[k]:
                break
            got += digits[k]
            if len(got) < len(want):
                continue
            windows = [got[s : s + len(want)] for s in range(len(got) - len(want) + 1)]
            if any(_misread_of(w, want, tolerance, term.kept_digits) for w in windows):
                yield _span(term, words, i, k - i + 1)
            break


def _misread_of(read: str, want: str, tolerance: int, kept: Sequence[str]) -> bool:
    """``read`` is ``want`` or a misreading of it; not when it is exactly a number that
    stays (two numbers of one exchange often differ in a single digit)."""
    d = Hamming.distance(read, want)
    return d == 0 or (d <= tolerance and read not in kept)


def find(terms: Sequence[Term], words: Sequence[PageWord]) -> list[Hit]:
    """Every place in ``words`` (one page, reading order) where a term can be read."""
    page = _Page.of(words)
    hits: list[Hit] = []
    for t in terms:
        hits += _phone_hits(t, page) if t.kind == "phone" else _token_hits(t, page)
    return hits
