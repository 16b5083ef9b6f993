"""Family B's documents: what else a child's school file holds.

Safeguarding chronologies (a table), core group minutes (attendee table at the top of
the page, agencies and their contacts in its cells), SEN support plans, speech and
language therapy reports, home-school diaries, police (Operation Encompass)
notifications, health visitor letters, telephone contact records and children's
services letters. Each builder returns a :class:`~redaction.synth.documents.context.Built`;
a document an agency wrote has ``author`` set and ``authored`` true (its pages are
withheld whole when the agency refused).

Mentions are composed with :class:`~redaction.synth.family_b.scribe.Scribe`:
``s("Spoke to ", s.n(w, "title"), ".")``. The builders are in :mod:`.chronology`,
:mod:`.meetings`, :mod:`.school_notes` and :mod:`.agency_docs`; this module lists them.
"""

from __future__ import annotations

from collections.abc import Callable

from redaction.synth.documents.context import Built
from redaction.synth.family_b.agency_docs import hv_letter, police_notice, salt_report, services_letter
from redaction.synth.family_b.chronology import chronology
from redaction.synth.family_b.meetings import core_group
from redaction.synth.family_b.school_notes import diary, phone_log, sen_plan
from redaction.synth.family_b.scribe import Scribe

BUILDERS: dict[str, Callable[[Scribe], Built]] = {
    "chronology": chronology,
    "core_group": core_group,
    "sen_plan": sen_plan,
    "salt_report": salt_report,
    "hv_letter": hv_letter,
    "police_notice": police_notice,
    "services_letter": services_letter,
    "diary": diary,
    "phone_log": phone_log,
}

# the agency a kind of document needs (its writer)
NEEDS: dict[str, str] = {"salt_report": "salt", "hv_letter": "health", "police_notice": "police"}
ORDER = list(BUILDERS)
