"""Real endpoints for the storage tests: moto's S3 in server mode on loopback (a real
HTTP S3 API boto3 talks to through AWS_ENDPOINT_URL) and a fresh PostgreSQL database per
test (tests/store/pg.py; they skip, saying so, where no server answers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.store.pg import pg_database


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_database()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """boto3 pointed at the moto server with test credentials (no profile, no metadata service)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-value")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    return moto_endpoint


def make_bucket(*, encrypted: bool = True, private: bool = True) -> str:
    """A new bucket on the moto server (s3_env active), by default as the store requires:
    default encryption on, all public access blocked."""
    import boto3

    bucket = f"cc-{uuid.uuid4().hex[:12]}"
    c = boto3.client("s3")
    c.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    if encrypted:
        c.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    if private:
        c.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
    return bucket
