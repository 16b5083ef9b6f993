"""Span conventions of the generated samples (OntoNotes: no titles, no possessive)."""

from __future__ import annotations

from ner_models.cast import mention_tag
from ner_models.documents import chunks, lines_to_sample, trim_span
from redaction.synth.layout import KEEP


def test_trim_drops_possessive_brackets_and_trailing_punctuation() -> None:
    t = "(Daniel Price's),"
    s, e = trim_span(t, 0, len(t))
    assert t[s:e] == "Daniel Price"


def test_trim_keeps_an_initials_full_stop() -> None:
    for t, want in (("Daniel P.", "Daniel P."), ("D. Price.", "D. Price"), ("Jo,", "Jo")):
        s, e = trim_span(t, 0, len(t))
        assert t[s:e] == want


def test_titles_are_left_out_of_person_spans_and_initials_are_ignored() -> None:
    m, dp, org = mention_tag("PERSON"), mention_tag("IGNORE"), mention_tag("ORG")
    lines = [
        [("Recorded", KEEP), ("by:", KEEP), ("Mrs", m), ("Ngozi", m), ("Okafor,", m), ("Headteacher", KEEP)],
        [("Signed:", KEEP), ("NO", dp), ("for", KEEP), ("Haringey", org), ("CAMHS", org)],
    ]
    s = lines_to_sample(lines, "test", ("Oakfield Primary School",))
    assert [(s.text[a:b], lab) for a, b, lab in s.ents] == [("Ngozi Okafor", "PERSON"), ("Haringey CAMHS", "ORG")]
    assert [s.text[a:b] for a, b in s.ignore] == ["NO"]
    assert "\n" in s.text


def test_two_mentions_side_by_side_stay_two_spans() -> None:
    a, b = mention_tag("PERSON"), mention_tag("PERSON")
    s = lines_to_sample([[("Amelia", a), ("Kofi", b), ("Mensah", b)]], "test")
    assert [s.text[x:y] for x, y, _ in s.ents] == ["Amelia", "Kofi Mensah"]


def test_the_school_name_is_org_even_across_a_line_break() -> None:
    s = lines_to_sample([[("Oakfield", KEEP), ("Primary", KEEP)], [("School", KEEP), ("-", KEEP)]], "t",
                        ("Oakfield Primary School",))
    assert [(s.text[a:b], lab) for a, b, lab in s.ents] == [("Oakfield Primary\nSchool", "ORG")]


def test_chunks_never_cut_a_name_across_lines() -> None:
    import random

    m = mention_tag("PERSON")
    lines = [[("line", KEEP)] for _ in range(4)] + [[("Daniel", m)], [("Price", m)]] + [[("x", KEEP)]] * 4
    for seed in range(30):
        for chunk in chunks(lines, random.Random(seed), lo=1, hi=5):
            assert not (chunk[-1] == [("Daniel", m)])
