from __future__ import annotations

from collections.abc import Sequence

from redaction.detect import ProposalDraft, detect_document
from redaction.detect.authorship import AuthorshipDetector
from redaction.models import Box, Reason
from tests.detect.pages import CASE_YAML, make_case, make_page


def run(lines: list[str], file_name: str = "05-letter.pdf", top: float = 40.0) -> list[ProposalDraft]:
    page = make_page(lines, top=top)
    return detect_document(make_case(), file_name, [page], detectors=[AuthorshipDetector()])


def test_authored_page_withheld_whole() -> None:
    pages = [make_page(["Health visitor report"], 0), make_page(["Page two, nothing named"], 1)]
    drafts = detect_document(make_case(), "03-health-visitor-report.pdf", pages,
                             detectors=[AuthorshipDetector()])
    assert [d.page_index for d in drafts] == [0, 1]
    for d in drafts:
        assert d.whole_page and d.reason is Reason.AUTHORED and d.party_id == "tp-2"
        assert d.boxes == (Box(0, 0, 595, 842),)
        assert d.text == ""


def test_granted_author_is_not_withheld() -> None:
    y = CASE_YAML.replace("author: tp-2", "author: tp-3")
    pages = [make_page(["Notes from the childminder"])]
    assert detect_document(make_case(y), "03-health-visitor-report.pdf", pages,
                           detectors=[AuthorshipDetector()]) == []


def test_letterhead_of_refused_org_withholds_the_page() -> None:
    (d,) = run(["Barnet Family Services", "1 High Street", "", "Dear Mrs Hart,", "We write about Amelia."])
    assert d.whole_page and d.party_id == "tp-2" and "letterhead" in d.explanation


def test_org_named_low_on_the_page_is_not_a_letterhead() -> None:
    assert run(["Dear Mrs Hart,"] + ["filler line"] * 12 + ["We spoke to Barnet Family Services."]) == []


def test_an_acronym_near_the_top_of_a_continued_page_is_not_a_letterhead() -> None:
    # page two of the school's concern log: the sentence runs on from page one
    assert run(["Oakfield Primary School - CONFIDENTIAL Page 2", "Action taken:",
                "Discussed with Mrs Allen and Miss Hart on the phone today. Body map",
                "completed. BFS duty desk informed.", "Signed:"]) == []
    assert run(["Action taken:", "BFS duty desk informed.", "Signed:"]) != []


def test_from_line_with_party_email_withholds_the_page() -> None:
    (d,) = run(["Subject: Amelia", "From: dan.price@example.com", "To: office@school.example.org", "Hi"],
               top=300)
    assert d.whole_page and d.party_id == "tp-1"


def test_signature_block_names_refused_party() -> None:
    (d,) = run(["Dear Mrs Allen,", "Amelia was fine on Monday.", "Yours sincerely,", "", "Sarah Okafor",
                "Family Support Worker"], top=300)
    assert d.whole_page and d.party_id == "tp-2" and "signed" in d.explanation


def test_letter_to_a_party_from_the_school_is_not_authored_by_them() -> None:
    drafts = run(["Mr Daniel Price", "14 Elm Road", "Dear Mr Price,", "We are writing about the trip.",
                  "Yours sincerely,", "Mrs Joan Allen", "Headteacher", "cc: Daniel Price"], top=120)
    assert drafts == []


def test_log_entry_signed_by_staff_is_not_withheld_when_party_is_named_below() -> None:
    # a concern log: "Signed: <staff initials>", then the next entry talks about the party
    drafts = run(["Action taken: phoned the duty desk.", "Signed: JA", "Date: 14/03/2026",
                  "Concern: Daniel Price was at the gate.", "Recorded by: Mrs Joan Allen"], top=300)
    assert drafts == []


def test_signatory_after_closing_stops_at_running_text() -> None:
    drafts = run(["Yours sincerely,", "Mrs Joan Allen", "Headteacher",
                  "P.S. the meeting with Sarah Okafor from the family service moved to Friday at ten"], top=300)
    assert drafts == []


def test_referral_form_addressed_to_a_refused_org_is_not_their_letterhead() -> None:
    assert run(["Multi-Agency Referral Form - Barnet Family Services", "Section 1: Referrer",
                "Name: Mrs Joan Allen"]) == []


