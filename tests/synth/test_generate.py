"""The synthetic case generator: reproducible, valid manifests, truth that sits on ink."""

from __future__ import annotations

import io
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf
import pytest
from PIL import Image, ImageOps

from redaction.case import Consent, PartyKind, load_manifest
from redaction.synth import DEMO_SEED, PROFILES, GeneratedCase, generate_case
from redaction.synth.__main__ import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCase:
    return generate_case(tmp_path_factory.mktemp("synth"), 7)


def _page_image(case: GeneratedCase, file: dict[str, Any], index: int) -> tuple[np.ndarray, float]:
    """The page as a grey array and the pixels per point of the truth's coordinates."""
    path = case.case_dir / "files" / file["file"]
    page = file["pages"][index]
    if file["format"] in ("png", "jpeg", "tiff"):
        im = Image.open(path)
        im.seek(index)
        upright = ImageOps.exif_transpose(im.convert("L"))  # truth is in the displayed page
        arr = np.asarray(upright)
        return arr, upright.size[0] / page["width"]
    doc = pymupdf.open(path)
    pg = doc[index]
    pix = pg.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)  # as displayed, /Rotate applied
    arr = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    return arr, pix.width / pg.rect.width


def test_same_seed_gives_byte_identical_manifest_truth_and_files(tmp_path: Path) -> None:
    a = generate_case(tmp_path / "a", 11)
    b = generate_case(tmp_path / "b", 11)
    assert (a.case_dir / "case.yaml").read_bytes() == (b.case_dir / "case.yaml").read_bytes()
    assert a.truth_path.read_bytes() == b.truth_path.read_bytes()
    names = sorted(p.name for p in (a.case_dir / "files").iterdir())
    assert names == sorted(p.name for p in (b.case_dir / "files").iterdir())
    for n in names:
        assert (a.case_dir / "files" / n).read_bytes() == (b.case_dir / "files" / n).read_bytes(), n


def test_different_seeds_give_different_cases(tmp_path: Path) -> None:
    a = generate_case(tmp_path, 1)
    b = generate_case(tmp_path, 2)
    assert a.case.child.name != b.case.child.name or a.case.third_parties != b.case.third_parties


def test_manifest_parses_with_a_refused_person_and_a_refused_organisation(case: GeneratedCase) -> None:
    parsed = load_manifest(case.case_dir)
    assert parsed == case.case
    refused = [p for p in parsed.third_parties if p.consent is Consent.REFUSED]
    assert any(p.kind is PartyKind.PERSON for p in refused)
    assert any(p.kind is PartyKind.ORGANISATION for p in refused)
    assert 2 <= len(parsed.staff) <= 4
    for note in parsed.documents:
        assert (case.case_dir / "files" / note.file).is_file()
    n_files = len(list((case.case_dir / "files").iterdir()))
    assert 0 < len(parsed.documents) < n_files  # documents: for some files, not all


def test_truth_is_kept_outside_the_case_folder(case: GeneratedCase) -> None:
    assert case.truth_path.is_file()
    assert case.case_dir not in case.truth_path.parents
    assert not list(case.case_dir.rglob("*.json"))
    listed = {f["file"] for f in case.truth["files"]}
    assert listed == {p.name for p in (case.case_dir / "files").iterdir()}


@pytest.mark.parametrize("seed", [3, 7, 19, 23])
def test_every_withheld_party_is_named_in_the_truth(tmp_path: Path, seed: int) -> None:
    g = generate_case(tmp_path, seed)
    words = [w for f in g.truth["files"] for p in f["pages"] for w in p["words"]]
    for party in g.case.third_parties:
        if not party.withheld:
            continue
        mine = [w for w in words if w["party_id"] == party.id]
        assert all(w["class"] in ("refused_ref", "relationship_ref") for w in mine), party.id
        name_parts = set(party.name.split())
        texts = {w["text"].strip(",.()<>\"'").removesuffix("'s") for w in mine if w["class"] == "refused_ref"}
        assert name_parts & texts, f"{party.id}: no word of its name in the truth"


def test_granted_parties_and_protected_names_are_kept(case: GeneratedCase) -> None:
    granted = {p.id for p in case.case.third_parties if p.consent is Consent.GRANTED}
    words = [w for f in case.truth["files"] for p in f["pages"] for w in p["words"]]
    for w in words:
        if w["party_id"] in granted:
            assert w["class"] == "keep"
        if w["role"] is not None:
            assert w["class"] == "keep" and w["role"] in ("child_name", "requester_name", "staff_name")
    roles = {w["role"] for w in words}
    assert {"child_name", "staff_name"} <= roles
    assert any(w["class"] == "other_child" for w in words)


