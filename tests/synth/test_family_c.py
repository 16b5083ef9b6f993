"""Family C: a third family of synthetic cases, written apart from detection, in the same truth format."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from redaction.case import load_manifest
from redaction.synth import FAMILIES, GeneratedCase, generate_case, names
from redaction.synth.family_b import pool as pool_b
from redaction.synth.family_c import pool
from redaction.synth.family_c.casting import cast_case

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[GeneratedCase]:
    out = tmp_path_factory.mktemp("family_c")
    return [generate_case(out, seed, family="c") for seed in range(1, 9)]


def _norm(s: str) -> str:
    s = re.sub(r"['\u2019]s\W*$", "", s)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.casefold() if c.isalnum() and not unicodedata.combining(c))


def _tokens(name: str) -> set[str]:
    return {t for t in (_norm(x) for x in re.split(r"[\s,\-]+", name)) if len(t) >= 3 and t not in TITLES}


def _mentions(g: GeneratedCase, cls: str) -> list[str]:
    out: list[str] = []
    for f in g.truth["files"]:
        for p in f["pages"]:
            run: list[str] = []
            prev: tuple[str, str | None] | None = None
            for w in [*p["words"], {"class": "", "party_id": None, "text": ""}]:
                key = (w["class"], w["party_id"])
                if key != prev and run:
                    if prev and prev[0] == cls:
                        out.append(" ".join(run))
                    run = []
                run.append(w["text"])
                prev = key
    return out


def test_family_c_is_registered() -> None:
    assert "c" in FAMILIES


def test_name_pools_are_latin1_and_disjoint_from_the_dev_and_b_pools() -> None:
    others = {w.casefold() for s in [*names.all_strings(), *pool_b.all_strings()] for w in re.split(r"[\s\-]+", s)}
    mine = pool.person_names()
    assert len(mine) == len(set(mine))
    assert not [s for s in mine if any(w.casefold() in others for w in re.split(r"[\s\-]+", s))]
    for s in pool.all_strings():
        s.encode("latin-1")


def test_same_seed_gives_the_same_bytes_and_another_seed_another_case(tmp_path: Path) -> None:
    a = generate_case(tmp_path / "a", 5, family="c")
    b = generate_case(tmp_path / "b", 5, family="c")
    assert a.truth_path.read_bytes() == b.truth_path.read_bytes()
    assert (a.case_dir / "case.yaml").read_bytes() == (b.case_dir / "case.yaml").read_bytes()
    files = sorted(p.name for p in (a.case_dir / "files").iterdir())
    assert files == sorted(p.name for p in (b.case_dir / "files").iterdir())
    for name in files:
        assert (a.case_dir / "files" / name).read_bytes() == (b.case_dir / "files" / name).read_bytes(), name
    other = generate_case(tmp_path / "c", 6, family="c")
    assert other.truth_path.read_bytes() != a.truth_path.read_bytes()
    assert a.truth["family"] == "c" and a.case.case_id == "SAR-C-00005"


@pytest.mark.slow
def test_manifest_parses_and_every_withheld_party_is_in_the_files(cases: list[GeneratedCase]) -> None:
    for g in cases:
        case = load_manifest(g.case_dir)
        assert case == g.case
        words = {_norm(w["text"]) for f in g.truth["files"] for p in f["pages"] for w in p["words"]}
        for p in case.third_parties:
            if p.withheld and p.kind == "person":
                assert _tokens(p.name) & words, f"{case.case_id} {p.id}: never written"
        assert any(p.withheld and p.kind == "person" for p in case.third_parties)
        assert any(p.withheld and p.kind == "organisation" for p in case.third_parties)


@pytest.mark.slow
def test_truth_covers_every_name_printed(cases: list[GeneratedCase]) -> None:
    """Every printed word that is a name part of someone whose mentions must go (a withheld
    party, their agency's staff, another child) is marked so in the truth, unless a person
    who stays bears the same name part; every printed e-mail of a withheld party too."""
    for g in cases:
        case = g.case
        kept: set[str] = _tokens(case.child.name) | _tokens(case.requester.name)
        for a in case.child.aliases:
            kept |= _tokens(a)
        for s in case.staff:
            kept |= _tokens(s.split(",")[0])
        gone: set[str] = set()
        mails: set[str] = set()
        for p in case.third_parties:
            people = [p.name] if p.kind == "person" else list(p.staff)
            toks = set().union(*(_tokens(n) for n in people)) if people else set()
            if p.withheld:
                gone |= toks
                mails |= {m.casefold() for m in p.emails}
            else:
                kept |= toks
        for k in g.truth["other_children"]:
            gone |= _tokens(k)
        gone -= kept
        for f in g.truth["files"]:
            for pi, p in enumerate(f["pages"]):
                for w in p["words"]:
                    n = _norm(w["text"])
                    if n in gone:
                        assert w["class"] != "keep", f"{case.case_id} {f['file']} p{pi + 1}: {w['text']!r} kept"
                    if any(m in w["text"].casefold() for m in mails) and not p["page"]["authored"]:
                        assert w["class"] == "refused_ref", f"{case.case_id} {f['file']}: {w['text']!r}"
                    if w["class"] == "keep" and w["role"] is None and w["party_id"] is None:
                        assert n not in gone


@pytest.mark.slow
def test_born_digital_files_hold_exactly_the_truth_words(tmp_path: Path, cases: list[GeneratedCase]) -> None:
    """Render text vs truth: a born-digital file's words are the truth's words, in the truth's boxes."""
    seen = 0
    more = iter(range(100, 140))
    while not any(f["format"] == "pdf_text" for g in cases for f in g.truth["files"]):
        cases = [*cases, generate_case(tmp_path, next(more), family="c")]
    for g in cases:
        for f in g.truth["files"]:
            if f["format"] != "pdf_text":
                continue
            seen += 1
            with pymupdf.open(g.case_dir / "files" / f["file"]) as doc:
                for page, pt in zip(doc, f["pages"], strict=True):
                    printed = sorted((w[4], w[:4]) for w in page.get_text("words"))
                    truth = sorted((w["text"], tuple(w["box"])) for w in pt["words"])
                    assert [t for t, _ in printed] == [t for t, _ in truth], f["file"]
                    for (_, a), (_, b) in zip(printed, truth, strict=True):
                        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) < 0.05, f["file"]
    assert seen


