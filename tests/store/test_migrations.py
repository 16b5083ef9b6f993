"""Alembic migrations: the migrated schema equals the models on SQLite and PostgreSQL,
and a database made by create_all before migrations existed is stamped, not rebuilt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from redaction.store.db import BASELINE_REVISION, Base, make_engine, normalize_url
from tests.store.pg import pg_database


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_database()


def _diff(engine) -> list:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))


def _revision(engine) -> str | None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_sqlite_migrated_schema_matches_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cc.db'}")
    assert _diff(engine) == []
    assert _revision(engine) is not None
    assert "alembic_version" in inspect(engine).get_table_names()


def test_postgresql_migrated_schema_matches_models(pg_url: str) -> None:
    engine = make_engine(pg_url)
    assert engine.dialect.name == "postgresql"
    assert engine.dialect.driver == "psycopg"
    assert _diff(engine) == []
    assert _revision(engine) is not None
    engine.dispose()


def test_make_engine_twice_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cc.db'}"
    first = _revision(make_engine(url))
    assert _revision(make_engine(url)) == first


def test_existing_create_all_database_is_stamped_and_keeps_its_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    Base.metadata.create_all(old)
    with old.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (case_id, received, deadline, case_dir, manifest_sha256,"
                " manifest_blob, created_at, updated_at) VALUES ('C1', '2026-01-01', '2026-02-01',"
                " '/x', 'a', 'b', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    old.dispose()
    engine = make_engine(url)
    assert _revision(engine) is not None
    assert str(_revision(engine)) >= BASELINE_REVISION
    assert _diff(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT case_id FROM cases")).scalars().all() == ["C1"]


def test_postgresql_url_maps_to_psycopg() -> None:
    assert normalize_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def _duplicate_proposal_refused(url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(url)
    row = (
        "INSERT INTO proposals (document_id, page_index, boxes, reason, detector, score, text,"
        " explanation, whole_page, status, key, created_at) VALUES (:d, 0, '[]', 'TP', 'x', 1.0,"
        " '', '', false, 'pending', 'k1', '2026-01-01 00:00:00')"
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (case_id, received, deadline, case_dir, manifest_sha256,"
                " manifest_blob, created_at, updated_at) VALUES ('C1', '2026-01-01', '2026-02-01',"
                " '/x', 'a', 'b', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    with engine.begin() as conn:
        doc_id = conn.execute(
            text(
                "INSERT INTO documents (case_id, file_name, version, current, original_sha256,"
                " page_count, status, created_at) VALUES ('C1', 'a.pdf', 1, true, 'x', 0, 'ocr',"
                " '2026-01-01 00:00:00') RETURNING id"
            )
        ).scalar_one()
        conn.execute(text(row), {"d": doc_id})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(row), {"d": doc_id})
    engine.dispose()


def test_sqlite_refuses_a_duplicate_proposal_key(tmp_path: Path) -> None:
    _duplicate_proposal_refused(f"sqlite:///{tmp_path / 'cc.db'}")


def test_postgresql_refuses_a_duplicate_proposal_key(pg_url: str) -> None:
    _duplicate_proposal_refused(pg_url)
