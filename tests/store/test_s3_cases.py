"""Case folders in S3 (redaction/store/s3_cases.py) against moto's server: a case folder
under an inbox prefix is read as a local folder is (bad files held back, nothing in the
inbox changed), the nightly scan finds it, and a release goes up to an S3 prefix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pymupdf
import pytest

from redaction import inbox as inbox_scan
from redaction import pipeline, release
from redaction.errors import InputError, StorageError
from redaction.settings import Settings
from redaction.store.db import CaseRow, ReleaseRow
from tests.store.conftest import make_bucket
from tests.test_pipeline import CASE as PIPELINE_CASE
from tests.test_pipeline import _born_digital

CASE = PIPELINE_CASE.replace("SAR-T-001", "SAR-S3-001")


def _inbox_state(bucket: str) -> list[tuple[str, str, Any]]:
    objs = boto3.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])
    return sorted((o["Key"], o["ETag"], o["LastModified"]) for o in objs)


@pytest.fixture
def inbox(s3_env: str) -> str:
    bucket = make_bucket()
    c = boto3.client("s3")
    base = "inbox/SAR-S3-001"
    c.put_object(Bucket=bucket, Key=f"{base}/case.yaml", Body=CASE.encode())
    c.put_object(Bucket=bucket, Key=f"{base}/files/01-note.pdf",
                 Body=_born_digital(["Amelia came in with Daniel Price today.", "Call 07700 900123."]))
    c.put_object(Bucket=bucket, Key=f"{base}/files/02-broken.pdf", Body=b"%PDF-1.7 not really")
    c.put_object(Bucket=bucket, Key=f"{base}/files/sub/ignored.pdf", Body=b"x")
    c.put_object(Bucket=bucket, Key="inbox/SAR-S3-0010/case.yaml", Body=b"another case")  # a prefix sibling
    return f"s3://{bucket}/{base}"


@pytest.fixture
def ctx(tmp_path: Path, s3_env: str) -> pipeline.Context:
    store = make_bucket()
    return pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1,
                                          store=f"s3://{store}/cleancopy"))


def test_s3_case_folder_is_imported_like_a_local_one_and_left_untouched(ctx: pipeline.Context, inbox: str) -> None:
    bucket = inbox.split("/")[2]
    before = _inbox_state(bucket)
    imp = pipeline.import_case(ctx, inbox)
    assert imp.case_id == "SAR-S3-001"
    assert {d.file_name: d.status for d in imp.documents} == {"01-note.pdf": "new", "02-broken.pdf": "held"}
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    texts = {r.text for r, _ in pipeline.list_proposals(ctx, "SAR-S3-001")}
    assert "Daniel Price" in texts and any("07700 900123" in t for t in texts)
    with ctx.store.session() as s:
        row = s.get(CaseRow, "SAR-S3-001")
        assert row is not None and row.case_dir == inbox
    assert pipeline.import_case(ctx, inbox + "/").to_process == imp.to_process  # a re-run finds the same
    assert _inbox_state(bucket) == before


def test_an_object_over_the_size_limit_is_not_downloaded_and_is_held(
        tmp_path: Path, s3_env: str, inbox: str) -> None:
    from redaction.store import s3_cases

    bucket = inbox.split("/")[2]
    c = boto3.client("s3")
    c.put_object(Bucket=bucket, Key="inbox/SAR-S3-001/files/03-huge.pdf", Body=b"%PDF-1.7\n" + b"0" * 300_000)
    got: list[str] = []
    c.meta.events.register("provide-client-params.s3.GetObject", lambda params, **kw: got.append(params["Key"]))
    s3_cases.fetch_case(inbox, tmp_path / "copy", client=c, max_file_bytes=100_000)
    assert "inbox/SAR-S3-001/files/01-note.pdf" in got  # the listener sees downloads
    assert "inbox/SAR-S3-001/files/03-huge.pdf" not in got
    assert (tmp_path / "copy" / "files" / "03-huge.pdf").stat().st_blocks == 0  # a sparse stand-in
    ctx = pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1,
                                         max_file_bytes=100_000))
    imp = pipeline.import_case(ctx, inbox)
    held = {d.file_name: d.problem or "" for d in imp.held_back}
    assert "0.3 MB, over the limit" in held["03-huge.pdf"]
    assert any("files/sub/ is a folder" in w for w in imp.warnings)


def _process_and_accept(ctx: pipeline.Context, inbox: str) -> None:
    imp = pipeline.import_case(ctx, inbox)
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    pipeline.decide(ctx, "SAR-S3-001", "Mrs Allen", accept_all=True)


def test_release_to_s3_uploads_the_verified_copy_and_schedule(ctx: pipeline.Context, inbox: str) -> None:
    _process_and_accept(ctx, inbox)
    out_bucket = make_bucket()
    out = f"s3://{out_bucket}/released/SAR-S3-001"
    res = release.release_case(ctx, "SAR-S3-001", out)
    assert res.out_dir == out and res.held_back == ("02-broken.pdf",)
    c = boto3.client("s3")
    keys = {o["Key"] for o in c.list_objects_v2(Bucket=out_bucket)["Contents"]}
    assert keys == {f"released/SAR-S3-001/{n}" for n in (
        "01-note.pdf", "clean-copy.pdf", "schedule.csv", "schedule-of-redactions.pdf", "covering-letter.pdf",
        "release-manifest.json")}
    manifest = json.loads(c.get_object(Bucket=out_bucket, Key="released/SAR-S3-001/release-manifest.json")["Body"]
                          .read())
    assert {f["name"] for f in manifest["files"]} == {k.rsplit("/", 1)[-1] for k in keys} - {"release-manifest.json"}
    pdf = c.get_object(Bucket=out_bucket, Key="released/SAR-S3-001/clean-copy.pdf")["Body"].read()
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = "".join(p.get_text() for p in doc)
    assert "Amelia" in text and "Daniel" not in text and "900123" not in text
    head = c.head_object(Bucket=out_bucket, Key="released/SAR-S3-001/clean-copy.pdf")
    assert head["ServerSideEncryption"] == "AES256"
    with ctx.store.session() as s:
        assert [r.out_dir for r in s.query(ReleaseRow)] == [out]
    pdf_before = c.get_object(Bucket=out_bucket, Key="released/SAR-S3-001/clean-copy.pdf")["Body"].read()
    with pytest.raises(StorageError, match="never replaced"):  # what went to the parent stays as it was
        release.release_case(ctx, "SAR-S3-001", out)
    assert c.get_object(Bucket=out_bucket, Key="released/SAR-S3-001/clean-copy.pdf")["Body"].read() == pdf_before
    assert release.release_case(ctx, "SAR-S3-001", out + "-2").out_dir == out + "-2"


def test_release_to_a_public_bucket_is_refused(ctx: pipeline.Context, inbox: str) -> None:
    _process_and_accept(ctx, inbox)
    public = make_bucket(private=False)
    with pytest.raises(StorageError, match="not fully blocked from public access"):
        release.release_case(ctx, "SAR-S3-001", f"s3://{public}/released/SAR-S3-001")
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=public)


def test_missing_case_folder_or_manifest_names_the_address(ctx: pipeline.Context, inbox: str) -> None:
    bucket = inbox.split("/")[2]
    with pytest.raises(InputError, match="no case folder at this address"):
        pipeline.import_case(ctx, f"s3://{bucket}/inbox/SAR-NONE")
    boto3.client("s3").put_object(Bucket=bucket, Key="inbox/SAR-X/files/a.pdf", Body=b"x")
    with pytest.raises(InputError, match=f"s3://{bucket}/inbox/SAR-X/case.yaml is missing"):
        pipeline.import_case(ctx, f"s3://{bucket}/inbox/SAR-X")
    boto3.client("s3").put_object(Bucket=bucket, Key="inbox/SAR-Y/case.yaml", Body=b"case_id: [unclosed")
    with pytest.raises(InputError) as e:
        pipeline.import_case(ctx, f"s3://{bucket}/inbox/SAR-Y")
    assert f"s3://{bucket}/inbox/SAR-Y/case.yaml" in e.value.message and "cleancopy-inbox" not in e.value.message


def test_nightly_scan_of_an_s3_inbox_finds_the_case_then_sees_it_unchanged(
        tmp_path: Path, s3_env: str, inbox: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bucket = inbox.split("/")[2]
    before = _inbox_state(bucket)
    ctx = pipeline.open_context(Settings(home=tmp_path / "home", ocr_engine="null", ocr_workers=1,
                                         inbox=f"s3://{bucket}/inbox"))
    entries = {e.folder: e for e in inbox_scan.scan_inbox(ctx)}
    assert set(entries) == {inbox, f"s3://{bucket}/inbox/SAR-S3-0010"}
    assert entries[inbox].state == "new" and entries[inbox].files == 2
    assert entries[f"s3://{bucket}/inbox/SAR-S3-0010"].state == "invalid"
    assert inbox_scan.find_case_folder(ctx, "SAR-S3-001") == inbox
    pipeline.import_case(ctx, inbox)
    from redaction.store import s3_cases

    fetched: list[str] = []
    fetch = s3_cases.fetch_case

    def counting_fetch(url: str, dest: Path, client: Any = None, **kw: Any) -> str:
        fetched.append(url)
        return fetch(url, dest, client, **kw)

    monkeypatch.setattr(s3_cases, "fetch_case", counting_fetch)
    again = {e.folder: e for e in inbox_scan.scan_inbox(ctx)}
    assert again[inbox].state == "unchanged" and again[inbox].fingerprint == entries[inbox].fingerprint
    assert inbox not in fetched  # its listing is the one imported: nothing downloaded
    assert _inbox_state(bucket) == before
    boto3.client("s3").put_object(Bucket=bucket, Key="inbox/SAR-S3-001/files/02-broken.pdf",
                                  Body=_born_digital(["A rescan of the broken page."]))  # the office replaces a scan
    replaced = _inbox_state(bucket)
    assert {e.folder: e.state for e in inbox_scan.scan_inbox(ctx)}[inbox] == "changed" and inbox in fetched
    assert _inbox_state(bucket) == replaced  # the scan wrote nothing


def test_missing_bucket_and_missing_credentials_are_named(
        ctx: pipeline.Context, inbox: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StorageError, match="cc-no-such-bucket"):
        pipeline.import_case(ctx, "s3://cc-no-such-bucket/inbox/SAR-S3-001")
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(var)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # a fresh process: credentials looked up anew
    with pytest.raises(StorageError, match="no AWS credentials found"):
        pipeline.import_case(ctx, inbox)


def test_cli_run_names_the_s3_address_of_a_broken_manifest(
        tmp_path: Path, s3_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from redaction import cli

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    bucket = make_bucket()
    boto3.client("s3").put_object(Bucket=bucket, Key="inbox/SAR-Z/case.yaml", Body=b"case_id: SAR-Z\nreceived: [\n")
    assert cli.main(["run", f"s3://{bucket}/inbox/SAR-Z", "--home", str(tmp_path / "home")]) != 0
    err = capsys.readouterr().err
    assert f"s3://{bucket}/inbox/SAR-Z/case.yaml" in err and "cleancopy-check" not in err
