"""Hostile case folders, made here in tmp_path: links, special files, names of any bytes,
huge files, missing files. Each is refused by name without being followed or read, only
that file is held back, the rest of the case is imported, and the inbox is left as it was."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from redaction import inbox, ingest, pipeline
from redaction.casefolder import CaseFolder, shown_name
from redaction.errors import InputError, ManifestError, SourceFileError
from redaction.settings import Settings
from redaction.store.db import CaseRow
from tests.test_pipeline import CASE, _born_digital

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE_TEXT = "Outsider Zebulon Quarrington"  # a PDF beside the case folder, never to be read
SECRET = b"root:x:0:0:not-to-be-copied-into-the-store\n"


def lstat_snapshot(folder: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every entry under ``folder`` from lstat (mode, size, mtime; a regular file's hash,
    a link's target), following no link and opening no special file."""
    out: dict[str, tuple[int, int, int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(folder)):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            what = ""
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    what = hashlib.sha256(f.read()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                what = os.fsdecode(os.readlink(p))
            out[os.fsdecode(p)] = (st.st_mode, st.st_size, st.st_mtime_ns, what)
    return out


_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _OPENED is not None and event == "open" and args and isinstance(args[0], str | bytes):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


@contextmanager
def opened_paths() -> Iterator[list[str]]:
    """Every path this process opens inside the block (Python's 'open' audit event)."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.Context:
    return pipeline.open_context(Settings(home=tmp_path / "home", inbox=tmp_path / "inbox", ocr_engine="null",
                                          ocr_workers=1))


def case_folder(tmp_path: Path, documents: str = "") -> Path:
    d = tmp_path / "inbox" / "SAR-T-001"
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE + documents)
    (d / "files" / "01-note.pdf").write_bytes(_born_digital(["Amelia came in with Daniel Price today."]))
    (tmp_path / "outside.pdf").write_bytes(_born_digital([OUTSIDE_TEXT]))
    (tmp_path / "passwd").write_bytes(SECRET)
    return d


def _blobs(tmp_path: Path) -> list[bytes]:
    return [p.read_bytes() for p in (tmp_path / "home" / "blobs").rglob("*") if p.is_file()]


def _held(imp: pipeline.ImportResult) -> dict[str, str]:
    return {d.file_name: d.problem or "" for d in imp.held_back}


def test_links_are_refused_by_name_never_followed_never_read(ctx: pipeline.Context, tmp_path: Path) -> None:
    d = case_folder(tmp_path)
    (d / "files" / "02-elsewhere.pdf").symlink_to(tmp_path / "outside.pdf")
    (d / "files" / "03-system.pdf").symlink_to(tmp_path / "passwd")
    (d / "files" / "04-inside.pdf").symlink_to(d / "files" / "01-note.pdf")  # even one inside the folder
    (d / "files" / "05-dangling.pdf").symlink_to(tmp_path / "nothing-here.pdf")
    before = lstat_snapshot(tmp_path / "inbox")
    with opened_paths() as opened:
        imp = pipeline.import_case(ctx, d)
    held = _held(imp)
    assert set(held) == {"02-elsewhere.pdf", "03-system.pdf", "04-inside.pdf", "05-dangling.pdf"}
    assert all("symbolic link" in p and "not followed" in p for p in held.values())
    assert [r.file_name for r in imp.documents if r.status == "new"] == ["01-note.pdf"]
    assert "01-note.pdf" in opened  # the hook sees what is opened
    assert not [p for p in opened if any(n in p for n in ("02-", "03-", "04-", "05-", "outside", "passwd"))]
    assert not any(SECRET in b or OUTSIDE_TEXT.encode() in b for b in _blobs(tmp_path))
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    assert not any("Zebulon" in r.text for r, _ in pipeline.list_proposals(ctx, "SAR-T-001"))
    assert lstat_snapshot(tmp_path / "inbox") == before


def test_special_files_are_refused_without_being_opened(ctx: pipeline.Context, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    d = case_folder(tmp_path)
    files = d / "files"
    os.mkfifo(files / "02-pipe.pdf")  # opened for reading, it would block until a writer came
    monkeypatch.chdir(files)  # a socket's path must be short
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("03-socket.pdf")
        devices = []
        try:
            os.mknod(files / "04-device.pdf", 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
            devices.append("04-device.pdf")
        except PermissionError:
            pass  # not allowed to make devices here: the FIFO and the socket stand for them
        before = lstat_snapshot(tmp_path / "inbox")
        with opened_paths() as opened:
            imp = pipeline.import_case(ctx, d)
    held = _held(imp)
    assert set(held) == {"02-pipe.pdf", "03-socket.pdf", *devices}
    assert "named pipe" in held["02-pipe.pdf"] and "socket" in held["03-socket.pdf"]
    assert all("not read" in p for p in held.values())
    assert "01-note.pdf" in opened
    assert not [p for p in opened if any(n in p for n in ("02-pipe", "03-socket", "04-device"))]
    assert [r.file_name for r in imp.documents if r.status == "new"] == ["01-note.pdf"]
    assert lstat_snapshot(tmp_path / "inbox") == before


def test_a_linked_files_folder_or_case_yaml_is_refused(ctx: pipeline.Context, tmp_path: Path) -> None:
    d = case_folder(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (d / "files").rename(elsewhere)
    (d / "files").symlink_to(elsewhere)
    with pytest.raises(InputError, match=r"files: is a symbolic link: it is not followed"):
        pipeline.import_case(ctx, d)
    with ctx.store.session() as s:
        assert s.get(CaseRow, "SAR-T-001") is None  # nothing imported
    (d / "files").unlink()
    elsewhere.rename(d / "files")
    (d / "case.yaml").rename(tmp_path / "case.yaml")
    (d / "case.yaml").symlink_to(tmp_path / "case.yaml")
    with pytest.raises(ManifestError, match=r"case.yaml: is a symbolic link .* not followed"):
        pipeline.import_case(ctx, d)


def test_names_of_any_bytes_are_shown_escaped_and_only_that_file_is_held(ctx: pipeline.Context,
                                                                        tmp_path: Path) -> None:
    d = case_folder(tmp_path)
    raw_files = os.fsencode(d / "files")
    pdf = _born_digital(["Another note about Daniel Price."])
    for name in (b"02-caf\xe9.pdf", b"03-line\nbreak.pdf", b"04-\x1b[31mred.pdf", "05-café.pdf".encode()):
        with open(raw_files + b"/" + name, "wb") as f:
            f.write(pdf)
    before = lstat_snapshot(tmp_path / "inbox")
    imp = pipeline.import_case(ctx, d)
    held = _held(imp)
    assert set(held) == {"02-caf\\xe9.pdf", "03-line\\x0abreak.pdf", "04-\\x1b[31mred.pdf"}
    for name, problem in held.items():
        assert problem.startswith(f"{name}: the file name is not plain text") and "rename" in problem
        assert "\n" not in problem and "\x1b" not in problem
    assert sorted(r.file_name for r in imp.documents if r.status == "new") == ["01-note.pdf", "05-café.pdf"]
    assert lstat_snapshot(tmp_path / "inbox") == before
    again = pipeline.import_case(ctx, d)  # held files stay held, the others keep their documents
    assert _held(again) == held
    assert {r.id for r in again.documents if r.status != "held"} == {r.id for r in imp.documents if r.status != "held"}


def test_shown_name() -> None:
    assert shown_name("Zoë-report.pdf".encode()) == "Zoë-report.pdf"
    assert shown_name(b"caf\xe9\tx.pdf") == "caf\\xe9\\x09x.pdf"


def test_sizes_come_from_metadata_before_a_byte_is_read(ctx: pipeline.Context, tmp_path: Path) -> None:
    d = case_folder(tmp_path)
    with open(d / "files" / "02-huge.pdf", "wb") as f:  # sparse: 300 MB on paper, nothing on disk
        f.write(b"%PDF-1.7\n")
        f.truncate(300 * 1024 * 1024)
    (d / "files" / "03-empty.pdf").write_bytes(b"")
    with opened_paths() as opened:
        imp = pipeline.import_case(ctx, d)
    held = _held(imp)
    assert "over the limit of 200 MB" in held["02-huge.pdf"] and "300.0 MB" in held["02-huge.pdf"]
    assert "empty" in held["03-empty.pdf"]
    assert "01-note.pdf" in opened
    assert not [p for p in opened if "02-huge" in p or "03-empty" in p]
    assert sum(len(b) for b in _blobs(tmp_path)) < 1024 * 1024  # none of it stored


def test_a_file_that_grows_past_the_limit_is_read_no_further(tmp_path: Path) -> None:
    d = case_folder(tmp_path)
    big = d / "files" / "02-growing.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * 1000)
    with CaseFolder(d) as folder:
        (entry,) = [e for e in folder.listing(10_000).entries if e.name == "02-growing.pdf"]
        with open(big, "ab") as f:  # between the listing and the read
            f.write(b"1" * 20_000)
        with pytest.raises(SourceFileError) as info:
            folder.read(entry, 10_000)
    assert info.value.code == "too-large"


def test_a_file_replaced_by_a_link_after_the_listing_is_not_followed(tmp_path: Path) -> None:
    d = case_folder(tmp_path)
    with CaseFolder(d) as folder:
        (entry,) = folder.listing(10**9).entries
        (d / "files" / "01-note.pdf").unlink()
        (d / "files" / "01-note.pdf").symlink_to(tmp_path / "passwd")
        with pytest.raises(SourceFileError) as info:
            folder.read(entry, 10**9)
    assert info.value.code in ("changed", "corrupt") and "passwd" not in info.value.message


@pytest.mark.slow  # a few seconds: a separate process, to measure its memory
def test_a_huge_file_is_never_read_whole(tmp_path: Path) -> None:
    """1 GB (sparse) beside a small file: the import's peak memory stays far below it and
    nothing of it reaches the blob store (before: 1.34 GB RSS and +1.1 GB of blobs)."""
    d = case_folder(tmp_path)
    with open(d / "files" / "02-huge.pdf", "wb") as f:
        f.write(b"%PDF-1.7\n")
        f.truncate(1024 * 1024 * 1024)
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from redaction import pipeline\n"
        "from redaction.settings import Settings\n"
        "ctx = pipeline.open_context(Settings(home=Path(sys.argv[1]), ocr_engine='null', ocr_workers=1))\n"
        "imp = pipeline.import_case(ctx, sys.argv[2])\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (pytest)
        "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print(json.dumps({'rss_mb': hwm / 1024,"
        " 'status': {r.file_name: r.status for r in imp.documents}}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLEANCOPY_"))}
    env["PYTHONPATH"] = str(ROOT)
    p = subprocess.run([sys.executable, "-c", code, str(tmp_path / "home"), str(d)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["status"] == {"01-note.pdf": "new", "02-huge.pdf": "held"}
    assert out["rss_mb"] < 800, out  # the file alone would be 1024 MB (about 190 MB without it)
    assert sum(f.stat().st_size for f in (tmp_path / "home" / "blobs").rglob("*") if f.is_file()) < 1024 * 1024


def test_a_documents_entry_naming_no_file_is_a_warning(ctx: pipeline.Context, tmp_path: Path) -> None:
    d = case_folder(tmp_path, documents="documents:\n  - file: 09-missing.pdf\n    record_type: personal\n"
                                        "  - file: 01-note.pdf\n    record_type: personal\n")
    (d / "files" / "sub").mkdir()
    imp = pipeline.import_case(ctx, d)
    assert [r.file_name for r in imp.documents] == ["01-note.pdf"]
    assert len(imp.warnings) == 2
    assert any("09-missing.pdf" in w and "documents" in w for w in imp.warnings)
    assert any("files/sub/ is a folder" in w for w in imp.warnings)
    assert not any("01-note.pdf" in w for w in imp.warnings)


def test_the_inbox_scan_reads_no_link_and_sees_a_hostile_folder_unchanged(ctx: pipeline.Context,
                                                                         tmp_path: Path) -> None:
    d = case_folder(tmp_path)
    (d / "files" / "02-elsewhere.pdf").symlink_to(tmp_path / "outside.pdf")
    os.mkfifo(d / "files" / "03-pipe.pdf")
    with open(os.fsencode(d / "files") + b"/04-caf\xe9.pdf", "wb") as f:
        f.write(_born_digital(["x"]))
    (tmp_path / "inbox" / "SAR-L-002").symlink_to(d)  # a case folder that is a link
    with opened_paths() as opened:
        states = {Path(e.folder).name: (e.state, e.problem) for e in inbox.scan_inbox(ctx)}
    assert states["SAR-T-001"] == ("new", None)
    assert states["SAR-L-002"][0] == "invalid" and "link" in (states["SAR-L-002"][1] or "")
    assert "01-note.pdf" in opened
    assert not [p for p in opened if any(n in p for n in ("02-", "03-", "04-", "outside"))]
    pipeline.import_case(ctx, d)
    assert {Path(e.folder).name: e.state for e in inbox.scan_inbox(ctx)}["SAR-T-001"] == "unchanged"
    (d / "files" / "02-elsewhere.pdf").unlink()
    (d / "files" / "02-elsewhere.pdf").write_bytes(_born_digital(["The real document."]))  # put right
    assert {Path(e.folder).name: e.state for e in inbox.scan_inbox(ctx)}["SAR-T-001"] == "changed"
    imp = pipeline.import_case(ctx, d)
    assert {r.file_name: r.status for r in imp.documents}["02-elsewhere.pdf"] == "new"


def test_triage_of_a_path_refuses_a_link(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").symlink_to(tmp_path / "y.pdf")
    (tmp_path / "y.pdf").write_bytes(_born_digital(["y"]))
    with pytest.raises(SourceFileError) as info:
        ingest.triage(tmp_path / "x.pdf", ingest.IngestLimits())
    assert info.value.code == "special"


@pytest.mark.slow  # a Prefect flow run
def test_the_run_command_names_each_refused_file_and_prints_the_warnings(
    tmp_path: Path, prefect_harness: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from redaction import cli
    from redaction.errors import ExitCode

    d = case_folder(tmp_path, documents="documents:\n  - file: 09-missing.pdf\n    record_type: personal\n")
    (d / "files" / "02-elsewhere.pdf").symlink_to(tmp_path / "outside.pdf")
    with open(os.fsencode(d / "files") + b"/03-caf\xe9.pdf", "wb") as f:
        f.write(_born_digital(["x"]))
    monkeypatch.setenv("CLEANCOPY_OCR_ENGINE", "null")
    before = lstat_snapshot(tmp_path / "inbox")
    assert cli.main(["run", str(d), "--home", str(tmp_path / "home")]) == ExitCode.HELD_BACK
    out = capsys.readouterr().out
    assert "02-elsewhere.pdf" in out and "symbolic link" in out
    assert "03-caf\\xe9.pdf" in out and "not plain text" in out
    assert "warning: case.yaml lists 09-missing.pdf" in out
    assert "2 file(s) held back" in out
    assert lstat_snapshot(tmp_path / "inbox") == before
