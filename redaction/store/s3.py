"""S3 blob store: blobs as objects ``prefix/ab/cdef...`` named by their sha256.

Objects are written once (conditional put, ``IfNoneMatch="*"``), always with
server-side encryption, and the store refuses a bucket that has no default encryption
or whose public access block is not fully on. AWS_ENDPOINT_URL and the usual AWS
credential chain are left to boto3; nothing here overrides them."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlparse

from redaction.errors import StorageError
from redaction.store.blobs import sha256_bytes

MULTIPART_THRESHOLD = 16 * 1024 * 1024
_PUBLIC_BLOCK_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
_CREDENTIAL_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "InvalidToken",
    "AccessDenied",
}


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> (bucket, "some/prefix") with no trailing slash."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise StorageError(f"'{url}' is not an s3://bucket/prefix URL")
    return parsed.netloc, parsed.path.strip("/")


def s3_client() -> Any:
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": 8, "mode": "adaptive"}, connect_timeout=10, read_timeout=60)
    return boto3.client("s3", config=config)


_ALREADY_THERE = ("PreconditionFailed", "412", "ConditionalRequestConflict")  # a conditional put refused
_MISSING = ("NoSuchKey", "404")


def error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def explain(exc: Exception, bucket: str, action: str) -> StorageError:
    """A StorageError for a botocore failure that names the bucket and never a secret."""
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return StorageError(
            f"no AWS credentials found to {action} in bucket '{bucket}': give the worker a role "
            "or set AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(exc, EndpointConnectionError):
        return StorageError(f"could not reach the S3 endpoint to {action} in bucket '{bucket}'")
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if code in ("NoSuchBucket", "404") and action.startswith("open"):
            return StorageError(f"S3 bucket '{bucket}' does not exist (or is not visible to these credentials)")
        if code in _CREDENTIAL_CODES or code == "403":
            return StorageError(
                f"S3 refused to {action} in bucket '{bucket}' ({code}): the credentials are invalid "
                "or lack permission (see infra/s3-worker-iam.json)"
            )
        return StorageError(f"S3 could not {action} in bucket '{bucket}' ({code or 'error'})")
    return StorageError(f"S3 could not {action} in bucket '{bucket}' ({exc.__class__.__name__})")


def check_bucket(client: Any, bucket: str) -> dict[str, Any]:
    """Refuse a bucket that is missing, unencrypted by default or not fully private.
    Returns the bucket's default encryption rule (what every put repeats)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client.head_bucket(Bucket=bucket)
    except (ClientError, BotoCoreError) as e:
        raise explain(e, bucket, "open the store") from None
    try:
        enc = client.get_bucket_encryption(Bucket=bucket)
        rules = enc["ServerSideEncryptionConfiguration"]["Rules"]
        default = rules[0]["ApplyServerSideEncryptionByDefault"]
    except ClientError as e:
        if error_code(e) in ("ServerSideEncryptionConfigurationNotFoundError", "NoSuchEncryptionConfiguration"):
            raise StorageError(
                f"S3 bucket '{bucket}' has no default encryption: turn on default encryption "
                "(SSE-S3 or SSE-KMS) before storing pupils' records in it"
            ) from None
        raise explain(e, bucket, "read the encryption settings") from None
    try:
        block = client.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except ClientError as e:
        if error_code(e) == "NoSuchPublicAccessBlockConfiguration":
            block = {}
        else:
            raise explain(e, bucket, "read the public access block") from None
    off = [k for k in _PUBLIC_BLOCK_KEYS if not block.get(k)]
    if off:
        raise StorageError(
            f"S3 bucket '{bucket}' is not fully blocked from public access ({', '.join(off)} off): "
            "turn on all four Block Public Access settings"
        )
    return dict(default)