@pytest.mark.slow
def test_the_forms_a_file_really_uses_are_there(cases: list[GeneratedCase]) -> None:
    kids = [m for g in cases for m in _mentions(g, "other_child")]
    rels = [m for g in cases for m in _mentions(g, "relationship_ref")]
    refused = [m for g in cases for m in _mentions(g, "refused_ref")]
    assert any(re.fullmatch(r"[A-Z][\w\u00c0-\u00ff-]+ [A-Z]\.\W*", m) for m in kids)  # "Amelia S."
    assert any(re.fullmatch(r"[A-Z]{2}\W*", m) for m in kids)  # initials
    assert any(re.search(r"'s\W*$", m) for m in kids)  # possessive
    surnames = {g.case.case_id: {_norm(n.split()[-1]) for n in g.truth["other_children"]} for g in cases}
    assert any(_norm(m) in surnames[g.case.case_id] for g in cases for m in _mentions(g, "other_child"))
    assert any(re.fullmatch(r"(his|her) \w+\W*", m) for m in rels)  # "her stepdad"
    assert any(re.fullmatch(r"(mum|dad)'s \w+\W*", m) for m in rels)  # "mum's partner"
    assert any(re.fullmatch(r"[A-Z][A-Z-]{3,},?", m) for m in refused)  # a surname in capitals
    assert any(re.fullmatch(r"(Mr|Mrs|Ms|Miss) [\w-]+'s\W*", m) for m in refused)  # "Mrs Pritchard's"
    assert any("@" in m for m in refused) and any("07700" in m for m in refused)
    assert any("-" in m and m[0].isupper() for m in [*kids, *refused])  # hyphenated names
    assert any(any(ord(c) > 127 for c in m) for m in [*kids, *refused, *rels])  # accented names and kin words
    kinds = {f["kind"] for g in cases for f in g.truth["files"]}
    assert {"cp_conference", "ehcp", "early_help", "nurse_record", "police_notice", "diary", "hand_note",
            "email_print", "agency_letter"} <= kinds


@pytest.mark.slow
def test_agency_writing_is_authored_and_school_records_are_not(cases: list[GeneratedCase]) -> None:
    by_kind: dict[str, set[bool]] = {}
    for g in cases:
        for f in g.truth["files"]:
            by_kind.setdefault(f["kind"], set()).update(p["page"]["authored"] for p in f["pages"])
    for k in ("cp_conference", "ehcp", "early_help", "diary", "hand_note"):
        assert by_kind[k] == {False}, k
    for k in ("police_notice", "nurse_record", "agency_letter"):
        assert by_kind[k] == {True}, k
    assert any(p["page"]["authored"] and p["page"]["author_party"] in {x["id"] for x in g.truth["parties"]
                                                                        if x["withheld"]}
               for g in cases for f in g.truth["files"] for p in f["pages"])


@pytest.mark.slow
def test_pages_are_turned_as_scanners_turn_them(cases: list[GeneratedCase]) -> None:
    pages: list[dict[str, Any]] = [p for g in cases for f in g.truth["files"] for p in f["pages"]]
    assert max(abs(p["skew_deg"]) for p in pages) > 1.0
    assert all(abs(p["skew_deg"]) <= 2.0 for p in pages)


def test_a_person_sharing_a_name_part_with_someone_who_stays_is_never_named_by_it_alone() -> None:
    namesakes = 0
    for seed in range(300):
        c = cast_case(random.Random(seed), dt.date(2026, 4, 1))
        for k in c.peers:
            assert (k.given, k.family) != (c.child.given, c.child.family), seed
            if k.given == c.child.given:
                namesakes += 1
                assert {"first", "poss_first", "nickname"} <= k.avoid, seed
                assert k.family[0] != c.child.family[0], seed
        for r in c.relatives:
            if r.family in (c.child.family, c.requester.family):
                assert {"surname", "SURNAME", "title"} <= r.avoid, seed
    assert namesakes > 30


def test_no_worker_job_title_names_their_agency() -> None:
    """A job title is kept: it must not hold the agency's short name ("MASH Officer" would)."""
    for _, short, _, jobs in pool.AGENCIES.values():
        for job in jobs:
            assert short.casefold() not in job.casefold().split(), job
