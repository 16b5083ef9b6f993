"""Common English words, built offline from an installed spaCy package's lemmatizer tables
(its ``lemma_index``: the verbs, adjectives and adverbs it knows; ``lemma_exc``: their
irregular forms) and spaCy's English stop words. Its nouns are left out: WordNet lists
people among them, and given names and surnames with them ("Sarah", "Jones").

A person entity whose every word is such a word ("Saved", "Invite", "Follow up", "Daily
Views") is a heading, a label or a table cell the model took for a name. The vocabulary
also holds given names that are words ("Grace", "Mason", "Rose"): it says only that a word
*could* be an ordinary word, so a finding it touches is proposed at a lower score with a
reason saying so wherever the context says person (:mod:`redaction.detect.people`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from redaction.errors import ConfigError

log = logging.getLogger(__name__)

# the parts of speech whose words are taken: the lemmatizer's noun list holds given names and
# surnames ("sarah", "jones", "hartley": WordNet's people), its verbs, adjectives and adverbs few
_PARTS = ("verb", "adj", "adv")
# regular inflections folded back to their lemma (the irregular ones are in lemma_exc)
_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("d", ""),
             ("ing", ""), ("ing", "e"), ("ly", ""), ("er", ""), ("est", ""))


@functools.cache
def common_words(package: str) -> frozenset[str]:
    """Every verb, adjective and adverb (lower case, letters only) the lemmatizer of spaCy
    ``package`` knows, with their irregular forms, and the English stop words. Read from the
    installed package; nothing is downloaded. A package without lemmatizer tables stops the run."""
    import spacy.util
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.lookups import Lookups

    try:
        root = spacy.util.get_package_path(package)
    except Exception as e:  # spaCy raises a bare exception type of its own for a missing package
        raise ConfigError(f"detector configuration: vocabulary package {package!r} is not installed") from e
    tables = sorted(root.glob("*/lemmatizer/lookups"))
    if not tables:
        raise ConfigError(f"detector configuration: {package!r} holds no lemmatizer tables")
    lookups = Lookups().from_disk(tables[0])
    words: set[str] = set(STOP_WORDS)
    index = lookups.get_table("lemma_index")
    exc = lookups.get_table("lemma_exc") if lookups.has_table("lemma_exc") else None
    for pos in _PARTS:
        if pos in index:  # a lookups table hashes its string keys
            words.update(_plain(index[pos]))
        if exc is not None and pos in exc:
            words.update(_plain(exc[pos].keys()))
    log.debug("common-word vocabulary of %s: %d words", package, len(words))
    return frozenset(words)


def _plain(items: Iterable[str]) -> list[str]:
    return [w for w in items if w.isalpha() and w.islower()]


def is_common(word: str, vocabulary: frozenset[str]) -> bool:
    """``word`` (any case, a trailing possessive or punctuation allowed) is a common English word
    or a regular inflection of one ("Saved", "Views", "Daily")."""
    w = word.lower().strip(".,;:!?()[]\"'\u2019").removesuffix("'s").removesuffix("\u2019s")
    if not w.isalpha():
        return False
    if w in vocabulary:
        return True
    return any(w.endswith(s) and len(w) - len(s) >= 3 and w[: len(w) - len(s)] + r in vocabulary
               for s, r in _SUFFIXES)
