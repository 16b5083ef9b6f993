from __future__ import annotations

import pytest

from redaction.detect import ProposalDraft, detect_document
from redaction.detect.contacts import ContactDetector
from redaction.models import Box, OcrPage, Reason, TextSource, Word
from tests.detect.pages import CASE_YAML, make_case, make_page, padded, word_box


def run(lines: list[str]) -> list[ProposalDraft]:
    return detect_document(make_case(), "01-notes.pdf", [make_page(lines)], detectors=[ContactDetector()])


def test_phone_in_other_format_found() -> None:
    drafts = run(["Call +44 (0)7700-900-123 or 07700900123.", "Mobile: 077 009 001 23 anytime"])
    assert [d.text for d in drafts] == ["+44 (0)7700-900-123", "07700900123.", "077 009 001 23"]
    assert all(d.reason is Reason.THIRD_PARTY_CONTACT and d.party_id == "tp-1" for d in drafts)


def test_org_landline_written_differently_is_found() -> None:
    drafts = run(["BFS duty desk 0207 946 0942 (office hours)"])
    assert [(d.text, d.party_id) for d in drafts] == [("0207 946 0942", "tp-2")]


def test_one_misread_digit_is_found_with_lower_score() -> None:
    (d,) = run(["tel 07700 9OO128"])  # O for 0 (folded) and one digit wrong
    assert d.score < 0.95 and "misread" in d.explanation


def test_other_numbers_and_granted_party_phone_not_proposed() -> None:
    assert run(["07700 900999 and 07700 900555 and 2026 11 02 and 12 3"]) == []


def test_email_found_case_insensitive_and_ocr_tolerant() -> None:
    drafts = run(["Email: Dan.Price@Example.com", "or dan.prjce@exarnple.com,",
                  "split dan.price@ example.com"])
    assert [d.text for d in drafts] == ["Dan.Price@Example.com", "dan.prjce@exarnple.com,",
                                        "dan.price@ example.com"]
    assert drafts[0].score > drafts[1].score


def test_other_email_not_proposed() -> None:
    assert run(["office@school.example.org and dan.smith@example.co.uk"]) == []


def test_address_split_over_lines_is_found_part_by_part() -> None:
    page = make_page(["He lives at 14 Elm Road", "London", "N11 2AB with her."])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])
    assert [d.text for d in drafts] == ["14 Elm Road London N11 2AB", "N11 2AB"]
    assert padded(word_box(page, "London"), page=page) in drafts[0].boxes
    assert not any("with" in d.text for d in drafts)


def test_postcode_without_space_and_abbreviated_street() -> None:
    # the street grows over the postcode printed after it
    assert [d.text for d in run(["at 14 Elm Rd (N112AB)"])] == ["14 Elm Rd (N112AB)", "(N112AB)"]


def test_town_alone_is_not_proposed() -> None:
    assert run(["We went to London and to Elm Street."]) == []


def test_email_split_by_ocr_into_several_words_is_found() -> None:
    page = make_page(["Email sent to dan. pri ce@example. com. today"])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])
    (d,) = [d for d in drafts if "@" in d.text]
    assert d.text == "dan. pri ce@example. com." and d.party_id == "tp-1"


def test_email_split_by_ocr_and_followed_by_a_colon_is_found() -> None:
    page = make_page(["Cc: duty@ppu.example; dan. price @ example. com: Sent: 27/06/2026"])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])
    assert [(d.text, d.party_id) for d in drafts if "@" in d.text] == [("dan. price @ example. com:", "tp-1")]


@pytest.mark.parametrize("line", ["Mob:07700900123 (evenings)", "tel 07700900123: evenings",
                                  "-|.07700 900123 mobile", "[07700 900123"])
def test_phone_after_a_label_or_scan_junk_is_found(line: str) -> None:
    drafts = run([line])
    assert [d.party_id for d in drafts] == ["tp-1"]
    assert "900123" in drafts[0].text


def test_phone_glued_to_a_letter_word_is_not_taken_from_a_longer_word() -> None:
    assert run(["ref ABCD07700900123 only"]) == []


