"""Typed values passed between the pipeline's stages.

Coordinates
-----------
Every :class:`Box` is in PDF points, in PyMuPDF's *page* coordinate system for the
page it belongs to: origin at the top-left of the page's unrotated CropBox, x to the
right, y downwards. That is the system ``page.get_text("words")`` reports and
``page.add_redact_annot()`` takes, so boxes go straight from OCR to redaction with no
conversion. A page with ``/Rotate`` is *displayed* turned; its boxes are still
unrotated (use ``page.rotation_matrix`` to map them to the displayed page).

Image sources (PNG, JPEG, TIFF) are turned into a one-image-per-page "working PDF"
at ingest, so downstream every document is a PDF.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, page coordinates (see module docstring)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def pad(self, d: float) -> Box:
        return Box(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def intersects(self, other: Box) -> bool:
        return not (
            other.x0 >= self.x1
            or other.x1 <= self.x0
            or other.y0 >= self.y1
            or other.y1 <= self.y0
        )

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)


class TextSource(enum.StrEnum):
    PDF_TEXT = "pdf_text"  # born-digital text layer read by PyMuPDF
    TESSERACT = "tesseract"  # OCR of the page image
    NULL = "null"  # test engine: no words


@dataclass(frozen=True)
class Word:
    """One word on a page, as OCR or the text layer found it.

    ``block``/``line``/``word_no`` order the words in reading order: words sharing
    ``(block, line)`` are on one line.
    """

    text: str
    box: Box
    block: int = 0
    line: int = 0
    word_no: int = 0
    conf: float = 100.0  # 0..100; 100 for born-digital text


@dataclass(frozen=True)
class OcrPage:
    """The words of one page of one document."""

    page_index: int  # 0-based, in the source document
    width: float  # unrotated CropBox width, points
    height: float  # unrotated CropBox height, points
    rotation: int  # the page's /Rotate, 0/90/180/270
    source: TextSource
    words: tuple[Word, ...] = ()
    # a second reading of the lines OCR read poorly (redaction.ocr.reread): each word's
    # (block, line) is the line of ``words`` it reads again
    reread: tuple[Word, ...] = ()

    def reread_view(self) -> OcrPage:
        """This page with each line that was read a second time in its second reading
        (the page itself when no line was)."""
        if not self.reread:
            return self
        again = {(w.block, w.line) for w in self.reread}
        out: list[Word] = []
        done: set[tuple[int, int]] = set()
        for w in self.words:
            k = (w.block, w.line)
            if k not in again:
                out.append(w)
            elif k not in done:
                done.add(k)
                out += [v for v in self.reread if (v.block, v.line) == k]
        return replace(self, words=tuple(out), reread=())

    @property
    def text(self) -> str:
        """Reading-order text: words joined by spaces, lines by newlines."""
        lines: list[str] = []
        key: tuple[int, int] | None = None
        for w in self.words:
            k = (w.block, w.line)
            if k != key:
                lines.append(w.text)
                key = k
            else:
                lines[-1] += " " + w.text
        return "\n".join(lines)


class DocKind(enum.StrEnum):
    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"


@dataclass(frozen=True)
class SourceDocument:
    """A source file of the case, triaged and normalised to a working PDF."""

    file_name: str  # name inside the case's files/ folder
    kind: DocKind
    original_sha256: str  # hash of the untouched source bytes
    working_pdf: bytes = field(repr=False)  # the source as PDF (== original for PDFs)
    page_count: int = 0


class Reason(enum.StrEnum):
    """Why a redaction is proposed. The value is the code printed on the box and
    in the schedule; it never contains the redacted words."""

    THIRD_PARTY = "TP"  # name (any form) or alias of a refused/pending party
    THIRD_PARTY_CONTACT = "TPC"  # address, phone or email of such a party
    THIRD_PARTY_STAFF = "TPS"  # a named worker of a refused organisation
    THIRD_PARTY_ORG = "TPO"  # the name of a refused organisation
    SHARED_FIRST_NAME = "TPX"  # a name form the party shares with the child, staff or another listed person: review
    AUTHORED = "TPA"  # page written by a refusing party: withheld whole
    OTHER_CHILD = "OC"  # another child
    UNLISTED_PERSON = "UP"  # a person the manifest does not list: reviewer decides
    RELATIONSHIP = "REL"  # "mum's partner", "Nan": points at a refused party
    REVIEWER = "RV"  # drawn, searched for or withheld whole by a reviewer (their reason in the audit log)
    SAFEGUARDING = "SG"  # withheld because disclosure would put the child at risk (a note is required)
    UNREADABLE = "UR"  # a scanned page OCR could not read: withheld whole unless a reviewer reads it and decides


@dataclass(frozen=True)
class ProposalDraft:
    """A redaction a detector proposes, before it is stored.

    ``text`` is the matched text; it stays in the project's own store (needed to
    verify the output) and never goes to logs, Prefect or the schedule.
    ``boxes`` may be several when a match spans lines or tokens. A ``whole_page``
    proposal redacts the full page (its ``boxes`` hold the page rect).
    """

    page_index: int
    boxes: tuple[Box, ...]
    reason: Reason
    detector: str  # e.g. "manifest", "contact", "presidio", "authorship"
    score: float  # 0..1
    party_id: str | None  # manifest third-party id; None for unlisted people
    text: str = field(default="", repr=False)
    explanation: str = ""  # which rule/alias/form matched; never the matched text
    whole_page: bool = False
    # the id of the rule that made it alone (code keys on this, never on the explanation's
    # words); "" when it has none or when merged with another proposal's reasons
    rule: str = ""


class DecisionStatus(enum.StrEnum):
    """What a reviewer decided of a proposal (the decisions table, the audit log)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ProposalStatus(enum.StrEnum):
    """Where a stored proposal stands: a decision's value, or withdrawn (no longer found
    by a later run, kept because it was decided)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class DocumentStatus(enum.StrEnum):
    """Where a stored document stands: imported, read, proposed, or held back (the
    office is told why)."""

    NEW = "new"
    OCR = "ocr"
    PROPOSED = "proposed"
    HELD = "held"


REVIEWER_DETECTOR = "reviewer"  # the detector of proposals a person drew, searched for or made whole-page


@dataclass(frozen=True)
class Redaction:
    """An accepted proposal, as rendering and verification need it."""

    proposal_id: int
    page_index: int
    boxes: tuple[Box, ...]
    reason: Reason
    party_id: str | None
    text: str = field(default="", repr=False)
    whole_page: bool = False


@dataclass(frozen=True)
class Leak:
    document: str
    page_index: int  # 0-based
    kind: str  # "text", "image", "metadata", "annotation", "embedded-file", ...
    detail: str  # safe to show: never the leaked text itself

    def __str__(self) -> str:
        return f"{self.document} page {self.page_index + 1}: {self.kind}: {self.detail}"


@dataclass(frozen=True)
class VerificationReport:
    document: str
    pages: int
    leaks: tuple[Leak, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.leaks
