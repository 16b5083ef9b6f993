"""The Prefect database of a home, migrated once per machine instead of once per home.

An ephemeral Prefect server (or ``cleancopy server``) that finds no database under its
PREFECT_HOME creates one and runs every migration, seconds on a small machine, on the first
command of every new home. Instead, an empty database migrated once is kept as a template
under the machine's cache folder (:attr:`Settings.machine_cache_dir`, ``CLEANCOPY_CACHE_DIR``),
named by the Prefect version (a new version migrates a template of its own), and copied into
a PREFECT_HOME that has no database yet; the server then finds it migrated.

The template is made by ``prefect server database upgrade`` in a subprocess, on a database
of its own, and renamed into place when complete (two commands making it at once both
succeed). Nothing is copied when Prefect is pointed at another database or at a server, and
a template that cannot be made is no error: the server migrates as it always did.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from redaction.settings import Settings

log = logging.getLogger(__name__)

DATABASE = "prefect.db"  # Prefect's default: sqlite+aiosqlite:///${PREFECT_HOME}/prefect.db
BUILD_SECONDS = 300
_ELSEWHERE = ("PREFECT_API_URL", "PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL")


def template_path(settings: Settings) -> Path:
    return settings.machine_cache_dir / "prefect" / f"prefect-{version('prefect')}.db"


def seed(settings: Settings, prefect_home: Path) -> bool:
    """Give ``prefect_home`` a migrated database from the template when it has none (making
    the template first when this machine has none). True when it did."""
    if any(os.environ.get(k) for k in _ELSEWHERE):
        return False
    db = prefect_home / DATABASE
    if db.exists():
        return False
    template = template_path(settings)
    if not template.exists() and not _make(template):
        return False
    prefect_home.mkdir(parents=True, exist_ok=True)
    _copy(template, db)
    log.info("Prefect database of this home copied from the migrated template")
    return True


def _copy(src: Path, dst: Path) -> None:
    """Copy an SQLite database whole (its journal included) and rename it into place."""
    part = dst.with_name(f".{dst.name}.{os.getpid()}.part")
    part.unlink(missing_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(part) as b:
        a.backup(b)
        b.execute("PRAGMA journal_mode=DELETE")
    a.close()
    b.close()
    os.replace(part, dst)


def _make(template: Path) -> bool:
    template.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=template.parent, prefix=".make-") as tmp:
        db = Path(tmp) / DATABASE
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PREFECT_HOME=tmp, PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{db}",
                   PREFECT_SERVER_ANALYTICS_ENABLED="false")
        try:
            done = subprocess.run([sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=BUILD_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            log.warning("Prefect database template not made (%s): the server migrates its own", type(e).__name__)
            return False
        if done.returncode != 0 or not db.exists():
            log.warning("Prefect database template not made (exit %d): the server migrates its own", done.returncode)
            return False
        _copy(db, template)
    return True
