from __future__ import annotations

import dataclasses

from redaction.case import Case
from redaction.detect import DetectConfig, ProposalDraft, detect_document
from redaction.detect.manifest import ManifestDetector
from redaction.models import Reason
from tests.detect.pages import CASE_YAML, make_case, make_page, padded, word_box


def run(lines: list[str], case: Case | None = None) -> list[ProposalDraft]:
    page = make_page(lines)
    return detect_document(case or make_case(), "01-notes.pdf", [page], detectors=[ManifestDetector()])


def texts(drafts: list[ProposalDraft], reason: Reason | None = None) -> list[str]:
    return [d.text for d in drafts if reason is None or d.reason is reason]


def case_with(child: str = "Amelia Hart", party: str = "Daniel Price", staff: str = "Mrs Joan Allen") -> Case:
    y = CASE_YAML.replace('name: "Amelia Hart"', f'name: "{child}"')
    y = y.replace('name: "Daniel Price"', f'name: "{party}"').replace("Mrs Joan Allen", staff)
    return make_case(y)


def test_refused_partner_full_and_partial_forms_are_proposed() -> None:
    found = texts(run([
        "Daniel Price visited. Mr Price said that Daniel was tired.",
        "Price, Daniel signed it. Later Daniel P called.",
        "PRICE came back. Prices' house. Mx Price.",
    ]), Reason.THIRD_PARTY)
    assert "Daniel Price" in found
    assert "Mr Price" in found
    assert "Daniel" in found
    assert "Price, Daniel" in found
    assert "Daniel P" in found
    assert "PRICE" in found
    assert "Prices'" in found
    assert "Mx Price." in found


def test_refused_partner_initials_are_proposed() -> None:
    found = texts(run(["Seen by DP today. D.P. agreed. D. Price and D Price too. D. P. left."]),
                  Reason.THIRD_PARTY)
    assert "DP" in found
    assert "D.P." in found
    assert "D. Price" in found
    assert "D Price" in found
    assert "D. P." in found


def test_lower_case_initials_are_not_initials() -> None:
    assert run(["the dp and d p of the page"]) == []


def test_child_name_never_proposed() -> None:
    drafts = run(["Amelia Hart (Millie) is in Year 3. Amelia's work. HART, Amelia. Millie's coat. Miss Hart"])
    assert drafts == []


def test_requester_and_staff_never_proposed() -> None:
    assert run(["Claire Hart met Mrs Joan Allen and Mrs Allen. Joan said Claire agreed. Mrs Hart."]) == []


def test_child_name_close_to_party_name_stays_protected() -> None:
    case = case_with(child="Danielle Price")
    drafts = run(["Danielle Price and Danielle came in. Daniel Price did not."], case)
    assert texts(drafts) == ["Daniel Price"]


def test_shared_first_name_gets_lower_score() -> None:
    case = case_with(child="Daniel Hart")
    drafts = run(["Daniel Price shouted and Daniel was upset.", "Daniel Hart cried."], case)
    shared = [d for d in drafts if d.reason is Reason.SHARED_FIRST_NAME]
    assert [d.text for d in shared] == ["Daniel"]
    assert shared[0].score == 0.5
    assert shared[0].party_id == "tp-1"
    assert "the child" in shared[0].explanation
    assert "Daniel" not in shared[0].explanation
    full = [d for d in drafts if d.reason is Reason.THIRD_PARTY]
    assert [d.text for d in full] == ["Daniel Price"]
    assert full[0].score > 0.9
    assert "Daniel Hart" not in texts(drafts)


def test_first_name_the_child_shares_is_the_childs_unless_the_party_is_named_before_it() -> None:
    case = case_with(child="Daniel Hart")
    filler = " ".join(["The class went to the park and had lunch on the grass."] * 5)
    alone = run(["Daniel was upset at lunch.", filler, "Daniel Price came to the gate."], case)
    assert [d.text for d in alone if d.reason is Reason.SHARED_FIRST_NAME] == []
    near = run(["Daniel Price came to the gate and Daniel shouted."], case)
    assert [d.text for d in near if d.reason is Reason.SHARED_FIRST_NAME] == ["Daniel"]