def test_house_number_misread_or_split_is_redacted_with_the_street() -> None:
    (d,) = run(["lives at 1 4 Elm Road now"])  # "14" read as two words
    assert d.text == "1 4 Elm Road"
    (d,) = run(["lives at 144 Elm Road now"])  # a digit too many
    assert d.text == "144 Elm Road"


def test_town_and_postcode_after_a_street_are_redacted_with_it() -> None:
    drafts = run(["Address: 14 Elm Road, Londn", "N11 2AB Same as child"])  # town misread
    assert "14 Elm Road, Londn N11 2AB" in [d.text for d in drafts]
    assert not any("Same" in d.text or "Address" in d.text for d in drafts)


def test_email_with_its_domain_garbled_is_found_by_its_mailbox() -> None:
    drafts = run(["Email sent to dan. price@example / c0rn. Then she left."])
    assert [d.text for d in drafts] == ["dan. price@example / c0rn."]
    assert run(["Email sent to dan. pryce@exarnple / c0rn. Then she left."]) == []


def test_a_consenting_persons_number_one_digit_from_a_withheld_one_is_not_proposed() -> None:
    # tp-3 (granted) has 07700 900555; pretend the refused tp-1 had 07700 900556
    y = CASE_YAML.replace('phones: ["07700 900123"]', 'phones: ["07700 900556"]')
    drafts = detect_document(make_case(y), "x.pdf", [make_page(["call 07700 900555 or 07700 900557"])],
                             detectors=[ContactDetector()])
    assert [d.text for d in drafts] == ["07700 900557"]


def test_a_neighbours_address_on_the_same_street_is_not_the_partys() -> None:
    # the party lives at 14 Elm Road, London N11 2AB; the child at 150 Elm Road, London N11 7QT
    assert run(["Home address: 150 Elm Road, London N11 7QT"]) == []
    assert [d.text for d in run(["lives on Elm Road, London now"])] == ["Elm Road, London"]
    assert [d.text for d in run(["lives at 1 4 Elm Road now"])] == ["1 4 Elm Road"]


def test_a_phone_number_before_the_house_number_is_not_taken_for_it() -> None:
    texts = [d.text for d in run(["07700 900 999 144 Elm Road, London N11 2AD and more"])]
    assert "144 Elm Road, London N11 2AD" in texts  # a misread postcode letter still goes with it
    assert not any("999" in t for t in texts)


def test_contact_details_the_manifest_does_not_list_are_found_beside_the_partys_name() -> None:
    page = make_page(["Daniel Price | Mother's partner | 07700 900777 | 36 Green Lanes, London NW7 5FR",
                      "Gloria Mendes | childminder | 07700 900666 | 12 Oak Road, London N1 1AA",
                      "Daniel Price spoke to Mrs Allen on 020 7946 0000.",
                      "Daniel Price: dprice77@example.org"])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])
    got = [d.text for d in drafts if "not in the manifest" in d.explanation]
    assert got == ["07700 900777", "36 Green Lanes, London NW7 5FR", "dprice77@example.org"]
    assert all(d.party_id == "tp-1" for d in drafts if "not in the manifest" in d.explanation)


def _table_page(cells: list[tuple[str, float, float]]) -> OcrPage:
    """A born-digital page whose table cells ``(text, x, y)`` are each a line of the text layer."""
    words: list[Word] = []
    for line, (text, x0, y) in enumerate(cells):
        x = float(x0)
        for i, t in enumerate(text.split()):
            words.append(Word(t, Box(x, y, x + 6 * len(t), y + 10), line, 0, i, 100.0))
            x += 6 * len(t) + 4
    return OcrPage(0, 595, 842, 0, TextSource.PDF_TEXT, tuple(words))


def test_details_in_the_cells_of_a_born_digital_table_row_are_beside_the_name() -> None:
    page = _table_page([("DANIEL PRICE", 50, 200.0), ("Mother's partner", 160, 200.0), ("07700900384", 280, 200.0),
                        ("104 Mill Lane, London E14 1AS", 360, 200.0),
                        ("TOBI ADEYEMI", 50, 230.0), ("07700900098", 280, 230.0)])
    got = [d.text for d in detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])]
    assert got == ["07700900384", "104 Mill Lane, London E14 1AS"]


