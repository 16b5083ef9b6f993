"""The corpus generator: deterministic per seed, splits that share no cast, the
name hold-out, and the alignment counter that refuses a bad corpus."""

from __future__ import annotations

import pytest
import spacy

from ner_models.cast import held_out, name_words, tagged_cast
from ner_models.corpus import (
    AlignmentReport,
    MisalignedSpansError,
    cast_seeds,
    split_samples,
    to_docs,
)
from ner_models.sample import Sample


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.blank("en")


def test_same_seed_gives_the_same_corpus() -> None:
    a = list(split_samples(3, "train", 1, None))
    b = list(split_samples(3, "train", 1, None))
    assert a == b
    assert len(a) > 10


def test_another_seed_gives_another_corpus() -> None:
    a = list(split_samples(3, "train", 1, None))
    b = list(split_samples(4, "train", 1, None))
    assert [s.text for s in a] != [s.text for s in b]


def test_train_and_dev_draw_different_casts() -> None:
    train = set(cast_seeds(1, "train", 200))
    dev = set(cast_seeds(1, "dev", 50))
    unseen = set(cast_seeds(1, "dev_unseen", 50))
    assert not train & dev and not train & unseen and not dev & unseen
    t, d = tagged_cast(min(train)), tagged_cast(min(dev))
    assert (t.child.full, t.requester.full) != (d.child.full, d.requester.full)


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError):
        cast_seeds(1, "test", 3)


def test_seen_casts_never_use_held_out_names_and_unseen_casts_only_use_them() -> None:
    for seed in range(5):
        seen = tagged_cast(seed, "seen")
        unseen = tagged_cast(seed, "unseen")
        seen_names = {a.first for a in _people(seen)} | {p for a in _people(seen) for p in a.last.split("-")}
        unseen_names = {a.first for a in _people(unseen)} | {p for a in _people(unseen) for p in a.last.split("-")}
        assert not any(held_out(_base(n)) for n in seen_names), seen_names
        assert all(held_out(_base(n)) for n in unseen_names), unseen_names
        assert name_words(unseen)


def _people(cast):  # type: ignore[no-untyped-def]
    from ner_models.cast import all_actors

    return all_actors(cast)


def _base(name: str) -> str:
    """Polish feminine surnames are held out by their masculine form."""
    from redaction.synth.names import COMMUNITIES

    for c in COMMUNITIES:
        for m, f in c.female_surnames.items():
            if name == f:
                return m
    return name


def test_aligned_spans_become_entities(nlp: spacy.language.Language) -> None:
    s = Sample("Mr Daniel Price's dog met DP.", ((3, 15, "PERSON"),), ((26, 28),))
    rep = AlignmentReport()
    (doc,) = to_docs(nlp, [s], report=rep)
    assert [(e.text, e.label_) for e in doc.ents] == [("Daniel Price", "PERSON")]
    assert rep.spans == 2 and rep.misaligned == 0
    # initials are missing annotation, not "outside"
    assert [t.ent_iob_ for t in doc if t.text == "DP"] == [""]
    assert [t.ent_iob_ for t in doc if t.text == "dog"] == ["O"]


def test_a_misaligned_span_fails_the_corpus_above_the_threshold(nlp: spacy.language.Language) -> None:
    bad = Sample("Daniel Price arrived.", ((2, 9, "PERSON"),))  # "niel Pr": not on token edges
    with pytest.raises(MisalignedSpansError, match="1 of 1 spans"):
        to_docs(nlp, [bad])


def test_misaligned_spans_under_the_threshold_are_counted_and_left_missing(nlp: spacy.language.Language) -> None:
    good = [Sample(f"Amelia Hart came {i}.", ((0, 11, "PERSON"),)) for i in range(200)]
    bad = Sample("Daniel Price arrived.", ((2, 9, "PERSON"),))
    rep = AlignmentReport()
    docs = to_docs(nlp, [*good, bad], max_share=0.01, report=rep)
    assert rep.misaligned == 1 and rep.spans == 201
    assert rep.by_label == {"PERSON": 1}
    assert rep.examples and "Daniel" not in rep.examples[0]  # offsets, never text
    assert [t.ent_iob_ for t in docs[-1]][:2] == ["", ""]  # the expanded span is missing, not O


def test_made_up_names_are_new_words_and_stay_out_of_dev() -> None:
    import random

    from ner_models.pseudo import pseudo_name
    from redaction.synth.names import COMMUNITIES

    pools = {p for c in COMMUNITIES for n in (*c.male, *c.female, *c.surnames) for p in n.split("-")}
    rng = random.Random(2)
    made = {pseudo_name(rng, kind) for kind in ("first", "last") for _ in range(200)}
    assert not made & pools
    assert all(n[0].isupper() and 3 <= len(n) <= 12 for n in made)
    train = {a.first for a in _people(tagged_cast(9, "seen", pseudo=0.5))}
    dev = {a.first for a in _people(tagged_cast(9, "seen"))}
    assert train - pools  # some training names are made up
    assert dev <= pools  # dev names are the real pools
