from __future__ import annotations

import pytest

from redaction.detect import detect_document
from redaction.detect.relationships import RelationshipDetector, phrases_for
from redaction.models import Reason
from tests.detect.pages import CASE_YAML, make_case, make_page, word_box


def found(lines: list[str], yaml_text: str = CASE_YAML) -> list[str]:
    page = make_page(lines)
    drafts = detect_document(make_case(yaml_text), "x.pdf", [page], detectors=[RelationshipDetector()])
    assert all(d.reason is Reason.RELATIONSHIP and d.score == 0.6 for d in drafts)
    return [d.text for d in drafts]


def test_partner_phrases_are_proposed_but_mum_alone_is_not() -> None:
    got = found(["Mum's partner shouted. Her mum's boyfriend left.",
                 "Mum came. Her step-dad and her stepdad.", "mother's", "partner was there"])
    assert got == ["Mum's partner", "mum's boyfriend", "Her step-dad", "her stepdad.", "mother's partner"]


def test_relationships_through_a_pronoun_take_the_pronoun_in() -> None:
    got = found(["Her partner shouted at her new boyfriend's friend.", "She said your partner was kind."])
    assert got == ["Her partner", "her new boyfriend's", "your partner"]
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"father\"")
    assert found(["He sees his dad on Sundays; the children's father agreed."], y) == ["his dad", "children's father"]


def test_grandmother_synonyms() -> None:
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal grandmother\"")
    assert found(["Nan picked her up. Nanny's house. Her grandma. Daniel's grandad."], y) == [
        "Nan", "Nanny's", "Her grandma."]


def test_relationship_shared_with_consenting_party_is_left_out() -> None:
    y = CASE_YAML.replace("relationship: \"childminder\"", "relationship: \"mother's partner\"")
    assert found(["Mum's partner came."], y) == []


def test_phrases_for_basic_relationships() -> None:
    assert "uncle" in phrases_for("uncle") and "mum" not in phrases_for("uncle")
    assert {"dad", "father", "daddy"} <= phrases_for("father")
    assert "nan" in phrases_for("grandmother")
    assert phrases_for("") == frozenset()


def test_a_relationship_to_a_parent_is_found_through_the_parent_and_by_its_role() -> None:
    assert {"family friend", "mum's family friend", "mum's friend"} <= phrases_for("family friend of the mother")
    partner = phrases_for("partner of the mother")
    assert "mum's partner" in partner and "her partner" in partner and "partner" not in partner


def test_relatives_named_through_a_parent() -> None:
    from redaction.detect.relationships import phrases_for

    assert {"mum's brother", "dad's brother", "uncle"} <= phrases_for("uncle")
    assert "mum's friend" in phrases_for("family friend")
    assert "mum's sister" in phrases_for("maternal aunt") and "dad's sister" not in phrases_for("maternal aunt")


@pytest.mark.parametrize("word", ["Nani", "Babcia", "Bunica", "Avó", "Mamie", "Abuela"])
def test_what_children_of_many_communities_call_a_grandmother_is_found(word: str) -> None:
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal grandmother\"")
    assert found([f"She talks about {word} every day."], y) == [word]


def test_world_kinship_words_follow_the_relationship() -> None:
    assert "awoowe" in phrases_for("maternal grandfather") and "awoowe" not in phrases_for("aunt")
    assert {"teyze", "khala"} <= phrases_for("aunt") and "khala" not in phrases_for("uncle")
    assert {"mociute", "babka", "ba ngoai"} <= phrases_for("grandmother") and "senelis" in phrases_for("grandfather")
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal grandfather\"")
    assert found(["Jokubas misses Senelis since he moved out."], y) == ["Senelis"]


def test_a_world_kinship_word_shared_with_a_consenting_relative_is_left_out() -> None:
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal grandmother\"")
    y = y.replace("relationship: \"childminder\"", "relationship: \"paternal grandmother\"")
    assert found(["Babcia collected her."], y) == []


def test_first_name_beside_the_relationship_is_the_partys_even_when_the_child_shares_it() -> None:
    y = CASE_YAML.replace('name: "Amelia Hart"', 'name: "Daniel Hart"')
    page = make_page(["Daniel said Daniel (mum's partner) shouted.", "Her mum's partner, Daniel, left."])
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[RelationshipDetector()])
    named = [(d.text, d.party_id) for d in drafts if d.reason is Reason.THIRD_PARTY]
    assert named == [("Daniel", "tp-1"), ("Daniel,", "tp-1")]
    # the first "Daniel" on the line is the child: the proposal is the one after it
    assert drafts and [d for d in drafts if d.reason is Reason.THIRD_PARTY][0].boxes[0].x0 > word_box(page, "Daniel").x1