def test_details_after_a_cell_wrapped_under_the_row_are_beside_the_name() -> None:
    # "Paternal / grandmother": the relationship cell wraps under the row, then phone and address
    page = _table_page([("DANIEL PRICE", 50, 200.0), ("Paternal", 160, 200.0), ("grandmother", 160, 212.0),
                        ("07700900384", 280, 200.0), ("104 Mill Lane, London E14 1AS", 360, 200.0)])
    got = [d.text for d in detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])]
    assert got == ["07700900384", "104 Mill Lane, London E14 1AS"]


@pytest.mark.parametrize("line, found", [
    ("Left a message for Daniel Price on \u20ac7700900777. No reply.", "\u20ac7700900777."),
    ("Left a message for Daniel Price 0n07700 900 777. No reply.", "0n07700 900 777."),
    ('Phoned Daniel Price on (020) 7946 "0650. and spoke', '(020) 7946 "0650.'),
])
def test_unlisted_numbers_ocr_garbled_beside_the_name(line: str, found: str) -> None:
    assert found in [d.text for d in run([line])]


def test_email_with_its_at_sign_misread_is_found() -> None:
    drafts = run(["Email sent to dan.price\u00e9example.com today"])
    assert [d.text for d in drafts] == ["dan.price\u00e9example.com"]


def test_an_unlisted_number_cut_at_the_rows_end_goes_on_on_the_next_line() -> None:
    assert "+44 20 7946 0478)" in [d.text for d in run(["Health visitor (Daniel Price, +44 20", "7946 0478) came"])]


@pytest.mark.parametrize(("line", "found"), [
    ("a message on \u20ac7700900123. No reply", "\u20ac7700900123."),  # the leading 0 misread
    ("Father 4447700 900123 Yes", "4447700 900123"),  # the "+" of +44 read as a 4
    ("Mobile 07700 900123\u00b0 Not known", "07700 900123\u00b0"),  # scan junk after the number
    ("| PRICE, Daniel | 07700 900,123 Partner", "07700 900,123"),  # a speck read as a comma
])
def test_a_listed_number_with_its_prefix_or_end_misread_is_found(line: str, found: str) -> None:
    assert [d.text for d in run([line])] == [found]


def test_a_listed_number_whose_start_ocr_garbled_is_found_by_its_end() -> None:
    assert [d.text for d in run(["left a message on +44 uel 900123. No reply"])] == ["+44 uel 900123."]
    assert run(["reference 900123 on file"]) == []


def test_an_address_with_its_number_run_into_the_street_beside_the_name() -> None:
    y = CASE_YAML.replace('addresses: ["14 Elm Road, London N11 2AB"]', "addresses: []")
    page = make_page(["Daniel Price Partner 07700 900123 104.Mill Lane, London.E1 1XU (no contact)"])
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[ContactDetector()])
    assert "104.Mill Lane, London.E1 1XU" in {d.text for d in drafts}


def test_a_postcode_with_a_misread_character_goes_with_the_street() -> None:
    assert "14 Elm Road, London N11 2AE" in {d.text for d in run(["at 14 Elm Road, London N11 2AE today"])}


def test_an_unlisted_email_whose_mailbox_is_a_withheld_persons_name_is_proposed() -> None:
    drafts = run(["Write to daniel.price@example.org or d.price@work.example.com,",
                  "or danielprice@mail.example.net. Copy joan.allen@school.example.sch.uk."])
    found = {d.text.rstrip(",.") for d in drafts if d.reason is Reason.THIRD_PARTY_CONTACT}
    assert {"daniel.price@example.org", "d.price@work.example.com", "danielprice@mail.example.net"} <= found
    assert not any("joan" in d.text for d in drafts)
    assert all(d.party_id == "tp-1" for d in drafts)


def test_a_mailbox_that_is_a_protected_persons_name_is_not_proposed() -> None:
    assert run(["Email claire.hart@example.org or amelia.hart@example.org today."]) == []


