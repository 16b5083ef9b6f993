"""The audit log's published formulas: what each entry's plain sha256 and its HMAC are
computed over, the HMAC of a head (the log's tip, or the head a release recorded), the
key's fingerprint, and :class:`AuditHead` as a release manifest carries it. Anyone can
recompute the plain chain with these; :mod:`redaction.review.audit` writes and checks it."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from redaction.errors import StorageError
from redaction.store.db import AuditRow

GENESIS = "0" * 64
_FINGERPRINT_TEXT = b"cleancopy audit key fingerprint v1"
TIP, RELEASE = "tip", "release"  # what a head's HMAC is for: one cannot stand in for the other


def entry_content(case_id: str, seq: int, actor: str, action: str, proposal_id: int | None, detail: str,
             at: str) -> str:
    return json.dumps(
        {"case": case_id, "seq": seq, "actor": actor, "action": action, "proposal": proposal_id,
         "detail": detail, "at": at},
        sort_keys=True, separators=(",", ":"), ensure_ascii=True,
    )


def entry_hash(prev_sha256: str, case_id: str, seq: int, actor: str, action: str,
               proposal_id: int | None, detail: str, at: str) -> str:
    """The plain sha256 of an entry (what anyone can recompute)."""
    text = entry_content(case_id, seq, actor, action, proposal_id, detail, at)
    return hashlib.sha256(f"{prev_sha256}\n{text}".encode()).hexdigest()


def entry_mac(key: bytes, prev_sha256: str, case_id: str, seq: int, actor: str, action: str,
              proposal_id: int | None, detail: str, at: str) -> str:
    """HMAC-SHA256 of the same content under the audit key."""
    text = entry_content(case_id, seq, actor, action, proposal_id, detail, at)
    return hmac.new(key, f"cleancopy audit entry\n{prev_sha256}\n{text}".encode(), hashlib.sha256).hexdigest()


def row_mac(key: bytes, r: AuditRow) -> str:
    return entry_mac(key, r.prev_sha256, r.case_id, r.seq, r.actor, r.action, r.proposal_id, r.detail, r.at)


def head_mac(key: bytes, kind: str, case_id: str, seq: int, sha256: str) -> str:
    """HMAC of a head: ``kind`` is TIP (the log's last entry, moved by every entry) or
    RELEASE (the head a release recorded)."""
    msg = f"cleancopy audit {kind} head\n{case_id}\n{seq}\n{sha256}"
    return hmac.new(key, msg.encode(), hashlib.sha256).hexdigest()


def fingerprint(key: bytes) -> str:
    return hmac.new(key, _FINGERPRINT_TEXT, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AuditHead:
    """Where a case's audit log stood at a release: its last entry's number and hash (0
    and GENESIS for an empty log), and an HMAC over both under the audit key."""

    case_id: str
    seq: int
    sha256: str
    hmac: str

    def as_dict(self) -> dict[str, Any]:
        """The form written to a release manifest (``"audit_head": head.as_dict()``)."""
        return {"case_id": self.case_id, "seq": self.seq, "sha256": self.sha256, "hmac": self.hmac}

    @classmethod
    def from_dict(cls, d: object) -> AuditHead:
        if not isinstance(d, dict):
            raise StorageError("an audit head must be an object with case_id, seq, sha256 and hmac")
        try:
            return cls(str(d["case_id"]), int(d["seq"]), str(d["sha256"]), str(d["hmac"]))
        except (KeyError, TypeError, ValueError) as e:
            raise StorageError(f"an audit head needs case_id, seq, sha256 and hmac ({type(e).__name__})") from e
