"""What a proposal says about itself, in words a head teacher uses: whom it protects
(the party's name, relationship and consent, never a bare id), the rule in plain words,
and the short label drawn on its box."""

from __future__ import annotations

from dataclasses import dataclass

from redaction.case import Case, Consent, ThirdParty
from redaction.models import Reason

# every reason code in the words a head teacher would use
REASON_WORDS: dict[str, str] = {
    Reason.THIRD_PARTY.value: "names a third party who has not consented",
    Reason.THIRD_PARTY_CONTACT.value: "contact details (address, phone or email) of a third party",
    Reason.THIRD_PARTY_STAFF.value: "a named worker of an organisation that has not consented",
    Reason.THIRD_PARTY_ORG.value: "the name of an organisation that has not consented",
    Reason.SHARED_FIRST_NAME.value: "a name the third party shares with someone else: check who is meant",
    Reason.AUTHORED.value: "a page written by a third party who has not consented: withheld whole",
    Reason.OTHER_CHILD.value: "another child",
    Reason.UNLISTED_PERSON.value: "a person the case does not list: decide whether to withhold",
    Reason.RELATIONSHIP.value: "a relationship word pointing at a third party (\"mum's partner\")",
    Reason.REVIEWER.value: "added by a reviewer",
    Reason.SAFEGUARDING.value: "safeguarding: disclosure would put the child at risk",
    Reason.UNREADABLE.value: "a scanned page that could not be read: withheld whole unless a reviewer reads it",
}
CONSENT_WORDS = {Consent.REFUSED.value: "refused consent",
                 Consent.PENDING.value: "consent not yet given (treated as refused)",
                 Consent.GRANTED.value: "consented"}
MAX_TEXT = 160  # characters of covered words shown in a list row


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    relationship: str
    consent: str

    @property
    def consent_words(self) -> str:
        return CONSENT_WORDS.get(self.consent, self.consent)

    @property
    def described(self) -> str:
        """'Daniel Price (mum's partner, refused consent)'."""
        bits = [b for b in (self.relationship, self.consent_words) if b]
        return f"{self.name} ({', '.join(bits)})" if bits else self.name


def parties(case: Case) -> dict[str, Party]:
    def one(p: ThirdParty) -> Party:
        return Party(p.id, p.name, p.relationship or str(p.kind.value), str(p.consent.value))

    return {p.id: one(p) for p in case.third_parties}


def reason_words(code: str) -> str:
    return REASON_WORDS.get(code, code)


def label(code: str, party: Party | None) -> str:
    """The short label drawn on a box: the reason code and whose it is ('TP Daniel P.')."""
    if party is None:
        return code
    first, *rest = party.name.split()
    return f"{code} {first} {rest[-1][0]}." if rest else f"{code} {first}"


def clipped(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