def test_a_stray_mark_read_between_the_words_does_not_hide_the_reference() -> None:
    assert found(["Tyrese said that Mum's.partner shouted; mum's, boyfriend left."]) == [
        "Mum's.partner", "mum's, boyfriend"]
    assert found(["Things are calmer. Mum's\u2018partner is not living at the address."]) == ["Mum's\u2018partner"]


def _cells(cells: list[tuple[str, float, float, int]]) -> list[str]:
    from redaction.models import Box, OcrPage, TextSource, Word

    words = tuple(Word(t, Box(x, y, x + 6 * len(t), y + 12), 1, ln, i, 95.0)
                  for i, (t, x, y, ln) in enumerate(cells))
    page = OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, words)
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[RelationshipDetector()])
    return [d.text for d in drafts if "table cell" in d.explanation]


def test_a_reference_through_a_pronoun_wrapped_inside_a_table_cell_is_found_whole() -> None:
    # "... had said her | Office | Recorded" on one row; "partner 'lives ..." under "her"'s cell
    row = [("Amelia", 200, 100, 0), ("had", 242, 100, 0), ("said", 266, 100, 0), ("her", 296, 100, 0),
           ("Office", 420, 100, 0), ("Recorded", 480, 100, 0)]
    assert _cells([*row, ("partner", 200, 116, 1), ("left.", 248, 116, 1)]) == ["her partner"]
    # under another column, the word is another cell's: nothing
    assert _cells([*row, ("partner", 420, 116, 1)]) == []
    # a column of labels, one over the other, is no phrase ("Mother | ..." over "Partner | ...")
    assert _cells([("Mother", 60, 100, 0), ("Claire", 200, 100, 0), ("partner", 60, 116, 1),
                   ("Daniel", 200, 116, 1)]) == []
    # the pronoun and the word next in the reading order are the line matcher's, not a wrapped cell's
    assert _cells([("said", 200, 100, 0), ("her", 230, 100, 0), ("partner", 200, 116, 1)]) == []


def test_a_wrapped_reference_under_its_cells_first_word_is_found_when_the_column_gap_is_narrow() -> None:
    # a chronology's row: the date's column set close to the event's, so no gap tells them apart;
    # the wrapped word starts the next line under the event cell's first word
    row = [("01/08/2026", 54, 100, 0), ("Amelia", 118, 100, 0), ("told", 158, 100, 0), ("her", 186, 100, 0),
           ("Office", 300, 100, 0)]
    assert _cells([*row, ("Partner", 118, 116, 1), ("shouts.", 166, 116, 1)]) == ["her Partner"]
    # a speck OCR read before the line's first word
    assert _cells([*row, ("*", 112, 116, 1), ("partner", 118, 116, 1), ("shouts.", 166, 116, 1)]) == [
        "her partner"]
    # under no word of the cell: another column's
    assert _cells([*row, ("partner", 240, 116, 1)]) == []


def test_a_relationship_that_begins_its_cell_and_wraps_is_found_when_its_first_line_cannot_end_it() -> None:
    # the relationship column of a call log: "Mother's" over "partner" in one cell
    assert _cells([("Mr", 60, 100, 0), ("Price", 80, 100, 0), ("Mother's", 200, 100, 0), ("Asked", 300, 100, 0),
                   ("partner", 200, 116, 1), ("we", 300, 116, 1)]) == ["Mother's partner"]
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal grandmother\"")
    words = [("Mr", 60, 100, 0), ("Price", 80, 100, 0), ("Maternal", 200, 100, 0), ("Asked", 300, 100, 0),
             ("grandmother", 200, 116, 1), ("we", 300, 116, 1)]
    from redaction.models import Box, OcrPage, TextSource, Word

    page = OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, tuple(
        Word(t, Box(x, yy, x + 6 * len(t), yy + 12), 1, ln, i, 95.0) for i, (t, x, yy, ln) in enumerate(words)))
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[RelationshipDetector()])
    assert "Maternal grandmother" in [d.text for d in drafts]
    # two rows' labels, "Mother" over "Father", are no "mother's father"
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal grandfather\"")
    words = [("Drita", 166, 100, 0), ("Mother", 200, 100, 0), ("Asked", 300, 100, 0), ("Father", 200, 116, 1),
             ("we", 300, 116, 1)]
    page = OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, tuple(
        Word(t, Box(x, yy, x + 6 * len(t), yy + 12), 1, ln, i, 95.0) for i, (t, x, yy, ln) in enumerate(words)))
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[RelationshipDetector()])
    assert not [d for d in drafts if "table cell" in d.explanation]


