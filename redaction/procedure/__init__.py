"""The school's procedure around the redaction: case states, deadlines and extensions,
third-party consent letters and replies, holds for legal advice, safeguarding
withholdings and the release pack."""
