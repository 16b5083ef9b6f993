"""Reviewer accounts, passwords (argon2), lockout and login sessions.

A session cookie carries a random token; the database keeps only its sha256, so a
copy of the database does not let anyone log in. Each session has its own CSRF token
that every change must send back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select

from redaction.errors import InputError
from redaction.pipeline import Context
from redaction.store.db import ReviewerRow, SessionRow, utcnow

log = logging.getLogger(__name__)

ROLES = ("head", "deputy", "manager", "staff")
SIGN_OFF_ROLES = frozenset({"head", "deputy", "manager"})
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=8)
MIN_PASSWORD = 8

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Reviewer:
    id: int
    name: str
    role: str

    @property
    def can_sign_off(self) -> bool:
        return self.role in SIGN_OFF_ROLES

    @property
    def can_decide(self) -> bool:
        """Staff view only; head, deputy and manager decide proposals and sign off."""
        return self.role in SIGN_OFF_ROLES


@dataclass(frozen=True)
class LoginSession:
    reviewer: Reviewer
    csrf_token: str
    expires_at: dt.datetime


class LoginError(InputError):
    """Wrong name or password, or the account is locked. The message never says which
    of name or password was wrong."""


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_reviewer(ctx: Context, name: str, role: str, password: str) -> Reviewer:
    """Create a reviewer, or reset an existing one's role and password."""
    name = name.strip()
    if not name:
        raise InputError("a reviewer needs a name")
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}, not '{role}'")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password must have at least {MIN_PASSWORD} characters")
    hashed = _hasher.hash(password)
    with ctx.store.session() as s, s.begin():
        row = s.scalars(select(ReviewerRow).where(ReviewerRow.name == name)).first()
        if row is None:
            row = ReviewerRow(name=name, role=role, password_hash=hashed)
            s.add(row)
        else:
            row.role, row.password_hash = role, hashed
            row.failed_logins, row.locked_until = 0, None
        s.flush()
        out = Reviewer(row.id, row.name, row.role)
    log.info("reviewer %d saved with role %s", out.id, role)
    return out


def authenticate(ctx: Context, name: str, password: str, now: dt.datetime | None = None) -> Reviewer:
    """The reviewer whose password this is; counts failures and locks the account for
    15 minutes after 5 in a row (a locked account refuses even the right password)."""
    now = now or utcnow()
    refused = LoginError("wrong name or password")
    with ctx.store.session() as s, s.begin():
        row = s.scalars(select(ReviewerRow).where(ReviewerRow.name == name.strip())).first()
        if row is None:
            _hasher.hash(password)  # same work as a real check: names cannot be probed by timing
            raise refused
        if row.locked_until is not None and _aware(row.locked_until) > now:
            raise LoginError("this account is locked after repeated failed logins: try again in 15 minutes "
                             "or ask the headteacher to reset the password")
        try:
            _hasher.verify(row.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            row.failed_logins += 1
            if row.failed_logins >= MAX_FAILURES:
                row.locked_until = now + LOCKOUT
                row.failed_logins = 0
                log.warning("reviewer %d locked after %d failed logins", row.id, MAX_FAILURES)
            return_error = refused
        else:
            row.failed_logins, row.locked_until = 0, None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            return Reviewer(row.id, row.name, row.role)
    raise return_error


def start_session(ctx: Context, reviewer: Reviewer, now: dt.datetime | None = None) -> tuple[str, LoginSession]:
    """A new session: returns the cookie token (shown once, stored hashed) and the session."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    with ctx.store.session() as s, s.begin():
        s.execute(delete(SessionRow).where(SessionRow.expires_at < now))
        s.add(SessionRow(token_sha256=token_hash(token), reviewer_id=reviewer.id, csrf_token=csrf,
                         created_at=now, expires_at=expires))
    return token, LoginSession(reviewer, csrf, expires)


def find_session(ctx: Context, token: str | None, now: dt.datetime | None = None) -> LoginSession | None:
    if not token:
        return None
    now = now or utcnow()
    with ctx.store.session() as s:
        row = s.scalars(select(SessionRow).where(SessionRow.token_sha256 == token_hash(token))).first()
        if row is None or _aware(row.expires_at) <= now:
            return None
        rv = s.get(ReviewerRow, row.reviewer_id)
        if rv is None:
            return None
        return LoginSession(Reviewer(rv.id, rv.name, rv.role), row.csrf_token, _aware(row.expires_at))


def end_session(ctx: Context, token: str | None) -> None:
    if not token:
        return
    with ctx.store.session() as s, s.begin():
        s.execute(delete(SessionRow).where(SessionRow.token_sha256 == token_hash(token)))


def csrf_ok(session: LoginSession, sent: str | None) -> bool:
    return bool(sent) and secrets.compare_digest(session.csrf_token, sent or "")
