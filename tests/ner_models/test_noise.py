"""OCR noise changes the text and carries every span to its new offsets."""

from __future__ import annotations

import difflib
import random

import pytest
import spacy

from ner_models.corpus import clean_samples
from ner_models.noise import apply_edits, ocr_noise
from ner_models.sample import Sample


def test_apply_edits_moves_spans_after_a_change_of_length() -> None:
    s = Sample("Mr Daniel Price's dog", ((3, 15, "PERSON"),), ((0, 2),))
    out = apply_edits(s, [(0, 1, "|\\/|"), (5, 6, "rn"), (15, 16, "’")])
    (a, b, _), = out.ents
    assert out.text == "|\\/|r Darniel Price’s dog"
    assert out.text[a:b] == "Darniel Price"
    assert out.text[slice(*out.ignore[0])] == "|\\/|r"


def test_an_edit_through_a_span_edge_is_refused() -> None:
    s = Sample("Daniel Price", ((0, 6, "PERSON"),))
    with pytest.raises(ValueError):
        apply_edits(s, [(5, 8, "x")])
    with pytest.raises(ValueError):
        apply_edits(s, [(6, 6, "-\n")])  # an insertion on the edge


def test_level_zero_leaves_the_sample_alone() -> None:
    s = clean_samples("train", 11)[0]
    assert ocr_noise(s, random.Random(1), 0.0) == s


@pytest.fixture(scope="module")
def noisy_pairs() -> list[tuple[Sample, Sample]]:
    clean = clean_samples("train", 12) + clean_samples("train", 13)
    rng = random.Random(5)
    return [(c, ocr_noise(c, rng, 1.0)) for c in clean]


def test_heavy_noise_changes_the_text(noisy_pairs: list[tuple[Sample, Sample]]) -> None:
    changed = sum(c.text != n.text for c, n in noisy_pairs)
    assert changed > 0.8 * len(noisy_pairs)


def test_heavy_noise_keeps_spans_on_token_edges(noisy_pairs: list[tuple[Sample, Sample]]) -> None:
    nlp = spacy.blank("en")
    total = bad = 0
    for _, n in noisy_pairs:
        doc = nlp.make_doc(n.text)
        for s, e, _ in n.ents:
            total += 1
            bad += doc.char_span(s, e, alignment_mode="strict") is None
    assert total > 300
    assert bad / total < 0.005


def test_heavy_noise_keeps_each_span_on_its_name(noisy_pairs: list[tuple[Sample, Sample]]) -> None:
    """The span after noise still covers (a noisy reading of) the same words."""
    ratios = []
    for c, n in noisy_pairs:
        assert len(c.ents) == len(n.ents)
        for (cs, ce, cl), (ns, ne, nl) in zip(c.ents, n.ents, strict=True):
            assert cl == nl
            before, after = c.text[cs:ce], n.text[ns:ne]
            ratio = difflib.SequenceMatcher(None, before.lower(), after.lower()).ratio()
            assert ratio > 0.3, (cs, ce)  # a short name may lose half its letters ("Cia" -> "Cío")
            ratios.append(ratio)
    assert sum(ratios) / len(ratios) > 0.9
