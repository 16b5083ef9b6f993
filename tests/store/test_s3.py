"""The S3 blob store against moto's S3 server (a real HTTP endpoint on loopback):
refuses unsafe buckets, encrypts every object, writes once, multipart for large blobs,
clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from redaction.errors import StorageError
from redaction.settings import Settings
from redaction.store import LocalBlobStore, open_blob_store
from redaction.store import s3 as s3mod
from redaction.store.blobs import sha256_bytes
from redaction.store.s3 import S3BlobStore, parse_s3_url

FULL_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


@pytest.fixture
def client(s3_env: str) -> Iterator[Any]:
    """boto3 against moto's S3 server (tests/store/conftest.py), emptied before and after
    the test: these tests use fixed bucket names."""
    import urllib.request

    def reset() -> None:
        urllib.request.urlopen(urllib.request.Request(f"{s3_env}/moto-api/reset", method="POST"), timeout=10).close()

    reset()
    yield boto3.client("s3", region_name="eu-west-2")
    reset()


def make_bucket(client: Any, name: str, encrypted: bool = True, block: dict[str, bool] | None = None) -> None:
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    if encrypted:
        client.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
    client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block or FULL_BLOCK)


def test_put_get_exists_with_encryption_on_every_object(client: Any) -> None:
    make_bucket(client, "school-store")
    store = S3BlobStore("s3://school-store/blobs", client=client)
    digest = store.put(b"pupil record")
    assert digest == sha256_bytes(b"pupil record")
    assert store.exists(digest) and store.get(digest) == b"pupil record"
    key = f"blobs/{digest[:2]}/{digest[2:]}"
    assert client.head_object(Bucket="school-store", Key=key)["ServerSideEncryption"] == "AES256"
    assert not store.exists(sha256_bytes(b"other"))
    with pytest.raises(StorageError, match="missing"):
        store.get(sha256_bytes(b"other"))


def test_second_put_is_refused_by_the_condition_and_keeps_the_object(client: Any) -> None:
    make_bucket(client, "school-store")
    store = S3BlobStore("s3://school-store", client=client)
    digest = store.put(b"once")
    key = f"{digest[:2]}/{digest[2:]}"
    etag = client.head_object(Bucket="school-store", Key=key)["ETag"]
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.put_object(Bucket="school-store", Key=key, Body=b"changed", IfNoneMatch="*")
    assert raised.value.response["Error"]["Code"] == "PreconditionFailed"  # moto honours IfNoneMatch
    assert store.put(b"once") == digest
    assert client.head_object(Bucket="school-store", Key=key)["ETag"] == etag


def test_damaged_object_is_detected(client: Any) -> None:
    make_bucket(client, "school-store")
    store = S3BlobStore("s3://school-store", client=client)
    digest = sha256_bytes(b"right")
    client.put_object(Bucket="school-store", Key=f"{digest[:2]}/{digest[2:]}", Body=b"wrong")
    with pytest.raises(StorageError, match="damaged"):
        store.get(digest)


def test_refuses_bucket_without_default_encryption(client: Any) -> None:
    make_bucket(client, "plain-bucket", encrypted=False)
    with pytest.raises(StorageError, match="'plain-bucket' has no default encryption"):
        S3BlobStore("s3://plain-bucket/x", client=client)


def test_refuses_bucket_without_full_public_access_block(client: Any) -> None:
    make_bucket(client, "leaky-bucket", block={**FULL_BLOCK, "RestrictPublicBuckets": False})
    with pytest.raises(StorageError, match="'leaky-bucket' is not fully blocked.*RestrictPublicBuckets"):
        S3BlobStore("s3://leaky-bucket", client=client)


def test_missing_bucket_is_named(client: Any) -> None:
    with pytest.raises(StorageError, match="'no-such-bucket' does not exist"):
        S3BlobStore("s3://no-such-bucket", client=client)


def test_no_credentials_error_says_what_to_set_and_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import NoCredentialsError

    err = s3mod.explain(NoCredentialsError(), "school-store", "open the store")
    assert "school-store" in str(err) and "AWS_ACCESS_KEY_ID" in str(err)


def test_invalid_credentials_never_print_the_secret(client: Any) -> None:
    from botocore.exceptions import ClientError

    exc = ClientError(
        {"Error": {"Code": "InvalidAccessKeyId", "Message": "key testing-secret-value"}}, "PutObject"
    )
    msg = str(s3mod.explain(exc, "school-store", "store blob"))
    assert "invalid" in msg and "school-store" in msg and "testing-secret-value" not in msg


def test_large_blob_goes_multipart(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    make_bucket(client, "school-store")
    monkeypatch.setattr(s3mod, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    store = S3BlobStore("s3://school-store", client=client)
    data = bytes(range(256)) * (6 * 1024 * 1024 // 256)
    digest = store.put(data)
    head = client.head_object(Bucket="school-store", Key=f"{digest[:2]}/{digest[2:]}")
    assert "-" in head["ETag"]  # a multipart upload's ETag
    assert head["ServerSideEncryption"] == "AES256"
    assert store.get(digest) == data


def test_factory_opens_the_right_store(client: Any, tmp_path: Any) -> None:
    make_bucket(client, "school-store")
    assert isinstance(open_blob_store(Settings(home=tmp_path)), LocalBlobStore)
    opened = open_blob_store(Settings(home=tmp_path, store="s3://school-store/p"))
    assert isinstance(opened, S3BlobStore) and opened.prefix == "p"
    shared = open_blob_store(Settings(home=tmp_path, store=str(tmp_path / "shared")))
    assert isinstance(shared, LocalBlobStore) and shared.root == tmp_path / "shared"
    with pytest.raises(StorageError, match="neither"):
        open_blob_store(Settings(home=tmp_path, store="gs://elsewhere/p"))


def test_endpoint_url_from_environment_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    assert s3mod.s3_client().meta.endpoint_url == "http://127.0.0.1:9"


def test_parse_s3_url() -> None:
    assert parse_s3_url("s3://b/a/b/") == ("b", "a/b")
    with pytest.raises(StorageError):
        parse_s3_url("/tmp/x")


def test_blobs_in_a_bucket_with_object_lock_get_its_retention(client: Any) -> None:
    client.create_bucket(Bucket="locked-store", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"},
                         ObjectLockEnabledForBucket=True)
    client.put_bucket_encryption(Bucket="locked-store", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    client.put_public_access_block(Bucket="locked-store", PublicAccessBlockConfiguration=FULL_BLOCK)
    client.put_object_lock_configuration(Bucket="locked-store", ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}})
    store = S3BlobStore("s3://locked-store", client=client)
    assert store.lock_days == 30
    digest = store.put(b"original scan")
    head = client.head_object(Bucket="locked-store", Key=f"{digest[:2]}/{digest[2:]}")
    import datetime as dt

    left = head["ObjectLockRetainUntilDate"] - dt.datetime.now(dt.UTC)
    assert head["ObjectLockMode"] == "GOVERNANCE" and dt.timedelta(days=29) < left <= dt.timedelta(days=30)
