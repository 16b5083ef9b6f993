"""Answers recorded after the request, consent letters, safeguarding withholdings and the
release pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pymupdf
import pytest

from redaction import pipeline, release
from redaction.errors import InputError
from redaction.procedure import consents, letters, pack, safeguarding
from redaction.procedure.pdfdoc import text_of
from redaction.review import audit
from tests.procedure.conftest import CASE_ID


def _texts(ctx: pipeline.Context, party: str) -> list[str]:
    return [r.text for r, _ in pipeline.list_proposals(ctx, CASE_ID) if r.party_id == party]


def test_a_granted_answer_withdraws_the_partys_proposals_and_a_refusal_keeps_them(ctx: pipeline.Context,
                                                                                   tmp_path: Path) -> None:
    assert _texts(ctx, "tp-2") == ["Gloria Mendes"]  # pending: treated as refused
    reply = tmp_path / "reply.pdf"
    reply.write_bytes(b"%PDF-1.4 a scanned reply")
    consents.record(ctx, CASE_ID, "tp-2", "granted", "office", evidence=consents.Evidence.from_file(reply),
                    on=dt.date(2026, 11, 5))
    assert _texts(ctx, "tp-2") == []
    row = consents.answers(ctx, CASE_ID)["tp-2"]
    assert ctx.store.blobs.get(row.evidence_sha256 or "") == reply.read_bytes()
    assert row.answered_on == dt.date(2026, 11, 5)
    consents.record(ctx, CASE_ID, "tp-2", "refused", "office")  # changed their mind
    assert _texts(ctx, "tp-2") == ["Gloria Mendes"]


@pytest.mark.parametrize("party, answer, on, message", [
    ("tp-9", "granted", None, "no third party 'tp-9'"),
    ("tp-2", "maybe", None, "granted or refused"),
    ("tp-2", "granted", dt.date(2026, 10, 1), "before the request arrived"),
])
def test_bad_answers_are_refused(ctx: pipeline.Context, party: str, answer: str, on: dt.date | None,
                                 message: str) -> None:
    with pytest.raises(InputError, match=message):
        consents.record(ctx, CASE_ID, party, answer, "office", on=on)


def test_letters_go_to_pending_parties_with_an_address_and_say_no_more_than_they_must(
        ctx: pipeline.Context, tmp_path: Path) -> None:
    sent = letters.write_letters(ctx, CASE_ID, tmp_path / "letters", "office", today=dt.date(2026, 11, 3))
    assert [s.party_id for s in sent] == ["tp-2"]  # tp-3 has no address or email; tp-1 already refused
    assert sent[0].reply_by == dt.date(2026, 11, 10)
    text = text_of(sent[0].path.read_bytes())
    assert "Gloria Mendes" in text and "14 Elm Road" in text and CASE_ID in text
    assert "Rosemead Primary School" in text and "10 November 2026" in text
    for never in ("Amelia", "Hart", "Daniel", "Price", "Barnet", "painting", "collected"):
        assert never not in text
    assert any(e.action == "letter" for e in audit.entries(ctx, CASE_ID))


def test_the_schools_own_template_is_used_and_unknown_placeholders_refused(ctx: pipeline.Context,
                                                                             tmp_path: Path) -> None:
    (ctx.settings.home / "letter.html").write_text("<p>{school_name} asks {party_name}: reply by {reply_by}.</p>")
    (sent,) = letters.write_letters(ctx, CASE_ID, tmp_path / "l", "office", today=dt.date(2026, 11, 3))
    assert "Rosemead Primary School asks Gloria Mendes: reply by 10 November 2026." in text_of(sent.path.read_bytes())
    (ctx.settings.home / "letter.html").write_text("<p>{child_name}</p>")
    with pytest.raises(InputError, match="unknown placeholder"):
        letters.write_letters(ctx, CASE_ID, tmp_path / "l2", "office")


def test_release_pack_schedules_by_role_never_names_and_verifies(ctx: pipeline.Context, tmp_path: Path) -> None:
    obs = next(d for d in pipeline.current_documents(ctx, CASE_ID) if d.file_name == "02-obs.pdf")
    safeguarding.withhold(ctx, CASE_ID, obs.id, 0, "Joan Allen", "uncle threatened the family")
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    out = tmp_path / "out"
    release.release_case(ctx, CASE_ID, out, actor="Joan Allen")
    schedule = " ".join(text_of((out / pack.SCHEDULE).read_bytes()).split())
    assert "mother's partner" in schedule and "maternal grandmother" in schedule
    assert "SG: information withheld to protect" in schedule  # read back by OCR off the released page
    assert "Developmental records" in schedule and "Personal records" in schedule
    assert "did not answer" in schedule
    for never in ("Daniel", "Price", "Gloria", "Mendes", "uncle threatened", "07700"):
        assert never not in schedule
    letter = " ".join(text_of((out / pack.LETTER).read_bytes()).split())
    assert "Dear Claire Hart" in letter and "Joan Allen" in letter and "Gloria" not in letter
    with pymupdf.open(out / pack.SCHEDULE) as d:
        assert not d.metadata.get("producer") and not d.metadata.get("creator")


def test_a_pack_that_would_show_a_withheld_name_is_refused(ctx: pipeline.Context, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from redaction.errors import VerificationError

    monkeypatch.setattr(pack, "REASON_TEXT", {**pack.REASON_TEXT,
                                              pack.Reason.THIRD_PARTY: "a name such as Daniel Price"})
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    with pytest.raises(VerificationError, match="release pack"):
        release.release_case(ctx, CASE_ID, tmp_path / "out")
    assert not (tmp_path / "out" / "clean-copy.pdf").exists()


def test_safeguarding_needs_a_note(ctx: pipeline.Context) -> None:
    obs = pipeline.current_documents(ctx, CASE_ID)[0]
    with pytest.raises(InputError, match="needs a note"):
        safeguarding.withhold(ctx, CASE_ID, obs.id, 0, "Joan Allen", "  ", box=(70, 80, 200, 110))