def test_a_possessive_ocr_set_apart_or_followed_by_a_mark_does_not_hide_the_reference() -> None:
    assert found(['Mum" s partner is not living there.', "Mum's: partner visits."]) == [
        'Mum" s partner', "Mum's: partner"]


def test_a_kinship_word_used_as_a_name_is_the_reference_without_the_pronoun() -> None:
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"father\"")
    assert found(["He sees his Daddy most Sundays and his dad rang."], y) == ["Daddy", "his dad"]


def test_a_partner_of_another_relative_is_found_by_every_name_of_that_relative() -> None:
    partner = phrases_for("grandmother's partner")
    assert {"nan's partner", "gran's boyfriend", "grandma's husband", "nanny's partner"} <= partner
    assert "her partner" not in partner and "mum's partner" not in partner  # that is the mother's
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"grandmother's partner\"")
    assert found(["She stays with Nan's partner. Nan came too."], y) == ["Nan's partner."]


def test_a_parents_sibling_on_a_known_side_is_found_through_the_parents_pronoun() -> None:
    # "Mum said her sister lives with them": the mother's sister, the maternal aunt
    assert {"her sister", "mum's sister"} <= phrases_for("maternal aunt")
    assert "his sister" not in phrases_for("maternal aunt")
    assert "his brother" in phrases_for("paternal uncle") and "her brother" not in phrases_for("paternal uncle")
    # on no known side the pronoun could be either parent's, or the child's own sibling
    assert "her sister" not in phrases_for("aunt")
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal aunt\"")
    assert found(["Mum said her sister 'lives in our house now'."], y) == ["her sister"]


def test_whose_relative_it_is_may_end_the_line_before_a_wrapped_reference() -> None:
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"father\"")
    got = found(["S Pritchard noted that his", "dad has not engaged with the plan."], y)
    assert len(got) == 1 and got[0].split() == ["his", "dad"]
    # a quote mark OCR read before the word is no word of the line
    got = found(["S Pritchard noted that his", "‘dad has not engaged with the plan."], y)
    assert len(got) == 1 and got[0].split()[0] == "his"
    # a line that ends otherwise leaves the reference alone
    assert found(["S Pritchard noted that", "dad has not engaged with the plan."], y) == ["dad"]


def test_a_relative_on_no_known_side_is_found_with_either_side_said() -> None:
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"uncle\"")
    assert found(["The maternal uncle was described by Claire as a support."], y) == ["maternal uncle"]
    # a side the manifest gives is the only one
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"paternal uncle\"")
    assert "maternal uncle" not in found(["The maternal uncle was described by Claire as a support."], y)


def test_an_accent_ocr_put_on_a_kinship_word_does_not_hide_it() -> None:
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"father\"")
    assert found(["Apologies: Daniel Price (fath\u00e9r) - not invited"], y) == ["(fath\u00e9r)"]
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"maternal grandmother\"")
    assert found(["She stays with her Avo at weekends."], y) == ["Avo"]


def test_the_partner_is_the_parents_partner_but_not_the_partner_agencies() -> None:
    assert found(["Amelia said the partner was cross again."]) == ["partner"]
    assert found(["Minutes were shared with the partner agencies."]) == []
    # any other phrase is one whatever follows it ("mother's partner" over a school's name)
    assert found(["Mother's partner", "School nurse attended."]) == ["Mother's partner"]


def test_a_stray_quote_inside_a_phrase_and_a_relatives_partner_through_her_pronoun() -> None:
    assert found(["Her new \u2018partner is not living at the address."]) == ["Her new \u2018partner"]
    # the requester is the grandmother, caring for the child: "her partner" is the grandmother's
    y = CASE_YAML.replace("relationship: \"mother's partner\"", "relationship: \"grandmother's partner\"")
    line = ["Nan said things are calmer. Her partner visits at weekends."]
    assert found(line, y) == []  # the requester is the mother: hers, and she stays
    y = y.replace("relationship: mother", "relationship: grandmother (special guardian)")
    assert found(line, y) == ["Her partner"]
