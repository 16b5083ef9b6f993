"""Family C's documents: child protection conference minutes (attendance and apologies
by person, role and agency), EHCP sections, early help assessments (a household table
with contact details in its cells), school nurse and health visitor records, police
notifications (MASH / PPN), home-school diaries and handwritten notes, printed e-mails
with their header lines, and agency letters with a signature block.

Each builder takes a :class:`~redaction.synth.family_c.pen.Pen` and returns a
:class:`~redaction.synth.documents.context.Built`; a document an agency wrote has
``author`` set and ``authored`` true. The builders are in :mod:`.multi_agency`,
:mod:`.agency_docs` and :mod:`.handwritten`; this module lists them.
"""

from __future__ import annotations

from collections.abc import Callable

from redaction.synth.documents.context import Built
from redaction.synth.family_c.agency_docs import agency_letter, email_print, nurse_record, police_notice
from redaction.synth.family_c.handwritten import diary, hand_note
from redaction.synth.family_c.multi_agency import cp_conference, early_help, ehcp
from redaction.synth.family_c.pen import Pen

BUILDERS: dict[str, Callable[[Pen], Built]] = {
    "cp_conference": cp_conference,
    "ehcp": ehcp,
    "early_help": early_help,
    "nurse_record": nurse_record,
    "police_notice": police_notice,
    "diary": diary,
    "hand_note": hand_note,
    "email_print": email_print,
    "agency_letter": agency_letter,
}
