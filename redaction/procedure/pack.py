"""The release pack written with the clean copy: a schedule of the redactions (by reason
code and party role, never a name or a redacted word), and a covering letter to the
parent inviting them to go through the file with the named reviewer. Both are PDFs and
both are verified before anything is written: none of the withheld people's names,
contact details or redacted words may appear in them, and a safeguarding note never does.
Documents are listed as developmental or personal records when case.yaml says which."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from redaction.case import Case, Consent, RecordType
from redaction.context import Context
from redaction.errors import VerificationError
from redaction.models import Leak, Reason, Redaction
from redaction.procedure import consents
from redaction.procedure.pdfdoc import esc, text_of, write
from redaction.procedure.safeguarding import notes_of
from redaction.store import repository

log = logging.getLogger(__name__)

SCHEDULE = "schedule-of-redactions.pdf"
LETTER = "covering-letter.pdf"

REASON_TEXT = {
    Reason.THIRD_PARTY: "a third party's name",
    Reason.THIRD_PARTY_CONTACT: "a third party's contact details",
    Reason.THIRD_PARTY_STAFF: "a name of an agency's worker",
    Reason.THIRD_PARTY_ORG: "an agency's name",
    Reason.SHARED_FIRST_NAME: "a third party's name",
    Reason.AUTHORED: "a page written by a third party who did not consent",
    Reason.OTHER_CHILD: "information about another child",
    Reason.UNLISTED_PERSON: "another person's name",
    Reason.RELATIONSHIP: "a reference to a third party",
    Reason.REVIEWER: "information withheld by the reviewer",
    Reason.UNREADABLE: "a page that could not be read reliably, withheld whole",
    Reason.SAFEGUARDING: "information withheld to protect the child",
}
_SECTIONS = ((RecordType.DEVELOPMENTAL, "Developmental records"), (RecordType.PERSONAL, "Personal records"),
             (None, "Other records"))
ROWS_PER_PAGE = 32


def _role(case: Case, party_id: str | None, reason: Reason) -> str:
    if reason is Reason.OTHER_CHILD:
        return "another child"
    if reason is Reason.SAFEGUARDING:
        return "-"
    p = case.party(party_id) if party_id else None
    if p is None:
        return "a person not named in the request" if reason is Reason.UNLISTED_PERSON else "-"
    if p.kind.value == "organisation":
        return "an agency (social care, health, police or other)"
    return p.relationship or "a third party"


def _record_type(case: Case, file_name: str) -> RecordType | None:
    note = case.note_for(file_name)
    return note.record_type if note is not None else None


def _schedule_pages(case: Case, outputs: Sequence[tuple[str, Sequence[Redaction]]], held: Sequence[str],
                    reviewer: str, today: dt.date) -> list[str]:
    head = (f"<h1>Schedule of redactions</h1><p>Request {esc(case.case_id)}, received {case.received:%d %B %Y}; "
            f"released {today:%d %B %Y}; reviewed by {esc(reviewer)}.</p>"
            "<p>Each line is one page of the file and the kinds of information withheld on it. "
            "Withheld information was removed from the copy, not covered.</p>")
    pending = [p for p in case.third_parties if p.consent is Consent.PENDING]
    if pending:
        roles = ", ".join(esc(p.relationship or ("an agency" if p.kind.value == "organisation" else "a third party"))
                          for p in pending)
        head += (f"<p><b>{len(pending)} third part{'y' if len(pending) == 1 else 'ies'} ({roles}) did not answer "
                 "the request for consent by release: their information is withheld.</b></p>")
    rows: list[str] = []
    for rtype, title in _SECTIONS:
        names = [n for n, _ in outputs if _record_type(case, n) == rtype]
        if not names:
            continue
        rows.append(f"<tr><th colspan='4'>{esc(title)}</th></tr>")
        for name in names:
            reds = next(r for n, r in outputs if n == name)
            by_page: dict[int, Counter[tuple[str, str]]] = {}
            for red in reds:
                label = REASON_TEXT.get(red.reason, red.reason.value)
                by_page.setdefault(red.page_index, Counter())[(f"{red.reason.value}: {label}",
                                                                _role(case, red.party_id, red.reason))] += 1
            if not by_page:
                rows.append(f"<tr><td>{esc(name)}</td><td>all</td><td>nothing withheld</td><td></td></tr>")
            for page in sorted(by_page):
                for (what, role), n in sorted(by_page[page].items()):
                    rows.append(f"<tr><td>{esc(name)}</td><td>{page + 1}</td><td>{esc(what)} ({n})</td>"
                                f"<td>{esc(role)}</td></tr>")
    for name in held:
        rows.append(f"<tr><td>{esc(name)}</td><td>-</td><td>not included: the file could not be read</td>"
                    "<td></td></tr>")
    table_head = "<table><tr><th>Document</th><th>Page</th><th>Withheld</th><th>Whose</th></tr>"
    pages = []
    for i in range(0, max(len(rows), 1), ROWS_PER_PAGE):
        chunk = "".join(rows[i:i + ROWS_PER_PAGE])
        pages.append((head if i == 0 else "<h2>Schedule of redactions (continued)</h2>") + table_head + chunk
                     + "</table>")
    return pages


def _letter_page(case: Case, school: str, reviewer: str, today: dt.date, documents: int, pages: int) -> str:
    return (
        f"<p>{esc(school)}</p><p>{today:%d %B %Y}</p>"
        f"<p>Dear {esc(case.requester.name)},</p>"
        f"<h2>Your request to see your child's records (our reference {esc(case.case_id)})</h2>"
        f"<p>Thank you for your written request of {case.received:%d %B %Y}. We enclose a copy of the records we "
        f"hold: {documents} document(s), {pages} page(s).</p>"
        "<p>Where the records hold information about other people who did not agree to it being shared, or about "
        "other children, that information has been removed. The enclosed schedule lists where, and why, without "
        "naming anyone.</p>"
        f"<p>{esc(reviewer)} would like to go through the records with you, so that you can ask about anything in "
        "them. Please contact the school office to arrange a time.</p>"
        f"<p>Yours sincerely,</p><p>{esc(reviewer)}<br>{esc(school)}</p>"
    )


def _forbidden(case: Case, outputs: Sequence[tuple[str, Sequence[Redaction]]], reviewer: str,
               school: str) -> list[str]:
    """Words that must not appear in the pack: every withheld party's names and contacts,
    and the names among the redacted words (but not the child's, the requester's, the
    staff's or the reviewer's names, which the pack may show)."""
    words: set[str] = set()
    # what the pack shows by design: these people, roles (relationships), file names, the school
    shown = " ".join((case.child.name, case.requester.name, *case.staff_names, reviewer, school, case.case_id,
                      case.requester.relationship, *(p.relationship for p in case.third_parties),
                      *(n for n, _ in outputs)))
    allowed = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", shown)}
    for p in case.third_parties:
        if p.withheld:
            for t in (p.name, *p.aliases, *p.staff, *p.emails, *p.phones, *p.addresses):
                words |= {w.lower() for w in re.findall(r"[^\W_]{4,}", t)}
    for _n, reds in outputs:
        for red in reds:  # the names among the redacted words
            words |= {w.lower() for w in re.findall(r"(?<![^\W_])[A-Z][^\W\d_]{3,}", red.text)}
    # the pack's own wording (this module's text) is no leak, whatever the file redacted
    own = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", Path(__file__).read_text(encoding="utf-8"))}
    common = {"road", "street", "lane", "london", "team", "services", "family", "social", "care", "health",
              "police"}
    return sorted(words - allowed - common - own)


def _verify(pdf: bytes, name: str, forbidden: Sequence[str], notes: Sequence[str]) -> None:
    text = text_of(pdf).lower()
    found = [w for w in forbidden if re.search(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", text)]
    found += [n[:12] for n in notes if n and n.lower() in text]
    if found:
        raise VerificationError(f"the release pack's {name} would show withheld information "
                                f"({len(found)} word(s)); nothing was written",
                                tuple(Leak(name, 0, "text", "pack") for _ in found[:1]))


def build(ctx: Context, case_id: str, outputs: Sequence[tuple[str, Sequence[Redaction]]], held: Sequence[str],
          reviewer: str, today: dt.date | None = None) -> dict[str, bytes]:
    """The pack's files (name -> PDF bytes), each verified."""
    today = today or dt.date.today()
    if reviewer.startswith("cleancopy"):  # released by the program, not a person: the letter names the role
        reviewer = "The Headteacher"
    case = consents.case_manifest(ctx, case_id)
    counts = {d.file_name: d.page_count for d in repository.current_documents(ctx.store, case_id)}
    pages = sum(counts.get(name, 0) for name, _reds in outputs)
    files = {
        SCHEDULE: write(_schedule_pages(case, outputs, held, reviewer, today)),
        LETTER: write([_letter_page(case, ctx.settings.school_name, reviewer, today, len(outputs), pages)]),
    }
    forbidden, notes = _forbidden(case, outputs, reviewer, ctx.settings.school_name), notes_of(ctx, case_id)
    for name, data in files.items():
        _verify(data, name, forbidden, notes)
    log.info("case %s: release pack built (%d file(s))", case_id, len(files))
    return files
