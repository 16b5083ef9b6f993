"""Reviewer accounts, passwords (argon2), lockout, login sessions and who sees which case.

A session cookie carries a random token; the database keeps only its sha256, so a
copy of the database does not let anyone log in. Each session has its own CSRF token
that every change must send back. Saving an account (a new password or role) ends its
sessions.

A login does the same work whatever name is typed: one argon2 check (against a dummy
hash when no account has the name), failures counted by the name's sha256 (so a name
no account has is locked out after 5 failures too), and one answer for every refusal.

Heads see every case; other reviewers see the cases they are assigned to
(``cleancopy reviewer assign NAME CASE``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from redaction.context import Context
from redaction.errors import InputError, NotFoundError
from redaction.store import accounts, repository
from redaction.store.db import ReviewerRow, utcnow

log = logging.getLogger(__name__)

ROLES = ("head", "deputy", "manager", "staff")
SIGN_OFF_ROLES = frozenset({"head", "deputy", "manager"})
SEE_ALL_ROLES = frozenset({"head"})
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=8)
MIN_PASSWORD = 8

_hasher = PasswordHasher()
_dummy_hash: str | None = None
REFUSED = ("wrong name or password, or the account is locked after 5 failed logins in a row: try again in "
           "15 minutes, or ask the headteacher to reset the password")


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

    @property
    def sees_all_cases(self) -> bool:
        return self.role in SEE_ALL_ROLES


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
        row = accounts.reviewer_named(s, name)
        if row is None:
            row = ReviewerRow(name=name, role=role, password_hash=hashed)
            s.add(row)
        else:
            row.role, row.password_hash = role, hashed
            row.failed_logins, row.locked_until = 0, None
            # a new password or role ends every session the account had (ASVS 3.3)
            ended = accounts.end_sessions_of(s, row.id)
            if ended:
                log.info("reviewer %d: %d session(s) ended", row.id, ended)
        accounts.clear_failures(s, _name_key(name))
        s.flush()
        out = Reviewer(row.id, row.name, row.role)
    log.info("reviewer %d saved with role %s", out.id, role)
    return out


def _name_key(name: str) -> str:
    return hashlib.sha256(name.strip().encode()).hexdigest()


def prepare() -> None:
    """Make the dummy hash now (the desk calls this at start), so that not even the first
    login for a name no account has takes longer than the others."""
    _dummy()


def _dummy() -> str:
    """A hash made with the real parameters, to check passwords against when no account
    has the name (the same argon2 work either way)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(24))
    return _dummy_hash


def authenticate(ctx: Context, name: str, password: str, now: dt.datetime | None = None) -> Reviewer:
    """The reviewer whose password this is. Five failures in a row for a name lock it for
    15 minutes (a locked name refuses even the right password); every refusal is the same
    answer after the same work, whether or not an account has the name."""
    now = now or utcnow()
    key = _name_key(name)
    with ctx.store.session() as s, s.begin():
        row = accounts.reviewer_named(s, name.strip())
        failures = accounts.failures_since(s, key, now - LOCKOUT)
        good: bool
        try:
            good = _hasher.verify(row.password_hash if row is not None else _dummy(), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            good = False
        if good and row is not None and failures < MAX_FAILURES:
            accounts.clear_failures(s, key)
            row.failed_logins, row.locked_until = 0, None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            return Reviewer(row.id, row.name, row.role)
        accounts.record_failure(s, key, now, now - LOCKOUT)
        if failures + 1 == MAX_FAILURES:
            log.warning("a login name was locked after %d failed logins", MAX_FAILURES)
    raise LoginError(REFUSED)


def require_reviewer(ctx: Context, name: str, action: str = "decide") -> Reviewer:
    """The account named ``name`` (as the CLI's --reviewer gives it), allowed to ``action``
    (decide, sign off, withhold): every decision is audited under a known account."""
    name = name.strip()
    if not name:
        raise InputError("--reviewer must name a reviewer account")
    with ctx.store.session() as s:
        row = accounts.reviewer_named(s, name)
        if row is None:
            known = accounts.reviewer_count(s)
    if row is None:
        hint = "" if known else " (there is none yet)"
        raise InputError(f"--reviewer '{name}' is not a reviewer account{hint}: add it first with "
                         f"'cleancopy reviewer add \"{name}\" --role head|deputy|manager', or give the name "
                         "exactly as it was added")
    rv = Reviewer(row.id, row.name, row.role)
    if not rv.can_decide:
        raise InputError(f"{rv.name} has a staff account, which can view cases but not {action}: ask the "
                         "headteacher, a deputy or the centre manager")
    return rv


# --- who sees which case -----------------------------------------------------------


def assign(ctx: Context, name: str, case_id: str, remove: bool = False) -> Reviewer:
    """Give a reviewer access to a case (or take it away). Heads see every case anyway."""
    with ctx.store.session() as s, s.begin():
        row = accounts.reviewer_named(s, name.strip())
        if row is None:
            raise NotFoundError(f"'{name.strip()}' is not a reviewer account: add it with 'cleancopy reviewer add'")
        repository.case_row(s, case_id)  # NotFoundError when the case was never imported here
        accounts.set_assignment(s, case_id, row.id, assigned=not remove)
        rv = Reviewer(row.id, row.name, row.role)
    log.info("reviewer %d %s case %s", rv.id, "unassigned from" if remove else "assigned to", case_id)
    return rv


def visible_cases(ctx: Context, reviewer: Reviewer) -> frozenset[str] | None:
    """The cases the reviewer may see; None for all (heads)."""
    if reviewer.sees_all_cases:
        return None
    with ctx.store.session() as s:
        return accounts.assigned_cases(s, reviewer.id)


def may_see(ctx: Context, reviewer: Reviewer, case_id: str) -> bool:
    cases = visible_cases(ctx, reviewer)
    return cases is None or case_id in cases


def start_session(ctx: Context, reviewer: Reviewer, now: dt.datetime | None = None) -> tuple[str, LoginSession]:
    """A new session: returns the cookie token (shown once, stored hashed) and the session."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    with ctx.store.session() as s, s.begin():
        accounts.add_session(s, token_hash(token), reviewer.id, csrf, now, expires)
    return token, LoginSession(reviewer, csrf, expires)


def find_session(ctx: Context, token: str | None, now: dt.datetime | None = None) -> LoginSession | None:
    if not token:
        return None
    now = now or utcnow()
    with ctx.store.session() as s:
        row = accounts.session_by_token(s, token_hash(token))
        if row is None or _aware(row.expires_at) <= now:
            return None
        rv = accounts.reviewer_by_id(s, row.reviewer_id)
        if rv is None:
            return None
        return LoginSession(Reviewer(rv.id, rv.name, rv.role), row.csrf_token, _aware(row.expires_at))


def end_session(ctx: Context, token: str | None) -> None:
    if not token:
        return
    with ctx.store.session() as s, s.begin():
        accounts.end_session(s, token_hash(token))


def csrf_ok(session: LoginSession, sent: str | None) -> bool:
    return bool(sent) and secrets.compare_digest(session.csrf_token, sent or "")
