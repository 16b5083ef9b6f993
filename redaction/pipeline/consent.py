"""What a third party's answer sets off: the answer kept, every document proposed again,
the case moved on when nobody is left to answer."""

from __future__ import annotations

import datetime as dt

from redaction.case import Case
from redaction.context import Context
from redaction.pipeline.propose import propose_case_again
from redaction.procedure import consents


def record_consent(ctx: Context, case_id: str, party_id: str, answer: str, actor: str, *,
                   evidence: consents.Evidence | None = None, on: dt.date | None = None) -> Case:
    """Record a third party's answer (granted | refused) with its evidence, propose again
    for every document (a refusal adds redactions, a grant takes them back), and move the
    case on when nobody is left to answer. The case as it now stands is returned."""
    consents.save_answer(ctx, consents.case_manifest(ctx, case_id), party_id, answer, actor, evidence=evidence, on=on)
    propose_case_again(ctx, case_id)
    now = consents.case_manifest(ctx, case_id)
    consents.settle(ctx, now, actor)
    return now
