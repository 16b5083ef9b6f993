"""The evaluation command end to end on one small demo case (real OCR, no baselines):
it prints the table, writes report.json, and a second run reuses the case and the OCR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redaction.evaluation.__main__ import _families, main
from redaction.evaluation.devset import dev_case


@pytest.mark.slow
def test_cli_runs_end_to_end_and_reruns_from_the_ocr_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_network: list[str]
) -> None:
    argv = ["--cases", "1", "--seed", "7", "--profile", "demo", "--docs", "1", "--out", str(tmp_path),
            "--no-baseline", "--workers", "1"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "refused/pending party: mention recall" in captured.out
    assert "presidio" not in captured.out.split("figure", 1)[1].splitlines()[0]  # no baseline column
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    figs = report["figures"]["cleancopy"]
    assert figs["n"]["keep_redacted"] > 0
    assert figs["child_name_redacted"] == 0 and figs["text_leaks"] == 0
    rules = report["rules_by_family"]["dev"]  # every rule behind an accepted proposal, with its figures
    assert rules and all(r["proposals"] > 0 and 0 <= (r["precision"] or 0) <= 1 for r in rules)
    assert "per rule" in captured.out
    first = report["cases"][0]["timing"]
    assert first["scanned_pages"] > 0 and first["fresh_ocr_pages"] == first["scanned_pages"]
    assert any((tmp_path / "ocr-cache").rglob("*"))

    assert main(argv) == 0
    second = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert second["cases"][0]["timing"]["fresh_ocr_pages"] == 0  # everything from the cache
    assert second["figures"]["cleancopy"] == figs  # same case, same answers
    assert "OCR uncached" in second["timing"] and "previous run" in second["timing"]["OCR uncached"]
    assert no_network == []


def test_dev_case_is_reused_when_the_seed_matches(tmp_path: Path) -> None:
    a = dev_case(tmp_path, 3, "demo", 1)
    b = dev_case(tmp_path, 3, "demo", 1)
    assert not a.reused and b.reused and b.case_dir == a.case_dir and b.truth == a.truth
    c = dev_case(tmp_path, 4, "demo", 1)
    assert not c.reused and c.case_dir != a.case_dir


@pytest.mark.slow
def test_a_family_b_case_is_kept_apart_and_reused(tmp_path: Path) -> None:
    a = dev_case(tmp_path, 3, "default", 1, "b")
    b = dev_case(tmp_path, 3, "default", 1, "b")
    d = dev_case(tmp_path, 3, "default", 1)
    assert a.family == "b" and d.family == "dev" and b.reused and not d.reused
    assert a.case_dir != d.case_dir and a.case_id.startswith("SAR-B-")


def test_family_choice_names_one_family_a_pair_every_family_or_a_list() -> None:
    assert _families("c", "default") == ("c",)
    assert _families("both", "default") == ("dev", "b")
    assert _families("all", "default") == ("dev", "b", "c")
    assert _families("c, dev", "default") == ("dev", "c")  # in the families' order, each once
    assert _families("c,c", "default") == ("c",)
    assert _families("all", "demo") == ("dev",)  # the demo is a fixed dev-family plan
    for bad in ("d", "dev,x", ",", ""):
        with pytest.raises(ValueError, match="--family"):
            _families(bad, "default")


def test_an_unknown_family_is_refused_by_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--family", "dev,z", "--cases", "1"])
    assert e.value.code == 2
    assert "--family 'dev,z'" in capsys.readouterr().err


@pytest.mark.slow
def test_a_family_c_case_is_kept_apart_and_reused(tmp_path: Path) -> None:
    a = dev_case(tmp_path, 3, "default", 1, "c")
    b = dev_case(tmp_path, 3, "default", 1, "c")
    assert a.family == "c" and b.reused and a.case_id.startswith("SAR-C-") and a.key.startswith("c-")


@pytest.mark.slow
def test_the_evaluation_runs_on_one_family_c_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--family", "c", "--cases", "1", "--seed", "2", "--docs", "2", "--out", str(tmp_path),
            "--no-baseline", "--compare-model", "none", "--workers", "1"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "family c: 1 synthetic case(s)" in out and "family dev" not in out
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [c["family"] for c in report["cases"]] == ["c"] and report["cases"][0]["status"] == "ok"
    figs = report["figures_by_family"]["c"]["cleancopy"]
    assert figs["n"]["keep_redacted"] > 0 and figs["n"]["refused_recall"] > 0
