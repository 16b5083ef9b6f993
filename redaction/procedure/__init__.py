"""The school's procedure around the redaction: case states, the two clocks (the school's
14 days and the statutory month) and extensions, third-party consent letters and replies,
holds for legal advice, safeguarding withholdings and the release pack. The cases overdue
or due soon are listed by ``redaction.inbox.due_cases`` (the nightly run writes them)."""
