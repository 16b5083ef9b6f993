"""How a mention that must go is classified for the evaluation's tables (see
:mod:`redaction.evaluation.report`): a ``refused_ref`` word's sub-kind and a mention's
written form."""

from __future__ import annotations

import re
import unicodedata

from redaction.case import ThirdParty


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.casefold() if c.isalnum() and not unicodedata.combining(c))


def _words(s: str) -> set[str]:
    return {n for n in (norm(t) for t in re.split(r"[\s,;/()\-]+", s)) if n}


def sub_kind(text: str, party: ThirdParty | None) -> str:
    """``contact`` or ``name`` for a refused_ref word (see module docstring)."""
    if "@" in text or sum(c.isdigit() for c in text) >= 3:
        return "contact"
    if party is None:
        return "name"
    n = norm(re.sub(r"['\u2019]s$", "", text))
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
