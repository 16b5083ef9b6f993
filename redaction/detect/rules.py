"""Every detection rule by name: an id (``detector.rule``), the reason a reviewer reads and a
base score (:class:`Rule`, kept in :data:`RULES`).

A proposal carries its rule's id at the end of its explanation, in brackets
("full name (OCR-tolerant match) [manifest.full-name]"): the store keeps it with the
proposal, the review desk shows it, and the evaluation counts each rule's precision and
recall by it (a merged proposal lists every rule that found it, parted by "; ").

A rule's base score is the one given here unless the detector configuration sets another
(``[rule_scores]`` of :mod:`redaction.detect.config`). Some rules score each finding by how
well it reads (a name's similarity, a phone's digits): their base score is the most a
finding of theirs scores. A new rule is one line here and one call where it is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redaction.detect.config import DetectConfig


@dataclass(frozen=True)
class Rule:
    """A named rule: what it finds (``reason``, plain words) and how sure it is (``score``)."""

    id: str
    reason: str
    score: float

    @property
    def detector(self) -> str:
        return self.id.split(".", 1)[0]

    def base(self, config: DetectConfig) -> float:
        """The rule's base score under ``config``."""
        return config.rule_scores.get(self.id, self.score)

    def explain(self, detail: str = "") -> str:
        """The explanation of a proposal this rule made: its reason, ``detail`` and its id."""
        return tag(self.reason + detail, self.id)


_TAG = re.compile(r"\s*\[([a-z0-9]+\.[a-z0-9.-]+)\]$")


def tag(explanation: str, rule_id: str) -> str:
    """``explanation`` ending in ``rule_id`` (one already there is replaced)."""
    return f"{_TAG.sub('', explanation)} [{rule_id}]"


def rule_of(part: str) -> str | None:
    """The rule id one part of an explanation ends in (None: it names none)."""
    m = _TAG.search(part.strip())
    return m.group(1) if m else None


def slug(kind: str) -> str:
    """A rule id's last part from plain words: "surname, first name" -> "surname-first-name"."""
    return re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-")


# the manifest detector's rules are the name forms of redaction.detect.variants (a form's weight
# is its base score; the match's similarity scales it)
_MANIFEST_FORMS = (
    ("first name", 0.85), ("name with title", 0.95), ("full name", 1.0), ("first name and surname", 1.0),
    ("first and middle names", 0.9), ("initials and surname", 0.9), ("initial and surname", 0.9),
    ("surname", 0.85), ("surname, first name", 0.95), ("first name and surname initial", 0.8),
    ("surname with title", 0.95), ("part of surname", 0.7), ("part of surname with title", 0.85),
    ("initials", 0.7), ("alias", 0.95), ("organisation name", 1.0), ("organisation name, shortened", 0.9),
    ("organisation acronym", 0.9), ("first name with a kinship title", 0.95),
)