def _skewed_row(text: str, drift: float, y0: float = 200.0) -> list:  # type: ignore[type-arg]

    words, x, y = [], 50.0, y0
    for i, t in enumerate(text.split()):
        words.append(Word(t, Box(x, y, x + 6 * len(t), y + 10), 1, 0, i, 90.0))
        x += 6 * len(t) + 4
        y += drift
    return words


def test_details_along_a_skewed_scans_row_are_beside_the_name() -> None:

    # the row drifts 1.5 pt a word: its end sits two lines' height below its start
    words = _skewed_row("DANIEL PRICE Partner 07700 900777 36 Green Lanes, London NW7 5FR", 1.5)
    page = OcrPage(0, 595, 842, 0, TextSource.TESSERACT, tuple(words))
    got = [d.text for d in detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])
           if "not in the manifest" in d.explanation]
    assert got == ["07700 900777", "36 Green Lanes, London NW7 5FR"]


def test_a_postcode_half_wrapped_in_its_cell_to_the_next_line_goes_with_the_address() -> None:

    words = _skewed_row("DANIEL PRICE | Partner | 07700 900777 36 Green Lanes, London NW7 |", 0.0)
    street = next(w for w in words if w.text == "36")
    words += [Word(":", Box(50, 215, 53, 225), 2, 0, 0, 90.0), Word("5FR", Box(street.box.x0, 215,
                                                                           street.box.x0 + 18, 225), 2, 0, 1, 90.0)]
    page = OcrPage(0, 595, 842, 0, TextSource.TESSERACT, tuple(words))
    got = [d.text for d in detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])]
    assert "36 Green Lanes, London NW7" in got and "5FR" in got


def test_a_number_ocr_glued_to_the_next_number_with_a_hyphen_is_found() -> None:
    # the number, then the house number of the address beside it: "07700 900 123-2 Alfreton Crescent"
    drafts = run(["father No. 07700 900 123-2 Alfreton Crescent"])
    assert ("07700 900 123-2", "tp-1") in [(d.text, d.party_id) for d in drafts]
    assert run(["father No. 07700 900 124-2 Alfreton Crescent"]) == []  # not the party's number


def test_a_new_sentence_after_the_name_ends_the_row() -> None:
    assert run(["Could you tell me if Daniel Price is seen at school? My mobile is 07700 900444."]) == []


def test_a_shared_first_name_followed_by_the_partys_own_number_is_proposed_for_review() -> None:
    y = CASE_YAML.replace('name: "Amelia Hart"', 'name: "Daniel Hart"')
    page = make_page(["Daniel was settled. Mrs Allen will contact Daniel again on 07700 900123.",
                      "Daniel Hart 07700 900123"])
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[ContactDetector()])
    shared = [d for d in drafts if d.reason is Reason.SHARED_FIRST_NAME]
    assert [(d.text, d.party_id) for d in shared] == [("Daniel", "tp-1")]
    assert list(shared[0].boxes) == [padded(word_box(page, "Daniel", 1))]


def test_a_title_and_surname_the_requester_shares_followed_by_the_partys_number_is_proposed_for_review() -> None:
    # the father asked for the file; the mother's partner, refused, is "Mr Price" too
    y = CASE_YAML.replace('name: "Claire Hart"\n  relationship: mother', 'name: "Tom Price"\n  relationship: father')
    page = make_page(["13.5.26 Mr Price 07700 900123 Mother's partner Asked how Amelia is getting on.",
                      "Mr Price came to the office on Monday."])
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[ContactDetector()])
    shared = [d for d in drafts if d.reason is Reason.SHARED_FIRST_NAME]
    assert [(d.text, d.party_id) for d in shared] == [("Mr Price", "tp-1")]


def test_a_named_mailbox_split_at_its_dots_with_its_at_sign_misread_is_proposed() -> None:
    drafts = run(["Email sent to _ daniel. price\u00e9work. example. gov. Lk today"])
    assert [(d.text, d.party_id) for d in drafts] == [("daniel. price\u00e9work. example. gov. Lk", "tp-1")]


