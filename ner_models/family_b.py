"""Training text from family B's documents (:mod:`redaction.synth.family_b`), with PERSON spans.

Family B was written apart from the dev family and from detection: its own name pools,
sentences, tables and forms ("KOWALCZYK, Agnieszka", "Amelia S.", "Mrs A Kowalczyk").
:func:`tagged_people` draws a family-B case's people as
:func:`redaction.synth.family_b.generate_case_b` does (``draw_case``), then swaps every person and
agency for a subclass whose *name forms* are tagged as :mod:`ner_models.cast` tags the
dev cast's: one ``ner:PERSON:<n>`` mention per name written, ``ner:IGNORE:<n>`` for
initials ("AS", "A.S."), ``ner:ORG:<n>`` for an agency's name. Pointers ("her partner",
"Nan"), contact details and jobs stay untagged: no PERSON there.

The documents are then laid out by family B's own builders and read back into chunked
samples by :mod:`ner_models.documents` (the same lines, spans and conventions as the dev
family's). A few builders write a name into a sentence without going through the
person ("for Amelia's review"); any untagged word that is one of the case's names (or
a person's initials) is marked *missing* rather than left as "not a name".

Family C is never read here: it is the judge of what this corpus teaches.
"""

from __future__ import annotations

import random
import re

from ner_models.cast import mention_tag
from ner_models.documents import chunks, lines_to_sample, page_lines
from ner_models.sample import Sample
from redaction.synth.family_b.casting import draw_case
from redaction.synth.family_b.docs import BUILDERS, NEEDS, Scribe
from redaction.synth.family_b.people import Agency, People, Person
from redaction.synth.layout import KEEP, Run

# the name forms of family_b.people.FORMS that write a name (initials are IGNORE)
INITIAL_FORMS = frozenset({"initials", "initials_dots"})
NAME_FORMS = frozenset({
    "name", "first", "surname", "SURNAME", "Surname, First", "SURNAME, First", "SURNAME First",
    "First SURNAME", "title", "title_init", "init_dot", "init_nodot", "first_init", "first_init_nodot",
    "poss_first", "poss_title", "poss_name", "nickname",
})
TITLE_FORMS = frozenset({"title", "title_init", "poss_title"})
AGENCY_NAME_FORMS = frozenset({"title", "short", "TITLE"})
_EDGE = "([{\"'“‘<,.;:)]}”’>!?"


class TaggedPerson(Person):
    """A family-B person whose every written name is one PERSON mention."""

    def say(self, form: str, rng: random.Random) -> list[Run]:
        runs = super().say(form, rng)
        if form in NAME_FORMS:
            tag = mention_tag("PERSON")
            out: list[Run] = []
            for t, _ in runs:
                lead = f"{self.title} "
                if form in TITLE_FORMS and t.startswith(lead):  # "DC G Hirst": the title is no part of the name
                    out.append((lead, KEEP))
                    t = t[len(lead) :]
                out.append((t, tag))
            return out
        if form in INITIAL_FORMS:
            tag = mention_tag("IGNORE")
            return [(t, tag) for t, _ in runs]
        if form == "as_child_says":  # "Uncle Fergal": the name is the last run; "Nan" alone is none
            name = self.known_as or self.given
            if runs and runs[-1][0] == name:
                return [*runs[:-1], (name, mention_tag("PERSON"))]
        return runs


class TaggedAgency(Agency):
    """A family-B agency whose name, short name and name in capitals are one ORG mention."""

    def say(self, form: str, rng: random.Random | None = None) -> list[Run]:
        runs = super().say(form, rng)
        if form in AGENCY_NAME_FORMS:
            tag = mention_tag("ORG")
            return [(t, tag) for t, _ in runs]
        return runs


def _tag(x: Person) -> None:
    x.__class__ = TaggedPerson


def tagged_people(case_seed: int) -> tuple[People, random.Random]:
    """The people of family B's case ``case_seed`` (``draw_case``, as ``generate_case_b``),
    tagged; and the case's RNG, positioned after the draw."""
    people, rng = draw_case(case_seed)
    for x in people_of(people):
        _tag(x)
    for a in people.agencies:
        a.__class__ = TaggedAgency
    return people, rng


def people_of(people: People) -> list[Person]:
    """Everyone in the case, each once (an agency's workers included)."""
    out: dict[int, Person] = {}
    for x in [people.child, people.requester, *people.staff, *people.relatives, *people.peers,
              *(w for a in people.agencies for w in a.workers)]:
        out.setdefault(id(x), x)
    return list(out.values())


def name_words(people: People) -> frozenset[str]:
    """Every word of every name in the case (given, family, known-as, their parts) and
    every person's initials, case-folded: what an untagged word must not be taught as."""
    out: set[str] = set()
    for x in people_of(people):
        for part in (x.given, x.family, x.known_as or ""):
            for w in re.split(r"[\s-]+", part):
                if w:
                    out.add(w.casefold())
        for form in INITIAL_FORMS:
            out.add(Person.text(x, form).casefold())
    return frozenset(out)


def unlabelled_names(sample: Sample, names: frozenset[str]) -> Sample:
    """``sample`` with every untagged word that is one of ``names`` marked missing."""
    covered = sample.covered()
    extra: list[tuple[int, int]] = []
    for m in re.finditer(r"\S+", sample.text):
        s, e = m.start(), m.end()
        while s < e and sample.text[s] in _EDGE:
            s += 1
        while e > s and sample.text[e - 1] in _EDGE:
            e -= 1
        word = sample.text[s:e]
        if word.endswith(("'s", "’s")):
            e -= 2
            word = word[:-2]
        if e <= s or word.casefold() not in names:
            continue
        if not any(s < b and a < e for a, b in covered):
            extra.append((s, e))
    if not extra:
        return sample
    return Sample(sample.text, sample.ents, tuple(sorted(sample.ignore + tuple(extra))), sample.source)


def kinds_for(people: People) -> list[str]:
    """Every family-B document kind this case can have (a report needs its agency)."""
    return [k for k in BUILDERS if k not in NEEDS or people.agency_of(NEEDS[k]) is not None]


def case_samples(case_seed: int, *, long: bool | None = None) -> list[Sample]:
    """Every document family B can write for case ``case_seed``, laid out and read back
    as clean, chunked samples (source ``"b:<kind>"``)."""
    people, rng = tagged_people(case_seed)
    if long is None:
        long = rng.random() < 0.5
    names = name_words(people)
    out: list[Sample] = []
    for kind in kinds_for(people):
        built = BUILDERS[kind](Scribe(people, rng, long=long))
        _, pages = built.writer.finish()
        built.writer.doc.close()
        for words in pages:
            for chunk in chunks(page_lines(words), rng):
                out.append(unlabelled_names(lines_to_sample(chunk, f"b:{kind}", (people.school.name,)), names))
    return out
