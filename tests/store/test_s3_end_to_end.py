"""The issue's "done when": a generated case placed in a (moto) S3 inbox is processed by
two workers — two processes, each running the Prefect process-case flow as a worker
machine does — against PostgreSQL with the blob store in S3; the office then decides and
releases to S3 through the CLI; the released files are downloaded and judged from outside.

moto runs in server mode on loopback (a real HTTP S3 API); PostgreSQL is the server
.ci/run installs and starts (the test skips, saying so, where there is none)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pymupdf
import pytest
from sqlalchemy import select

from redaction import cli, pipeline
from redaction.errors import ExitCode
from redaction.evaluation.judge import judge_release
from redaction.settings import Settings
from redaction.store.db import CaseRow, ReleaseRow
from redaction.store.s3 import S3BlobStore
from redaction.synth import generate_case
from tests.e2e_support import OCR_CACHE, kept_name_tokens, norm, refused_name_tokens
from tests.store.conftest import make_bucket
from tests.store.test_workers import check_shared_work
from tests.store.workers_support import run_two, shared_prefect_env, worker_env

pytestmark = pytest.mark.slow


def _upload(folder: Path, bucket: str, prefix: str) -> None:
    c = boto3.client("s3")
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            c.upload_file(str(p), bucket, f"{prefix}/{p.relative_to(folder).as_posix()}")


def _objects(bucket: str, prefix: str = "") -> dict[str, str]:
    c = boto3.client("s3")
    return {o["Key"]: o["ETag"] for o in c.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])}


def test_case_in_s3_inbox_processed_by_two_workers_on_postgresql_and_released_to_s3(
    tmp_path: Path, s3_env: str, pg_url: str, prefect_harness: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    generated = generate_case(tmp_path / "generated", seed=20261128, n_docs=4, profile="demo")
    case_id, truth = generated.case.case_id, generated.truth
    (generated.case_dir / "files" / "99-broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<\ngarbage")
    inbox_bucket, store_bucket, out_bucket = make_bucket(), make_bucket(), make_bucket()
    _upload(generated.case_dir, inbox_bucket, f"inbox/{case_id}")
    inbox = f"s3://{inbox_bucket}/inbox/{case_id}"
    store = f"s3://{store_bucket}/cleancopy"
    inbox_before = _objects(inbox_bucket)

    # two workers, as on two machines: own homes, one Prefect server, one database, one bucket
    homes = [tmp_path / "machine-a", tmp_path / "machine-b"]
    aws = {"AWS_ENDPOINT_URL": s3_env, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret-value",
           "AWS_DEFAULT_REGION": "eu-west-2", "AWS_EC2_METADATA_DISABLED": "true"}
    shared = shared_prefect_env() | aws
    results = run_two([worker_env(h, pg_url, store, OCR_CACHE) | shared for h in homes], inbox, mode="flow")
    check_shared_work(pg_url, store, homes[0], results)

    # the office, on a third machine: the CLI with the shared settings
    monkeypatch.setenv("CLEANCOPY_DATABASE_URL", pg_url)
    monkeypatch.setenv("CLEANCOPY_STORE", store)
    monkeypatch.setenv("CLEANCOPY_OCR_CACHE", str(OCR_CACHE))
    home = str(tmp_path / "office")
    assert cli.main(["run", inbox, "--home", home]) == ExitCode.HELD_BACK  # a re-run: nothing new to read
    printed = capsys.readouterr().out
    assert "99-broken.pdf" in printed and "held back" in printed
    monkeypatch.setenv("CLEANCOPY_AUDIT_KEY_FILE", str(tmp_path / "audit.key"))  # the machines' shared key
    assert cli.main(["reviewer", "add", "Mrs Test", "--role", "head", "--password", "a long password",
                     "--home", home]) == 0
    assert cli.main(["decide", case_id, "--reviewer", "Mrs Test", "--accept-all", "--home", home]) == 0
    out = f"s3://{out_bucket}/released/{case_id}"
    assert cli.main(["release", case_id, "--out", out, "--reviewer", "Mrs Test", "--home", home]) \
        == ExitCode.HELD_BACK
    assert f"{out}/clean-copy.pdf" in capsys.readouterr().out

    # the inbox is as it was; the blobs are in the store bucket, not on the machines
    assert _objects(inbox_bucket) == inbox_before
    assert any(k.startswith("cleancopy/") for k in _objects(store_bucket))
    assert not any((Path(h) / "blobs").exists() for h in [*homes, home])

    # download what was released and judge it from outside
    local = tmp_path / "downloaded"
    local.mkdir()
    c = boto3.client("s3")
    for key in _objects(out_bucket, f"released/{case_id}/"):
        c.download_file(out_bucket, key, str(local / key.rsplit("/", 1)[-1]))
    assert {"clean-copy.pdf", "schedule.csv", "covering-letter.pdf", "release-manifest.json"} <= \
        {p.name for p in local.iterdir()}
    ctx = pipeline.open_context(Settings(home=Path(home), database_url=pg_url, store=store))
    with ctx.store.session() as s:
        rel = s.scalars(select(ReleaseRow).where(ReleaseRow.case_id == case_id)).one()
        case_row = s.get(CaseRow, case_id)
        assert case_row is not None and case_row.case_dir == inbox and rel.out_dir == out
    assert isinstance(ctx.store.blobs, S3BlobStore)
    assert ctx.store.blobs.get(rel.bundle_sha256) == (local / "clean-copy.pdf").read_bytes()
    names = refused_name_tokens(truth)
    with pymupdf.open(local / "clean-copy.pdf") as bundle:
        assert bundle.page_count == sum(len(f["pages"]) for f in truth["files"])
        text_words = {norm(w) for page in bundle for w in page.get_text().split()}
    shown = sorted((text_words & names) - kept_name_tokens(truth))  # the words alone; the judge below sees where
    assert names and not shown, f"a refused party's name is in the released text: {shown}"
    verdicts = judge_release(local, truth)
    refused = [v for v in verdicts if v.cls == "refused_ref" and norm(v.text) in names]
    assert refused and not [(v.file, v.page_index) for v in refused if not v.redacted]
    assert not [v for v in verdicts if v.redacted and (v.text_leak or v.image_leak)]
    protected = [v for v in verdicts if v.role in ("child_name", "requester_name") and v.cls != "authored_page"]
    assert protected and not [v for v in protected if v.redacted]