def test_first_name_the_child_shares_is_the_childs_before_the_party_or_in_another_sentence() -> None:
    case = case_with(child="Daniel Hart")
    drafts = run(["Daniel has said that Daniel Price shouts. DP stays at weekends. Daniel has been withdrawn",
                  'and is "scared of him".'], case)
    assert [d.text for d in drafts if d.reason is Reason.SHARED_FIRST_NAME] == []
    assert "Daniel Price" in texts(drafts, Reason.THIRD_PARTY)


def test_first_name_the_requester_shares_is_the_partys_after_their_surname_in_the_sentence_before() -> None:
    case = case_with(party="Claire Price")  # the mother, who asked, is Claire Hart
    drafts = run(["Contact between Amelia and Price to be supervised. Claire's phone number is not to be given out."],
                 case)
    assert [d.text for d in drafts if d.reason is Reason.SHARED_FIRST_NAME] == ["Claire's"]
    drafts = run(["Contact between Amelia and Price to be supervised. Mum was told. Claire's phone is new."], case)
    assert [d.text for d in drafts if d.reason is Reason.SHARED_FIRST_NAME] == []
    # the child's first name stays the child's after the sentence that named the party
    drafts = run(["Daniel Price came to the gate. Daniel was upset."], case_with(child="Daniel Hart"))
    assert [d.text for d in drafts if d.reason is Reason.SHARED_FIRST_NAME] == []


def test_first_name_the_child_shares_after_the_child_became_he_in_the_sentence_is_the_partys() -> None:
    case = case_with(child="Daniel Hart")
    drafts = run(['Daniel has been withdrawn and told Miss Allen that he is "scared of Daniel".',
                  "Daniel is close to his nan."], case)
    shared = [d for d in drafts if d.reason is Reason.SHARED_FIRST_NAME]
    assert [d.text for d in shared] == ['Daniel".']
    # the child named again after a pronoun in another sentence, or with no pronoun between, stays
    kept = run(["Daniel said he was tired. Daniel went home.", "Daniel and Daniel's coat were wet.",
                "Daniel enjoyed the trip to the farm with his class and Daniel's mum came too.",
                "She asked that Daniel is not given any information about Daniel by school."], case)
    assert [d.text for d in kept if d.reason is Reason.SHARED_FIRST_NAME] == []
    # the sentence opened with the child's name: the same name far on in it is somebody else's
    opened = run(['He stays most weekends. Daniel has been more withdrawn in class and told Miss Allen that i is',
                  '"scared of Daniel".'], case)
    assert [d.text for d in opened if d.reason is Reason.SHARED_FIRST_NAME] == ['Daniel".']
    # the child's name ends its sentence: a pronoun and the name after it are in the next one
    assert [d.text for d in run(["Miss Allen spoke to Daniel. He said Daniel was tired."], case)
            if d.reason is Reason.SHARED_FIRST_NAME] == []


def test_shared_first_name_with_staff_says_staff() -> None:
    case = case_with(staff="Mr Daniel Okoro")
    drafts = run(["Daniel phoned. Daniel Okoro answered. Mr Okoro agreed."], case)
    assert [(d.text, d.reason) for d in drafts] == [("Daniel", Reason.SHARED_FIRST_NAME)]
    assert "staff" in drafts[0].explanation


def test_a_kinship_title_before_a_withheld_persons_first_name_goes_with_it() -> None:
    # what the child calls a family friend is part of the reference, and says it is not the
    # member of staff who shares the first name
    case = case_with(staff="Mr Daniel Okoro")
    drafts = run(['Child\'s voice: "Uncle Daniel takes me to the park."', "Auntie Daniel came."], case)
    assert [(d.text, d.reason) for d in drafts] == [("\"Uncle Daniel", Reason.THIRD_PARTY),
                                                    ("Auntie Daniel", Reason.THIRD_PARTY)]
    # the requester called so stays: "Auntie Claire" is the requester's
    assert run(["Auntie Claire came to collect Amelia."]) == []


