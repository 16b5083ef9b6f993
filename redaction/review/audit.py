"""The append-only audit log: one keyed hash chain per case.

Each entry holds two digests of the same content (case, sequence number, actor, action,
proposal id, detail, time) and of the previous entry's hash:

- ``entry_sha256``, a plain sha256: anyone can recompute the chain;
- ``entry_hmac``, HMAC-SHA256 under the audit key, which lives outside the database
  (``Settings.audit_key_path``: a 0600 file created on first use, or a secret store's
  file). Someone who can write to the database but has no key can edit, reorder or
  insert entries and recompute every sha256, but cannot make the HMACs fit.

Deleting the *last* entries leaves a shorter chain whose every entry fits. So the log's
**head** (last sequence number, its hash and an HMAC over both, :class:`AuditHead`) is
written with each release (the release row, and the release manifest outside the
database): :func:`verify_chain` checks every recorded head against the log and says
"entries after N are missing" when the log ends before a head it once had.

The database keeps the key's fingerprint (:class:`AuditKeyRow`), never the key: a
process holding another key (a second machine set up without the shared key) refuses
to write rather than start a chain no one can check. The first time a database is
keyed, the entries already in it whose plain chain checks out are sealed with the key.
Entries never hold document text. The formulas are in :mod:`redaction.review.audit_digest`."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from redaction.errors import StorageError
from redaction.review.audit_digest import GENESIS as GENESIS
from redaction.review.audit_digest import RELEASE as RELEASE
from redaction.review.audit_digest import TIP as TIP
from redaction.review.audit_digest import AuditHead as AuditHead
from redaction.review.audit_digest import entry_hash as entry_hash
from redaction.review.audit_digest import entry_mac as entry_mac
from redaction.review.audit_digest import fingerprint as fingerprint
from redaction.review.audit_digest import head_mac as head_mac
from redaction.review.audit_digest import row_mac
from redaction.store import audit_log
from redaction.store.db import AuditKeyRow, AuditRow, AuditTipRow, ReleaseRow, utcnow
from redaction.store.keys import AUDIT_KEY_INFO, KeyFile
from redaction.store.retry import retry_on_conflict

if TYPE_CHECKING:
    from redaction.context import Context

log = logging.getLogger(__name__)

# --- the key -------------------------------------------------------------------------


def _keyfile(s: Session) -> KeyFile:
    kf = s.info.get(AUDIT_KEY_INFO)
    if not isinstance(kf, KeyFile):
        raise StorageError("this database session has no audit key configured (open the store with open_store)")
    return kf


def _writing_key(s: Session) -> bytes:
    """The audit key, created on first use, checked against the database's fingerprint
    (recorded, and the log already there sealed, when the database has none)."""
    kf = _keyfile(s)
    key = kf.read()
    rec = audit_log.key_record(s)
    if key is None:
        if rec is not None:
            raise StorageError(
                f"the audit key file {kf.path} is missing, but this database's audit log is keyed: restore the "
                "key file from where the first machine keeps it (or set CLEANCOPY_AUDIT_KEY_FILE to it); "
                "a new key would make the log unverifiable")
        key = kf.create()
    if rec is None:
        s.add(AuditKeyRow(id=audit_log.KEY_ROW_ID, fingerprint=fingerprint(key), created_at=utcnow()))
        s.flush()  # two first writers at once: the unique id refuses one, which runs again
        _seal_existing(s, key)
    elif not hmac.compare_digest(rec.fingerprint, fingerprint(key)):
        raise StorageError(
            f"the audit key in {kf.path} is not the key this database's audit log is written with: give this "
            "machine the same key file as the others (CLEANCOPY_AUDIT_KEY_FILE); nothing was written")
    return key


def _seal_existing(s: Session, key: bytes) -> None:
    """Seal entries written before the log was keyed, case by case, where the plain chain
    checks out (a broken chain stays unsealed: verify keeps reporting it)."""
    rows = audit_log.unsealed_entries(s)
    by_case: dict[str, list[AuditRow]] = {}
    for r in rows:
        by_case.setdefault(r.case_id, []).append(r)
    sealed = 0
    for case_id, case_rows in by_case.items():
        if not _plain_chain_ok(case_rows):
            log.warning("audit chain of case %s is broken: left unsealed", case_id)
            continue
        for r in case_rows:
            r.entry_hmac = row_mac(key, r)
        _move_tip(s, key, case_id, case_rows[-1].seq, case_rows[-1].entry_sha256)
        sealed += len(case_rows)
    if sealed:
        log.info("audit log keyed: %d earlier entries of %d case(s) sealed", sealed, len(by_case))


def _plain_chain_ok(rows: list[AuditRow]) -> bool:
    prev = GENESIS
    for i, r in enumerate(rows, start=1):
        if r.seq != i or r.prev_sha256 != prev or r.entry_sha256 != entry_hash(
                prev, r.case_id, r.seq, r.actor, r.action, r.proposal_id, r.detail, r.at):
            return False
        prev = r.entry_sha256
    return True


# --- writing -------------------------------------------------------------------------


def append(s: Session, case_id: str, actor: str, action: str, proposal_id: int | None = None,
           detail: str = "") -> AuditRow:
    """Add one entry to the case's chain inside the caller's transaction, and move the
    case's tip to it.

    Writers take turns (:func:`~redaction.store.audit_log.take_turn`), so each entry
    follows the one committed before it."""
    audit_log.take_turn(s, case_id)
    key = _writing_key(s)
    last = audit_log.last_entry(s, case_id)
    prev = last.entry_sha256 if last is not None else GENESIS
    seq = last.seq + 1 if last is not None else 1
    at = utcnow().isoformat(timespec="microseconds")
    row = AuditRow(
        case_id=case_id, seq=seq, actor=actor, action=action, proposal_id=proposal_id, detail=detail,
        at=at, prev_sha256=prev,
        entry_sha256=entry_hash(prev, case_id, seq, actor, action, proposal_id, detail, at),
        entry_hmac=entry_mac(key, prev, case_id, seq, actor, action, proposal_id, detail, at),
    )
    s.add(row)
    _move_tip(s, key, case_id, seq, row.entry_sha256)
    s.flush()
    return row


def _move_tip(s: Session, key: bytes, case_id: str, seq: int, sha256: str) -> None:
    tip = audit_log.tip(s, case_id)
    mac = head_mac(key, TIP, case_id, seq, sha256)
    if tip is None:
        s.add(AuditTipRow(case_id=case_id, seq=seq, sha256=sha256, hmac=mac))
    else:
        tip.seq, tip.sha256, tip.hmac = seq, sha256, mac


@retry_on_conflict
def record(ctx: Context, case_id: str, actor: str, entries: list[tuple[str, int | None, str]]) -> int:
    """Append ``(action, proposal_id, detail)`` entries in one transaction; returns how many."""
    with ctx.store.session() as s, s.begin():
        for action, pid, detail in entries:
            append(s, case_id, actor, action, pid, detail)
    return len(entries)


# --- heads ---------------------------------------------------------------------------


def head_in(s: Session, case_id: str) -> AuditHead:
    """The case's head now, for a release, inside the caller's transaction."""
    key = _writing_key(s)
    last = audit_log.last_entry(s, case_id)
    seq, sha = (last.seq, last.entry_sha256) if last is not None else (0, GENESIS)
    return AuditHead(case_id, seq, sha, head_mac(key, RELEASE, case_id, seq, sha))


def head(where: Context | Session, case_id: str) -> AuditHead:
    """The case's audit head for a release: pass the Session of the transaction that writes
    the release (the head is then the one the release saw), or a Context."""
    if isinstance(where, Session):
        return head_in(where, case_id)
    with where.store.session() as s, s.begin():
        return head_in(s, case_id)


def record_head(s: Session, release: ReleaseRow) -> AuditHead:
    """Write the case's audit head into a release row before it is added (same transaction)."""
    h = head_in(s, release.case_id)
    release.audit_seq, release.audit_sha256, release.audit_hmac = h.seq, h.sha256, h.hmac
    return h


