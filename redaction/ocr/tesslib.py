"""Tesseract's own library, loaded once per process and kept: the same reading as the
``tesseract`` program, without starting it (and loading its language model) per image.

The ``tesseract`` program, for each image, starts, loads the language data, reads the
image file with Leptonica, recognises it and writes the TSV table that pytesseract
parses. :class:`TessLib` does the same steps through the library's C API (``libtesseract``,
the very library the program links; ``liblept`` for the image): ``pixReadMem`` of the
same PNG bytes, the same variables (``tessedit_create_tsv``, ``user_defined_dpi``), the same
page segmentation and engine modes, and ``TessBaseAPIGetTsvText`` for the table. Only the
start-up and the model load are paid once per process.

It is used only when the library's version is the program's (so the reading, and the
OCR cache's key, are those of the program); otherwise, or when the library cannot be
loaded, :func:`library_for` answers None and the program is run as before. A page that
takes longer than the engine's timeout is cancelled through the library's monitor.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import functools
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytesseract

log = logging.getLogger(__name__)

TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
_LIBS = ("libtesseract.so.5", "libtesseract.so")
_LEPT = ("liblept.so.5", "libleptonica.so.6", "liblept.so")


class TessLibError(RuntimeError):
    """The library could not read an image (the caller says which page)."""


class TessLibLanguageError(TessLibError):
    """The library could not load the language's data."""


def _load(names: tuple[str, ...], find: str) -> ctypes.CDLL | None:
    for name in (*names, ctypes.util.find_library(find)):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _declare(tess: ctypes.CDLL, lept: ctypes.CDLL) -> None:
    vp, cp, ci = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    tess.TessVersion.restype = cp
    tess.TessBaseAPICreate.restype = vp
    tess.TessBaseAPIDelete.argtypes = [vp]
    tess.TessBaseAPIEnd.argtypes = [vp]
    tess.TessBaseAPISetVariable.argtypes = [vp, cp, cp]
    tess.TessBaseAPISetVariable.restype = ci
    tess.TessBaseAPIInit2.argtypes = [vp, cp, cp, ci]
    tess.TessBaseAPIInit2.restype = ci
    tess.TessBaseAPISetPageSegMode.argtypes = [vp, ci]
    tess.TessBaseAPISetImage2.argtypes = [vp, vp]
    tess.TessBaseAPIRecognize.argtypes = [vp, vp]
    tess.TessBaseAPIRecognize.restype = ci
    tess.TessBaseAPIGetTsvText.argtypes = [vp, ci]
    tess.TessBaseAPIGetTsvText.restype = ctypes.POINTER(ctypes.c_char)
    tess.TessDeleteText.argtypes = [ctypes.POINTER(ctypes.c_char)]
    tess.TessBaseAPIClear.argtypes = [vp]
    tess.TessMonitorCreate.restype = vp
    tess.TessMonitorDelete.argtypes = [vp]
    tess.TessMonitorSetDeadlineMSecs.argtypes = [vp, ci]
    lept.pixReadMem.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    lept.pixReadMem.restype = vp
    lept.pixDestroy.argtypes = [ctypes.POINTER(vp)]