def test_surname_a_refused_party_shares_with_staff_is_proposed_for_review_not_dropped() -> None:
    # the father, refused, and a teaching assistant both "Mr Price": the reviewer decides who is meant
    case = case_with(staff="Mr Tom Price")
    drafts = run(["Invite Mr Price to the next meeting.", "Tom Price read with Amelia."], case)
    assert [(d.text, d.reason, d.score) for d in drafts] == [("Mr Price", Reason.SHARED_FIRST_NAME, 0.5)]
    assert "staff" in drafts[0].explanation
    # a title only the one who stays can bear keeps it theirs: "Mrs Price" is not the father
    father = make_case(CASE_YAML.replace("Mrs Joan Allen", "Mrs Tina Price").replace(
        'relationship: "mother\'s partner"', "relationship: father"))
    assert run(["Invite Mrs Price to the next meeting.", "Tina Price read with Amelia."], father) == []
    assert texts(run(["Invite Mr Price to the next meeting."], father)) == ["Mr Price"]
    # the staff member's full name is theirs alone
    assert run(["Mr Tom Price read with Amelia."], case_with(staff="Mr Tom Price")) == []


def test_shared_surname_alone_is_not_proposed_but_longer_forms_are() -> None:
    case = case_with(party="Daniel Hart")
    found = texts(run(["Hart was there. Mr Hart shouted. Mrs Hart cried. D. Hart left.",
                       "Daniel Hart and Amelia Hart and Claire Hart."], case))
    assert "Mr Hart" in found
    assert "D. Hart" in found
    assert "Daniel Hart" in found
    assert "Hart" not in found
    assert "Mrs Hart" not in found
    assert "Amelia Hart" not in found and "Claire Hart" not in found


def test_shared_surname_in_capitals_in_running_text_goes_to_the_reviewer() -> None:
    # the father, refused, shares the child's surname: "HART" alone amid lower-case words is how
    # a record names an adult; beside a first name, in a register, it is the child's
    case = case_with(party="Daniel Hart")
    drafts = run(["Mum reported that HART has been staying at the family home again."], case)
    assert [(d.text, d.reason) for d in drafts] == [("HART", Reason.SHARED_FIRST_NAME)]
    assert "child" in drafts[0].explanation
    assert run(["Safeguarding chronology - HART Amelia", "Pupil: Amelia HART", "SURNAME: HART FIRST NAME"],
               case) == []
    assert run(["Mum reported that Hart has been staying at the family home again."], case) == []


def test_ocr_misread_name_is_found() -> None:
    found = texts(run(["Danie1 Pr1ce came. Pnce said so. PRlCE'S car. Daniel Prlce went."]))
    assert "Danie1 Pr1ce" in found
    assert "Pnce" in found
    assert "PRlCE'S" in found
    assert "Daniel Prlce" in found


def test_ocr_split_and_joined_names_are_found() -> None:
    found = texts(run(["Dan iel Price came.", "Report by DanielPrice today."]))
    assert "Dan iel Price" in found
    assert "DanielPrice" in found


def test_fuzzy_matching_does_not_reach_unrelated_words() -> None:
    drafts = run(["The Prince and the pride of Danish bread. Dan is a name. Prize giving.",
                  "Dana and Daniela came. Pierce."])
    assert texts(drafts) == []


def test_short_names_need_an_exact_match() -> None:
    case = case_with(party="Ben Fox")
    assert texts(run(["Ben Fox came. Bon Fix. Ben came. Box. Fix."], case)) == ["Ben Fox", "Ben"]


def test_lower_case_common_word_only_gets_a_low_score() -> None:
    drafts = run(["the price of the trip"])
    assert [d.text for d in drafts] == ["price"]
    assert drafts[0].score < 0.5


def test_name_split_across_lines_gets_two_boxes() -> None:
    page = make_page(["The letter from Daniel", "Price arrived."])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    (d,) = drafts
    assert d.reason is Reason.THIRD_PARTY and d.text == "Daniel Price"
    assert d.boxes == (padded(word_box(page, "Daniel"), page=page), padded(word_box(page, "Price"), page=page))