def _assert_boxes_on_ink(case: GeneratedCase) -> int:
    checked = 0
    for f in case.truth["files"]:
        for i, page in enumerate(f["pages"]):
            arr, k = _page_image(case, f, i)
            paper = float(np.median(arr))
            for w in page["words"]:
                x0, y0, x1, y1 = (round(v * k) for v in w["box"])
                crop = arr[max(y0, 0) : y1 + 1, max(x0, 0) : x1 + 1]
                assert crop.size, w["text"]
                dark = 80 if any(ch.isalnum() for ch in w["text"]) else 30  # a lone "-" is faint
                assert crop.min() < paper - dark, f"{f['file']} p{i + 1}: no ink under a word box"
                checked += 1
            # and the page outside the words is mostly paper
            assert paper > 200
    return checked


def test_truth_boxes_lie_on_ink(case: GeneratedCase) -> None:
    assert _assert_boxes_on_ink(case) > 200


def test_sideways_scans_keep_truth_in_the_upright_displayed_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(PROFILES, "sideways", replace(PROFILES["default"], name="sideways", sideways_p=1.0))
    g = generate_case(tmp_path, 3, profile="sideways")
    turned = [f for f in g.truth["files"] if any(p["rotation"] == 90 for p in f["pages"])]
    assert turned
    for f in turned:
        path = g.case_dir / "files" / f["file"]
        if f["format"] == "jpeg":
            assert Image.open(path).getexif()[0x0112] == 6
        else:
            page = pymupdf.open(path)[0]
            assert page.rotation == 90 and page.cropbox.width > page.cropbox.height
    assert _assert_boxes_on_ink(g) > 100


def test_boxes_cover_the_words_ink_not_a_neighbours(case: GeneratedCase) -> None:
    """A box grown by its height sideways still holds its word: boxes are not shifted."""
    f = next(f for f in case.truth["files"] if f["format"] != "pdf_text")
    arr, k = _page_image(case, f, 0)
    for w in f["pages"][0]["words"][:80]:
        x0, y0, x1, y1 = (v * k for v in w["box"])
        inner = arr[int(y0 + (y1 - y0) * 0.25) : int(y1 - (y1 - y0) * 0.2), int(x0) : int(x1) + 1]
        assert inner.size and inner.min() < 128


def test_sources_decode_with_the_page_size_the_truth_gives(case: GeneratedCase) -> None:
    for f in case.truth["files"]:
        path = case.case_dir / "files" / f["file"]
        if f["format"] in ("png", "jpeg", "tiff"):
            im = Image.open(path)
            n = getattr(im, "n_frames", 1)
            assert n == len(f["pages"])
            for i, page in enumerate(f["pages"]):
                im.seek(i)
                im.load()
                dpi = im.info["dpi"][0]
                assert abs(dpi - page["dpi"]) < 1e-4
                w, h = im.size if page["rotation"] == 0 else im.size[::-1]
                assert abs(w * 72 / page["dpi"] - page["width"]) < 0.01
                assert abs(h * 72 / page["dpi"] - page["height"]) < 0.01
        else:
            doc = pymupdf.open(path)
            assert len(doc) == len(f["pages"])
            for page, t in zip([doc[i] for i in range(len(doc))], f["pages"], strict=True):
                assert (page.rect.width, page.rect.height) == (t["width"], t["height"])  # displayed
                assert page.rotation == t["rotation"]
                if f["format"] == "pdf_scan":
                    assert page.get_text("words") == []
                if f["format"].startswith("pdf_scan"):
                    assert len(page.get_images()) == 1


def test_born_digital_truth_is_exactly_what_pymupdf_reads(tmp_path: Path) -> None:
    for seed in range(1, 30):
        g = generate_case(tmp_path / str(seed), seed, n_docs=3)
        f = next((f for f in g.truth["files"] if f["format"] == "pdf_text"), None)
        if f:
            break
    else:
        pytest.fail("no born-digital file in 29 seeds")
    doc = pymupdf.open(g.case_dir / "files" / f["file"])
    for page, t in zip([doc[i] for i in range(len(doc))], f["pages"], strict=True):
        got = [(w[4], [round(v, 2) for v in w[:4]]) for w in page.get_text("words")]
        assert got == [(w["text"], w["box"]) for w in t["words"]]


