"""The school's procedure around the redaction: case states, deadlines and extensions,
third-party consent letters and replies, holds for legal advice, safeguarding
withholdings and the release pack."""

from redaction.inbox import DueCase, due_cases, write_due_report

due_report = due_cases  # cases overdue or due within 3 days, with their state (the nightly run writes them)

__all__ = ["DueCase", "due_cases", "due_report", "write_due_report"]
