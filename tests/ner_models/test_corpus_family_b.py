"""Family-B training text: the same case as the synth draws, a PERSON span on every name
written and on nothing else, names written past the person marked missing, and its
cases apart from every other split's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ner_models.corpus import cast_seeds, split_casts, split_samples
from ner_models.documents import TITLE_WORDS
from ner_models.family_b import case_samples, name_words, people_of, tagged_people, unlabelled_names
from ner_models.ocr_eval import OCR_OFFSET
from ner_models.sample import Sample

SEED = 1_800_003


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    return case_samples(SEED)


def test_the_people_are_those_of_the_synth_case(tmp_path: Path) -> None:
    from redaction.synth.family_b import generate_case_b
    from redaction.synth.generate import PROFILES

    people, _ = tagged_people(SEED)
    case = generate_case_b(tmp_path, SEED, n_docs=1, profile=PROFILES["default"])
    text = (case.case_dir / "case.yaml").read_text(encoding="utf-8")
    assert f"name: {people.child.name}" in text
    assert f"name: {people.requester.name}" in text
    assert [p.name for p in people.peers] == case.truth["other_children"]


def test_same_seed_same_samples_and_every_kind_written(samples: list[Sample]) -> None:
    assert case_samples(SEED) == samples
    kinds = {s.source for s in samples}
    assert {"b:chronology", "b:core_group", "b:sen_plan", "b:diary", "b:phone_log"} <= kinds
    assert sum(len(s.persons()) for s in samples) > 50


def test_person_spans_are_names_only(samples: list[Sample]) -> None:
    people, _ = tagged_people(SEED)
    names = name_words(people)
    for s in samples:
        for a, b in s.persons():
            words = re.split(r"[\s,]+", s.text[a:b].strip(","))
            assert words[0].lower().rstrip(".") not in TITLE_WORDS, s.text[a:b]
            for w in words:
                w = w.strip(".,'’")
                # a name word, or an initial ("A", "S.") of a name form
                assert w.casefold() in names or (len(w) == 1 and w.isupper()), (s.text[a:b], w)


def test_every_name_word_is_labelled_or_missing(samples: list[Sample]) -> None:
    people, _ = tagged_people(SEED)
    child = people.child.given
    seen = 0
    for s in samples:
        covered = s.covered()
        for m in re.finditer(rf"\b{re.escape(child)}\b", s.text):
            seen += 1
            assert any(a <= m.start() and m.end() <= b for a, b in covered), s.text[m.start() - 20 : m.end() + 20]
    assert seen > 5


def test_pointers_are_not_people(samples: list[Sample]) -> None:
    spans = [s.text[a:b].lower() for s in samples for a, b in s.persons()]
    assert not [t for t in spans if re.search(r"\b(partner|nan|mum|dad|grandad|uncle|aunty|auntie)\b", t)]


def test_an_untagged_name_word_is_marked_missing() -> None:
    s = Sample("Told Amelia's mum. Amelia Sutcliffe came in. Amelias.", ((19, 35, "PERSON"),))
    out = unlabelled_names(s, frozenset({"amelia", "sutcliffe"}))
    assert [out.text[a:b] for a, b in out.ignore] == ["Amelia"]
    assert out.ents == s.ents


def test_every_person_once() -> None:
    people, _ = tagged_people(SEED)
    everyone = people_of(people)
    assert len({id(x) for x in everyone}) == len(everyone)
    assert people.child in everyone and all(p in everyone for p in people.peers)


def test_family_b_cases_are_apart_from_every_split() -> None:
    train = split_casts(1, "train", 5, 7)
    dev_b = split_casts(1, "dev_b", 7)
    assert [f for f, _ in train] == ["dev"] * 5 + ["b"] * 7
    b_train = {cs for f, cs in train if f == "b"}
    b_dev = {cs for _, cs in dev_b}
    dev = set(cast_seeds(1, "dev", 20)) | set(cast_seeds(1, "dev_unseen", 20)) | set(cast_seeds(1, "train", 200))
    dev |= {1_000_000 + OCR_OFFSET + i for i in range(20)}  # the OCR dev set's casts
    assert not b_train & b_dev and not (b_train | b_dev) & dev
    with pytest.raises(ValueError):
        split_casts(1, "dev", 2, 3)


def test_train_split_takes_the_family_b_documents() -> None:
    samples = list(split_samples(2, "train", 0, None, b_casts=1))
    assert samples and all(s.source.startswith("b:") for s in samples)