def test_scanner_text_layer_matches_the_truth_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ocr_only = replace(PROFILES["default"], name="ocr", formats={"pdf_scan_ocr": 1.0}, sideways_p=0.0)
    monkeypatch.setitem(PROFILES, "ocr", ocr_only)
    g = generate_case(tmp_path, 9, profile="ocr", n_docs=2)
    for f in g.truth["files"]:
        doc = pymupdf.open(g.case_dir / "files" / f["file"])
        for i, t in enumerate(f["pages"]):
            got = doc[i].get_text("words")
            assert [w[4] for w in got] == [w["text"] for w in t["words"]]
            for w, tw in zip(got, t["words"], strict=True):
                assert all(abs(a - b) < 1.0 for a, b in zip(w[:4], tw["box"], strict=True))


def test_authored_pages_belong_to_a_letter_or_email_from_an_agency(case: GeneratedCase) -> None:
    ids = {p.id for p in case.case.third_parties}
    authored = 0
    for f in case.truth["files"]:
        for p in f["pages"]:
            if p["page"]["authored"]:
                authored += 1
                assert p["page"]["author_party"] in ids
                assert f["kind"] in ("agency_letter", "email")
    assert authored >= 1


def test_names_render_in_latin1_and_file_shows_many_forms(case: GeneratedCase) -> None:
    words = [w["text"] for f in case.truth["files"] for p in f["pages"] for w in p["words"]]
    for w in words:
        w.encode("latin-1")
    refused = [w for f in case.truth["files"] for p in f["pages"] for w in p["words"] if w["class"] == "refused_ref"]
    assert any(w["text"].isupper() and len(w["text"]) > 2 for w in refused)  # capitals in a form
    assert any(any(ch.isdigit() for ch in w["text"]) for w in refused)  # a phone or postcode


def test_generation_takes_under_two_seconds_of_cpu(tmp_path: Path) -> None:
    t = time.process_time()
    generate_case(tmp_path, 5)
    assert time.process_time() - t < 2.0


def test_cli_writes_consecutive_seeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--seed", "40", "--cases", "2", "--docs", "2"]) == 0
    assert (tmp_path / "SAR-SYN-000040" / "case.yaml").is_file()
    assert (tmp_path / "SAR-SYN-000041.truth" / "truth.json").is_file()
    assert main([str(tmp_path), "--seed", "40", "--cases", "1", "--docs", "2"]) == 2  # exists: refused
    assert "exists" in capsys.readouterr().err


def test_n_docs_is_honoured_by_random_and_fixed_plans(tmp_path: Path) -> None:
    assert len(generate_case(tmp_path / "a", 4, n_docs=2).truth["files"]) == 2
    assert len(generate_case(tmp_path / "b", 4, n_docs=9).truth["files"]) == 9
    demo4 = generate_case(tmp_path / "c", DEMO_SEED, n_docs=4, profile="demo")
    assert [f["kind"] for f in demo4.truth["files"]] == ["record_form", "observation", "concern_log", "minutes"]


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="profile"):
        generate_case(tmp_path, 1, profile="nope")


def test_committed_demo_matches_the_generator(tmp_path: Path) -> None:
    demo = REPO / "demo" / "SAR-DEMO-001"
    if not demo.is_dir():
        pytest.skip("demo case not generated yet")
    g = generate_case(tmp_path, DEMO_SEED, profile="demo")
    assert (g.case_dir / "case.yaml").read_bytes() == (demo / "case.yaml").read_bytes()
    assert g.truth_path.read_bytes() == (REPO / "demo" / "SAR-DEMO-001.truth" / "truth.json").read_bytes()
    for p in (g.case_dir / "files").iterdir():
        assert p.read_bytes() == (demo / "files" / p.name).read_bytes(), p.name
    size = sum(p.stat().st_size for p in (demo / "files").iterdir())
    assert size < 3_000_000
    pages = sum(len(f["pages"]) for f in json.loads(g.truth_path.read_text())["files"])
    assert 6 <= pages <= 10


@pytest.mark.slow
def test_tesseract_reads_most_kept_words_of_a_scanned_page(case: GeneratedCase) -> None:
    import pytesseract

    f = next(f for f in case.truth["files"] if f["format"] != "pdf_text" and f["pages"][0]["rotation"] == 0)
    path = case.case_dir / "files" / f["file"]
    if f["format"].startswith("pdf_scan"):
        doc = pymupdf.open(path)
        img = Image.open(io.BytesIO(doc.extract_image(doc[0].get_images()[0][0])["image"]))
    else:
        img = Image.open(path)
    text = pytesseract.image_to_string(img.convert("L"))
    read = {t.strip(",.:;()\"'<>") for t in text.split()}
    keep = [w["text"].strip(",.:;()\"'<>") for w in f["pages"][0]["words"] if w["class"] == "keep"]
    keep = [k for k in keep if len(k) >= 4 and k.isalpha()]
    assert len(keep) > 20
    hit = sum(k in read for k in keep) / len(keep)
    assert hit > 0.8, hit