def test_signature_line_must_be_mostly_the_name() -> None:
    assert run(["Action taken: phoned.", "Signed:", "At pick-up Daniel Price was at the gate",
                "14/03/2026"], top=300) == []


def test_an_agency_in_an_attendee_table_near_the_top_is_no_letterhead() -> None:
    """Minutes whose attendee list names a refused agency on the page's first rows are not the
    agency's: the row has other cells (the worker, their role, a phone) beside the agency."""
    from redaction.models import OcrPage, TextSource, Word

    cells = [("Core", 50, 40, 0), ("Group", 85, 40, 0), ("Meeting", 125, 40, 0),
             ("Sarah", 50, 70, 1), ("Okafor", 86, 70, 1), ("Social", 200, 70, 2), ("Worker", 240, 70, 2),
             ("Barnet", 330, 70, 3), ("Family", 370, 70, 3), ("Services", 410, 70, 3),
             ("07700", 480, 70, 4), ("900123", 515, 70, 4)]
    words = tuple(Word(t, Box(x, y, x + 6 * len(t), y + 12), b, 0, i, 95.0) for i, (t, x, y, b) in enumerate(cells))
    page = OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, words)
    assert detect_document(make_case(), "06-minutes.pdf", [page], detectors=[AuthorshipDetector()]) == []
    alone = tuple(w for w in words if w.block == 3)
    page = OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, alone)
    (d,) = detect_document(make_case(), "06-minutes.pdf", [page], detectors=[AuthorshipDetector()])
    assert d.whole_page


def test_a_forms_author_field_naming_a_withheld_worker_withholds_the_page() -> None:
    lines = ["Notification to school", "Incident date 02/03/2026", "Reporting officer", "Sarah Okafor 8377",
             "Amelia was at home during the incident."]
    (d,) = run(lines, "06-notification.pdf")
    assert d.whole_page and d.party_id == "tp-2" and "authorship.author-field" in d.explanation
    (d,) = run(["Early help assessment", "Completed by: S. Okafor", "Amelia enjoys nursery."], "07-eha.pdf")
    assert d.whole_page and d.party_id == "tp-2"


def test_an_author_field_naming_staff_or_a_withheld_party_in_running_text_is_not_authorship() -> None:
    assert run(["Early help assessment", "Completed by: Mrs Joan Allen", "Amelia enjoys nursery."], "07-eha.pdf") == []
    lines = ["Early help assessment", "Completed by", "Mrs Joan Allen",
             "Sarah Okafor from the family services team phoned the school about the visit on Monday."]
    assert run(lines, "07-eha.pdf") == []


def _assert_letterhead(cells: Sequence[tuple[str, float, float, int, int]]) -> None:
    """The page of ``cells`` (text, x, y, block, line; 6 pt a character, 12 pt high) is withheld
    whole as the refused agency's letterhead."""
    from redaction.models import OcrPage, TextSource, Word

    words = tuple(Word(t, Box(x, y, x + 6 * len(t), y + 12), b, ln, i, 95.0)
                  for i, (t, x, y, b, ln) in enumerate(cells))
    page = OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, words)
    (d,) = detect_document(make_case(), "06-notice.pdf", [page], detectors=[AuthorshipDetector()])
    assert d.whole_page and d.party_id == "tp-2" and "authorship.letterhead" in d.explanation


def test_a_letterhead_with_its_address_block_beside_it_withholds_the_page() -> None:
    """The agency's name set in a block of its own, wrapped over two lines, its address and a
    labelled email at the same height further along: a letterhead (the address and the label
    are no cells of a table row)."""
    cells = [("Barnet", 50, 40, 0, 0), ("Family", 90, 40, 0, 0), ("Services", 130, 40, 0, 0),
             ("1", 380, 38, 1, 0), ("High", 390, 38, 1, 0), ("Street,", 420, 38, 1, 0), ("N11", 470, 38, 1, 0),
             ("2AB", 492, 38, 1, 0),
             ("Secure:", 380, 46, 2, 0), ("office@barnet.example", 380, 56, 3, 0),
             ("Child", 50, 120, 4, 0), ("protection", 86, 120, 4, 0), ("notice", 150, 120, 4, 0)]
    _assert_letterhead(cells)


