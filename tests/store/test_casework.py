"""The procedure's queries: answers and letters of one case in order, one row only when
it belongs to the case asked about, the safeguarding details."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from redaction.store import casework
from redaction.store.db import AuditRow, ConsentRow, LetterRow
from tests.store.store_support import with_cases

DAY = dt.date(2026, 11, 20)


def test_rows_of_one_case(tmp_path: Path) -> None:
    ctx = with_cases(tmp_path, "SAR-A", "SAR-B")
    with ctx.store.session() as s, s.begin():
        s.add_all([ConsentRow(id=i, case_id=c, party_id=p, answer="refused", answered_on=DAY, recorded_by="JA")
                   for i, c, p in ((1, "SAR-A", "tp-1"), (2, "SAR-B", "tp-1"), (3, "SAR-A", "tp-2"))])
        s.add_all([LetterRow(id=i, case_id=c, party_id="tp-1", sent_on=DAY, reply_by=DAY, pdf_sha256="f" * 64,
                             written_to="x") for i, c in ((1, "SAR-B"), (2, "SAR-A"))])
        s.add_all([AuditRow(case_id="SAR-A", seq=n, actor="a", action="manual", proposal_id=None, detail=d,
                            at=f"t{n}", prev_sha256="p", entry_sha256=f"e{n}", entry_hmac=None)
                   for n, d in ((1, "drawn; reason:SG; note: x"), (2, "drawn; reason:TP"))])
    with ctx.store.session() as s:
        assert [r.party_id for r in casework.consent_answers(s, "SAR-A")] == ["tp-1", "tp-2"]
        got = casework.consent_answer(s, "SAR-A", 3)
        assert got is not None and got.party_id == "tp-2"
        assert casework.consent_answer(s, "SAR-A", 2) is None  # SAR-B's answer
        assert [r.id for r in casework.letters(s, "SAR-A")] == [2]
        assert casework.letter(s, "SAR-A", 1) is None and casework.letter(s, "SAR-B", 1) is not None
        assert casework.safeguarding_details(s, "SAR-A") == ["drawn; reason:SG; note: x"]
