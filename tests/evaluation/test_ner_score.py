"""The NER scorer on a hand-made page: which truth words are person words, and the counts of
a model's found words against them (a stub model, so no model is loaded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redaction.case import parse_manifest
from redaction.evaluation.ner_score import found_words, is_person_word, page_counts, person_name_words
from redaction.models import Box, OcrPage, TextSource, Word
from tests.evaluation.test_report import MANIFEST  # Daniel Price refused, Ngozi Oyelaran granted

TEXTS = ["Mr", "Daniel", "Price", "met", "Ngozi", "Oyelaran", "of", "Barnet", "and", "Amy"]
TRUTH = [("Mr", "refused_ref", "tp-1", None), ("Daniel", "refused_ref", "tp-1", None),
         ("Price", "refused_ref", "tp-1", None), ("met", "keep", None, None),
         ("Ngozi", "keep", "tp-2", None), ("Oyelaran", "keep", "tp-2", None),
         ("of", "keep", None, None), ("Barnet", "keep", None, None), ("and", "keep", None, None),
         ("Amy", "other_child", None, None)]


def _page() -> tuple[OcrPage, list[dict[str, Any]]]:
    words, truth, x = [], [], 50.0
    for t, (text, cls, party, role) in zip(TEXTS, TRUTH, strict=True):
        box = Box(x, 100, x + 6 * len(t), 112)
        words.append(Word(t, box, 1, 0, len(words), 95.0))
        truth.append({"text": text, "box": list(box.as_tuple()), "class": cls, "party_id": party, "role": role})
        x += 6 * len(t) + 4
    return OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, tuple(words)), truth


def test_person_words_are_words_of_peoples_names_not_titles_nor_places() -> None:
    names = person_name_words(parse_manifest(MANIFEST))
    _, truth = _page()
    assert [w["text"] for w in truth if is_person_word(w, names)] == ["Daniel", "Price", "Ngozi", "Oyelaran", "Amy"]
    # an organisation's staff are people; its name is not
    org = MANIFEST + ("  - id: tp-3\n    kind: organisation\n    name: Barnet Family Services\n"
                      "    staff: [\"Mrs Sarah Okafor\"]\n    consent: refused\n")
    words = person_name_words(parse_manifest(org))
    assert {"sarah", "okafor"} <= words and not {"mrs", "barnet", "family"} & words


@dataclass
class _Ent:
    start_char: int
    end_char: int
    label_: str


class _Model:
    """Finds "Daniel Price" and "Barnet" as PERSON, "Amy" as ORG."""

    def __call__(self, text: str) -> Any:
        def at(w: str) -> tuple[int, int]:
            s = text.index(w)
            return s, s + len(w)

        class Doc:
            ents = [_Ent(*at("Daniel Price"), "PERSON"), _Ent(*at("Barnet"), "PERSON"), _Ent(*at("Amy"), "ORG")]
        return Doc()


def test_counts_of_a_models_found_words_against_the_truth() -> None:
    page, truth = _page()
    found = found_words(_Model(), page)
    assert sorted(page.words[i].text for i in found) == ["Barnet", "Daniel", "Price"]
    c = page_counts(page, truth, person_name_words(parse_manifest(MANIFEST)), found)
    assert (c.person_words, c.found_person, c.found_on_truth, c.found_right) == (5, 2, 3, 2)
    assert c.recall == 2 / 5 and c.precision == 2 / 3