def test_possessive_token_is_redacted_whole() -> None:
    page = make_page(["at Price's, house"])
    (d,) = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert d.boxes == (padded(word_box(page, "Price's,"), page=page),)


def test_granted_party_not_proposed() -> None:
    assert run(["Gloria Mendes collected her. Gloria and Mrs Mendes agreed."]) == []


def test_refused_org_name_acronym_and_staff() -> None:
    drafts = run(["Barnet Family Services (BFS) sent Sarah Okafor. Ms Okafor and bfs staff.",
                  "BARNET FAMILY SERVICES"])
    got = {(d.text, d.reason) for d in drafts}
    assert ("Barnet Family Services", Reason.THIRD_PARTY_ORG) in got
    assert ("(BFS)", Reason.THIRD_PARTY_ORG) in got
    assert ("BARNET FAMILY SERVICES", Reason.THIRD_PARTY_ORG) in got
    assert ("Sarah Okafor.", Reason.THIRD_PARTY_STAFF) in got
    assert ("Ms Okafor", Reason.THIRD_PARTY_STAFF) in got
    assert "bfs" not in texts(drafts)
    assert all(d.party_id == "tp-2" for d in drafts)


def test_alias_is_proposed() -> None:
    (d,) = run(["Big Dan was there."])
    assert d.text == "Big Dan" and d.explanation == "alias [manifest.alias]"


def test_hyphen_apostrophe_and_accented_names() -> None:
    case = case_with(party="José O'Connor-Smith")
    found = texts(run(["Jose O'Connor-Smith came. Mr O'Connor-Smith. Smith said. O'Connor's bag.",
                       "JOSÉ arrived. Mrs Smith-Jones is someone else."], case))
    assert "Jose O'Connor-Smith" in found
    assert "Mr O'Connor-Smith." in found
    assert "Smith" in found
    assert "O'Connor's" in found
    assert "JOSÉ" in found


def test_middle_name_forms() -> None:
    case = case_with(party="Daniel James Price")
    found = texts(run(["Daniel James Price, Daniel Price and DJP and D. J. Price."], case))
    assert {"Daniel James Price,", "Daniel Price", "DJP", "D. J. Price."} <= set(found)


def test_pending_party_is_treated_as_refused() -> None:
    case = make_case(CASE_YAML.replace("consent: granted", "consent: pending"))
    drafts = run(["Gloria Mendes collected her."], case)
    assert [(d.text, d.party_id) for d in drafts] == [("Gloria Mendes", "tp-3")]


def test_explanations_never_hold_the_matched_text() -> None:
    drafts = run(["Daniel Price, Mr Price, DP, Big Dan, Barnet Family Services, BFS, Sarah Okafor, Pnce"])
    assert len(drafts) >= 7
    for d in drafts:
        assert d.explanation
        for word in d.text.split():
            assert word.strip(",.").lower() not in d.explanation.lower()


def test_config_thresholds_change_what_is_found() -> None:
    page = make_page(["Daniel Pryce came."])
    loose = detect_document(make_case(), "x.pdf", [page], DetectConfig(fuzzy_short=0.8),
                            detectors=[ManifestDetector()])
    strict = detect_document(make_case(), "x.pdf", [page], DetectConfig(fuzzy_short=0.9, loose_word=1.0),
                             detectors=[ManifestDetector()])
    assert texts(loose) == ["Daniel Pryce"]
    assert texts(strict) == ["Daniel"]



def test_name_hyphenated_across_a_line_break_is_found() -> None:
    page = make_page(["a note from Daniel Pri-", "ce about the trip"])
    (d,) = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert d.text == "Daniel Pri- ce"
    assert len(d.boxes) == 2


