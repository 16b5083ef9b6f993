"""DirOcrCache: JSON per key, atomic writes, damaged entries are misses."""

from __future__ import annotations

from pathlib import Path

from redaction.ocr import DirOcrCache, MemoryOcrCache, PixelWord, cache_key

WORDS = [
    PixelWord("Daniel", 10, 20, 30, 12, 96.5, 1, 0, 0),
    PixelWord("Price", 45, 20, 28, 12, 91.0, 1, 0, 1),
]


def test_dir_cache_round_trips_words(tmp_path: Path) -> None:
    cache = DirOcrCache(tmp_path / "nested" / "cache")
    key = cache_key("tesseract", "5.3.0-eng-psm3", "ab" * 32)
    assert cache.get(key) is None
    cache.put(key, WORDS)
    assert cache.get(key) == WORDS
    assert DirOcrCache(tmp_path / "nested" / "cache").get(key) == WORDS  # persists


def test_dir_cache_keys_are_distinct_and_leave_no_temp_files(tmp_path: Path) -> None:
    cache = DirOcrCache(tmp_path)
    k1, k2 = cache_key("tesseract", "a", "1" * 64), cache_key("tesseract", "b", "1" * 64)
    cache.put(k1, WORDS)
    assert cache.get(k2) is None
    cache.put(k2, [])
    assert cache.get(k2) == []
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 2 and all(p.suffix == ".json" and not p.name.startswith(".tmp") for p in files)


def test_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    cache = DirOcrCache(tmp_path)
    key = cache_key("tesseract", "x", "2" * 64)
    cache.put(key, WORDS)
    cache.path_for(key).write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None
    cache.put(key, WORDS)  # and it can be rewritten
    assert cache.get(key) == WORDS


def test_unsafe_key_characters_stay_inside_the_root(tmp_path: Path) -> None:
    cache = DirOcrCache(tmp_path / "c")
    key = "eng/../../evil-key"
    cache.put(key, WORDS)
    assert cache.path_for(key).resolve().is_relative_to((tmp_path / "c").resolve())
    assert cache.get(key) == WORDS


def test_memory_cache_returns_copies() -> None:
    cache = MemoryOcrCache()
    cache.put("k", WORDS)
    got = cache.get("k")
    assert got == WORDS
    assert got is not None
    got.clear()
    assert cache.get("k") == WORDS
