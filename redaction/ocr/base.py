"""The OCR seam: what an engine and a cache look like.

An engine reads one page image and returns :class:`PixelWord` values in *pixel*
coordinates of that image (origin top-left, x right, y down). Turning them into page
coordinates (points) is :func:`redaction.ocr.coords.words_to_page`'s job alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable

from PIL import Image


@dataclass(frozen=True)
class PixelWord:
    """One word an engine found, in pixels of the image it was given.

    ``(block, line)`` identifies a line: the engine numbers lines so that two
    different lines never share the pair. ``word_no`` orders words on a line.
    """

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float  # 0..100
    block: int = 0
    line: int = 0
    word_no: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PixelWord:
        return cls(
            text=str(d["text"]),
            left=int(d["left"]),
            top=int(d["top"]),
            width=int(d["width"]),
            height=int(d["height"]),
            conf=float(d["conf"]),
            block=int(d.get("block", 0)),
            line=int(d.get("line", 0)),
            word_no=int(d.get("word_no", 0)),
        )


GOOD_CONF = 70.0  # a word read this confidently ...
GOOD_LETTERS = 3  # ... with this many letters counts as read well


def well_read(text: str, conf: float) -> bool:
    """A word OCR read well: three letters or more, confidence 70 or more. The share of
    such words tells a page read the right way up from noise (redaction.ocr.tesseract,
    redaction.detect.unreadable)."""
    return conf >= GOOD_CONF and sum(c.isalpha() for c in text) >= GOOD_LETTERS


@runtime_checkable
class OcrEngine(Protocol):
    """Reads the words of one page image.

    ``name`` and ``config_key`` go into the OCR cache key: ``config_key`` must change
    whenever the engine would read the same image differently (version, language,
    page segmentation mode ...). Engines must be picklable: they are sent to worker
    processes.
    """

    @property
    def name(self) -> str: ...

    @property
    def config_key(self) -> str: ...

    def read(self, image: Image.Image) -> list[PixelWord]: ...


class OcrCache(Protocol):
    """OCR results by key (engine name, engine config, page-image hash)."""

    def get(self, key: str) -> list[PixelWord] | None: ...

    def put(self, key: str, words: list[PixelWord]) -> None: ...
