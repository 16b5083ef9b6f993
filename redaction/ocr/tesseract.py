"""Tesseract, through its library kept loaded (:mod:`redaction.ocr.tesslib`) or the
``tesseract`` program through pytesseract: the one module that reads with tesseract and
translates its failures into cleancopy's errors."""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytesseract
from PIL import Image

from redaction.errors import MissingToolError, OcrError
from redaction.models import TextSource
from redaction.ocr.base import PixelWord, well_read
from redaction.ocr.reread import lines_to_reread, stack_lines, unstack_words
from redaction.ocr.tesslib import TessLibError, TessLibLanguageError, library_for, parse_tsv

log = logging.getLogger(__name__)

INSTALL_HINT = "install it with: apt-get install -y tesseract-ocr"
LANG_HINT = "install the language data with: apt-get install -y tesseract-ocr-{lang}"


def _missing(lang: str | None = None) -> MissingToolError:
    if lang:
        return MissingToolError(f"tesseract has no '{lang}' language data: {LANG_HINT.format(lang=lang)}")
    return MissingToolError(f"tesseract (the OCR program) is not installed: {INSTALL_HINT}")


def tesseract_version(cmd: str = "tesseract") -> str:
    """The installed tesseract's version, e.g. ``5.3.0``; MissingToolError if absent."""
    pytesseract.pytesseract.tesseract_cmd = cmd
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as e:
        raise _missing() from e
    except OSError as e:  # e.g. not executable
        raise _missing() from e


@dataclass
class TesseractEngine:
    """Tesseract OCR. ``psm`` is tesseract's page segmentation mode (3 = automatic).

    Picklable (plain fields), so it can be sent to worker processes.
    """

    psm: int = 3
    lang: str = "eng"
    oem: int = 1  # LSTM only
    tesseract_cmd: str = "tesseract"
    timeout: float = 600.0  # seconds per page
    name: str = "tesseract"
    text_source: TextSource = TextSource.TESSERACT
    fix_orientation: bool = True  # read a poorly read page again the way tesseract's OSD says is up
    reread_lines: bool = True  # read poorly read lines a second time, each on its own (redaction.ocr.reread)
    use_library: bool = True  # tesseract's library kept loaded (redaction.ocr.tesslib) when it is the program's version
    _version: str | None = field(default=None, repr=False, compare=False)

    @property
    def config_key(self) -> str:
        if self._version is None:
            self._version = tesseract_version(self.tesseract_cmd)
        key = f"{self._version}-{self.lang}-psm{self.psm}-oem{self.oem}"
        return key + (f"-rr{REREAD_VERSION}" if self.reread_lines else "")

    def _config(self, info: dict[str, Any]) -> str:
        cfg = f"--psm {int(self.psm)} --oem {int(self.oem)}"
        d = _dpi(info)
        return cfg + (f" --dpi {d}" if d else "")

    def read(self, image: Image.Image) -> list[PixelWord]:
        """The page's words. A page that reads poorly (scanned upside down or turned a
        quarter) is read again the right way up when tesseract's orientation check says
        which way that is and the second reading is better; its boxes are turned back to
        this image's pixels.

        With ``reread_lines``, the lines read poorly are read a second time, each cut out
        and enlarged (:mod:`redaction.ocr.reread`); those words come after the page's, marked
        by their block (:func:`redaction.ocr.reread.is_reread`)."""
        return self._finish(self._read(image), lambda: image)

    def read_encoded(self, data: bytes) -> list[PixelWord]:
        """:meth:`read` of an encoded PNG page image, handed to tesseract as it is: it is
        not decoded here and encoded again for tesseract (what reading a decoded image
        costs). It is decoded only when the page needs turning or lines reading again."""
        with Image.open(io.BytesIO(data)) as header:  # the header only: format, size, dpi
            fmt = header.format
            info: dict[str, Any] = {k: v for k, v in header.info.items() if isinstance(k, str)}
        if fmt != "PNG":
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                return self.read(im)
        decoded: list[Image.Image] = []

        def image() -> Image.Image:
            if not decoded:
                with Image.open(io.BytesIO(data)) as im:
                    im.load()
                    decoded.append(im.copy())
            return decoded[0]

        return self._finish(self._read(data, info), image)

    def _finish(self, words: list[PixelWord], image_of: Callable[[], Image.Image]) -> list[PixelWord]:
        if self.fix_orientation and not reads_well(words):
            image = image_of()
            turn = self._orientation(image)
            if turn:
                turned = image.rotate(-turn, expand=True)  # PIL turns anticlockwise
                turned.info = dict(image.info)  # the scan's dpi, for tesseract
                again = self._read(turned)
                if good_words(again) > good_words(words):
                    log.info("page read again turned %d degrees: %d -> %d good words", turn, good_words(words),
                             good_words(again))
                    again += self._reread(turned, again)
                    return [turn_back(w, turn, image.size) for w in again]
        if not self.reread_lines or not lines_to_reread(words):
            return words
        return words + self._reread(image_of(), words)

    def _reread(self, image: Image.Image, words: list[PixelWord]) -> list[PixelWord]:
        if not self.reread_lines:
            return []
        lines = lines_to_reread(words)
        if not lines:
            return []
        stack, cuts = stack_lines(image, lines, words)
        single = replace(self, psm=6)
        return unstack_words(single._read(stack), cuts)

    def _orientation(self, image: Image.Image) -> int:
        """Degrees (90, 180, 270) to turn the image clockwise to read it, by tesseract's
        orientation and script detection; 0 when upright, unsure or unavailable."""
        try:
            osd = pytesseract.image_to_osd(image, config="--psm 0", output_type=pytesseract.Output.DICT,
                                           timeout=self.timeout)
        except (pytesseract.TesseractError, RuntimeError, OSError) as e:
            log.info("orientation check not possible: %s", type(e).__name__)
            return 0
        turn = int(osd.get("rotate", 0)) % 360
        sure = float(osd.get("orientation_conf", 0.0)) >= MIN_ORIENTATION_CONF
        return turn if sure and turn in (90, 180, 270) else 0

    def _read(self, image: Image.Image | bytes, info: dict[str, Any] | None = None) -> list[PixelWord]:
        """Tesseract's words of an image, or of an encoded PNG image (``info``: its dpi):
        through its library kept loaded in this process when it is the program's version,
        else the program."""
        config_info = info if info is not None else getattr(image, "info", {})
        lib = (library_for(self.lang, self.oem, self.config_key.split("-")[0])
               if self.use_library and self.tesseract_cmd == "tesseract" else None)
        if lib is not None:
            try:
                return words_from_data(parse_tsv(lib.tsv(_encoded(image), self.psm, _dpi(config_info), self.timeout)))
            except TessLibLanguageError as e:
                raise _missing(self.lang) from e
            except TessLibError as e:
                raise OcrError(f"tesseract failed on a page image ({e})") from e
        if isinstance(image, bytes):  # the program reads the PNG file as it is
            fd, path = tempfile.mkstemp(prefix="cleancopy-page-", suffix=".png")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(image)
                return self._run_program(path, config_info)
            finally:
                os.unlink(path)
        return self._run_program(image, config_info)

    def _run_program(self, image: Image.Image | str, info: dict[str, Any]) -> list[PixelWord]:
        pytesseract.pytesseract.tesseract_cmd = self.tesseract_cmd
        try:
            data = pytesseract.image_to_data(
                image,
                lang=self.lang,
                config=self._config(info),
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout,
            )
        except pytesseract.TesseractNotFoundError as e:
            raise _missing() from e
        except pytesseract.TesseractError as e:
            msg = str(getattr(e, "message", e))
            if "Failed loading language" in msg or "Error opening data file" in msg:
                raise _missing(self.lang) from e
            log.warning("tesseract failed: status=%s", getattr(e, "status", "?"))
            raise OcrError(f"tesseract failed on a page image (status {getattr(e, 'status', '?')})") from e
        except RuntimeError as e:  # pytesseract's timeout
            raise OcrError(f"tesseract took longer than {self.timeout:.0f} s on a page image") from e
        except OSError as e:
            raise OcrError(f"tesseract could not be run: {type(e).__name__}") from e
        return words_from_data(data)


