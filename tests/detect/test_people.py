"""Presidio-backed detection. The engine is built once for the module (about 1-2 s)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from redaction.detect import DetectConfig, ProposalDraft, detect_document
from redaction.detect.people import PresidioDetector
from redaction.detect.presidio_engine import analyzer
from redaction.models import Box, OcrPage, Reason, TextSource, Word
from tests.detect.pages import CASE_YAML, make_case, make_page


@pytest.fixture(scope="module")
def engine() -> Any:
    return analyzer()


def run(lines: list[str], yaml_text: str = CASE_YAML) -> list[ProposalDraft]:
    """The people detector alone on one page of ``lines``, in the case ``yaml_text`` describes."""
    return detect_document(make_case(yaml_text), "x.pdf", [make_page(lines)], detectors=[PresidioDetector()])


def test_unlisted_person_is_proposed_for_review(engine: Any) -> None:
    drafts = run(["On Monday John Williams from the council phoned the office about the meeting."])
    (d,) = [d for d in drafts if "John" in d.text]
    assert d.reason is Reason.UNLISTED_PERSON and d.party_id is None
    assert d.text == "John Williams" and 0 < d.score <= 1
    assert "John" not in d.explanation


def test_other_child_near_a_child_cue(engine: Any) -> None:
    drafts = run(["Amelia played with a child called Oliver Bennett in the sandpit.",
                  "Her friend Ruby cried when she fell over."])
    other = {d.text for d in drafts if d.reason is Reason.OTHER_CHILD}
    assert "Oliver Bennett" in other
    assert "Ruby" in other


def test_known_names_are_left_to_the_manifest(engine: Any) -> None:
    drafts = run(["Amelia Hart and Claire Hart met Mrs Joan Allen. Daniel Price and Gloria Mendes waited.",
                  "Sarah Okafor wrote to Millie."])
    assert drafts == []


@pytest.fixture
def sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    attempts: list[str] = []

    def refuse_connect(self: socket.socket, address: Any) -> None:
        attempts.append(repr(address))
        raise OSError("network blocked by test")

    def refuse_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(str(host))
        raise socket.gaierror("name lookup blocked by test")

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse_connect)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_lookup)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse_lookup(a[0] if a else None))
    yield attempts


def test_email_detection_works_with_sockets_blocked(engine: Any, sockets_blocked: list[str]) -> None:
    text = "Please write to dan.price@example.com or to office@school.example.org today."
    results = engine.analyze(text=text, language="en", entities=["EMAIL_ADDRESS"])
    emails = [text[r.start : r.end] for r in results]
    assert emails == ["dan.price@example.com", "office@school.example.org"]
    page = make_page(["Email dan.price@example.com about Daniel Price and John Williams."])
    drafts = detect_document(make_case(), "x.pdf", [page])
    assert any(d.reason is Reason.THIRD_PARTY_CONTACT for d in drafts)
    assert any(d.reason is Reason.UNLISTED_PERSON for d in drafts)
    assert sockets_blocked == []


def test_only_the_unknown_part_of_a_name_is_proposed(engine: Any) -> None:
    drafts = run(["Yesterday Tom Price visited the school office with a letter."])
    assert [(d.text, d.reason) for d in drafts] == [("Tom", Reason.UNLISTED_PERSON)]


def test_form_labels_are_not_taken_for_people(engine: Any) -> None:
    drafts = run(["Date: 12/12/2025 10:50 Recorded by: Mrs Joan Allen", "Concern: Amelia was upset at lunch.",
                  "Action taken: spoke to Amelia."])
    assert not [d for d in drafts if d.reason in (Reason.UNLISTED_PERSON, Reason.OTHER_CHILD)
                and d.text.rstrip(":") in ("Date", "Concern", "Action", "Recorded")]


def test_kinship_words_places_and_organisations_are_not_unlisted_people(engine: Any) -> None:
    drafts = run(["Mother's mobile: see below. Collection password: Bluebell.",
                  "Amelia said Mummy was crying. Encourage Amelia to share.",
                  "School: Lansbury Lawrence Primary, 12 Holloway Court, London SW9 5FB"])
    flagged = {d.text for d in drafts if d.reason in (Reason.UNLISTED_PERSON, Reason.OTHER_CHILD)}
    assert not [t for t in flagged if any(w in t for w in ("Mother", "Mummy", "Encourage", "Lansbury", "London"))]


def test_children_named_by_play_and_their_partners_are_other_children(engine: Any) -> None:
    drafts = run(["Amelia plays mostly with Hulya and Ebo in the home corner.",
                  "She sat next to Winston at lunch. Lukas (Year 2) helped her."])
    found = {d.text.strip(".,()") for d in drafts if d.reason in (Reason.OTHER_CHILD, Reason.UNLISTED_PERSON)}
    assert {"Hulya", "Ebo", "Winston", "Lukas"} <= found
    assert not [t for t in found if t.lower() in ("the", "in", "she", "lunch")]


def test_a_garbled_protected_name_is_not_proposed_as_an_unlisted_person(engine: Any) -> None:
    # "Amelxa" is the child Amelia read badly (past the manifest matcher's threshold): not someone else
    drafts = run(["Amelxa cried when Kwabena Mensah took the blocks."])
    assert not any("Amelxa" in d.text for d in drafts)
    assert any("Kwabena" in d.text for d in drafts)


def test_a_found_child_is_found_again_by_first_name_alone_on_later_pages(engine: Any) -> None:
    pages = [make_page(["Amelia played with a child called Lukas Traoré in the sandpit."]),
             make_page(["Later Lukas cried. Lukas's coat was wet.", "Amelia went home.",
                        "When \u2018Lukas T. knocked it over, she laughed."], page_index=1)]
    drafts = detect_document(make_case(), "x.pdf", pages, detectors=[PresidioDetector()])
    again = [(d.page_index, d.text) for d in drafts if d.reason is Reason.OTHER_CHILD and d.page_index == 1]
    assert (1, "Lukas") in again and (1, "Lukas's") in again and (1, "\u2018Lukas T.") in again
    assert not any("Amelia" in d.text for d in drafts)


def test_a_surname_initial_goes_with_the_name(engine: Any) -> None:
    drafts = run(["Report: Hüseyin A. and Maryam K. argued at lunch."])
    assert "Hüseyin A." in {d.text for d in drafts}


def test_an_accented_protected_name_misread_by_ocr_is_not_another_person(engine: Any) -> None:
    yaml_text = CASE_YAML.replace('name: "Amelia Hart"', 'name: "João Hart"')
    drafts = run(["Jodo said that Kwabena Mensah took his coat. Jodo's mum came."], yaml_text)
    assert not any("Jodo" in d.text for d in drafts)
    assert any("Kwabena" in d.text for d in drafts)


def test_a_surname_broken_after_its_hyphen_and_a_name_run_into_the_next_word(engine: Any) -> None:
    drafts = run(["Amelia played with Esi and Temitope Okafor- Smith. When Temitope.knocked it over she cried."])
    texts = {d.text for d in drafts}
    assert "Temitope Okafor- Smith." in texts
    assert "Temitope.knocked" in texts


def test_a_childs_surname_after_the_first_name_goes_with_it(engine: Any) -> None:
    drafts = run(["Amelia built a tower with Théo and Harry Cole. When Harry knocked it over she laughed."])
    texts = {d.text for d in drafts}
    assert "Harry Cole." in texts
    assert "Harry" in texts  # "knocked" is no surname



def test_a_protected_name_with_its_accented_letter_lost_is_not_another_person(engine: Any) -> None:
    yaml_text = CASE_YAML.replace('name: "Claire Hart"', 'name: "Renée Weiß"')
    drafts = run(["Amelia came in with Mrs Wei. Kwabena Mensah took the blocks."], yaml_text)
    assert not any("Wei" in d.text for d in drafts)
    assert any("Kwabena" in d.text for d in drafts)


def test_a_protected_name_whose_last_letter_ocr_read_as_punctuation_is_not_another_person(engine: Any) -> None:
    drafts = run(["Report: Amelia HAR! and Kwabena Mensah argued at lunch."])
    assert not any("HAR" in d.text for d in drafts)
    assert any("Kwabena" in d.text for d in drafts)


def test_protected_initials_with_a_letter_added_by_ocr_are_not_a_person(engine: Any) -> None:
    # "CHX": the requester Claire Hart's initials with one letter of scan debris
    drafts = run(["CHX said things are calmer at home. Kwabena Mensah was present."])
    assert not any("CHX" in d.text for d in drafts)


def test_a_lone_initial_is_not_proposed_as_a_person(engine: Any) -> None:
    drafts = run(["Signed: J. Allen, Headteacher. Kwabena Mensah was present."])
    assert not any(d.text.strip() in ("J.", "J") for d in drafts)


def test_a_found_childs_name_misread_by_ocr_is_found_again(engine: Any) -> None:
    pages = [make_page(["Amelia played with a child called Lukas Traoré in the sandpit."]),
             make_page(["Later Lukaas cried at the gate."], page_index=1)]
    drafts = detect_document(make_case(), "x.pdf", pages, detectors=[PresidioDetector()])
    assert any(d.page_index == 1 and d.text == "Lukaas" and d.reason is Reason.OTHER_CHILD for d in drafts)


def test_a_staff_surname_misread_after_a_title_is_not_another_person(engine: Any) -> None:
    yaml_text = CASE_YAML.replace("Mrs Joan Allen", "Mrs Leonor Gonçalves")
    drafts = run(["Action taken: Discussed with Mrs Goncanse and Kwabena Mensah today."], yaml_text)
    assert not any("Goncanse" in d.text for d in drafts)


def test_initials_ocr_misread_before_a_known_surname_are_not_a_person(engine: Any) -> None:
    drafts = run(["Signed: ISB Allen, Headteacher. Kwabena Mensah was present."])
    assert not any("ISB" in d.text for d in drafts)


def test_a_found_childs_first_name_takes_the_surname_after_it_even_a_staff_surname(engine: Any) -> None:
    pages = [make_page(["Amelia played with a child called Lukas Traoré in the sandpit."]),
             make_page(["Amelia built a tower with Lukas Cole: then Lukas Allen knocked it over."], page_index=1)]
    drafts = detect_document(make_case(), "x.pdf", pages, detectors=[PresidioDetector()])
    texts = {d.text for d in drafts if d.page_index == 1 and d.reason is Reason.OTHER_CHILD}
    assert "Lukas Cole:" in texts and "Lukas Allen" in texts


def test_a_consenting_partys_surname_after_another_first_name_goes_with_it(engine: Any) -> None:
    # Gloria Mendes consented: "Mendes" alone is hers, but "Tiago Mendes" is somebody else
    drafts = run(["Concern: Tiago Mendes pushed Amelia in the playground and she fell."])
    assert "Tiago Mendes" in {d.text for d in drafts}


def test_a_play_partners_name_garbled_into_lower_case_is_another_child(engine: Any) -> None:
    drafts = run(["Amelia is settled in class and plays mostly with eoren and Mohamed.",
                  "She plays with sand and water."])
    got = {d.text: d.reason for d in drafts}
    assert got.get("eoren") is Reason.OTHER_CHILD
    assert "sand" not in got


def test_a_sibling_sharing_the_familys_surname_is_proposed_without_a_child_cue(engine: Any) -> None:
    # another child of the family is never disclosed, even named with nothing around to say "child"
    drafts = run(["Oliver Hart was collected at 3pm by the office."])
    assert any("Oliver" in d.text for d in drafts)
    # with a cue, the family's surname goes with the sibling's first name; the child's own stays
    drafts = run(["Amelia built a tower with her brother, a child called Oliver Hart, and they laughed."])
    assert "Oliver Hart," in {d.text for d in drafts}
    assert not any("Amelia" in d.text for d in drafts)


def test_a_name_behind_a_table_rule_ocr_glued_to_it_is_found(engine: Any) -> None:
    # a chronology's cell border read as "|" at the start of the entry's first word
    drafts = run(["17.6.26 |Kudzai Sibanda told staff that Mum was upset. |Office"])
    assert [d.text for d in drafts] == ["|Kudzai Sibanda"]
    assert drafts[0].reason is Reason.UNLISTED_PERSON


def test_the_childs_surname_alone_just_after_another_child_of_that_surname_is_proposed_lower(engine: Any) -> None:
    drafts = run(["Mr Zhang said Amelia is settled in a small group with Oliver Hart and Ruby T.. Attendance",
                  "91%. Hart is a good friend to her."])
    lone = [d for d in drafts if d.text == "Hart"]
    assert [(d.reason, d.score) for d in lone] == [(Reason.OTHER_CHILD, 0.5)]
    assert "check it is not the child" in lone[0].explanation
    # the child named between, or the surname before the child's first name: the child's
    drafts = run(["Amelia is settled in a small group with Oliver Hart and Ruby T.. Amelia Hart said",
                  "that Hart is a good friend."])
    assert not any(d.text.startswith("Hart") for d in drafts)
    assert not any(d.text.startswith("Hart") for d in run(
        ["Amelia is settled in a small group with Oliver Hart and Ruby T.. Register: Hart, Amelia."]))


def test_the_familys_surname_starting_the_next_line_goes_with_a_childs_first_name(engine: Any) -> None:
    drafts = run(["LV was described by Claire as a support. She collects Amelia on Thursdays with her friend Raffy",
                  "Hart, whose family live nearby."])
    assert "Raffy Hart," in {d.text for d in drafts}
    assert not any("Amelia" in d.text for d in drafts)


def test_a_child_cued_by_initials_is_another_child_but_not_a_role(engine: Any) -> None:
    drafts = run(["15 June 2026 - home", "Please can Amelia sit away from EH. Thanks, Claire",
                  "Amelia played with JK at lunch. Amelia sat with the TA and worked with PE kit."])
    assert ("EH.", Reason.OTHER_CHILD) in {(d.text, d.reason) for d in drafts}
    assert "JK" in {d.text for d in drafts}
    assert not any(d.text.strip(".") in ("TA", "PE") for d in drafts)
    # the initials of somebody the manifest lists are theirs (Mrs Joan Allen's)
    assert not any("JA" in d.text for d in run(["Amelia sat next to JA at lunch."]))


def test_a_name_joined_by_and_to_another_child_is_another_child(engine: Any) -> None:
    drafts = run(["During circle time Amelia told Miss Allen that Rukhsana and her friend Roxana T. cannot come.",
                  "Amelia plays with Winston and Ibrahim every day."])
    got = {d.text.strip(".,"): d.reason for d in drafts}
    assert got.get("Rukhsana") is Reason.OTHER_CHILD
    assert got.get("Ibrahim") is Reason.OTHER_CHILD
    # the family's own names and kinship words joined to a child stay unproposed
    drafts = run(["Her friend Roxana T. and Amelia sat with Mum and her brother Leon."])
    texts = {d.text.strip(".,") for d in drafts}
    assert "Amelia" not in texts and "Mum" not in texts
    assert any("Leon" in t for t in texts) and any("Roxana" in t for t in texts)


def test_a_name_joined_by_and_to_the_childs_own_name_is_another_child(engine: Any) -> None:
    drafts = run(["Action taken: Miss Allen to keep a watching brief on Amelia and", "Ibrahiin."])
    got = {d.text.strip(".,"): d.reason for d in drafts}
    assert got.get("Ibrahiin") is Reason.OTHER_CHILD
    # the child's family and the manifest's people beside her are not another child
    assert run(["Amelia and Claire arrived late. Amelia and Mrs Allen read a book."]) == []


def test_a_title_before_a_surname_ocr_turned_to_debris_is_proposed(engine: Any) -> None:
    drafts = run(["NM said that a home visit took place. Mr egies was present and did not want to engage."])
    (d,) = [d for d in drafts if d.text.startswith("Mr")]
    assert d.text == "Mr egies" and d.reason is Reason.UNLISTED_PERSON
    # a title the requester (the mother) may carry, or a title before ordinary words, is left alone
    drafts = run(["Mrs ee phoned. Mr and Mrs Hart came in. Dr said it was fine.",
                  "Keep them in separate groups MR. | ongoing", "Present: Mr fanut Allen, Headteacher"])
    assert [d.text for d in drafts if d.text[:2] in ("Mr", "Dr", "MR")] == []


def test_a_title_run_into_a_protected_name_is_not_another_person(engine: Any) -> None:
    yaml_text = CASE_YAML.replace("Mrs Joan Allen", "Mr Liam Byrne")
    drafts = run(["Recorded by: MrLiam Byrne, Early Years. Told Ms\u2018Hart. at pick-up.",
                  "Kwabena Mensah was present."], yaml_text)
    assert not any("Liam" in d.text or "Hart" in d.text for d in drafts)
    assert any("Kwabena" in d.text for d in drafts)


def test_a_protected_name_with_q_read_as_g_is_not_another_person(engine: Any) -> None:
    yaml_text = CASE_YAML.replace('name: "Amelia Hart"', 'name: "Iqra Hart"')
    drafts = run(["Igra was upset at lunch. Igra played with Kwabena Mensah."], yaml_text)
    assert not any("Igra" in d.text for d in drafts)
    assert any("Kwabena" in d.text for d in drafts)


def test_a_found_name_with_its_capital_i_read_as_a_small_l_is_found_again(engine: Any) -> None:
    pages = [make_page(["Amelia played with a child called Bianca Ionescu in the sandpit."]),
             make_page(["Concern: Vlad lonescu pushed Amelia; she looked at lonescu and cried."], page_index=1)]
    drafts = detect_document(make_case(), "x.pdf", pages, detectors=[PresidioDetector()])
    got = [d.text for d in drafts if d.page_index == 1]
    assert any("lonescu" in t for t in got)
    assert not any("looked" in t for t in got)


def test_an_unlisted_relative_takes_the_familys_surname_with_their_first_name(engine: Any) -> None:
    drafts = run(["Amelia built a tall tower with Beatriz and Sana Hart. When Sana knocked it over she laughed."])
    texts = {d.text for d in drafts}
    assert "Sana Hart." in texts
    assert not any("Amelia" in t for t in texts)


def test_the_familys_surname_goes_with_a_relative_also_when_a_withheld_party_bears_it(engine: Any) -> None:
    yaml_text = CASE_YAML.replace('name: "Daniel Price"', 'name: "Daniel Hart"')
    texts = {d.text for d in run(
        ["Amelia built a tall tower with Beatriz and Sana Hart. When Sana knocked it over she laughed."], yaml_text)}
    assert "Sana Hart." in texts
    assert not any("Amelia" in t for t in texts)


def test_a_found_childs_initials_are_found_across_the_case(engine: Any) -> None:
    pages = [make_page(["Amelia played with a child called Tomas Greaves in the sandpit."]),
             make_page(["Seen by: TG and JA", "T.G. cried.", "Mrs Allen (JA) informed.", "Amelia and T. G. made a den.",
                        "J. A. watched."], page_index=1)]
    drafts = detect_document(make_case(), "x.pdf", pages, detectors=[PresidioDetector()])
    again = [d.text for d in drafts if d.reason is Reason.OTHER_CHILD and d.page_index == 1]
    assert "TG" in again and "T.G." in again and "T. G." in again
    assert not any(d.text.startswith("JA") or d.text == "(JA)" for d in drafts)  # Mrs Joan Allen's initials stay


def test_another_child_with_the_childs_first_name_is_told_apart_by_the_surname(engine: Any) -> None:
    drafts = run(["At lunch Amelia S. and Amelia played. Amelia H. went home; Amelia Hart too."])
    texts = {d.text for d in drafts if d.reason is Reason.OTHER_CHILD}
    assert "Amelia S." in texts
    assert not any(t.startswith("Amelia H") or t == "Amelia" for t in (d.text for d in drafts))


def test_another_child_with_the_childs_first_name_is_told_apart_by_a_found_surname(engine: Any) -> None:
    drafts = run(["Amelia played with a child called Tomas Natarajan in the sandpit.",
                  "Amelia went to Amelia Natarajan's party. Amelia S.'s mum phoned. Amelia Hart and Amelia H.'s",
                  "coat were found."])
    texts = {d.text for d in drafts if d.reason is Reason.OTHER_CHILD}
    assert {"Amelia Natarajan's", "Amelia S.'s"} <= texts
    # the child's own surname, or its initial, after the first name: the child; it stays
    assert not any(t.startswith(("Amelia H", "Amelia Hart")) or t == "Amelia" for t in (d.text for d in drafts))


def test_a_found_childs_name_that_staff_also_bear_is_proposed_lower_saying_so(engine: Any) -> None:
    pages = [make_page(["Amelia played with a child called Joan Greaves in the sandpit."]),
             make_page(["Joan cried at lunch.", "Amelia Hart and Claire were told."], page_index=1)]
    drafts = detect_document(make_case(), "x.pdf", pages, detectors=[PresidioDetector()])
    (full,) = [d for d in drafts if d.page_index == 0 and d.text == "Joan Greaves"]
    assert full.reason is Reason.OTHER_CHILD and full.score < 0.5
    assert "presidio.shared-first-name-kept" in full.explanation
    (d,) = [d for d in drafts if d.page_index == 1 and d.text == "Joan"]  # Mrs Joan Allen's first name too
    assert d.reason is Reason.OTHER_CHILD and d.score < 0.5
    assert d.rule == "presidio.again-shared-with-kept" and "staff" in d.explanation
    assert not any(d.page_index == 1 and d.text in ("Amelia", "Amelia Hart", "Claire") for d in drafts)


def test_the_small_model_is_unioned_with_the_domain_model(engine: Any) -> None:
    from redaction.detect import DetectConfig

    page = make_page(["Yesterday Marjorie Pemberton-Lisle phoned about the trip."])
    one = detect_document(make_case(), "x.pdf", [page], DetectConfig(presidio_union_model=None),
                          detectors=[PresidioDetector()])
    both = detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()])
    assert {d.text for d in one} <= {d.text for d in both}
    assert any("Marjorie" in d.text for d in both)


def test_children_in_a_group_or_class_with_the_child_are_other_children(engine: Any) -> None:
    drafts = run(["She works in a small group with Zuberi and Tendai most mornings."])
    assert {"Zuberi", "Tendai"} <= {d.text for d in drafts if d.reason is Reason.OTHER_CHILD}


def test_a_surname_shared_with_staff_goes_with_a_strangers_first_name_at_a_lower_score(engine: Any) -> None:
    yaml_text = CASE_YAML.replace('"Mrs Joan Allen, Headteacher"',
                                  '"Mrs Joan Allen, Headteacher"\n  - "Mr Arshad Mirza, SENDCo"')
    drafts = run(["On Tuesday Cillian Mirza fell in the playground and cut his knee badly.",
                  "Mr Mirza phoned home."], yaml_text)
    (d,) = [d for d in drafts if d.text == "Cillian Mirza"]
    assert d.score <= 0.45 and "stays" in d.explanation
    assert not any(d.text.startswith("Mr") or d.text == "Mirza" for d in drafts)


class _Tagger:
    """An engine that tags the given words as people wherever they stand (the rule, not a
    model, is under test)."""

    def __init__(self, words: list[str]) -> None:
        from types import SimpleNamespace

        self.words = words
        # no other entities: the NLP run hands over a document without any
        self.nlp_engine = SimpleNamespace(nlp={"en": SimpleNamespace(meta={"name": "tagger"})},
                                          process_text=lambda text, language: SimpleNamespace(
                                              tokens=SimpleNamespace(ents=())))

    def analyze(self, text: str, **_: Any) -> list[Any]:
        import re
        from types import SimpleNamespace

        return [SimpleNamespace(start=m.start(), end=m.end(), score=0.85)
                for w in self.words for m in re.finditer(rf"\b{re.escape(w)}\b", text)]


def test_roles_headings_sign_offs_and_streets_the_model_takes_for_people_are_no_people(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(
        ["Young People's", "Thanks", "Office Agreed", "EVENT / INFORMATION", "Senior Practitioner",
         "Quarry Mews, Truro", "Reception", "Views", "Invite", "ALNCo Sherwood"]))
    drafts = run(["Mr F Gumbo Children and Young People's Worker", "Thanks, Joan", "DATE EVENT / INFORMATION SOURCE",
                  "Office Agreed to share attendance", "Ms K Oduya Senior Practitioner", "4 Quarry Mews, Truro",
                  "Reception expectations", "Views of the parent", "Invite Mr Price to the next meeting",
                  "Amelia played with Ruby Young.", "ALNCo Sherwood"])
    assert {d.text for d in drafts} == {"Ruby Young.", "Sherwood"}


def test_a_capitalised_word_the_document_also_prints_in_lower_case_is_no_person(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Saved", "Hall", "Bronwen"]))
    drafts = run(["Saved to the file by Hall staff. Bronwen phoned.",
                  "The note was saved; the hall was closed."])
    assert {d.text for d in drafts} == {"Bronwen"}
    # without the lower-case copies, the same words are proposed for the reviewer, but for a lone
    # common English word (a verb: "Saved") with nothing around it saying person
    drafts = run(["Saved to the file by Hall staff. Bronwen phoned."])
    assert {d.text for d in drafts} == {"Hall", "Bronwen"}
    # near a child cue the word stays proposed: a child called Hope in a document that says "hope"
    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Hope"]))
    drafts = run(["Amelia played with her friend Hope.", "We hope she settles."])
    assert [(d.text.rstrip("."), d.reason) for d in drafts] == [("Hope", Reason.OTHER_CHILD)]


def test_a_word_found_as_a_person_elsewhere_is_not_looked_for_where_it_is_printed_in_lower_case(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger([]))
    found = {"saved": Reason.UNLISTED_PERSON, "bronwen": Reason.UNLISTED_PERSON}
    lines = ["Saved to the file. Bronwen phoned.", "The note was saved."]
    drafts = detect_document(make_case(), "x.pdf", [make_page(lines)], detectors=[PresidioDetector()],
                             case_names=found)
    assert {d.text.rstrip(".") for d in drafts} == {"Bronwen"}
    drafts = detect_document(make_case(), "x.pdf", [make_page(lines[:1])], detectors=[PresidioDetector()],
                             case_names=found)
    assert {d.text.rstrip(".") for d in drafts} == {"Saved", "Bronwen"}


def test_a_lone_common_word_is_no_unlisted_person_but_a_child_so_named_is_found(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Invite", "Grace", "Rose", "Bronwen"]))
    # a heading's verb the model took for a name: nothing around it says person
    assert {d.text for d in run(["Invite sent to all parties. Bronwen phoned."])} == {"Bronwen"}
    # a child named like a common word, where the context says child: proposed, lower, saying so
    (d,) = run(["Amelia played with Grace at lunch."])
    assert d.text == "Grace" and d.reason is Reason.OTHER_CHILD
    assert d.score <= DetectConfig().common_word_score and "common English word" in d.explanation
    # a title says person
    (t,) = run(["Mrs Rose phoned the school."])
    assert "Rose" in t.text and "common English word" in t.explanation


def test_without_a_vocabulary_common_words_are_proposed_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Follow"]))
    cfg = DetectConfig(vocabulary_package="", presidio_union_model=None)
    drafts = detect_document(make_case(), "x.pdf", [make_page(["Follow up sent to all parties."])], cfg,
                             detectors=[PresidioDetector()])
    assert [d.text for d in drafts] == ["Follow"]


class _Labeller(_Tagger):
    """An engine that finds no person and labels the given words an organisation (as spaCy's
    small model labels names it does not know)."""

    def __init__(self, orgs: list[str]) -> None:
        import re
        from types import SimpleNamespace

        super().__init__([])

        def process_text(text: str, language: str) -> Any:
            ents = [SimpleNamespace(start_char=m.start(), end_char=m.end(), label_="ORG")
                    for w in orgs for m in re.finditer(rf"\b{re.escape(w)}\b", text)]
            return SimpleNamespace(tokens=SimpleNamespace(ents=ents))

        self.nlp_engine = SimpleNamespace(nlp={"en": SimpleNamespace(meta={"name": "labeller"})},
                                          process_text=process_text)


def test_a_name_the_model_labelled_an_organisation_is_proposed_lower(monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Labeller(
        ["Innes Menzies", "Truro", "Carlisle", "Lego Club", "Barnet Family Services", "Fernhill"]))
    drafts = run(["Amelia has told Innes Menzies that she is frightened.",
                  "They met at 14 Elm Road, Truro TR4 7JE on Monday. Carlisle was busy.",
                  "She goes to Lego Club and Barnet Family Services.",
                  "The pupils of Year 2 visited Fernhill Children's Centre."])
    (d,) = drafts
    assert d.text == "Innes Menzies" and d.reason is Reason.UNLISTED_PERSON
    assert d.score == 0.5 and "presidio.other-label" in d.explanation
    # with a child cue beside it, it is another child, at the child cue's score
    (d,) = run(["Amelia plays with her friend and classmate Innes Menzies."])
    assert d.reason is Reason.OTHER_CHILD and d.score >= 0.7


def test_the_childs_first_name_before_another_persons_surname_is_that_person(engine: Any) -> None:
    # "Amelia Bennett": the child is Amelia Hart; the surname the model found is somebody else's
    drafts = run(["Ms Bennett phoned the office on Monday.", "Amelia Bennett was collected by her aunt."])
    assert any(d.text == "Amelia Bennett" and "presidio.namesake-child" in d.explanation for d in drafts)
    # the line wrapped inside the name: the surname starts the next line
    drafts = run(["Ms Bennett phoned the office on Monday.", "She collects Amelia on Thursdays with Amelia",
                  "Bennett, whose family live nearby."])
    assert any(d.text.replace("\n", " ") == "Amelia Bennett," for d in drafts)
    # but not a form's value over the next label: "Forename(s): Amelia / Knownas: Millie"
    drafts = run(["Ms Knownas phoned.", "Forename(s): Amelia", "Knownas: Millie"])
    assert not any("Amelia" in d.text for d in drafts)
    assert not any(d.text == "Amelia" for d in drafts)


def test_the_childs_first_name_before_a_withheld_workers_surname_is_somebody_else(engine: Any) -> None:
    # Okafor is the surname of a refused agency's worker (Sarah Okafor): "Amelia Okafor" is not
    # Amelia Hart, and her first name goes with the surname the manifest proposes
    drafts = run(["Daily talk group (4 children) with Amelia Okafor and Mei Wong.",
                  "Amelia Hart enjoys the group. Mrs Allen reads with Amelia Allen-Hart."])
    named = [d for d in drafts if "presidio.namesake-child" in d.explanation]
    assert [(d.text, d.reason) for d in named] == [("Amelia Okafor", Reason.OTHER_CHILD)]
    assert not any(d.text.startswith("Amelia H") for d in drafts)
    # not across a line's end (a heading's "Amelia" over the next line)
    drafts = run(["Chronology - HART. Amelia", "Okafor events in date order."])
    assert not [d for d in drafts if "presidio.namesake-child" in d.explanation]


def test_the_childs_first_name_after_a_play_cue_is_the_namesake_where_one_is_named(engine: Any) -> None:
    # another Amelia in the talk group; in the child's own words, "playing with Amelia" is her
    lines = ["Daily talk group with Amelia B. and Mei Wong.", "'I like the sand tray and playing with Amelia.'"]
    drafts = [d for d in run(lines) if "namesake-after-cue" in d.explanation]
    assert [(d.text, d.reason, d.score) for d in drafts] == [("Amelia.'", Reason.OTHER_CHILD, 0.5)]
    # no namesake named in the document: the child's name stays
    assert not any("Amelia" in d.text for d in run(["'I like the sand tray and playing with Amelia.'"]))


def test_the_initials_of_an_unlisted_person_found_in_full_are_found_too(engine: Any) -> None:
    lines = ["I observed Amelia in the classroom. Kibet Kiprono and she played alongside each other",
             "in the role play area; KK did most of the talking."]
    drafts = run(lines)
    assert any(d.text == "Kibet Kiprono" for d in drafts)
    (kk,) = [d for d in drafts if d.text.startswith("KK")]
    assert kk.reason is Reason.UNLISTED_PERSON and "presidio.initials" in kk.explanation


def test_a_surname_first_found_beside_a_first_name_found_again_is_looked_for_alone(engine: Any) -> None:
    # "Nahom" is a child (a play cue); found again with "Kidane" (OCR ran "and" on after a quote
    # mark), the surname alone later is that child too
    drafts = run(["Amelia played with Nahom all lunchtime.",
                  "Incident at lunch: Nahom Kidane'and Amelia fell out over a",
                  "football. Both spoken to; kidane too. Kidane cried."])
    assert any(d.text == "Kidane" and d.reason is Reason.OTHER_CHILD for d in drafts)


def test_a_first_name_with_a_surname_initial_is_another_child(engine: Any) -> None:
    drafts = run(["She collects Amelia on Thursdays with Pratik G., whose family live nearby.",
                  "Amelia went home with Benedetta C.'s mum as arranged with Mrs Tina B. today."])
    got = {d.text: d.reason for d in drafts}
    assert got.get("Pratik G.,") is Reason.OTHER_CHILD and got.get("Benedetta C.'s") is Reason.OTHER_CHILD
    assert not any(d.text.startswith("B.") or d.reason is Reason.OTHER_CHILD and "Tina" in d.text
                   for d in drafts)  # a title before it: a grown-up


def test_a_surname_initial_wrapped_onto_the_next_line_is_part_of_the_name(engine: Any) -> None:
    drafts = run(["Amelia played in the sand with her friend Oliver", "B. and the teacher watched."])
    assert any(d.text.replace("\n", " ") == "Oliver B." for d in drafts)
    # without its full stop, a capital starting the next line is no initial
    drafts = run(["Amelia played in the sand with her friend Oliver", "A teacher watched them."])
    assert all("A" not in d.text.split() for d in drafts)


def test_roles_and_form_labels_the_model_took_for_names_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(
        ["Practice Supervisor", "Ref", "Supervisor Bronwen Ellis", "Chair Joan Allen"]))
    drafts = run(["Call from the Practice Supervisor re strategy. Ref 630596 logged.",
                  "Seen by Supervisor Bronwen Ellis on Monday.", "Chair Joan Allen"])
    assert {d.text for d in drafts} == {"Bronwen Ellis"}


def test_a_surname_initial_ocr_ran_into_the_name_is_found_with_it(engine: Any) -> None:
    drafts = run(["Amelia played in the sand with her friend Rina Gashi.",
                  "Maths intervention with RinaG. for number."])
    assert "RinaG." in {d.text for d in drafts}


def test_the_childs_possessive_first_name_before_somebody_found_is_the_child(engine: Any) -> None:
    drafts = run(["Ms Bennett phoned the office on Monday.", "Amelia's Bennett cousin collected her."])
    assert not any("Amelia" in d.text for d in drafts)


def test_the_first_name_the_model_left_out_before_a_lone_surname_is_the_names(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Woldemariam", "Lindo"]))
    drafts = run(["Incident at lunch: Nahom Woldemariam and Amelia fell out.",
                  "Amelia was seen by Lindo at the gate."])
    assert {d.text for d in drafts} == {"Nahom Woldemariam", "Lindo"}  # "by" is no name


def test_a_word_like_a_kept_name_before_a_name_that_is_not_is_proposed_lower(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    # "Amelie Lindo": "Amelie" reads like the child's "Amelia"; "Lindo" is nobody's who stays
    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Amelie Lindo", "Amelie"]))
    drafts = run(["Amelia is in a small group with Amelie Lindo this term.", "Amelie came to school."])
    (d,) = [d for d in drafts if "Lindo" in d.text]
    assert d.text == "Amelie Lindo" and d.score <= 0.45 and "presidio.like-kept-name" in d.explanation
    # found again alone, it is proposed as low, saying so: never left beside the one proposed
    (again,) = [d for d in drafts if d.text == "Amelie"]
    assert again.score <= 0.45 and "presidio.like-kept-name" in again.explanation
    # where no name beside it says otherwise, a look-alike of a kept name is theirs, as before
    assert not run(["Amelie came to school."])


def _cells(cells: list[tuple[str, float, int]]) -> OcrPage:
    """One page of table cells: (text, x, line); lines 16 pt apart."""
    words = tuple(Word(t, Box(x, 100 + 16 * ln, x + 6 * len(t), 112 + 16 * ln), 1, ln, i, 95.0)
                  for i, (t, x, ln) in enumerate(cells))
    return OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, words)


def test_a_surname_or_initial_wrapped_under_a_name_in_its_table_cell_is_the_names(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Kaiden", "Saanvi"]))
    row = [("14.3.26", 50, 0), ("Playground:", 106, 0), ("Amelia", 178, 0), ("played", 220, 0),
           ("with", 262, 0), ("Kaiden", 290, 0), ("DSL", 420, 0), ("Noted", 470, 0)]
    for under in ("McKenzie", "M"):
        page = _cells([*row, (under, 106, 1), ("and", 106 + 6 * len(under) + 4, 1), ("Saanvi", 140, 1),
                       ("all", 190, 1), ("lunchtime.", 220, 1)])
        drafts = detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()])
        (d,) = [d for d in drafts if d.text.startswith("Kaiden")]
        assert d.text == f"Kaiden {under}" and len(d.boxes) == 2
    # a surname a member of staff bears (Mrs Joan Allen) goes with it too, lower and saying so
    page = _cells([*row, ("Allen", 106, 1), ("and", 140, 1), ("Saanvi", 160, 1), ("all", 200, 1),
                   ("lunchtime.", 220, 1)])
    (d,) = [d for d in detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()])
            if d.text.startswith("Kaiden")]
    assert d.text == "Kaiden Allen" and d.score <= 0.45 and "the surname is also that of" in d.explanation
    # a word under another column, or a common word starting the cell's next line, is not the name's
    for under, x in (("McKenzie", 420), ("Together", 106)):
        page = _cells([*row, (under, x, 1), ("all", 190, 1)])
        drafts = detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()])
        assert [d.text for d in drafts if d.text.startswith("Kaiden")] == ["Kaiden"]


def test_a_name_that_goes_on_as_a_school_a_street_or_a_town_is_no_person(monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(
        ["Brigid's Catholic", "Whitecliffe Community", "West Bromwich", "Lowfield", "Ruby Okoro"]))
    drafts = run(["Venue: St Brigid's Catholic Primary, and Whitecliffe Community Primary School.",
                  "Flat 5, 150 Carr Bottom Road West Bromwich B71 9JQ",
                  "Lowfield Lane Primary", "144 Wellington Crescent", "West Bromwich",
                  "Amelia played with Ruby Okoro at lunch."])
    assert {d.text for d in drafts} == {"Ruby Okoro"}


def test_a_school_name_word_a_few_words_before_its_school_and_a_month_in_a_date_are_no_people(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["Sherwood", "Jan", "May", "Ruby Okoro"]))
    drafts = run(["OFFICIAL-SENSITIVE Sherwood Rise Infant School Page 1", "Thu 29 Jan - school",
                  "Review on 13 May 2026.", "Amelia played with Ruby Okoro at Sherwood."])
    assert {d.text for d in drafts} == {"Ruby Okoro", "Sherwood."}


def test_a_common_word_beginning_a_table_cell_is_no_person(monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.detect.people as people

    monkeypatch.setattr(people, "analyzer", lambda model=None: _Tagger(["BFS Saved", "Grace"]))
    page = _cells([("Phoned", 50, 0), ("BFS", 134, 0), ("Saved", 200, 0), ("to", 236, 0), ("the", 252, 0),
                   ("file.", 274, 0), ("Amelia", 50, 1), ("met", 92, 1), ("Mrs", 116, 1), ("Grace", 140, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()])
    assert [d.text for d in drafts] == ["Grace"]  # a title says the common word is a name


def test_the_childs_first_name_with_another_initial_is_a_namesake_even_a_or_run_on(engine: Any) -> None:
    # "A." is a stop word, but after the child's first name it is an initial that is not hers (Hart)
    drafts = run(["Lovely reading today. Amelia and Amelia A. made a den at playtime."])
    assert [d.text for d in drafts if "presidio.namesake-child" in d.explanation] == ["Amelia A."]
    # OCR ran the next word on after the initial's full stop and a quote mark (one OCR word:
    # its box goes, "and" with it)
    drafts = run(["Amelia has a good friendship with Amelia M.\u2018and enjoys after-school club."])
    assert [d.text for d in drafts if "presidio.namesake-child" in d.explanation] == ["Amelia M.\u2018and"]
    # her own initial stays
    assert not [d for d in run(["Amelia and Amelia H. made a den."]) if "Amelia" in d.text]


def test_a_cued_childs_name_that_reads_like_a_grown_up_who_stays_is_proposed_lower(engine: Any) -> None:
    # "Glorie" reads like Gloria Mendes (granted), but she is a grown-up and a child is played with
    drafts = run(["Amelia played with Glorie", "Bennett all lunchtime."])
    (d,) = [d for d in drafts if "Glorie" in d.text]
    assert d.reason is Reason.OTHER_CHILD and "presidio.like-kept-name" in d.explanation and d.score <= 0.5
    # a look-alike of the child's own name stays, cue or not
    assert not [d for d in run(["Amelia played with Amelie all lunchtime."]) if "Amelie" in d.text]


def test_a_sibling_who_shares_the_childs_surname_is_found_in_a_register_and_wrapped(engine: Any) -> None:
    # Rosie is another child (a play cue); Hart is the child's surname, hers too
    drafts = run(["Amelia played with Rosie Hart at lunch.",
                  "Children present: HART, Amelia; HART, Rosie",
                  "She collects Amelia on Thursdays with Rosie",
                  "Hart, whose family live nearby."])
    got = [d.text.replace("\n", " ") for d in drafts if d.reason is Reason.OTHER_CHILD]
    assert "HART, Rosie" in got and "Rosie Hart," in got
    assert not any("Amelia" in t for t in got)
    # a short line's end over a label that goes on in lower case: not wrapped
    drafts = run(["Amelia played with Rosie Hart at lunch and then went in to her class.",
                  "Children present: Amelia; Rosie", "Reporting officer: PC Smith"])
    assert "Rosie" in [d.text for d in drafts]
    # nor does the model's name run on over the line's end, nor the child's over a semicolon
    assert not [d for d in drafts if "Reporting" in d.text or "Amelia" in d.text]
    # the next line going on in capitals is a table's next row, not the surname wrapped
    drafts = run(["Amelia played with Rosie Hart at lunch.", "Seen with Rosie", "Hart Ward Clinic 2pm."])
    assert "Rosie" in [d.text for d in drafts]


def test_the_childs_first_name_after_her_surname_is_hers_whatever_the_next_line_starts_with(engine: Any) -> None:
    # a heading, surname first; the next line begins with a word the model took for a person elsewhere
    lines = ["Ms Bennett phoned the office on Monday.", "Safeguarding chronology - HART. Amelia",
             "Bennett events in date order."]
    assert not [d for d in run(lines) if "Amelia" in d.text]


def test_a_person_entity_widened_over_an_organisations_word_is_no_person() -> None:
    # the model's "Children's", widened over the words beside it, is "Yorkshire Children's Services"
    from redaction.detect.base import DetectContext
    from redaction.detect.people import PresidioDetector
    from redaction.detect.person_words import _known_spans

    line = "smacks her with a Yorkshire Children's Services the same day."
    ctx = DetectContext(case=make_case(), file_name="x.pdf", pages=[make_page([line])])
    s = line.index("Children's")
    for how in ("model", "second"):
        assert PresidioDetector()._entity(ctx, ctx.texts[0], ctx.tokens[0], _known_spans(ctx, 0),
                                          s, s + len("Children's"), 0.85, how) is None


def test_a_cued_name_spelt_as_a_name_who_stays_is_not_taken_for_a_child(engine: Any) -> None:
    # "Mendes" is the granted childminder's surname as spelt: a cue before it says nothing of it
    assert not [d for d in run(["Amelia played with Mendes at lunch."]) if "Mendes" in d.text]


def test_a_double_barrelled_name_found_in_another_document_is_found_again(engine: Any) -> None:
    from redaction.detect.person_words import CASE_NAME_RULE, name_words

    # found in full in another document of the case; here the surname starts a line
    names = name_words([("Jayden Ellis-Walcott", Reason.OTHER_CHILD)])
    page = make_page(["To count reliably to 20", "Maths intervention with Malachi", "Ellis-Walcott"])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()], case_names=names)
    assert [d.rule for d in drafts if d.text == "Ellis-Walcott"] == [CASE_NAME_RULE]


def test_a_child_like_a_grown_up_who_stays_found_in_another_document_is_found_again_lower(engine: Any) -> None:
    from redaction.detect.person_words import name_words

    # "Glorie" (like Gloria Mendes, granted) was found as another child in another document
    names = name_words([("Glorie", Reason.OTHER_CHILD)])
    page = make_page(["Maths intervention with Glorie on Mondays."])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()], case_names=names)
    (d,) = [d for d in drafts if "Glorie" in d.text]
    assert "presidio.like-kept-name" in d.explanation and d.score <= 0.5


def test_an_entity_holding_a_forms_word_is_no_person() -> None:
    # the model's "Move Children", "DRAFT Ysgol": a word no name holds
    from redaction.detect.base import DetectContext
    from redaction.detect.people import PresidioDetector
    from redaction.detect.person_words import _known_spans

    for line, entity in (("Tsitsi Move Children and Young People's", "Move Children"),
                         ("DRAFT Ysgol Glan Ceubal Page 1", "DRAFT Ysgol")):
        ctx = DetectContext(case=make_case(), file_name="x.pdf", pages=[make_page([line])])
        s = line.index(entity)
        assert PresidioDetector()._entity(ctx, ctx.texts[0], ctx.tokens[0], _known_spans(ctx, 0),
                                          s, s + len(entity), 0.85, "model") is None


def test_a_job_or_service_word_starting_the_next_line_is_no_surname(engine: Any) -> None:
    # "Eden" ends a cell's line; "Social, emotional and mental health" is the next row's label
    from redaction.detect.person_words import name_words

    page = make_page(["Amelia played with Rosie Hart at lunch and then with Destiny and Eden",
                      "Social, emotional and mental health needs are met."])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[PresidioDetector()],
                             case_names=name_words([("Eden", Reason.OTHER_CHILD)]))
    assert "Eden" in [d.text for d in drafts] and not [d for d in drafts if "Social" in d.text]
