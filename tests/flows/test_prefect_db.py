"""The migrated Prefect database template: a home without a database gets a copy of it,
made once per machine and Prefect version; a home's own database, another database or a
server configured are left alone, and a template that cannot be made is no error."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from flows import prefect_db
from redaction.settings import Settings


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for k in ("PREFECT_API_URL", "PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL"):
        monkeypatch.delenv(k, raising=False)
    return Settings(home=tmp_path / "home", cache_dir=tmp_path / "cache")


def _database(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE alembic_version (version_num TEXT)")
        db.execute("INSERT INTO alembic_version VALUES (?)", (value,))
    db.close()


def _version(path: Path) -> str:
    with sqlite3.connect(path) as db:
        (v,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    db.close()
    return str(v)


def test_template_is_named_by_the_prefect_version_under_the_cache_dir(settings: Settings) -> None:
    path = prefect_db.template_path(settings)
    assert path.parent == settings.machine_cache_dir / "prefect"
    assert path.name.startswith("prefect-") and path.name != "prefect-.db"


def test_cache_dir_defaults_to_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings().machine_cache_dir == tmp_path / "xdg" / "cleancopy"
    monkeypatch.setenv("CLEANCOPY_CACHE_DIR", str(tmp_path / "mine"))
    assert Settings().machine_cache_dir == tmp_path / "mine"


def test_a_home_without_a_database_gets_the_template(settings: Settings, tmp_path: Path) -> None:
    _database(prefect_db.template_path(settings), "head")
    home = tmp_path / "prefect-home"
    assert prefect_db.seed(settings, home)
    assert _version(home / "prefect.db") == "head"
    assert [p.name for p in home.iterdir()] == ["prefect.db"]  # no partial file left


def test_a_homes_own_database_is_kept(settings: Settings, tmp_path: Path) -> None:
    _database(prefect_db.template_path(settings), "head")
    home = tmp_path / "prefect-home"
    _database(home / "prefect.db", "mine")
    assert not prefect_db.seed(settings, home)
    assert _version(home / "prefect.db") == "mine"


@pytest.mark.parametrize("var", ["PREFECT_API_URL", "PREFECT_API_DATABASE_CONNECTION_URL"])
def test_nothing_is_copied_when_prefect_is_pointed_elsewhere(settings: Settings, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch, var: str) -> None:
    _database(prefect_db.template_path(settings), "head")
    monkeypatch.setenv(var, "http://127.0.0.1:1/api" if var == "PREFECT_API_URL" else "sqlite:///elsewhere.db")
    assert not prefect_db.seed(settings, tmp_path / "prefect-home")
    assert not (tmp_path / "prefect-home" / "prefect.db").exists()


def test_a_template_that_cannot_be_made_is_no_error(settings: Settings, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.CompletedProcess([], 1)

    monkeypatch.setattr(prefect_db.subprocess, "run", failing)
    assert not prefect_db.seed(settings, tmp_path / "prefect-home")
    assert not prefect_db.template_path(settings).exists()
    assert not (tmp_path / "prefect-home" / "prefect.db").exists()
    assert [p.name for p in (settings.machine_cache_dir / "prefect").iterdir()] == []  # its attempt cleaned up


@pytest.mark.slow
def test_the_template_is_a_migrated_prefect_database(settings: Settings, tmp_path: Path) -> None:
    assert prefect_db.seed(settings, tmp_path / "prefect-home")
    with sqlite3.connect(tmp_path / "prefect-home" / "prefect.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        (version,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    db.close()
    assert {"flow", "flow_run", "task_run"} <= tables and version
