"""The people finder's answers kept per page text: asked once, offsets and scores only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from redaction.detect import ner_cache


@dataclass
class _Result:
    start: int
    end: int
    score: float


@dataclass
class _Ent:
    start_char: int
    end_char: int
    label_: str


class _Nlp:
    """A stand-in NLP engine: labels every word in capitals an organisation."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.nlp = {"en": type("N", (), {"meta": meta})()}
        self.runs = 0

    def process_text(self, text: str, language: str) -> Any:
        self.runs += 1
        ents, i = [], 0
        for w in text.split(" "):
            if len(w) > 1 and w.isupper():
                ents.append(_Ent(i, i + len(w), "ORG"))
            i += len(w) + 1
        return type("A", (), {"tokens": type("D", (), {"ents": ents})()})()


class _Engine:
    """A stand-in analyzer that counts its calls and finds capitalised words."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.calls = 0
        self.nlp_engine = _Nlp(meta)

    def analyze(self, text: str, language: str, entities: list[str], score_threshold: float,
                nlp_artifacts: Any = None) -> list[_Result]:
        assert nlp_artifacts is not None  # the model ran once, for both answers
        self.calls += 1
        out, i = [], 0
        for w in text.split(" "):
            if w[:1].isupper():
                out.append(_Result(i, i + len(w), 0.85))
            i += len(w) + 1
        return out


def _persons(engine: Any, model: str, text: str, min_score: float) -> tuple[tuple[int, int, float], ...]:
    """The person entities of the cached answer, as (start, end, score)."""
    return tuple((s, e, sc) for s, e, sc, label in ner_cache.entities(engine, model, text, min_score)
                 if label == ner_cache.PERSON)


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    ner_cache._memory.clear()
    yield
    ner_cache.use(None)
    ner_cache._memory.clear()


def test_the_same_text_is_asked_once(tmp_path: Path) -> None:
    ner_cache.use(tmp_path)
    eng = _Engine({"name": "m", "version": "1"})
    first = _persons(eng, "m", "seen by Tom Jones today", 0.5)
    assert first == ((8, 11, 0.85), (12, 17, 0.85))
    assert _persons(eng, "m", "seen by Tom Jones today", 0.5) == first
    assert eng.calls == 1
    ner_cache._memory.clear()  # a new process: the answer comes from disk
    assert _persons(eng, "m", "seen by Tom Jones today", 0.5) == first
    assert eng.calls == 1
    _persons(eng, "m", "seen by Tom Jones today", 0.7)  # another threshold asks again
    _persons(eng, "m", "seen by Tom Jones now", 0.5)  # and another text
    assert eng.calls == 3


def test_a_retrained_model_is_asked_again(tmp_path: Path) -> None:
    ner_cache.use(tmp_path)
    old, new = _Engine({"name": "m", "version": "1"}), _Engine({"name": "m", "version": "2"})
    _persons(old, "m", "Tom came", 0.5)
    _persons(new, "m", "Tom came", 0.5)
    assert (old.calls, new.calls) == (1, 1)


def test_no_text_is_stored(tmp_path: Path) -> None:
    ner_cache.use(tmp_path)
    _persons(_Engine({}), "m", "Rukhsana Begum visited", 0.5)
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 1
    body = stored[0].read_text() + str(stored[0].relative_to(tmp_path))
    assert "Rukhsana" not in body and "Begum" not in body and "visited" not in body


def test_an_unwritable_folder_costs_time_not_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    ner_cache.use(blocked / "below")
    eng = _Engine({})
    assert _persons(eng, "m", "Tom came", 0.5) == ((0, 3, 0.85),)


def test_other_labels_come_from_the_same_run(tmp_path: Path) -> None:
    ner_cache.use(tmp_path)
    eng = _Engine({})
    found = ner_cache.entities(eng, "m", "seen at CSWS by Tom", 0.5)
    assert found == ((8, 12, 0.85, "PERSON"), (16, 19, 0.85, "PERSON"), (8, 12, 0.0, "ORG"))
    assert _persons(eng, "m", "seen at CSWS by Tom", 0.5) == ((8, 12, 0.85), (16, 19, 0.85))
    ner_cache._memory.clear()
    assert ner_cache.entities(eng, "m", "seen at CSWS by Tom", 0.5) == found  # from disk, labels kept
    assert (eng.calls, eng.nlp_engine.runs) == (1, 1)