def test_title_before_a_refused_staff_name_is_redacted_with_it() -> None:
    page = make_page(["We spoke with Mrs Sarah Okafor (Family Support) today."])
    drafts = detect_document(make_case(), "01-note.pdf", [page], detectors=[ManifestDetector()])
    texts = [d.text for d in drafts if d.party_id == "tp-2"]
    assert any(t.startswith("Mrs Sarah Okafor") for t in texts)


def test_long_org_name_cut_short_is_still_found() -> None:
    y = CASE_YAML.replace('name: "Barnet Family Services"', 'name: "Metropolitan Police Barnet Safeguarding Unit"')
    page = make_page(["Chronology to be shared with Metropolitan Police Barnet |IGORea erst 2 weeks"])
    drafts = detect_document(make_case(y), "01-note.pdf", [page], detectors=[ManifestDetector()])
    assert any(d.party_id == "tp-2" and d.text.startswith("Metropolitan Police Barnet") for d in drafts)


def test_a_name_with_one_word_garbled_past_the_fuzzy_threshold_is_still_found() -> None:
    drafts = run(["Spoke to Sarah Okfr at the office.", "Barnet Qzmxy Vzkqp called."])
    texts = {d.text: d for d in drafts}
    assert "Sarah Okfr" in texts and texts["Sarah Okfr"].party_id == "tp-2"
    assert not any("Qzmxy" in t for t in texts)  # two words garbled: not one misread


def test_an_inner_word_of_a_long_organisation_name_may_be_anything() -> None:
    from redaction.case import Consent, PartyKind, ThirdParty

    case = make_case()
    org = ThirdParty(id="tp-9", kind=PartyKind.ORGANISATION, name="Metropolitan Police Barnet Safeguarding Unit",
                     consent=Consent.REFUSED)
    case = dataclasses.replace(case, third_parties=(*case.third_parties, org))
    page = make_page(["Referral form - Metropolitan Police Rovat Safeguarding Unit", "Metropolitan Police visited."])
    drafts = detect_document(case, "x.pdf", [page], detectors=[ManifestDetector()])
    assert "Metropolitan Police Rovat Safeguarding Unit" in [d.text for d in drafts]


def test_a_loose_surname_needs_a_capital_and_an_exact_first_name() -> None:
    drafts = run(["Sarah okfr came in.", "Sara Okfr came in."])
    assert not any("kfr" in d.text for d in drafts)


def test_a_form_a_consenting_party_shares_is_left_to_the_reviewer() -> None:
    y = CASE_YAML.replace('name: "Gloria Mendes"', 'name: "Tom Price"').replace('"childminder"', '"uncle"')
    drafts = run(["Mr Price came. Daniel Price came. Tom Price came."], make_case(y))
    got = [(d.text, d.reason, d.party_id) for d in drafts]
    assert ("Mr Price", Reason.SHARED_FIRST_NAME, "tp-1") in got
    assert ("Daniel Price", Reason.THIRD_PARTY, "tp-1") in got
    assert not any("Tom" in t for t, _, _ in got)


def test_the_garbled_rest_of_a_long_organisation_name_goes_with_its_opening_words() -> None:
    from redaction.case import Consent, PartyKind, ThirdParty

    org = ThirdParty(id="tp-9", kind=PartyKind.ORGANISATION, name="Metropolitan Police Lewisham Safeguarding Unit",
                     consent=Consent.REFUSED)
    case = dataclasses.replace(make_case(), third_parties=(*make_case().third_parties, org))
    page = make_page(["Chronology to be shared with Metropolitan Police Lewisham |IGORea erst 2 weeks",
                      "Metropolitan Police Lewisham said that it would help."])
    got = [d.text for d in detect_document(case, "x.pdf", [page], detectors=[ManifestDetector()])]
    assert "Metropolitan Police Lewisham |IGORea erst" in got
    assert "Metropolitan Police Lewisham" in got and not any("said" in t for t in got)


def test_a_name_with_the_next_word_run_on_after_a_quote_mark_is_found() -> None:
    drafts = run(["Left a message for Mr Price\u2018on 07700 900123."])
    assert [d.text for d in drafts if d.reason is Reason.THIRD_PARTY] == ["Mr Price\u2018on"]
    # a longer word run on ("Daniel\u2018left")
    assert "Daniel\u2018left" in texts(run(["Mum phoned; Daniel\u2018left at 3.40."]))


