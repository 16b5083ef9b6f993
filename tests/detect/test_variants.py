from __future__ import annotations

from redaction.detect.tokens import alnum, canon
from redaction.detect.variants import (
    Mode,
    Owner,
    Role,
    acronym,
    gender_of,
    org_variants,
    parse_person_name,
    person_variants,
)

PARTY = Owner(Role.PARTY, "tp-1", True)


def forms(name: str, relationship: str = "") -> dict[str, set[tuple[str, ...]]]:
    out: dict[str, set[tuple[str, ...]]] = {}
    for v in person_variants(name, PARTY, relationship):
        out.setdefault(v.kind, set()).add(tuple(t.text for t in v.tokens))
    return out


def test_person_forms_cover_what_files_use() -> None:
    f = forms("Daniel Price")
    assert ("daniel", "price") in f["full name"]
    assert ("daniel",) in f["first name"]
    assert ("price",) in f["surname"]
    assert {("mr", "price"), ("mrs", "price"), ("dr", "price"), ("mx", "price")} <= f["surname with title"]
    assert ("d", "price") in f["initial and surname"]
    assert ("daniel", "p") in f["first name and surname initial"]
    assert ("price", "daniel") in f["surname, first name"]
    assert {("dp",), ("d", "p")} <= f["initials"]


def test_titles_follow_the_relationship_when_it_says_the_sex() -> None:
    gran = forms("Mary Price", "maternal grandmother")["surname with title"]
    assert ("mrs", "price") in gran and ("mr", "price") not in gran
    assert gender_of("mother's partner") is None
    assert gender_of("", ("mr",)) == "male"


def test_initials_and_titles_are_exact_tokens() -> None:
    for v in person_variants("Daniel Price", PARTY):
        for t in v.tokens:
            if len(t.text) == 1 or t.text in ("dp",):
                assert t.mode is Mode.UPPER
            if t.text == "mr":
                assert t.mode is Mode.EXACT


def test_hyphen_apostrophe_particles_and_diacritics() -> None:
    f = forms("José O'Connor-Smith")
    assert ("jose", "oconnor", "smith") in f["full name"]
    assert ("jose", "o", "connor", "smith") in f["full name"]
    assert {("oconnor",), ("smith",)} <= f["part of surname"]
    p = parse_person_name("Mrs Anna van der Berg, Social Worker")
    assert p is not None and p.titles == ("mrs",) and p.surname == ("van", "der", "Berg")


def test_middle_names() -> None:
    f = forms("Daniel James Price")
    assert ("daniel", "price") in f["first name and surname"]
    assert ("d", "j", "price") in f["initials and surname"]
    assert ("djp",) in f["initials"]


def test_org_name_and_acronym() -> None:
    own = Owner(Role.ORG, "tp-2", True)
    vs = org_variants("The Barnet Family Services", own)
    assert [(tuple(t.text for t in v.tokens), v.kind) for v in vs] == [
        (("barnet", "family", "services"), "organisation name"),
        (("bfs",), "organisation acronym"),
    ]
    assert vs[1].tokens[0].mode is Mode.UPPER
    assert acronym("Child and Adolescent Mental Health Services") == "camhs"
    (nspcc,) = org_variants("NSPCC", own)
    assert nspcc.tokens[0].mode is Mode.UPPER


def test_ocr_canonical_forms() -> None:
    assert canon(alnum("Pr1ce")) == canon(alnum("Pnce")) == canon(alnum("Price"))
    assert canon(alnum("Danie1")) == canon(alnum("Daniel"))
    assert canon(alnum("Price")) != canon(alnum("Pride"))
    assert alnum("José") == "jose"


def test_accented_words_keep_their_accents_for_ocr_readings() -> None:
    from redaction.detect.variants import Owner, Role, accent_pattern, person_variants

    v = person_variants("Róisín Koç", Owner(Role.PARTY, "tp-1", True))[0]
    assert v.tokens[0].text == "roisin" and v.tokens[0].accented == "róisín"
    pat = accent_pattern("róisín")
    assert pat is not None and pat[1] == 4 and pat[0].fullmatch("reisfn")
    assert accent_pattern("öz") is None  # too few plain letters to mean anything