def _dpi(info: dict[str, Any]) -> int | None:
    """The dpi handed to tesseract (``--dpi``), as :meth:`TesseractEngine._config` gives it."""
    try:
        d = round(float(info.get("dpi")[0]))  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    return d if 70 <= d <= 2400 else None


def _encoded(image: Image.Image | bytes) -> bytes:
    """The image file's bytes as the program would read them: encoded bytes as they are; a
    decoded image prepared and saved as pytesseract does for the program."""
    if isinstance(image, bytes):
        return image
    prepared, fmt = pytesseract.pytesseract.prepare(image)
    buf = io.BytesIO()
    prepared.save(buf, format=fmt)
    return buf.getvalue()


REREAD_VERSION = 5  # part of the cache key: change when the second reading changes
MIN_ORIENTATION_CONF = 1.5  # tesseract's orientation confidence needed to turn a page
GOOD_SHARE = 0.35  # a page reads well when this share of its words (of at least MIN_WORDS) do
MIN_WORDS = 12


def good_words(words: list[PixelWord]) -> int:
    return sum(well_read(w.text, w.conf) for w in words)


def reads_well(words: list[PixelWord]) -> bool:
    """Few words (a nearly blank page, a photo) or a good share read confidently."""
    return len(words) < MIN_WORDS or good_words(words) >= GOOD_SHARE * len(words)


def turn_back(w: PixelWord, turn: int, size: tuple[int, int]) -> PixelWord:
    """A word read on the image turned ``turn`` degrees clockwise, in the pixels of the
    image as it was (``size``: its width and height)."""
    width, height = size
    if turn == 90:  # (x, y) was turned to (height - y, x)
        left, top, w_, h_ = w.top, height - w.left - w.width, w.height, w.width
    elif turn == 180:
        left, top, w_, h_ = width - w.left - w.width, height - w.top - w.height, w.width, w.height
    elif turn == 270:  # (x, y) was turned to (y, width - x)
        left, top, w_, h_ = width - w.top - w.height, w.left, w.height, w.width
    else:
        return w
    return PixelWord(w.text, left, top, w_, h_, w.conf, w.block, w.line, w.word_no)


def words_from_data(data: dict[str, list[Any]]) -> list[PixelWord]:
    """Tesseract's image_to_data DICT -> PixelWords. Drops empty and conf<0 rows;
    numbers lines so that ``(block, line)`` is unique across paragraphs."""
    words: list[PixelWord] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    per_line: dict[int, int] = {}
    n = len(data.get("text", []))
    for i in range(n):
        text = str(data["text"][i]).strip()
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            continue
        if not text or conf < 0:
            continue
        block = int(data["block_num"][i])
        key = (block, int(data["par_num"][i]), int(data["line_num"][i]))
        if key not in line_ids:
            line_ids[key] = sum(1 for k in line_ids if k[0] == block)
        line = line_ids[key]
        lid = block * 100_000 + line
        per_line[lid] = per_line.get(lid, -1) + 1
        words.append(
            PixelWord(
                text=text,
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                conf=max(0.0, min(100.0, conf)),
                block=block,
                line=line,
                word_no=per_line[lid],
            )
        )
    return words