@dataclass
class TessLib:
    """One loaded engine (language, engine mode) of one process. Tesseract's API handle is
    not to be shared between threads: a read takes a free handle, or makes one, and gives it
    back (a process's OCR runs in one thread: one handle; threads that read at once get one
    each, and no more are made than ever read at once)."""

    tess: ctypes.CDLL
    lept: ctypes.CDLL
    lang: str
    oem: int
    _free: list[int] = field(default_factory=list, repr=False)
    _all: list[int] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _new_handle(self) -> int:
        h = int(self.tess.TessBaseAPICreate())
        self.tess.TessBaseAPISetVariable(h, b"tessedit_create_tsv", b"1")
        # the program's notes ("Detected 56 diacritics") go to its own stderr, which
        # pytesseract swallows; here they would reach the command's
        self.tess.TessBaseAPISetVariable(h, b"debug_file", os.devnull.encode())
        if self.tess.TessBaseAPIInit2(h, None, self.lang.encode(), self.oem) != 0:
            self.tess.TessBaseAPIDelete(h)
            raise TessLibLanguageError(f"tesseract's library could not load the '{self.lang}' language data")
        with self._lock:
            if not self._all:
                atexit.register(self.close)
            self._all.append(h)
        return h

    @contextlib.contextmanager
    def _handle(self) -> Iterator[int]:
        with self._lock:
            h = self._free.pop() if self._free else None
        if h is None:
            h = self._new_handle()
        try:
            yield h
        finally:
            with self._lock:
                if h in self._all:
                    self._free.append(h)

    @property
    def handles(self) -> int:
        """How many API handles this engine has made."""
        return len(self._all)

    def close(self) -> None:
        """Free the engine's handles (at the process's exit: else tesseract reports its cache
        as leaked)."""
        with self._lock:
            for h in self._all:
                self.tess.TessBaseAPIEnd(h)
                self.tess.TessBaseAPIDelete(h)
            self._all.clear()
            self._free.clear()

    def tsv(self, png: bytes, psm: int, dpi: int | None, timeout: float) -> str:
        """The TSV table (header included) the ``tesseract`` program writes for this image."""
        with self._handle() as h:
            return self._tsv(h, png, psm, dpi, timeout)

    def _tsv(self, h: int, png: bytes, psm: int, dpi: int | None, timeout: float) -> str:
        pix = ctypes.c_void_p(self.lept.pixReadMem(png, len(png)))
        if not pix.value:
            raise TessLibError("the page image could not be decoded")
        monitor = self.tess.TessMonitorCreate()
        try:
            self.tess.TessBaseAPISetVariable(h, b"user_defined_dpi", str(dpi or 0).encode())
            self.tess.TessBaseAPISetPageSegMode(h, psm)
            self.tess.TessBaseAPISetImage2(h, pix)
            self.tess.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout * 1000)))
            if self.tess.TessBaseAPIRecognize(h, monitor) != 0:
                raise TessLibError("tesseract's library did not finish the page (timeout or failure)")
            text = self.tess.TessBaseAPIGetTsvText(h, 0)
            try:
                body = ctypes.string_at(text).decode("utf-8", errors="replace") if text else ""
            finally:
                if text:
                    self.tess.TessDeleteText(text)
        finally:
            self.tess.TessBaseAPIClear(h)
            self.tess.TessMonitorDelete(monitor)
            self.lept.pixDestroy(ctypes.byref(pix))
        return f"{TSV_HEADER}\n{body}"


@functools.cache
def _dll_pair() -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
    """libtesseract and liblept, loaded and declared once per process (None: not here)."""
    tess, lept = _load(_LIBS, "tesseract"), _load(_LEPT, "lept")
    if tess is None or lept is None:
        return None
    try:
        _declare(tess, lept)
    except AttributeError:  # a library without the C API's functions
        return None
    return tess, lept


@functools.cache
def _usable(program_version: str) -> bool:
    """The library loads and is the program's version (said once in the log when it is not)."""
    pair = _dll_pair()
    if pair is None:
        return False
    version = str(pair[0].TessVersion().decode())
    if version.split("-")[0] != program_version.split("-")[0]:
        log.info("tesseract's library is %s, the program %s: the program is used", version, program_version)
        return False
    return True


_loaded: dict[tuple[str, int], TessLib] = {}
_loaded_lock = threading.Lock()


def library_for(lang: str, oem: int, program_version: str) -> TessLib | None:
    """This process's engine for ``lang``/``oem`` when tesseract's library is the program's
    version (``program_version``, e.g. ``5.3.0``); None otherwise: the program is run."""
    pair = _dll_pair()
    if pair is None or not _usable(program_version):
        return None
    with _loaded_lock:
        if (lang, oem) not in _loaded:
            _loaded[(lang, oem)] = TessLib(pair[0], pair[1], lang, oem)
        return _loaded[(lang, oem)]


def parse_tsv(tsv: str) -> dict[str, list[Any]]:
    """The TSV table as pytesseract's ``Output.DICT`` (the same parser)."""
    return dict(pytesseract.pytesseract.file_to_dict(tsv, "\t", -1))