def test_a_letterhead_with_a_right_set_address_over_lines_beside_it_withholds_the_page() -> None:
    """The agency's name wrapped over two lines; beside it, set to the right, its address over
    three lines, only the last with a postcode: the two lines above it are its block's."""

    def right_set(text: str, y: float, line: int) -> list[tuple[str, float, float, int, int]]:
        x, out = 520.0 - 6 * len(text.replace(" ", "")) - 4 * text.count(" "), []
        for t in text.split():
            out.append((t, x, y, 1, line))
            x += 6 * len(t) + 4
        return out

    cells = [("Barnet", 50, 40, 0, 0), ("Family", 90, 40, 0, 0), ("Services", 50, 56, 0, 1),
             *right_set("12 Friern Barnet Lane,", 38, 2), *right_set("Whetstone, London", 50, 3),
             *right_set("N11 2AB", 62, 4),
             ("Child", 50, 120, 4, 5), ("protection", 86, 120, 4, 5), ("notice", 150, 120, 4, 5)]
    _assert_letterhead(cells)


def test_an_author_field_whose_label_its_cell_wrapped_withholds_the_page() -> None:
    # "Reporting officer" in a narrow cell: "officer" under "Reporting", the name beside it
    lines = ["Notification to school", "Reporting Sarah Okafor Family Support Practitioner 8377", "officer",
             "Amelia was at home during the incident."]
    (d,) = run(lines, "06-notification.pdf")
    assert d.whole_page and "authorship.author-field" in d.explanation
    # the word alone, with no label's tail under it, is no field
    assert run(["Notification to school", "Reporting Sarah Okafor Family Support Practitioner 8377",
                "Amelia was at home during the incident."], "06-notification.pdf") == []


def test_an_author_field_naming_a_withheld_worker_before_their_role_withholds_the_page() -> None:
    lines = ["Notification to school", "Reporting officer Sarah Okafor Family Support Practitioner 8377",
             "Amelia was at home during the incident."]
    (d,) = run(lines, "06-notification.pdf")
    assert d.whole_page and "authorship.author-field" in d.explanation
    # a worker named later on the field's line, after other words, is not the field's value
    assert run(["Notification to school", "Reporting officer PC 8377 spoke to Sarah Okafor",
                "Amelia was at home during the incident."], "06-notification.pdf") == []


def _row_page(rows: list[list[tuple[str, float]]]) -> list[ProposalDraft]:
    """A page whose lines are rows of cells, each cell's words set from its x, 30 pt apart
    between cells: one OCR line per row."""
    from redaction.models import OcrPage, TextSource, Word

    words: list[Word] = []
    for li, row in enumerate(rows):
        for text, x0 in row:
            x = x0
            for t in text.split():
                words.append(Word(t, Box(x, 40 + 16 * li, x + 6 * len(t), 52 + 16 * li), 0, li, len(words), 95.0))
                x += 6 * len(t) + 4
    page = OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, tuple(words))
    return detect_document(make_case(), "02-telephone-contact-record.pdf", [page], detectors=[AuthorshipDetector()])


def test_an_agency_in_a_table_row_read_as_one_line_is_no_letterhead() -> None:
    """A phone log's first row under its header, read by OCR as one line: the date, the caller
    and their number before the agency's cell, the summary after it."""
    head = [("Record of telephone contact", 40)]
    row = [("10.6.26", 40), ("Sarah Okafor", 100), ("07700900281", 190), ("BFS", 270),
           ("Asked for an update for the strategy", 310)]
    assert _row_page([head, row]) == []
    # the agency first on its row, a sentence after it
    assert _row_page([head, [("BFS", 40), ("asked for an update for the strategy", 100)]]) == []
    # a letterhead's name alone, or with its phone beside it, heads the page
    (d,) = _row_page([[("BFS", 40), ("020 7946 0000", 300)], head])
    assert d.whole_page and "authorship.letterhead" in d.explanation
    (d,) = _row_page([[("BFS", 270)], head])
    assert d.whole_page