def test_a_name_run_on_after_a_word_and_a_quote_mark_is_found_but_o_names_stay_whole() -> None:
    drafts = run(["Ms Allen was told that\u2019Daniel had stayed. O'Price is someone else."])
    assert "Daniel" in [d.text.split("\u2019")[-1] for d in drafts]
    assert not any(d.text.startswith("O'") or d.text == "Price" for d in drafts)


def test_the_rest_of_a_long_organisation_name_wrapped_in_a_table_cell_is_a_continuation() -> None:
    from redaction.case import Consent, PartyKind, ThirdParty

    org = ThirdParty(id="tp-9", kind=PartyKind.ORGANISATION, name="Waltham Forest Health Visiting Team",
                     consent=Consent.REFUSED)
    case = dataclasses.replace(make_case(), third_parties=(*make_case().third_parties, org))
    page = make_page(["Chronology to be shared with Waltham Forest Health Visiting BQ 2 weeks", "Team"])
    got = [d.text for d in detect_document(case, "x.pdf", [page], detectors=[ManifestDetector()])]
    assert "Waltham Forest Health Visiting" in got and "Team" in got
    assert not any("BQ" in t for t in got)


def test_accented_name_with_its_accents_misread_is_proposed() -> None:
    case = case_with(party="Gökhan Koç")
    found = texts(run(["At pick-up Gdkhan Kog arrived. Mr Kog was present.", "Later 6khan said no."], case))
    assert "Gdkhan Kog" in found
    assert "Mr Kog" in found


def test_accent_readings_need_enough_plain_letters_alone() -> None:
    case = case_with(party="Gökhan Koç")
    assert texts(run(["The Kog and Kox were there."], case)) == []


def test_an_accented_protected_name_read_the_same_way_stays_protected() -> None:
    case = case_with(child="Ömer Hart")
    assert texts(run(["6mer Hart and 6mer were in class."], case)) == []


def test_initial_before_a_surname_goes_with_it_even_misread() -> None:
    found = texts(run(["Referral to BFS. |. Okafar to call back.", "Later S. Okafor rang."]),
                  Reason.THIRD_PARTY_STAFF)
    assert "|. Okafar" in found
    assert "S. Okafor" in found


def test_initials_run_into_the_next_word_or_in_mixed_case_are_found() -> None:
    found = texts(run(["Concern: DPwas seen at the gate.", "Home visit dP next review"]), Reason.THIRD_PARTY)
    assert "DPwas" in found
    assert "dP" in found


def test_an_acronym_ocr_read_in_small_letters_after_its_first_is_found_where_it_cannot_be_a_word() -> None:
    y = CASE_YAML.replace('name: "Barnet Family Services"',
                          'name: "Children\'s Social Work Service"\n    aliases: ["CSWS"]')
    found = texts(run(["Ms Eftychia Kyprianou Conference Chair Csws", "CSWS agreed.", "Conference Chair csws"],
                      make_case(y)), Reason.THIRD_PARTY_ORG)
    assert found == ["Csws", "CSWS", "csws"]
    # an acronym that reads as a word in small letters is left to its capitals
    y = y.replace('aliases: ["CSWS"]', 'aliases: ["SALT"]')
    assert texts(run(["Salt dough in the tray. SALT came."], make_case(y)), Reason.THIRD_PARTY_ORG) == ["SALT"]


def test_organisation_with_one_misread_word_or_lower_case_debris_for_its_last() -> None:
    found = texts(run(["Shared with Barnet Fan Services TN", "Spoke with Barnet Family nachna strategy"]),
                  Reason.THIRD_PARTY_ORG)
    assert "Barnet Fan Services" in found
    assert "Barnet Family nachna" in found
    assert texts(run(["Barnet Family Centre opened."]), Reason.THIRD_PARTY_ORG) == []


