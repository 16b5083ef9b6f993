"""PERSON scoring: span-exact and word level."""

from __future__ import annotations

from ner_models.metrics import span_prf, word_prf
from ner_models.sample import Sample

S = Sample("Mr Daniel Price met DP and Amelia Hart today.", ((3, 15, "PERSON"), (27, 38, "PERSON")), ((20, 22),))


def test_exact_spans_are_true_positives_and_others_not() -> None:
    r = span_prf(S, [(3, 15), (0, 15)])
    assert (r.tp, r.fp, r.fn) == (1, 1, 1)


def test_words_count_whole_words_and_skip_titles_and_ignored() -> None:
    # "Mr Daniel Price" predicted, "DP" predicted (ignored), "Amelia" only
    r = word_prf(S, [(0, 15), (20, 22), (27, 33)])
    assert (r.tp, r.fp, r.fn) == (3, 0, 1)
    assert round(r.p, 3) == 1.0 and round(r.r, 3) == 0.75


def test_a_prediction_on_a_non_name_is_a_false_positive() -> None:
    r = word_prf(S, [(39, 44)])
    assert (r.tp, r.fp, r.fn) == (0, 1, 4)
