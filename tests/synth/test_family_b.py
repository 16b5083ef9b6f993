"""Family B: an independently written family of synthetic cases, in the same truth format."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from redaction.case import load_manifest
from redaction.synth import GeneratedCase, generate_case, names
from redaction.synth.family_b import pool


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[GeneratedCase]:
    out = tmp_path_factory.mktemp("family_b")
    return [generate_case(out, seed, family="b") for seed in range(1, 7)]


def _words(g: GeneratedCase) -> list[dict[str, Any]]:
    return [w for f in g.truth["files"] for p in f["pages"] for w in p["words"]]


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


@pytest.mark.slow
def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    a = generate_case(tmp_path / "a", 5, family="b")
    b = generate_case(tmp_path / "b", 5, family="b")
    assert a.truth_path.read_bytes() == b.truth_path.read_bytes()
    assert (a.case_dir / "case.yaml").read_bytes() == (b.case_dir / "case.yaml").read_bytes()
    for f in (a.case_dir / "files").iterdir():
        assert f.read_bytes() == (b.case_dir / "files" / f.name).read_bytes(), f.name


@pytest.mark.slow
def test_truth_says_family_b_and_the_dev_family_is_unchanged(tmp_path: Path, cases: list[GeneratedCase]) -> None:
    assert all(g.truth["family"] == "b" and g.case.case_id.startswith("SAR-B-") for g in cases)
    assert "family" not in generate_case(tmp_path, 5).truth


def test_name_pools_are_latin1_and_disjoint_from_the_dev_pools() -> None:
    dev = {w for s in names.all_strings() for w in s.split()}
    mine = [s for h in pool.HERITAGES for s in (*h.men, *h.women, *h.boys, *h.girls, *h.surnames)]
    assert not [s for s in mine if any(w in dev for w in s.split())]
    for s in pool.all_strings():
        s.encode("latin-1")


@pytest.mark.slow
def test_manifest_parses_and_every_withheld_party_is_in_the_files(cases: list[GeneratedCase]) -> None:
    for g in cases:
        case = load_manifest(g.case_dir)
        assert case == g.case
        texts = {re.sub(r"\W", "", w["text"]).lower() for w in _words(g)}
        for p in case.third_parties:
            if p.withheld:
                parts = {re.sub(r"\W", "", x).lower() for x in p.name.split()}
                assert parts & texts, f"{g.case.case_id} {p.id}: never written"
        assert any(p.withheld and p.kind == "person" for p in case.third_parties)
        assert any(p.withheld and p.kind == "organisation" for p in case.third_parties)


@pytest.mark.slow
def test_agency_documents_are_authored_and_minutes_are_not(cases: list[GeneratedCase]) -> None:
    kinds = {}
    for g in cases:
        for f in g.truth["files"]:
            kinds.setdefault(f["kind"], set()).update(p["page"]["authored"] for p in f["pages"])
    assert kinds["core_group"] == {False} and kinds["chronology"] == {False}
    assert {True} in [kinds.get(k) for k in ("salt_report", "hv_letter", "police_notice", "services_letter")]


@pytest.mark.slow
def test_the_hard_forms_are_there(cases: list[GeneratedCase]) -> None:
    """The kinds of mention the issue lists as missed on an independent set."""
    kids = [m for g in cases for m in _mentions(g, "other_child")]
    rels = [m for g in cases for m in _mentions(g, "relationship_ref")]
    refused = [m for g in cases for m in _mentions(g, "refused_ref")]
    assert any(re.fullmatch(r"[A-Z]\w+ [A-Z]\.", m) for m in kids)  # "Amelia S."
    assert any(re.fullmatch(r"[A-Z]\.?[A-Z]\.?", m) for m in kids)  # initials
    assert any(re.fullmatch(r"(his|her) \w+\W*", m) for m in rels)  # "her partner", "his dad"
    assert any(re.search(r"[A-Z]{4,}", m) for m in refused)  # a surname in capitals
    assert any("@" in m for m in refused)
    surnames_alone = {g.case.case_id: {n.split()[-1] for n in g.truth["other_children"]} for g in cases}
    assert any(m in surnames_alone[g.case.case_id] for g in cases for m in _mentions(g, "other_child"))
    shared = [g for g in cases if any(n.split()[0] == g.case.child.name.split()[0] or
                                      n.split()[-1] == g.case.child.name.split()[-1]
                                      for n in g.truth["other_children"])]
    assert shared  # another child with the child's first name or surname


@pytest.mark.slow
def test_attendee_list_names_a_withheld_agency_near_the_top_of_minutes(cases: list[GeneratedCase]) -> None:
    tops = []
    for g in cases:
        for f in g.truth["files"]:
            if f["kind"] == "core_group":
                p = f["pages"][0]
                top = [w for w in p["words"] if w["box"][1] < p["height"] * 0.35]
                tops.append(any(w["class"] == "refused_ref" for w in top) and not p["page"]["authored"])
    assert any(tops)


def test_no_other_child_could_be_the_child_to_a_reader() -> None:
    import datetime as dt
    import random

    from redaction.synth.family_b.casting import draw_people

    namesakes = 0
    for seed in range(400):
        p = draw_people(random.Random(seed), dt.date(2026, 3, 2))
        for peer in p.peers:
            assert (peer.given, peer.family) != (p.child.given, p.child.family), seed
            if peer.given == p.child.given:
                namesakes += 1  # "Tyrese E." beside the child Tyrese Ellis-Walcott: no telling them apart
                assert peer.family[:1].lower() != p.child.family[:1].lower(), seed
    assert namesakes > 50  # the namesake form is still made