def test_a_number_broken_over_two_lines_past_scan_specks_is_found() -> None:
    import dataclasses

    page = make_page(["Other agencies: Barnet Family Services (Sarah Okafor, 020 7946", "i * 0942) Medical: none"])
    page = dataclasses.replace(page, words=tuple(dataclasses.replace(w, conf=30.0) if w.text == "i" else w
                                                 for w in page.words))
    drafts = detect_document(make_case(), "01-notes.pdf", [page], detectors=[ContactDetector()])
    (d,) = [d for d in drafts if "7946" in d.text]
    assert d.text.startswith("020 7946") and d.text.endswith("0942)")
    assert len(d.boxes) == 2
    # a word on the next line is no speck: the number stays unfound
    page = make_page(["Other agencies: Barnet Family Services (Sarah Okafor, 020 7946", "Tel 0942) Medical: none"])
    assert not [d for d in detect_document(make_case(), "01-notes.pdf", [page], detectors=[ContactDetector()])
                if "7946" in d.text]


def test_a_mailbox_with_its_dot_read_as_a_colon_is_the_withheld_workers() -> None:
    y = CASE_YAML.replace('staff: ["Sarah Okafor"]', 'staff: ["Sarah Okafor", "Joanna Kaminska"]')
    page = make_page(["Email sent to joanna:\u2018kaminska@barnet.example.gov.uk. No reply."])
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[ContactDetector()])
    assert [d.text for d in drafts] == ["joanna:\u2018kaminska@barnet.example.gov.uk."]


def test_a_number_with_a_speck_read_as_an_apostrophe_between_digits_is_found() -> None:
    assert "0207 946'0942" in [d.text for d in run(["Phoned BFS on 0207 946'0942 and spoke with them."])]
    # three specks at the next line's start are stepped over too
    page = make_page(["Phoned Barnet Family Services (Sarah Okafor) on 020 7946", ". . + 0942 and spoke"])
    assert any(d.text.endswith("0942") for d in detect_document(make_case(), "x.pdf", [page],
                                                                detectors=[ContactDetector()]))


def test_the_street_at_the_house_number_a_consenting_party_has_there_is_theirs() -> None:
    # the childminder, who consented, lives at 54 Elm Road; the refused partner at 14
    y = CASE_YAML.replace('    phones: ["07700 900555"]',
                          '    phones: ["07700 900555"]\n    addresses: ["54 Elm Road, London N11 2AD"]')
    case = make_case(y)

    def found(line: str) -> list[str]:
        return [d.text for d in detect_document(case, "x.pdf", [make_page([line])], detectors=[ContactDetector()])]

    assert found("Gloria Mendes, 54 Elm Road, London") == []
    assert found("Gloria Mendes, $4 Elm Road, London") == []  # OCR's reading of 54
    assert found("Seen at 14 Elm Road, London") == ["14 Elm Road, London"]
    # a long street name: OCR's number joined to it reads as the name, so the match begins at the number
    gloria = '    phones: ["07700 900555"]\n    addresses: ["54 Ravenscliffe Avenue, London N11 2AD"]'
    y = CASE_YAML.replace("14 Elm Road, London N11 2AB", "158 Ravenscliffe Avenue, London N11 2AB").replace(
        '    phones: ["07700 900555"]', gloria)
    case = make_case(y)
    assert found("Barnet Family Services") == [] and found("$4 Ravenscliffe Avenue Cee") == []
    assert found("Seen at 158 Ravenscliffe Avenue") == ["158 Ravenscliffe Avenue"]


def test_an_address_goes_on_over_a_mark_ocr_read_as_letters_where_its_line_broke() -> None:
    drafts = run(["Contact: 07700 900999 14 Elm Road, London", "se N11 2AB", "Lives at home: yes"])
    assert "14 Elm Road, London se N11 2AB" in [d.text for d in drafts]
    # a word of running text is no mark: the address ends before it
    assert "14 Elm Road, London" in [d.text for d in run(["He lives at 14 Elm Road, London", "so N11 2AB was given"])]