def _object_lock_days(client: Any, bucket: str) -> int | None:
    from botocore.exceptions import ClientError

    try:
        conf = client.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    except ClientError:
        return None
    if conf.get("ObjectLockEnabled") != "Enabled":
        return None
    retention = conf.get("Rule", {}).get("DefaultRetention", {})
    return int(retention.get("Days") or 0) or int(retention.get("Years", 0)) * 365 or None


def sse_args(default: dict[str, Any]) -> dict[str, str]:
    """The put arguments that repeat the bucket's default encryption (``check_bucket``'s rule)."""
    sse = {"ServerSideEncryption": str(default.get("SSEAlgorithm", "AES256"))}
    if default.get("KMSMasterKeyID"):
        sse["SSEKMSKeyId"] = str(default["KMSMasterKeyID"])
    return sse


def object_exists(client: Any, bucket: str, key: str) -> bool:
    """Whether an object is at ``key``; other botocore errors propagate."""
    from botocore.exceptions import ClientError

    try:
        client.head_object(Bucket=bucket, Key=key)
    except ClientError as e:
        if error_code(e) in _MISSING:
            return False
        raise
    return True


def put_once(client: Any, bucket: str, key: str, data: bytes, extra: dict[str, Any]) -> bool:
    """Write ``data`` at ``key`` unless an object is there already: True when written.
    Small objects go with a conditional put (``If-None-Match: *``); large ones in parts,
    after looking (the parts' upload takes no condition). botocore errors propagate."""
    from botocore.exceptions import ClientError

    if len(data) >= MULTIPART_THRESHOLD:
        if object_exists(client, bucket, key):
            return False
        from boto3.s3.transfer import TransferConfig

        client.upload_fileobj(io.BytesIO(data), bucket, key, ExtraArgs=extra,
                              Config=TransferConfig(multipart_threshold=MULTIPART_THRESHOLD))
        return True
    try:
        client.put_object(Bucket=bucket, Key=key, Body=data, IfNoneMatch="*", **extra)
    except ClientError as e:
        if error_code(e) in _ALREADY_THERE:
            return False
        raise
    return True


class S3BlobStore:
    """The BlobStore protocol on an S3 bucket and prefix."""

    def __init__(self, url: str, client: Any = None) -> None:
        self.url = url
        self.bucket, self.prefix = parse_s3_url(url)
        self.client = client or s3_client()
        self.sse = sse_args(check_bucket(self.client, self.bucket))
        self.lock_days = _object_lock_days(self.client, self.bucket)

    def _key(self, sha256: str) -> str:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise StorageError(f"'{sha256[:16]}' is not a sha256 blob id")
        name = f"{sha256[:2]}/{sha256[2:]}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, data: bytes) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        digest = sha256_bytes(data)
        extra: dict[str, Any] = dict(self.sse)
        if self.lock_days:
            import datetime as dt

            extra["ObjectLockMode"] = "GOVERNANCE"
            extra["ObjectLockRetainUntilDate"] = dt.datetime.now(dt.UTC) + dt.timedelta(days=self.lock_days)
        try:
            put_once(self.client, self.bucket, self._key(digest), data, extra)  # already there: same bytes
        except (ClientError, BotoCoreError) as e:
            raise explain(e, self.bucket, f"store blob {digest[:12]}") from None
        return digest

    def get(self, sha256: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        key = self._key(sha256)
        try:
            data = bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())
        except ClientError as e:
            if error_code(e) in _MISSING:
                raise StorageError(f"blob {sha256[:12]} is missing from {self.url}") from None
            raise explain(e, self.bucket, f"read blob {sha256[:12]}") from None
        except BotoCoreError as e:
            raise explain(e, self.bucket, f"read blob {sha256[:12]}") from None
        if sha256_bytes(data) != sha256:
            raise StorageError(f"blob {sha256[:12]} in {self.url} is damaged (hash mismatch)")
        return data

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return object_exists(self.client, self.bucket, self._key(sha256))
        except (ClientError, BotoCoreError) as e:
            raise explain(e, self.bucket, f"look for blob {sha256[:12]}") from None
