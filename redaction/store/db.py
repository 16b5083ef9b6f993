"""The review database: cases, documents (versioned), pages, proposals, decisions,
releases. SQLite by default; any SQLAlchemy URL works."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker

from redaction.store.keys import private_file


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class CaseRow(Base):
    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    case_dir: Mapped[str] = mapped_column(Text)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    manifest_blob: Mapped[str] = mapped_column(String(64))  # case.yaml bytes in the blob store
    # a case read from S3: sha256 over its folder's listing (names, sizes, ETags) when it was read,
    # so the nightly scan can tell an unchanged folder without downloading it
    source_listing: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    documents: Mapped[list[DocumentRow]] = relationship(back_populates="case", order_by="DocumentRow.id")


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("case_id", "file_name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    file_name: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    original_sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    working_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new|ocr|proposed|held
    problem: Mapped[str | None] = mapped_column(Text, nullable=True)
    problem_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    detect_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the worker reading or proposing the document now, and until when (redaction/store/claims.py)
    claimed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    case: Mapped[CaseRow] = relationship(back_populates="documents")
    pages: Mapped[list[PageRow]] = relationship(
        back_populates="document", order_by="PageRow.page_index", cascade="all, delete-orphan"
    )


class PageRow(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "page_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    page_index: Mapped[int] = mapped_column(Integer)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(16))
    image_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    words_sha256: Mapped[str] = mapped_column(String(64))  # OCR words JSON in the blob store
    word_count: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[DocumentRow] = relationship(back_populates="pages")


class ProposalRow(Base):
    __tablename__ = "proposals"
    # two workers proposing the same document race on this, never duplicate a proposal
    __table_args__ = (UniqueConstraint("document_id", "key", name="uq_proposals_document_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    page_index: Mapped[int] = mapped_column(Integer)
    boxes: Mapped[list[Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(8))
    detector: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    party_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")  # kept here only, for verification
    explanation: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(String(32), default="", server_default="")  # ProposalDraft.rule
    whole_page: Mapped[bool] = mapped_column(Boolean, default=False)
    # pending | accepted | rejected | withdrawn (no longer proposed after a re-run)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[DocumentRow] = relationship()


class DecisionRow(Base):
    """Every decision ever made, in order: the audit trail."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    reviewer: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReleaseRow(Base):
    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    out_dir: Mapped[str] = mapped_column(Text)
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    documents: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    redactions: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the case's audit log as it stood at the release (redaction.review.audit.record_head):
    # its last entry's number and hash, and an HMAC over both, so truncation is found later
    audit_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audit_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    audit_hmac: Mapped[str | None] = mapped_column(String(64), nullable=True)


# --- the review desk (redaction/review) --------------------------------------------


class ReviewerRow(Base):
    """A person who may log in to the review desk. Only the argon2 hash of the password is kept."""

    __tablename__ = "reviewers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # head | deputy | manager | staff
    password_hash: Mapped[str] = mapped_column(Text)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginFailureRow(Base):
    """A failed login, by the sha256 of the name typed (whether or not an account has it):
    the lockout counts these, so it works, and takes the same time, for any name."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name_sha256: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SessionRow(Base):
    """A logged-in browser. The cookie's token is kept only as its sha256."""

    __tablename__ = "review_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """The append-only audit log: each entry holds the hash of the case's previous entry
    and of its own content, so an edit, insertion or deletion breaks the chain."""

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... within the case
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    proposal_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")  # never document text
    at: Mapped[str] = mapped_column(String(40))  # ISO time, UTC, as hashed
    prev_sha256: Mapped[str] = mapped_column(String(64))
    entry_sha256: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA256 of the same content under the audit key, which is kept outside the database
    entry_hmac: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditTipRow(Base):
    """The last entry of a case's audit log, kept with an HMAC and moved by every entry
    written: deleting the newest entries leaves the log ending before its recorded tip."""

    __tablename__ = "audit_tips"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    hmac: Mapped[str] = mapped_column(String(64))


class AuditKeyRow(Base):
    """Which key the audit log is written with: a fingerprint (an HMAC of a fixed text), never
    the key. One row; a process holding another key refuses to write."""

    __tablename__ = "audit_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseReviewerRow(Base):
    """A reviewer assigned to a case: the only cases they see at the desk (heads see all)."""

    __tablename__ = "case_reviewers"
    __table_args__ = (UniqueConstraint("case_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PageImageRow(Base):
    """A rendered page image cached in the blob store (born-digital pages have none)."""

    __tablename__ = "page_images"
    __table_args__ = (UniqueConstraint("page_id", "dpi"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"))
    dpi: Mapped[int] = mapped_column(Integer)
    image_sha256: Mapped[str] = mapped_column(String(64))


# --- the school's procedure (redaction/procedure) -------------------------------------


class CaseStateRow(Base):
    """Where a case is in the school's procedure (see redaction.procedure.states)."""

    __tablename__ = "case_states"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(24))
    held_from: Mapped[str | None] = mapped_column(String(24), nullable=True)  # the state a hold returns to
    hold_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    extended_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    extension_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsentRow(Base):
    """A third party's answer, recorded after the request arrived (overrides case.yaml)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    party_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(16))  # granted | refused
    answered_on: Mapped[dt.date] = mapped_column(Date)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    evidence_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LetterRow(Base):
    """A consent-request letter to a third party; its PDF is kept in the blob store.
    ``sent_on`` is the date the letter bears; ``marked_sent_on`` when the office says it
    went out (None: written, not yet marked sent)."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    party_id: Mapped[str] = mapped_column(String(64))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    reply_by: Mapped[dt.date] = mapped_column(Date)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    written_to: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    marked_sent_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    marked_sent_by: Mapped[str | None] = mapped_column(String(128), nullable=True)


BASELINE_REVISION = "0001"
"""The schema `create_all` made before migrations existed: such databases are stamped
with it, then upgraded."""

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean PostgreSQL through psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def alembic_config(url: str, connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision. A database made by `create_all`
    before migrations existed (tables, no alembic_version) is stamped first. On
    PostgreSQL an advisory lock keeps two workers from migrating at once."""
    from alembic import command

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7407001)"))
        names = set(inspect(conn).get_table_names())
        cfg = alembic_config(engine.url.render_as_string(hide_password=False), conn)
        if "cases" in names and "alembic_version" not in names:
            command.stamp(cfg, BASELINE_REVISION)
        command.upgrade(cfg, "head")


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
    engine = create_engine(url)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

    migrate(engine)
    return engine


def _private_sqlite_file(url: str) -> None:
    """A SQLite database file is created 0600 before SQLite opens it (its -wal and -shm
    files take the same mode), and an existing one loses group and other access."""
    db = make_url(url).database
    if db and db != ":memory:" and not db.startswith("file:") and Path(db).parent.is_dir():
        private_file(Path(db))


def make_sessionmaker(engine: Engine, info: dict[str, Any] | None = None) -> sessionmaker:  # type: ignore[type-arg]
    return sessionmaker(engine, expire_on_commit=False, info=info)
