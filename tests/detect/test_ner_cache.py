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


class _Engine:
    """A stand-in analyzer that counts its calls and finds capitalised words."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.calls = 0
        self.nlp_engine = type("E", (), {"nlp": {"en": type("N", (), {"meta": meta})()}})()

    def analyze(self, text: str, language: str, entities: list[str], score_threshold: float) -> list[_Result]:
        self.calls += 1
        out, i = [], 0
        for w in text.split(" "):
            if w[:1].isupper():
                out.append(_Result(i, i + len(w), 0.85))
            i += len(w) + 1
        return out


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    ner_cache._memory.clear()
    yield
    ner_cache.use(None)
    ner_cache._memory.clear()


def test_the_same_text_is_asked_once(tmp_path: Path) -> None:
    ner_cache.use(tmp_path)
    eng = _Engine({"name": "m", "version": "1"})
    first = ner_cache.persons(eng, "m", "seen by Tom Jones today", 0.5)
    assert first == ((8, 11, 0.85), (12, 17, 0.85))
    assert ner_cache.persons(eng, "m", "seen by Tom Jones today", 0.5) == first
    assert eng.calls == 1
    ner_cache._memory.clear()  # a new process: the answer comes from disk
    assert ner_cache.persons(eng, "m", "seen by Tom Jones today", 0.5) == first
    assert eng.calls == 1
    ner_cache.persons(eng, "m", "seen by Tom Jones today", 0.7)  # another threshold asks again
    ner_cache.persons(eng, "m", "seen by Tom Jones now", 0.5)  # and another text
    assert eng.calls == 3


def test_a_retrained_model_is_asked_again(tmp_path: Path) -> None:
    ner_cache.use(tmp_path)
    old, new = _Engine({"name": "m", "version": "1"}), _Engine({"name": "m", "version": "2"})
    ner_cache.persons(old, "m", "Tom came", 0.5)
    ner_cache.persons(new, "m", "Tom came", 0.5)
    assert (old.calls, new.calls) == (1, 1)


def test_no_text_is_stored(tmp_path: Path) -> None:
    ner_cache.use(tmp_path)
    ner_cache.persons(_Engine({}), "m", "Rukhsana Begum visited", 0.5)
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 1
    body = stored[0].read_text() + str(stored[0].relative_to(tmp_path))
    assert "Rukhsana" not in body and "Begum" not in body and "visited" not in body


def test_an_unwritable_folder_costs_time_not_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    ner_cache.use(blocked / "below")
    eng = _Engine({})
    assert ner_cache.persons(eng, "m", "Tom came", 0.5) == ((0, 3, 0.85),)
