"""A fresh PostgreSQL database per test on the server named by CLEANCOPY_TEST_PG_URL
(scripts/setup.sh --tests, which test.sh runs, starts one at the default URL); tests skip,
saying so, when no server is reachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from redaction.store.db import normalize_url

DEFAULT_URL = "postgresql://cleancopy_test:cleancopy_test@127.0.0.1:5432/cleancopy_test"


def pg_database() -> Iterator[str]:
    """A new database's URL (dropped afterwards); skips the test when there is no server."""
    found = False
    for url in maybe_pg_database():
        if url is None:
            pytest.skip("no PostgreSQL server reachable at CLEANCOPY_TEST_PG_URL")
        found = True
        yield url
    assert found


def maybe_pg_database() -> Iterator[str | None]:
    """A new database's URL (dropped afterwards), or None when there is no server."""
    base = normalize_url(os.environ.get("CLEANCOPY_TEST_PG_URL", DEFAULT_URL))
    admin = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure to connect means "no server"
        admin.dispose()
        yield None
        return
    name = "cc_test_" + uuid.uuid4().hex[:12]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
