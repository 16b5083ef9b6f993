"""Files that hide a refused party the way real PDFs do, released through the CLI and
searched everywhere software can read (tests/release/outside.py): nothing is found.

One case folder holds every file of redaction.synth.adversarial; it is run, every
proposal accepted and released once through `cleancopy` and its Prefect flows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from redaction import cli
from redaction.errors import ExitCode
from redaction.synth import adversarial as adv
from tests.release.outside import everywhere

pytestmark = pytest.mark.slow

NEEDLES = ("Daniel", "Price", "07700900123", "dan.price")
CASE_ID = "SAR-ADV-001"


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("adversarial")
    case = root / "inbox" / CASE_ID
    (case / "files").mkdir(parents=True)
    (case / "case.yaml").write_text(adv.CASE_YAML)
    for i, (name, make) in enumerate(adv.ALL.items()):
        (case / "files" / f"{i:02d}-{name}.pdf").write_bytes(make())
    home, out = str(root / "home"), root / "out"
    assert cli.main(["run", str(case), "--home", home]) == ExitCode.OK
    assert cli.main(["reviewer", "add", "Mrs Allen", "--role", "head", "--password", "a long password",
                     "--home", home]) == 0
    assert cli.main(["decide", CASE_ID, "--reviewer", "Mrs Allen", "--accept-all", "--home", home]) == 0
    assert cli.main(["release", CASE_ID, "--out", str(out), "--home", home]) == ExitCode.OK
    yield out


def _outputs() -> list[str]:
    docs = [f"{i:02d}-{name}.pdf" for i, name in enumerate(adv.ALL)]
    return [*docs, "clean-copy.pdf", "schedule-of-redactions.pdf", "covering-letter.pdf"]


@pytest.mark.parametrize("name", _outputs())
def test_nothing_of_the_refused_party_can_be_read_anywhere(released: Path, name: str) -> None:
    data = (released / name).read_bytes()
    assert everywhere(data, NEEDLES) == []


def test_the_clean_copy_has_every_page_and_keeps_what_may_be_seen(released: Path) -> None:
    with pymupdf.open(released / "clean-copy.pdf") as bundle:
        pages = bundle.page_count
        text = " ".join(p.get_text() for p in bundle)
    expected = sum(pymupdf.open(stream=make(), filetype="pdf").page_count for make in adv.ALL.values())
    assert pages == expected
    assert text.count("Amelia") >= len(adv.ALL) // 2  # the child's own note is still there to read


def test_rotated_and_cropped_pages_keep_their_displayed_geometry(released: Path) -> None:
    with pymupdf.open(released / f"{list(adv.ALL).index('rotated-page'):02d}-rotated-page.pdf") as doc:
        assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (842, 595)
        assert doc[0].rotation == 0
    with pymupdf.open(released / f"{list(adv.ALL).index('outside-cropbox'):02d}-outside-cropbox.pdf") as doc:
        assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (595, 700)


def test_a_bitonal_scan_stays_bitonal(released: Path) -> None:
    with pymupdf.open(released / f"{list(adv.ALL).index('scan-ccitt'):02d}-scan-ccitt.pdf") as doc:
        info = doc[0].get_image_info()
    assert [i["bpc"] for i in info] == [1]


@pytest.mark.parametrize("name", list(adv.ALL))
def test_the_outside_search_finds_the_secret_in_each_source(name: str) -> None:
    """The search above can fail: in every source it finds the refused party."""
    assert everywhere(adv.ALL[name](), NEEDLES), name