def test_a_wrapped_organisation_name_continues_past_a_garbled_word() -> None:
    y = CASE_YAML.replace('name: "Barnet Family Services"', 'name: "Metropolitan Police Barnet Safeguarding Unit"')
    found = texts(run(["PC Metropolitan Police Barnet", "Sarah Okafor -", "eel Unit"], make_case(y)),
                  Reason.THIRD_PARTY_ORG)
    assert "Metropolitan Police Barnet" in found
    assert "eel Unit" in found


def test_an_organisation_name_with_a_word_run_into_a_number_over_punctuation_is_found() -> None:
    # OCR read the space of "Sheffield 0-19" as a full stop, in a table cell wrapped over two lines
    y = CASE_YAML.replace('name: "Barnet Family Services"', 'name: "Sheffield 0-19 Public Health Nursing Service"')
    found = texts(run(["Dr U Brennan", "Sheffield.0-19 Public Health", "Nursing Service"], make_case(y)),
                  Reason.THIRD_PARTY_ORG)
    assert found == ["Sheffield.0-19 Public Health Nursing Service"]


def test_organisation_with_its_first_word_garbled_is_found() -> None:
    y = CASE_YAML.replace('name: "Barnet Family Services"', 'name: "Metropolitan Police Barnet Safeguarding Unit"')
    found = texts(run(["Shared with meron Police Barnet Safeguarding Unit today."], make_case(y)),
                  Reason.THIRD_PARTY_ORG)
    assert "meron Police Barnet Safeguarding Unit" in found


def test_a_heading_after_a_table_row_ends_the_sentence_of_a_shared_first_name() -> None:
    case = case_with(child="Daniel Hart")
    drafts = run(["DANIEL PRICE Mother's partner 07700 900123", "Section 4: Reason for referral",
                  "Daniel has disclosed that he is scared."], case)
    assert [d.text for d in drafts if d.reason is Reason.SHARED_FIRST_NAME] == []


def test_shared_initials_are_the_withheld_persons_when_only_their_full_name_is_in_the_document() -> None:
    case = case_with(staff="Mrs Sam Obi")
    only_theirs = run(["Present: Sarah Okafor, Social Worker.", "SO said that the visit went well."], case)
    assert [(d.text, d.party_id) for d in only_theirs if d.text == "SO"] == [("SO", "tp-2")]
    both = run(["Present: Sarah Okafor, Social Worker; Mrs Sam Obi, Headteacher.",
                "SO said that the visit went well."], case)
    assert not [d for d in both if d.text == "SO"]
    neither = run(["SO said that the visit went well."], case)
    assert not [d for d in neither if d.text == "SO"]


def test_shared_initials_after_the_withheld_workers_organisation_are_theirs() -> None:
    case = case_with(staff="Mrs Sam Obi")
    drafts = run(["Present: Sarah Okafor, Social Worker; Mrs Sam Obi, Headteacher.",
                  "2. Update from Barnet Family Services", "SO said that the visit went well."], case)
    assert [(d.text, d.party_id) for d in drafts if d.text == "SO"] == [("SO", "tp-2")]


def test_a_shortened_organisation_name_with_its_first_word_garbled_is_found() -> None:
    y = CASE_YAML.replace('name: "Barnet Family Services"', 'name: "Metropolitan Police Barnet Safeguarding Unit"')
    drafts = run(["Chronology to be shared with meron Police Barnet-Safeguarding | JM 2 weeks"], make_case(y))
    assert "meron Police Barnet-Safeguarding" in texts(drafts, Reason.THIRD_PARTY_ORG)


def test_initials_the_document_prints_in_capitals_are_found_in_lower_case_too() -> None:
    drafts = run(["DP said that a home visit took place.", "Action Who By", "Home visit and update dp next review"])
    found = [d for d in drafts if d.text == "dp"]
    assert len(found) == 1 and found[0].reason is Reason.THIRD_PARTY and found[0].party_id == "tp-1"
    assert "DP" in texts(drafts, Reason.THIRD_PARTY)
    # the child's initials in lower case stay the child's; without the capitals nothing is taken
    assert [d for d in run(["AH said so. ah and dp were there."]) if d.text in ("ah", "dp")] == []


