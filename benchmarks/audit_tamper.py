"""Which kinds of tampering with a case's audit log `cleancopy audit verify` detects.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/audit_tamper.py

Builds a small born-digital case (null OCR), a head reviewer, decides every proposal
with `cleancopy decide --accept-all`, signs off, releases (the release records the
audit head where the code does), then writes two more entries. Each tampering is then
done on a fresh copy of that home with plain SQL, as someone with write access to the
database but not to the audit key would: where it says "recomputed", the plain sha256
chain is rebuilt with the published formula. `audit verify` runs as a subprocess;
"detected" means it exited non-zero. Also printed: how many audit entries the CLI's
`decide --accept-all` wrote, and whether `--reviewer` accepts a name that is no account.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redaction import pipeline, release  # noqa: E402
from redaction.review import auth  # noqa: E402
from redaction.settings import Settings  # noqa: E402
from tests.review.conftest import CASE_ID, PASSWORD, make_case, process  # noqa: E402

GENESIS = "0" * 64
COLS = "id, case_id, seq, actor, action, proposal_id, detail, at, prev_sha256, entry_sha256"


def _env() -> dict[str, str]:
    return {**os.environ, "CLEANCOPY_OCR_ENGINE": "null", "CLEANCOPY_OCR_WORKERS": "1",
            "PYTHONPATH": str(ROOT)}


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redaction.cli", *args, "--home", str(home)],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=300)


def plain_hash(prev: str, case_id: str, seq: int, actor: str, action: str, pid: int | None, detail: str,
               at: str) -> str:
    content = json.dumps({"case": case_id, "seq": seq, "actor": actor, "action": action, "proposal": pid,
                          "detail": detail, "at": at}, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(f"{prev}\n{content}".encode()).hexdigest()


def rechain(db: sqlite3.Connection, null_macs: bool = False) -> None:
    """Rebuild the plain sha256 chain over the rows as they now are (the attacker's tool)."""
    rows = db.execute(f"SELECT {COLS} FROM audit_log WHERE case_id=? ORDER BY seq", (CASE_ID,)).fetchall()
    prev = GENESIS
    for r in rows:
        h = plain_hash(prev, r[1], r[2], r[3], r[4], r[5], r[6], r[7])
        db.execute("UPDATE audit_log SET prev_sha256=?, entry_sha256=? WHERE id=?", (prev, h, r[0]))
        prev = h
    if null_macs and "entry_hmac" in _columns(db, "audit_log"):
        db.execute("UPDATE audit_log SET entry_hmac=NULL WHERE case_id=?", (CASE_ID,))


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def _seqs(db: sqlite3.Connection) -> list[int]:
    return [r[0] for r in db.execute("SELECT seq FROM audit_log WHERE case_id=? ORDER BY seq", (CASE_ID,))]


def _release_seq(db: sqlite3.Connection) -> int:
    """The seq of the 'released' entry (the head at release is just before it)."""
    return int(db.execute("SELECT max(seq) FROM audit_log WHERE case_id=? AND action='released'",
                          (CASE_ID,)).fetchone()[0])


def edit(db: sqlite3.Connection) -> None:
    db.execute("UPDATE audit_log SET actor='Someone Else' WHERE case_id=? AND seq=2", (CASE_ID,))


def edit_recompute(db: sqlite3.Connection) -> None:
    edit(db)
    rechain(db)


def edit_recompute_null_macs(db: sqlite3.Connection) -> None:
    edit(db)
    rechain(db, null_macs=True)


def delete_middle(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM audit_log WHERE case_id=? AND seq=3", (CASE_ID,))


def delete_middle_renumber(db: sqlite3.Connection) -> None:
    delete_middle(db)
    for s in _seqs(db):
        if s > 3:
            db.execute("UPDATE audit_log SET seq=? WHERE case_id=? AND seq=?", (s - 1, CASE_ID, s))
    rechain(db)


def delete_last(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM audit_log WHERE case_id=? AND seq=?", (CASE_ID, _seqs(db)[-1]))


def truncate_before_release(db: sqlite3.Connection) -> None:
    """Every entry from the sign-off on is deleted: the log ends before the release."""
    first = db.execute("SELECT min(seq) FROM audit_log WHERE case_id=? AND action='signed-off'",
                       (CASE_ID,)).fetchone()[0]
    db.execute("DELETE FROM audit_log WHERE case_id=? AND seq>=?", (CASE_ID, first))


def reorder(db: sqlite3.Connection) -> None:
    """Entries 2 and 3 swap places (their numbers swapped), hashes left as they were."""
    db.execute("UPDATE audit_log SET seq=-1 WHERE case_id=? AND seq=2", (CASE_ID,))
    db.execute("UPDATE audit_log SET seq=2 WHERE case_id=? AND seq=3", (CASE_ID,))
    db.execute("UPDATE audit_log SET seq=3 WHERE case_id=? AND seq=-1", (CASE_ID,))


def reorder_recompute(db: sqlite3.Connection) -> None:
    reorder(db)
    rechain(db)


def insert_forged(db: sqlite3.Connection) -> None:
    """A forged entry slipped in as number 2, the rest renumbered, chain recomputed."""
    for s in reversed(_seqs(db)):
        if s >= 2:
            db.execute("UPDATE audit_log SET seq=? WHERE case_id=? AND seq=?", (s + 1, CASE_ID, s))
    at = db.execute("SELECT at FROM audit_log WHERE case_id=? AND seq=1", (CASE_ID,)).fetchone()[0]
    db.execute("INSERT INTO audit_log (case_id, seq, actor, action, proposal_id, detail, at, prev_sha256, "
               "entry_sha256) VALUES (?, 2, 'Joan Allen', 'note', NULL, 'forged', ?, '', '')", (CASE_ID, at))
    rechain(db)


SNAPSHOTS: dict[str, tuple[object, ...]] = {}  # audit_tips rows copied while the log grew (a reader's copy)


def _put_tip(db: sqlite3.Connection, name: str) -> None:
    if "hmac" in _columns(db, "audit_tips") and name in SNAPSHOTS:
        db.execute("DELETE FROM audit_tips WHERE case_id=?", (CASE_ID,))
        db.execute("INSERT INTO audit_tips (case_id, seq, sha256, hmac) VALUES (?, ?, ?, ?)", SNAPSHOTS[name])


def _delete_after(db: sqlite3.Connection, seq: int) -> None:
    db.execute("DELETE FROM audit_log WHERE case_id=? AND seq>?", (CASE_ID, seq))


def replay_tip_after_release(db: sqlite3.Connection) -> None:
    """The entries written after the release deleted, and the tip record put back as it
    was just after the release (copied then by someone who could read the database)."""
    _delete_after(db, int(SNAPSHOTS["after-release"][1]))  # type: ignore[call-overload]
    _put_tip(db, "after-release")


def replay_tip_before_release(db: sqlite3.Connection) -> None:
    """Truncated to before the sign-off and release, and the tip copied then put back."""
    _delete_after(db, int(SNAPSHOTS["before-release"][1]))  # type: ignore[call-overload]
    _put_tip(db, "before-release")


def replay_and_drop_release(db: sqlite3.Connection) -> None:
    """As above, and the release row deleted too (the manifest outside the database is
    given to audit verify with --manifest)."""
    replay_tip_before_release(db)
    db.execute("DELETE FROM releases WHERE case_id=?", (CASE_ID,))


def strip_keying(db: sqlite3.Connection) -> None:
    """An entry edited, the chain recomputed, and every trace of the key removed: HMACs,
    the tip record, the key's record, the release's head."""
    edit(db)
    rechain(db, null_macs=True)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for t in ("audit_tips", "audit_key"):
        if t in tables:
            db.execute(f"DELETE FROM {t}")
    if "audit_seq" in _columns(db, "releases"):
        db.execute("UPDATE releases SET audit_seq=NULL, audit_sha256=NULL, audit_hmac=NULL")


def truncate_and_move_head(db: sqlite3.Connection) -> None:
    """The tail after entry 3 deleted, and the release row's recorded head (if any) set to
    entry 3's hashes, so the two agree."""
    db.execute("DELETE FROM audit_log WHERE case_id=? AND seq>3", (CASE_ID,))
    cols = _columns(db, "releases")
    if "audit_seq" in cols:
        sha = db.execute("SELECT entry_sha256 FROM audit_log WHERE case_id=? AND seq=3", (CASE_ID,)).fetchone()[0]
        db.execute("UPDATE releases SET audit_seq=3, audit_sha256=? WHERE case_id=?", (sha, CASE_ID))


KINDS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("edit an entry", edit),
    ("edit an entry, recompute the sha256 chain", edit_recompute),
    ("edit, recompute the chain, blank the HMACs", edit_recompute_null_macs),
    ("delete a middle entry", delete_middle),
    ("delete a middle entry, renumber, recompute", delete_middle_renumber),
    ("delete the last entry", delete_last),
    ("truncate to before the release", truncate_before_release),
    ("reorder two entries", reorder),
    ("reorder two entries, recompute", reorder_recompute),
    ("insert a forged entry, recompute", insert_forged),
    ("truncate and move the release's head", truncate_and_move_head),
    ("strip HMACs, tip, key record, release head", strip_keying),
    ("truncate before sign-off, replay its old tip", replay_tip_before_release),
    ("same, release row deleted (+ manifest)", replay_and_drop_release),
    ("delete entries after release, replay its tip", replay_tip_after_release),
]
WITH_MANIFEST = {"same, release row deleted (+ manifest)"}


def build(home: Path, work: Path) -> tuple[int, bool]:
    """The case, decided by the CLI, signed off, released, two entries after."""
    ctx = pipeline.open_context(Settings(home=home, ocr_engine="null", ocr_workers=1))
    process(ctx, make_case(work))
    auth.add_reviewer(ctx, "Joan Allen", "head", PASSWORD)
    before = len(_entries(home))
    stranger = cli(home, "decide", CASE_ID, "--reviewer", "Nobody Known", "--reject", "999999")
    unknown_refused = "reviewer" in (stranger.stderr + stranger.stdout).lower() and "account" in stranger.stderr
    r = cli(home, "decide", CASE_ID, "--reviewer", "Joan Allen", "--accept-all")
    assert r.returncode == 0, r.stderr
    decisions = sum(1 for a in _entries(home)[before:] if a in ("accepted", "rejected"))
    from redaction import signoff
    from redaction.review import audit

    _snapshot(home, "before-release")
    r = cli(home, "decide", CASE_ID, "--reviewer", "Joan Allen", "--sign-off")
    assert r.returncode == 0, r.stderr
    res = release.release_case(ctx, CASE_ID, work / "out", actor="Joan Allen")
    signoff.record_released(ctx, CASE_ID, "Joan Allen", res.bundle_sha256, len(res.documents))
    _snapshot(home, "after-release")
    audit.record(ctx, CASE_ID, "Joan Allen", [("note", None, "after the release"), ("note", None, "and again")])
    ctx.store.sessions.kw["bind"].dispose()
    return decisions, unknown_refused


def _snapshot(home: Path, name: str) -> None:
    with sqlite3.connect(home / "cleancopy.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "audit_tips" in tables:
            SNAPSHOTS[name] = db.execute("SELECT case_id, seq, sha256, hmac FROM audit_tips WHERE case_id=?",
                                         (CASE_ID,)).fetchone()
        else:  # no tip record: remember the last entry's number only
            SNAPSHOTS[name] = (CASE_ID, db.execute("SELECT max(seq) FROM audit_log WHERE case_id=?",
                                                   (CASE_ID,)).fetchone()[0])


def _entries(home: Path) -> list[str]:
    with sqlite3.connect(home / "cleancopy.db") as db:
        return [r[0] for r in db.execute("SELECT action FROM audit_log WHERE case_id=? ORDER BY seq", (CASE_ID,))]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cc-tamper-") as tmp:
        root = Path(tmp)
        base = root / "base"
        decisions, unknown_refused = build(base, root / "work")
        ok = cli(base, "audit", "verify", CASE_ID)
        print(f"untouched log: audit verify exit {ok.returncode}: {(ok.stdout or ok.stderr).strip()[:140]}")
        print(f"decision entries written by 'decide --accept-all' (CLI): {decisions}")
        print(f"'--reviewer Nobody Known' refused as no account: {'yes' if unknown_refused else 'no'}")
        print()
        print(f"{'tampering':<46} {'detected':<9} what audit verify says")
        found = 0
        for i, (name, fn) in enumerate(KINDS):
            home = root / f"t{i}"
            shutil.copytree(base, home)
            with sqlite3.connect(home / "cleancopy.db") as db:
                fn(db)
            db.close()
            manifest = root / "work" / "out" / "release-manifest.json"  # outside the database
            extra = ["--manifest", str(manifest)] if name in WITH_MANIFEST and manifest.exists() \
                and "audit_head" in manifest.read_text() else []
            r = cli(home, "audit", "verify", CASE_ID, *extra)
            detected = r.returncode != 0
            found += detected
            lines = [ln.strip(" -") for ln in (r.stderr + r.stdout).splitlines()
                     if ln.strip() and not ln.startswith(("WARNING", "INFO"))]
            said = lines[1] if len(lines) > 1 and "TAMPERED" in lines[0] else (lines[0] if lines else "")
            said = said.replace(f"{CASE_ID}: ", "").replace("cleancopy: ", "")
            print(f"{name:<46} {'yes' if detected else 'NO':<9} {said[:150]}")
        print(f"\n{found} of {len(KINDS)} kinds detected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