_LISTED = (
    *(Rule(f"manifest.{slug(kind)}", kind, score) for kind, score in _MANIFEST_FORMS),
    Rule("manifest.shared-first-name", "a withheld party's first name that a person who stays shares", 0.5),
    # contacts
    Rule("contact.phone", "phone number", 0.95),
    Rule("contact.email", "email address", 0.95),
    Rule("contact.address", "address", 0.95),
    Rule("contact.beside-name", "a contact detail written beside the withheld person's name (not in the manifest)",
         0.75),
    Rule("contact.mailbox-name", "an email address whose mailbox is the withheld person's name (not in the manifest)",
         0.8),
    Rule("contact.shared-first-name-number", "a first name (or a title and surname) shared with a protected "
         "person, followed in the same sentence by the withheld person's own phone number: check who is meant", 0.5),
    Rule("contact.wrapped-phone", "a withheld party's phone number wrapped inside a table cell", 0.85),
    # authorship (whole pages)
    Rule("authorship.manifest-author", "the manifest names a withheld party as the author", 1.0),
    Rule("authorship.letterhead", "letterhead of a withheld organisation", 0.85),
    Rule("authorship.from-name", "'From:' line names a withheld party", 0.9),
    Rule("authorship.from-email", "'From:' line holds a withheld party's email", 0.9),
    Rule("authorship.signature", "signed by a withheld party", 0.85),
    Rule("authorship.author-field", "a form's author field ('Reporting officer', 'Completed by') names a withheld "
         "party", 0.85),
    # relationships
    # (their scores: DetectConfig.relationship_score, shared_first_name_score)
    Rule("relationship.reference", "refers to a withheld person by their relationship to the child", 0.6),
    Rule("relationship.first-name", "first name written beside the withheld person's relationship to the child",
         0.9),
    Rule("relationship.wrapped", "a withheld person's relationship to the child, wrapped inside a table cell",
         0.6),
    # people the manifest does not list
    Rule("presidio.model", "a person's name (NER model) that the manifest does not list", 0.85),
    Rule("presidio.child-cue", "a person not in the manifest, next to words that suggest a child", 0.7),
    Rule("presidio.introduced-child", "a name after words that introduce a child (friend, sibling, pupil)", 0.7),
    Rule("presidio.second-model", "a person's name (NER model) that the manifest does not list (found by the "
         "second people finder only)", 0.5),
    Rule("presidio.other-label", "shaped like a person's name, though the NER model took it for an organisation "
         "or a place: check it names a person", 0.5),
    Rule("presidio.shared-surname", "the surname is also that of somebody whose name stays (staff or a consenting "
         "party): check", 0.45),
    Rule("presidio.shared-first-name-kept", "the first name is also that of a member of staff or a consenting "
         "party: check who is meant", 0.45),
    Rule("presidio.like-kept-name", "a word of the name reads like the name of a member of staff, the family or a "
         "consenting party: check who is meant", 0.45),
    Rule("presidio.common-words", "every word of the name is also a common English word: check it names a person",
         0.45),
    Rule("presidio.again", "a name word of a person found elsewhere in this case", 0.6),
    Rule("presidio.initials", "a name word of a person found elsewhere in this case (their initials)", 0.55),
    Rule("presidio.again-shared-with-kept", "a name word of another child found in this case that is also the name "
         "of a member of staff or a consenting party: check who is meant", 0.35),
    Rule("presidio.childs-surname-after-namesake", "the child's surname alone, just after another child of that "
         "surname was named: that child is likely meant, but check it is not the child", 0.5),
    Rule("presidio.namesake-child", "somebody else with the child's first name: the surname is not the child's",
         0.6),
    Rule("presidio.namesake-after-cue", "the child's first name after a play cue (\"playing with\"), in a document "
         "naming another child of that first name: that child is likely meant, but check it is not the child", 0.5),
    Rule("presidio.garbled-beside-child", "a word OCR garbled where a child's name stands, beside another child's name",
         0.5),
    Rule("presidio.title-unread", "a title before a word OCR could not read: a withheld person's name may be lost",
         0.4),
    Rule("manifest.wrapped-name", "a withheld party's name wrapped inside a table cell", 0.85),
    # pages
    Rule("unreadable.page", "OCR could not read this page reliably", 1.0),
)

RULES: dict[str, Rule] = {r.id: r for r in _LISTED}

# rules that lower a proposal for the reviewer because the name may be somebody's who stays:
# no later rule raises a proposal that one of them lowered
CAPPING = frozenset({"presidio.shared-surname", "presidio.shared-first-name-kept", "presidio.like-kept-name"})


def capped(explanation: str) -> bool:
    """A rule of :data:`CAPPING` lowered the proposal of ``explanation``."""
    return any(rule_of(part) in CAPPING for part in explanation.split("; "))


def rule(rule_id: str) -> Rule:
    """The rule of ``rule_id`` (a KeyError names a rule that was never listed: a programming error)."""
    return RULES[rule_id]
