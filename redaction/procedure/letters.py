"""Consent-request letters to the third parties who have not answered yet. Each letter is
a PDF from a template the school can edit (``CLEANCOPY_LETTER_TEMPLATE``, else
``HOME/letter.html``, else the package's own) with these placeholders: {school_name}
{school_address} {date} {party_name} {party_address} {case_ref} {reply_how} {reply_by}.
A letter names no child, no requester, no other party and quotes nothing from the file:
only what the party needs in order to answer. The date sent is recorded and a copy is kept
with the case."""

from __future__ import annotations

import datetime as dt
import logging
import string
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from redaction.case import Consent
from redaction.context import Context
from redaction.errors import InputError, NotFoundError
from redaction.procedure import consents
from redaction.procedure.pdfdoc import esc, write
from redaction.review import audit
from redaction.store import casework
from redaction.store.db import LetterRow, utcnow
from redaction.store.retry import retry_on_conflict

log = logging.getLogger(__name__)
DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "consent-letter.html"
FIELDS = {"school_name", "school_address", "date", "party_name", "party_address", "case_ref", "reply_how",
          "reply_by"}


@dataclass(frozen=True)
class Letter:
    party_id: str
    path: Path
    sent_on: dt.date
    reply_by: dt.date
    id: int = 0


@dataclass(frozen=True)
class WrittenLetter:
    """A letter on record, as the desk lists it."""

    id: int
    party_id: str
    dated: dt.date
    reply_by: dt.date
    marked_sent_on: dt.date | None
    marked_sent_by: str | None

    @property
    def file_name(self) -> str:
        return f"consent-{self.party_id}-{self.id}.pdf"


def template(ctx: Context) -> str:
    path = ctx.settings.letter_template or (ctx.settings.home / "letter.html")
    if not path.is_file():
        path = DEFAULT_TEMPLATE
    text = path.read_text(encoding="utf-8")
    used = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    unknown = used - FIELDS
    if unknown:
        raise InputError(f"the letter template {path} uses unknown placeholder(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(sorted(FIELDS))}")
    return text


def write_letters(ctx: Context, case_id: str, out_dir: Path, actor: str, today: dt.date | None = None) -> list[Letter]:
    """A letter for each party still pending who has an address or email; returns where each went."""
    today = today or dt.date.today()
    case = consents.case_manifest(ctx, case_id)
    tpl = template(ctx)
    reply_by = today + dt.timedelta(days=ctx.settings.consent_reply_days)
    out_dir.mkdir(parents=True, exist_ok=True)
    out: list[Letter] = []
    for p in case.third_parties:
        if p.consent is not Consent.PENDING or not (p.addresses or p.emails):
            continue
        to = p.addresses[0] if p.addresses else p.emails[0]
        html = tpl.format(
            school_name=esc(ctx.settings.school_name), school_address=esc(ctx.settings.school_address),
            date=f"{today:%d %B %Y}", party_name=esc(p.name), party_address=esc(to).replace(", ", "<br>"),
            case_ref=esc(case.case_id), reply_how=esc(ctx.settings.school_reply), reply_by=f"{reply_by:%d %B %Y}",
        )
        pdf = write([html])
        path = out_dir / f"{case.case_id}-consent-{p.id}.pdf"
        path.write_bytes(pdf)
        sha = ctx.store.blobs.put(pdf)
        with ctx.store.session() as s, s.begin():
            row = LetterRow(case_id=case_id, party_id=p.id, sent_on=today, reply_by=reply_by, pdf_sha256=sha,
                            written_to=str(path.resolve()), created_at=utcnow())
            s.add(row)
            audit.append(s, case_id, actor, "letter", None, f"consent request to {p.id}; reply by {reply_by}")
            s.flush()
            letter_id = row.id
        out.append(Letter(p.id, path, today, reply_by, letter_id))
    log.info("case %s: %d consent letter(s) written", case_id, len(out))
    return out


def written(ctx: Context, case_id: str) -> list[WrittenLetter]:
    """The case's letters on record, oldest first."""
    with ctx.store.session() as s:
        rows = casework.letters(s, case_id)
        return [WrittenLetter(r.id, r.party_id, r.sent_on, r.reply_by, r.marked_sent_on, r.marked_sent_by)
                for r in rows]


def _letter_row(s: Session, case_id: str, letter_id: int) -> LetterRow:
    row = casework.letter(s, case_id, letter_id)
    if row is None:
        raise NotFoundError(f"case {case_id} has no letter {letter_id}")
    return row


def pdf_of(ctx: Context, case_id: str, letter_id: int) -> bytes:
    """The letter's PDF as it was written (the copy kept with the case)."""
    with ctx.store.session() as s:
        sha = _letter_row(s, case_id, letter_id).pdf_sha256
    return ctx.store.blobs.get(sha)


@retry_on_conflict
def mark_sent(ctx: Context, case_id: str, letter_id: int, actor: str, on: dt.date | None = None) -> WrittenLetter:
    """Record that the letter went out (posted or emailed) on ``on`` (default today), audited."""
    on = on or dt.date.today()
    with ctx.store.session() as s, s.begin():
        row = _letter_row(s, case_id, letter_id)
        if row.marked_sent_on is not None:
            raise InputError(f"the letter to {row.party_id} was already marked sent on {row.marked_sent_on}")
        if on < row.sent_on or on > dt.date.today():
            raise InputError(f"the date sent ({on}) must be between the letter's date ({row.sent_on}) and today")
        row.marked_sent_on, row.marked_sent_by = on, actor[:128]
        audit.append(s, case_id, actor, "letter-sent", None, f"consent request to {row.party_id} sent on {on}")
        out = WrittenLetter(row.id, row.party_id, row.sent_on, row.reply_by, on, row.marked_sent_by)
    log.info("case %s: letter %d marked sent", case_id, letter_id)
    return out
