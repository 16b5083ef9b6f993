"""The verifier's own list of withheld forms, and how it reads a page for them."""

from __future__ import annotations

import datetime as dt

from redaction.case import Case, Consent, PartyKind, Person, ThirdParty
from redaction.release.terms import PageWord, Term, find, withheld_terms


def _case(*parties: ThirdParty, child: str = "Amelia Hart", staff: tuple[str, ...] = ()) -> Case:
    return Case(case_id="SAR-T-1", received=dt.date(2026, 11, 2), child=Person(child),
                requester=Person("Claire Hart", relationship="mother"), third_parties=parties, staff=staff)


def _person(name: str, consent: Consent = Consent.REFUSED, **kw: object) -> ThirdParty:
    return ThirdParty(id="tp-1", kind=PartyKind.PERSON, name=name, consent=consent, **kw)  # type: ignore[arg-type]


def _words(text: str) -> list[PageWord]:
    return [PageWord(w, 10.0 * i, 0, 10.0 * i + 9, 10) for i, w in enumerate(text.split())]


def _kinds(terms: list[Term], text: str) -> list[str]:
    return sorted({h.term.kind for h in find(terms, _words(text))})


def test_every_plain_form_of_a_refused_person_is_looked_for() -> None:
    terms = withheld_terms(_case(_person("Mr Daniel James Price", phones=("07700 900123",),
                                         emails=("dan.price@example.com",),
                                         addresses=("14 Elm Road, London N11 2AB",))))
    forms = {t.tokens for t in terms if t.kind == "name"}
    assert {("daniel", "james", "price"), ("daniel", "price"), ("daniel",), ("price",)} <= forms
    assert ("mr",) not in forms
    assert Term("tp-1", "phone", digits="07700900123") in terms
    assert any(t.kind == "address" and t.tokens == ("n112ab",) for t in terms)


def test_a_granted_party_is_not_looked_for() -> None:
    assert withheld_terms(_case(_person("Daniel Price", Consent.GRANTED))) == []


def test_forms_shared_with_someone_who_stays_are_left_out() -> None:
    terms = withheld_terms(_case(_person("Daniel Hart"), staff=("Mrs Joan Price, Headteacher",)))
    forms = {t.tokens for t in terms}
    assert ("hart",) not in forms and ("price",) not in forms
    assert ("daniel", "hart") in forms and ("daniel",) in forms


def test_ocr_garbles_accents_case_and_possessives_are_forgiven() -> None:
    terms = withheld_terms(_case(_person("Daniel Price")))
    assert _kinds(terms, "We met DANIEL PRlCE at home") == ["name"]
    assert _kinds(terms, "as Danicl said") == ["name"]
    assert _kinds(terms, "Price's car was outside") == ["name"]
    assert _kinds(terms, "Pricé came late") == ["name"]


def test_a_single_name_word_counts_only_where_printed_as_a_name() -> None:
    terms = withheld_terms(_case(_person("Paul Mark")))
    assert _kinds(terms, "she made a mark on the page") == []
    assert _kinds(terms, "Mark said no") == ["name"]


def test_short_words_must_match_exactly_and_others_are_not_names() -> None:
    terms = withheld_terms(_case(_person("Tom Reed")))
    assert _kinds(terms, "Tim read the Reef book") == []
    assert _kinds(terms, "Tom read") == ["name"]


def test_a_phone_is_found_across_words_and_with_one_digit_misread() -> None:
    terms = withheld_terms(_case(_person("Daniel Price", phones=("07700 900123",))))
    assert _kinds(terms, "call 07700 900 123 today") == ["phone"]
    assert _kinds(terms, "call O77OO 9OO123") == ["phone"]
    assert _kinds(terms, "call 07700 900128") == ["phone"]
    assert _kinds(terms, "call 07700 911128") == []
    assert _kinds(terms, "call +44 7700 900123") == ["phone"]


def test_a_kept_partys_number_one_digit_away_is_not_taken_for_a_withheld_one() -> None:
    friend = ThirdParty(id="tp-2", kind=PartyKind.PERSON, name="Ngozi Oyelaran", consent=Consent.GRANTED,
                        phones=("07700 900336",))
    terms = withheld_terms(_case(_person("Daniel Price", phones=("07700 900396",)), friend))
    assert _kinds(terms, "ring Ngozi on 07700 900336") == []
    assert _kinds(terms, "ring him on 07700 900396") == ["phone"]
    assert _kinds(terms, "ring him on 07700 900398") == ["phone"]  # a misreading of his, not hers


def test_an_organisation_its_staff_and_contacts() -> None:
    org = ThirdParty(id="tp-2", kind=PartyKind.ORGANISATION, name="Barnet Family Services",
                     consent=Consent.PENDING, staff=("Sarah Okafor",), emails=("duty@barnet.example.org",))
    terms = withheld_terms(_case(org))
    assert _kinds(terms, "a letter from Barnet Family Servlces today") == ["organisation"]
    assert _kinds(terms, "Ms Okafor visited") == ["staff"]
    assert _kinds(terms, "write to duty@barnet.example.org") == ["email"]
    assert _kinds(terms, "the family services were kind") == []
