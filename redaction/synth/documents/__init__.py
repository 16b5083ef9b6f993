"""The documents of a child's school file, written from a :class:`Cast`.

Each builder lays out one source document with a :class:`PageWriter` and says what it is
(:class:`DocMeta`): its kind, the record type, and the third party who wrote it (an agency
letter or an e-mail from an agency worker is *authored* by that agency).

Templates name people as ``{key.form}``: ``{p.title}`` -> "Mr Price", ``{w.initials}`` ->
"SO", ``{c.nick}`` -> "Millie"; see :meth:`Actor.form` and :meth:`Org.form`.

The builders are in parts: :mod:`.context` (:class:`DocMeta`, :class:`Built`, :class:`Ctx`,
the page writer), :mod:`.records` (record form, observation, referral), :mod:`.logs`
(concern log, minutes) and :mod:`.letters` (agency letter, e-mail).
"""

from __future__ import annotations

from collections.abc import Callable

from redaction.synth.documents.context import Built, Ctx
from redaction.synth.documents.letters import agency_letter, email_printout
from redaction.synth.documents.logs import concern_log, minutes
from redaction.synth.documents.records import observation, record_form, referral_form

BUILDERS: dict[str, Callable[[Ctx], Built]] = {
    "record_form": record_form,
    "concern_log": concern_log,
    "minutes": minutes,
    "agency_letter": agency_letter,
    "email": email_printout,
    "observation": observation,
    "referral": referral_form,
}