def test_initials_the_document_prints_with_a_letter_added_by_ocr_are_found() -> None:
    drafts = run(["DP said that a home visit took place.", "Action Who By", "Home visit and update PDP next review",
                  "Seen by the DSL and the SDP, the SDP again."])
    assert "PDP" in texts(drafts, Reason.THIRD_PARTY)
    # a school abbreviation, or a word of three capitals printed more than once, is not initials
    assert "DSL" not in texts(drafts) and "SDP" not in texts(drafts)


def test_an_organisations_first_word_is_kept_across_ocr_debris_before_the_rest() -> None:
    case = make_case(CASE_YAML.replace("Barnet Family Services", "Barnet Health Visiting Team"))
    drafts = run(["Body map completed. Barnet a", "Health Visiting Team duty desk informed."], case)
    found = " ".join(texts(drafts, Reason.THIRD_PARTY_ORG))
    assert "Barnet" in found and "Health Visiting Team" in found
    # the garbled first word alone is still taken ("meron Health Visiting Team")
    assert "meron" in " ".join(texts(run(["Told meron Health Visiting Team today."], case), Reason.THIRD_PARTY_ORG))


def test_initials_shared_with_the_requester_are_the_partys_when_the_requester_is_named_in_that_sentence() -> None:
    y = CASE_YAML.replace('name: "Daniel Price"', 'name: "Oluwaseun Nwosu"').replace(
        'name: "Claire Hart"', 'name: "Olumide Nwosu"')
    case = make_case(y)
    drafts = run(["Concern: ON was seen waiting at the gate although Olumide had asked the office."], case)
    assert texts(drafts) == ["ON"]
    assert run(["Concern: ON was seen waiting at the gate. Olumide had asked the office."], case) == []


def test_a_name_that_is_an_everyday_word_counts_only_with_its_capital() -> None:
    case = case_with(party="Can Yilmaz")
    found = texts(run(["We can meet on Friday. Can's flat is near the school.", "Will said Can will call."], case))
    assert "can" not in found and "will" not in found
    assert "Can's" in found and "Can" in found


def test_initials_of_o_and_i_read_as_digits_are_the_persons() -> None:
    case = case_with(party="Olu Okafor")
    found = texts(run(["00 said that a home visit took place. Update to school 00. next review"], case))
    assert found == ["00", "00."]
    assert run(["The meeting ended at 10 00 and 11 people came."], case) == []
    assert run(["Year 11 and 10 children."], case_with(party="Ian Ince")) == []


def test_a_name_in_capitals_with_its_last_i_read_as_a_bang_is_found_whole() -> None:
    case = case_with(party="Rui O'Sullivan")
    assert "RU! O'SULLIVAN" in texts(run(["RU! O'SULLIVAN Mother's partner 07700 900993"], case))


def test_a_protected_name_read_over_a_row_break_does_not_take_a_withheld_names_words() -> None:
    case = case_with(child="Daniel Hart", party="Daniel Price")
    drafts = run(["Lives with child HART", "DANIEL PRICE Mother's partner 07700 900123"], case)
    assert "DANIEL PRICE" in texts(drafts)


def test_a_police_rank_before_a_withheld_officers_surname_goes_with_it() -> None:
    from redaction.detect import detect_document as detect
    from redaction.detect.manifest import ManifestDetector

    drafts = detect(make_case(), "x.pdf", [make_page(["DC Okafor and PS Okafor phoned; Sgt. Okafor left."])],
                    detectors=[ManifestDetector()])
    assert {d.text for d in drafts} >= {"DC Okafor", "PS Okafor", "Sgt. Okafor"}


def test_a_surname_with_its_title_and_initial_run_into_it_is_found() -> None:
    # "MrDPrice": OCR ran the title, the initial and the surname together
    assert any("Price" in t for t in texts(run(["Seen by MrDPrice at the gate."])))
