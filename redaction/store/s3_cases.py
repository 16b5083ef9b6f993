"""Case folders in S3: an inbox prefix read as a local case folder is, and releases
written to an S3 prefix.

``s3://bucket/inbox/SAR-2026-014`` holds ``case.yaml``, ``files/...`` (and any other
part of the case folder, such as ``replies/``) exactly as a folder does. The pipeline
only lists and reads there: it never writes to, tags or deletes from the inbox. A
released clean copy goes up with write-once, encrypted puts to a bucket the store would
accept (default encryption, public access blocked); ``release-manifest.json`` goes last
and lists every file with its sha256, so whoever collects the release knows it is whole.

AWS_ENDPOINT_URL and the usual credential chain are boto3's: any S3-compatible endpoint
works."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from redaction.errors import InputError, StorageError
from redaction.store.blobs import sha256_bytes
from redaction.store.s3 import (
    check_bucket,
    error_code,
    explain,
    object_exists,
    parse_s3_url,
    put_once,
    s3_client,
    sse_args,
)

log = logging.getLogger(__name__)

RELEASE_MANIFEST = "release-manifest.json"


def is_s3_url(where: str | Path) -> bool:
    return str(where).startswith("s3://")


def _list(client: Any, bucket: str, prefix: str, url: str) -> dict[str, tuple[int, str]]:
    """Every object under ``prefix``: key -> (size, ETag)."""
    from botocore.exceptions import BotoCoreError, ClientError

    found: dict[str, tuple[int, str]] = {}
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            found.update((o["Key"], (int(o.get("Size", 0)), str(o.get("ETag", "")))) for o in page.get("Contents", []))
    except (ClientError, BotoCoreError) as e:
        raise explain(e, bucket, f"list {url}") from None
    return found


def listing_sha256(objects: dict[str, tuple[int, str]], base: str) -> str:
    """A case folder's listing in one hash: each file's name under the folder, size and
    ETag. Equal listings mean the folder was not touched; a changed one is read again."""
    lines = sorted(f"{k[len(base):]}\t{size}\t{etag}" for k, (size, etag) in objects.items()
                   if k.startswith(base) and not k.endswith("/"))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def case_listings(url: str, client: Any = None) -> dict[str, str]:
    """The case folders (prefixes holding a case.yaml) directly under the inbox ``url``,
    each with its listing's hash (:func:`listing_sha256`), from one listing of the inbox."""
    bucket, prefix = parse_s3_url(url)
    client = client or s3_client()
    base = f"{prefix}/" if prefix else ""
    objects = _list(client, bucket, base, url)
    out: dict[str, str] = {}
    for key in objects:
        parts = key[len(base):].split("/")
        if len(parts) == 2 and parts[1] == "case.yaml" and parts[0]:
            folder = f"{base}{parts[0]}/"
            out[f"s3://{bucket}/{folder.rstrip('/')}"] = listing_sha256(objects, folder)
    return dict(sorted(out.items()))


def is_case_folder(url: str, client: Any = None) -> bool:
    """Whether ``url`` holds a case.yaml (one request, not a listing of the inbox)."""
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, prefix = parse_s3_url(url)
    try:
        return object_exists(client or s3_client(), bucket, f"{prefix}/case.yaml")
    except (ClientError, BotoCoreError) as e:
        raise explain(e, bucket, f"look for {url}/case.yaml") from None


def read_object(url: str, client: Any = None) -> bytes:
    """The bytes of one object, named by its s3:// address."""
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, key = parse_s3_url(url)
    client = client or s3_client()
    try:
        return bytes(client.get_object(Bucket=bucket, Key=key)["Body"].read())
    except ClientError as e:
        if error_code(e) in ("NoSuchKey", "404"):
            raise InputError(f"{url} does not exist: check the address") from None
        raise explain(e, bucket, f"read {url}") from None
    except BotoCoreError as e:
        raise explain(e, bucket, f"read {url}") from None


def fetch_case(url: str, dest: Path, client: Any = None, max_file_bytes: int | None = None) -> str:
    """Copy the case folder at ``url`` into the new local folder ``dest``; returns the
    hash of the listing it copied (:func:`listing_sha256`). Reads only. Keys that would
    land outside ``dest`` are refused. An object over ``max_file_bytes`` (by the listing's
    size) is not downloaded: an empty sparse file of its size stands in, which the import
    holds back by size as it would a local one."""
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, prefix = parse_s3_url(url)
    if not prefix:
        raise InputError(f"{url}: name the case folder under the bucket, e.g. s3://{bucket}/inbox/CASE_ID")
    client = client or s3_client()
    base = prefix + "/"
    objects = _list(client, bucket, base, url)
    keys = [k for k in objects if not k.endswith("/")]
    if not keys:
        raise InputError(f"{url}: there is no case folder at this address (nothing under the prefix)")
    if base + "case.yaml" not in keys:
        raise InputError(f"{url}/case.yaml is missing: every case folder needs a case.yaml")
    dest.mkdir(parents=True, exist_ok=False)
    for key in keys:
        rel = PurePosixPath(key[len(base):])
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise InputError(f"{url}: the object name '{rel}' is not a file inside the case folder")
        path = dest.joinpath(*rel.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        size = objects[key][0]
        if max_file_bytes is not None and size > max_file_bytes:
            with path.open("wb") as f:
                f.truncate(size)  # no byte of it downloaded
            continue
        try:
            client.download_file(bucket, key, str(path))
        except (ClientError, BotoCoreError) as e:
            raise explain(e, bucket, f"read {rel} from the case folder {url}") from None
    log.info("case folder fetched from bucket %s: %d file(s)", bucket, len(keys))
    return listing_sha256(objects, base)


def publish_release(files: Mapping[str, bytes], url: str, client: Any = None,
                    manifest: bytes | None = None) -> list[str]:
    """Write the released files under ``url``, then the release manifest; returns the
    keys. Every object is written once: where one already exists with other bytes the
    release is refused (a released copy is never replaced); the same bytes are kept."""
    bucket, prefix = parse_s3_url(url)
    client = client or s3_client()
    sse = sse_args(check_bucket(client, bucket))
    if manifest is None:
        manifest = json.dumps(
            {"files": [{"name": n, "sha256": sha256_bytes(d), "bytes": len(d)} for n, d in files.items()]},
            indent=2).encode()
    keys = []
    for name, data in [*files.items(), (RELEASE_MANIFEST, manifest)]:
        key = f"{prefix}/{name}" if prefix else name
        _put_once(client, bucket, key, data, sse, url)
        keys.append(key)
    log.info("release written to bucket %s: %d file(s)", bucket, len(keys))
    return keys


def _put_once(client: Any, bucket: str, key: str, data: bytes, sse: dict[str, str], url: str) -> None:
    """Write one released file; where an object is there already it must be these bytes."""
    from botocore.exceptions import BotoCoreError, ClientError

    name = key.rsplit("/", 1)[-1]
    try:
        if put_once(client, bucket, key, data, dict(sse)):
            return
        existing = bytes(client.get_object(Bucket=bucket, Key=key)["Body"].read())
    except (ClientError, BotoCoreError) as e:
        raise explain(e, bucket, f"write {name}") from None
    if existing != data:
        raise StorageError(
            f"{url}/{name} already exists with different content: a released copy is never replaced; "
            "release to a new address (for example add the date)")
