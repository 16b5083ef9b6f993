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

from redaction.case import Consent
from redaction.errors import InputError
from redaction.pipeline import Context
from redaction.procedure.pdfdoc import esc, write
from redaction.store.db import LetterRow, utcnow

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
    from redaction import pipeline
    from redaction.review import audit

    today = today or dt.date.today()
    case = pipeline.case_manifest(ctx, case_id)
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
            s.add(LetterRow(case_id=case_id, party_id=p.id, sent_on=today, reply_by=reply_by, pdf_sha256=sha,
                            written_to=str(path.resolve()), created_at=utcnow()))
            audit.append(s, case_id, actor, "letter", None, f"consent request to {p.id}; reply by {reply_by}")
        out.append(Letter(p.id, path, today, reply_by))
    log.info("case %s: %d consent letter(s) written", case_id, len(out))
    return out