# --- verifying -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    case_id: str
    entries: int
    ok: bool
    first_bad_seq: int | None = None
    first_bad_id: int | None = None
    problem: str = ""  # the first problem
    last_sha256: str = GENESIS
    problems: tuple[str, ...] = ()  # every problem found, in the order of the log
    keyed: bool = False  # the HMACs were checked
    heads_checked: int = 0  # release heads (and manifests' heads) compared with the log
    last_seq: int = 0


class _Findings:
    """Problems found, each with where in the log it is (to list them in order)."""

    def __init__(self) -> None:
        self.items: list[tuple[float, str]] = []
        self.first: AuditRow | None = None

    def add(self, where: float, text: str, row: AuditRow | None = None) -> None:
        self.items.append((where, text))
        if row is not None and (self.first is None or row.seq < self.first.seq):
            self.first = row

    def texts(self) -> tuple[str, ...]:
        return tuple(t for _w, t in sorted(self.items, key=lambda i: i[0]))


KEY_PROBLEM, END = -1.0, float("inf")


def _ranges(seqs: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in seqs:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _span(a: int, b: int) -> str:
    return f"entry {a}" if a == b else f"entries {a} to {b}"


def verify_chain(ctx: Context, case_id: str, heads: Sequence[tuple[str, AuditHead]] = ()) -> ChainReport:
    """Check the case's chain, its HMACs, its tip and every head recorded for it (each
    release row's, and ``heads``: ``(where it was found, head)`` pairs such as a release
    manifest's). The report says what is wrong: which entries were altered or carry no
    HMAC, which are missing (deleted in the middle, or after entry N)."""
    with ctx.store.session() as s:
        kf = _keyfile(s)
        rows = audit_log.case_entries(s, case_id)
        releases = audit_log.case_releases(s, case_id)
        rec = audit_log.key_record(s)
        tip = audit_log.tip(s, case_id)
    f = _Findings()
    key, keyed = _reading_key(kf, rec, rows, releases, tip, f)
    _check_rows(f, rows, key if keyed else None)
    last_seq = rows[-1].seq if rows else 0
    by_seq = {r.seq: r for r in rows}
    if keyed:
        if tip is None:
            if rows:
                f.add(END, f"the record of the log's last entry was removed (the log has {last_seq} entries)")
        else:
            tip_head = AuditHead(case_id, tip.seq, tip.sha256, tip.hmac)
            _check_head(f, key, TIP, "the log's tip record", tip_head, by_seq, last_seq)
            if tip.seq < last_seq:
                f.add(tip.seq + 0.5, f"{_span(tip.seq + 1, last_seq)} added after the log's tip record "
                      f"(entry {tip.seq}), not through cleancopy")
    recorded = _release_heads(f, case_id, releases, rec)
    top, top_label = 0, ""
    for label, h in recorded:
        _check_head(f, key, RELEASE, label, h, by_seq, last_seq)
        if h.seq < top:
            f.add(END, f"{label} recorded entry {h.seq}, before {top_label}'s entry {top}: a head was changed")
        if h.seq >= top:
            top, top_label = h.seq, label
    for label, h in heads:
        _check_head(f, key, RELEASE, label, h, by_seq, last_seq)
    texts = f.texts()
    if texts:
        log.warning("audit log of case %s: %d problem(s), first at entry %s", case_id, len(texts),
                    f.first.seq if f.first else "-")
    return ChainReport(
        case_id, len(rows), not texts,
        first_bad_seq=f.first.seq if texts and f.first else None,
        first_bad_id=f.first.id if texts and f.first else None,
        problem=texts[0] if texts else "", last_sha256=rows[-1].entry_sha256 if rows else GENESIS,
        problems=texts, keyed=key is not None and keyed, heads_checked=len(recorded) + len(heads),
        last_seq=last_seq,
    )


def _check_rows(f: _Findings, rows: list[AuditRow], key: bytes | None) -> None:
    """Numbering, HMACs (with ``key``) or else the plain chain."""
    prev: AuditRow | None = None
    altered: list[AuditRow] = []
    unsealed: list[AuditRow] = []
    for r in rows:
        expected = prev.seq + 1 if prev is not None else 1
        if r.seq > expected:
            after = f"entry {r.seq} follows entry {prev.seq}" if prev is not None else f"the log starts at {r.seq}"
            f.add(expected, f"{_span(expected, r.seq - 1)} missing: deleted ({after})", r)
        follows = r.seq == expected and r.prev_sha256 == (prev.entry_sha256 if prev is not None else GENESIS)
        plain_ok = r.entry_sha256 == entry_hash(r.prev_sha256, r.case_id, r.seq, r.actor, r.action,
                                                r.proposal_id, r.detail, r.at)
        if key is not None:
            if r.entry_hmac is None:
                unsealed.append(r)
            elif not hmac.compare_digest(r.entry_hmac, row_mac(key, r)):
                altered.append(r)
            elif r.seq == expected and not follows:
                f.add(r.seq, f"entry {r.seq} does not follow entry {r.seq - 1}: the entry before it was replaced "
                      "or moved", r)
            elif not plain_ok:
                f.add(r.seq, f"entry {r.seq}'s stored hash was changed", r)
        elif r.seq == expected and not follows:
            f.add(r.seq, f"entry {r.seq} does not follow the entry before it: entries were deleted, inserted "
                  "or moved", r)
        elif not plain_ok:
            f.add(r.seq, f"entry {r.seq} was changed after it was written", r)
        prev = r
    by_seq = {r.seq: r for r in rows}
    for a, b in _ranges([r.seq for r in altered]):
        f.add(a, f"{_span(a, b)} altered after being written (the HMAC does not match: content changed, "
              "entries moved, or hashes recomputed)", by_seq[a])
    for a, b in _ranges([r.seq for r in unsealed]):
        f.add(a, f"{_span(a, b)} {'has' if a == b else 'have'} no HMAC: written without the audit key, or the "
              "HMAC removed", by_seq[a])


def _release_heads(f: _Findings, case_id: str, releases: list[ReleaseRow],
                   rec: AuditKeyRow | None) -> list[tuple[str, AuditHead]]:
    out: list[tuple[str, AuditHead]] = []
    for rel in releases:
        label = f"release {rel.id} ({_aware(rel.created_at):%Y-%m-%d %H:%M} UTC)"
        if rel.audit_seq is None or rel.audit_sha256 is None or rel.audit_hmac is None:
            if rec is not None and _aware(rel.created_at) > _aware(rec.created_at):
                f.add(END, f"{label} has no recorded audit head: removed from the release row")
            continue
        out.append((label, AuditHead(case_id, rel.audit_seq, rel.audit_sha256, rel.audit_hmac)))
    return out


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def _reading_key(kf: KeyFile, rec: AuditKeyRow | None, rows: list[AuditRow], releases: list[ReleaseRow],
                 tip: AuditTipRow | None, f: _Findings) -> tuple[bytes | None, bool]:
    """The key to check the HMACs with (None when it cannot be had: reported), and
    whether the log is keyed at all (an old log never written since keys came is not)."""
    try:
        key = kf.read()
    except StorageError as e:
        f.add(KEY_PROBLEM, e.message)
        return None, True
    macs_seen = tip is not None or any(r.entry_hmac is not None for r in rows) \
        or any(r.audit_hmac is not None for r in releases)
    if rec is None:
        if macs_seen:
            f.add(KEY_PROBLEM, "the database's record of the audit key was deleted, yet the log carries HMACs")
            return key, True
        if key is not None and rows:
            f.add(KEY_PROBLEM, f"no entry carries an HMAC though the audit key {kf.path} exists: the HMACs and "
                  "the key's record were removed, or the log predates the key and nothing was written since "
                  "(any new entry seals an untouched old log)")
        return None, False
    if key is None:
        f.add(KEY_PROBLEM, f"the audit key file {kf.path} is missing: the HMACs cannot be checked; restore it "
              "(or set CLEANCOPY_AUDIT_KEY_FILE to where it is kept)")
        return None, True
    if not hmac.compare_digest(rec.fingerprint, fingerprint(key)):
        f.add(KEY_PROBLEM, f"the audit key in {kf.path} is not the key this log is written with: point "
              "CLEANCOPY_AUDIT_KEY_FILE at the right key")
        return None, True
    return key, True


def _check_head(f: _Findings, key: bytes | None, kind: str, label: str, h: AuditHead,
                by_seq: dict[int, AuditRow], last_seq: int) -> None:
    if key is not None and not hmac.compare_digest(h.hmac, head_mac(key, kind, h.case_id, h.seq, h.sha256)):
        f.add(END, f"the audit head in {label} was altered (its HMAC does not match)")
        return
    if h.seq > last_seq:
        f.add(last_seq + 0.5, f"entries after {last_seq} missing: {label} says the log reached entry {h.seq}")
        return
    row = by_seq.get(h.seq)
    if h.seq > 0 and row is not None and row.entry_sha256 != h.sha256:
        f.add(h.seq, f"entry {h.seq} is not the one {label} recorded: the log was rewritten up to there", row)


def check_head(ctx: Context, where: str, h: AuditHead) -> ChainReport:
    """Check a head found outside the database (a release manifest's ``audit_head``)
    with the rest of the case's log."""
    return verify_chain(ctx, h.case_id, heads=[(where, h)])


def entries(ctx: Context, case_id: str) -> list[AuditRow]:
    with ctx.store.session() as s:
        return audit_log.case_entries(s, case_id)
