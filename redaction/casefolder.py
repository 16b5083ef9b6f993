"""Reading a case folder as something that may be hostile: only its own regular files,
never through a link, never more bytes than the limits allow, any file name.

The folder is opened once and every name in it is looked up relative to that open
folder, with ``O_NOFOLLOW``: a symbolic link (to a PDF elsewhere, to a system file) or a
special file (a FIFO, a device, a socket) in ``files/`` is refused by name from its
``lstat`` and never opened, let alone read; a ``files/`` folder or a ``case.yaml`` that is
a link is refused too. Sizes come from ``lstat`` before a byte is read, and reading stops
one byte past the limit, so a huge file is never read whole (or stored). A file name
that is not UTF-8 (or holds control characters) is shown escaped (``caf\\xe9.pdf``) and only
that file is held back. Nothing is written to the folder: files are opened read-only.

A refused file is never read, so it has no content hash: :attr:`SourceEntry.sha256` is a
marker of why it was refused (and its size), stable between runs; once the file is put
right its real hash differs and it is read as a new version.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from redaction.errors import InputError, ManifestError, SourceFileError

MANIFEST = "case.yaml"
FILES = "files"
MAX_MANIFEST_BYTES = 1024 * 1024  # a case.yaml is a few KB; anything this size is not one
MAX_NAME_CHARS = 255  # the database's file_name column
_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # NONBLOCK: a FIFO swapped in cannot hang
_MB = 1024 * 1024


def shown_name(raw: bytes) -> str:
    """A file name as messages, the database and the desk show it: UTF-8 as is; bytes
    that are not UTF-8, and control characters, escaped as ``\\xNN``."""
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else "".join(f"\\x{b:02x}" for b in c.encode()) for c in text)


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link (a shortcut to a file somewhere else)"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


@dataclass(frozen=True)
class SourceEntry:
    """One entry of ``files/``, known from its ``lstat`` alone."""

    name: str  # shown_name(raw)
    raw: bytes  # the name's bytes on disk
    size: int
    inode: tuple[int, int]  # (st_dev, st_ino): the file opened must be this one
    refused: SourceFileError | None = None  # held back before a byte is read

    @property
    def marker(self) -> str:
        """The stand-in for the content hash of a file that was not read."""
        code = self.refused.code if self.refused else "unread"
        return hashlib.sha256(f"cleancopy: not read ({code}, {self.size} bytes)".encode()).hexdigest()


@dataclass(frozen=True)
class Listing:
    entries: tuple[SourceEntry, ...]
    warnings: tuple[str, ...]  # e.g. a folder inside files/, whose contents are not read


class CaseFolder:
    """An open case folder (a context manager): the manifest and the source files, read
    relative to the folder as it was when opened."""

    def __init__(self, case_dir: Path | str) -> None:
        self.path = Path(case_dir)
        try:
            self._fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise InputError(f"{self.path}: there is no such case folder: check the path") from None
        except NotADirectoryError:
            raise InputError(f"{self.path}: is not a folder: give the case folder (holding case.yaml and files/)"
                             ) from None
        except OSError as e:
            raise InputError(f"{self.path}: the case folder cannot be opened ({e.strerror}): check its "
                             "permissions") from None
        self._files_fd: int | None = None

    def close(self) -> None:
        for fd in (self._files_fd, self._fd):
            if fd is not None:
                os.close(fd)
        self._files_fd = None

    def __enter__(self) -> CaseFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- case.yaml ---------------------------------------------------------------

    def manifest_bytes(self) -> bytes:
        """case.yaml's bytes: a regular file in the folder itself (not a link), at most
        :data:`MAX_MANIFEST_BYTES`."""
        where = str(self.path / MANIFEST)
        try:
            st = os.stat(MANIFEST, dir_fd=self._fd, follow_symlinks=False)
        except FileNotFoundError:
            raise ManifestError(where, "is missing: every case folder needs a case.yaml") from None
        kind = _kind_of(st.st_mode)
        if kind is not None:
            raise ManifestError(where, f"is {kind}: it is not followed; put the case.yaml file itself in the "
                                "case folder")
        if st.st_size > MAX_MANIFEST_BYTES:
            raise ManifestError(where, f"is {st.st_size / _MB:.1f} MB: a case.yaml is a short text file "
                                f"(at most {MAX_MANIFEST_BYTES // 1024} KB); check it is the right file")
        try:
            return self._read(MANIFEST, self._fd, st, MAX_MANIFEST_BYTES)
        except _Changed:
            raise ManifestError(where, "changed while it was being read: run again") from None
        except _TooLarge:
            raise ManifestError(where, f"grew over {MAX_MANIFEST_BYTES // 1024} KB while it was being read") from None
        except OSError as e:
            raise ManifestError(where, f"cannot be read ({e.strerror}): check its permissions") from None

    # --- files/ ------------------------------------------------------------------

    def _files(self) -> int:
        if self._files_fd is None:
            where = self.path / FILES
            try:
                self._files_fd = os.open(FILES, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                                         dir_fd=self._fd)
            except FileNotFoundError:
                raise InputError(f"{self.path}: has no files/ folder; put the scanned documents in {where}") from None
            except (NotADirectoryError, OSError) as e:
                try:
                    is_link = stat.S_ISLNK(os.stat(FILES, dir_fd=self._fd, follow_symlinks=False).st_mode)
                except OSError:
                    is_link = False
                if is_link:
                    raise InputError(f"{where}: is a symbolic link: it is not followed; put the scanned documents "
                                     "themselves in a files/ folder inside the case folder") from None
                raise InputError(f"{where}: is not a folder that can be read ({e.strerror}): put the scanned "
                                 "documents in a files/ folder") from None
        return self._files_fd

    def listing(self, max_file_bytes: int) -> Listing:
        """Every entry of ``files/`` but hidden ones (``.DS_Store`` ...), by name, each
        judged from its ``lstat``: refused (a link, a special file, a name that is not
        text, over ``max_file_bytes``) or to be read."""
        fd = self._files()
        entries: list[SourceEntry] = []
        warnings: list[str] = []
        seen: set[str] = set()
        with os.scandir(fd) as it:
            found = sorted(it, key=lambda e: os.fsencode(e.name))
        for e in found:
            raw = os.fsencode(e.name)
            if raw.startswith(b"."):
                continue
            name = shown_name(raw)
            if len(name) > MAX_NAME_CHARS:
                name = name[:200] + "..." + hashlib.sha256(raw).hexdigest()[:8]
            if name in seen:  # a name of other bytes shown the same: the first one stands for both
                warnings.append(f"files/{name}: two files have names shown alike; the second is not read: "
                                "rename one")
                continue
            seen.add(name)
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue  # gone since the folder was listed
            if stat.S_ISDIR(st.st_mode):
                warnings.append(f"files/{name}/ is a folder: the files inside it are not read; put them directly "
                                "in files/")
                continue
            entries.append(SourceEntry(name, raw, st.st_size, (st.st_dev, st.st_ino),
                                       _refusal(name, raw, st, max_file_bytes)))
        return Listing(tuple(entries), tuple(warnings))

    def read(self, entry: SourceEntry, max_file_bytes: int) -> bytes:
        """The bytes of a file the listing did not refuse; the file opened must be the one
        listed (not a link or another file put in its place since), and reading stops one
        byte past ``max_file_bytes``. Raises :class:`SourceFileError` (held back)."""
        if entry.refused is not None:
            raise entry.refused
        fd = self._files()
        try:
            st = os.stat(entry.raw, dir_fd=fd, follow_symlinks=False)
            if (st.st_dev, st.st_ino) != entry.inode or _kind_of(st.st_mode) is not None:
                raise _Changed
            return self._read(entry.raw, fd, st, max_file_bytes)
        except _Changed:
            raise SourceFileError(entry.name, "the file was replaced while the case was being read: run the case "
                                  "again", "changed") from None
        except _TooLarge:
            raise SourceFileError(entry.name, _too_large(None, max_file_bytes), "too-large") from None
        except OSError as e:
            raise SourceFileError(entry.name, f"the file cannot be opened ({e.strerror}): check it is still in the "
                                  "case folder and can be read", "corrupt") from None

    def sha256(self, entry: SourceEntry, max_file_bytes: int) -> str:
        """The content hash of a file to be read (streamed, nothing kept), or the marker
        of a refused one; a file that cannot be read now also gives a marker."""
        if entry.refused is not None:
            return entry.marker
        h = hashlib.sha256()
        try:
            for chunk in self._chunks(entry, max_file_bytes):
                h.update(chunk)
        except (SourceFileError, OSError):
            return entry.marker
        return h.hexdigest()

    def _chunks(self, entry: SourceEntry, max_file_bytes: int) -> Iterator[bytes]:
        fd = self._files()
        f = os.open(entry.raw, _OPEN_FLAGS, dir_fd=fd)
        try:
            st = os.fstat(f)
            if (st.st_dev, st.st_ino) != entry.inode or not stat.S_ISREG(st.st_mode):
                raise SourceFileError(entry.name, "the file was replaced while being read", "changed")
            total = 0
            while chunk := os.read(f, _CHUNK):
                total += len(chunk)
                if total > max_file_bytes:
                    raise SourceFileError(entry.name, _too_large(None, max_file_bytes), "too-large")
                yield chunk
        finally:
            os.close(f)

    @staticmethod
    def _read(name: str | bytes, dir_fd: int, listed: os.stat_result, limit: int) -> bytes:
        f = os.open(name, _OPEN_FLAGS, dir_fd=dir_fd)
        try:
            st = os.fstat(f)
            if (st.st_dev, st.st_ino) != (listed.st_dev, listed.st_ino) or not stat.S_ISREG(st.st_mode):
                raise _Changed
            if st.st_size > limit:
                raise _TooLarge
            parts: list[bytes] = []
            total = 0
            while chunk := os.read(f, min(_CHUNK, limit + 1 - total)):
                parts.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise _TooLarge
            return b"".join(parts)
        finally:
            os.close(f)


class _Changed(Exception):
    pass


class _TooLarge(Exception):
    pass


def _too_large(size: int | None, limit: int) -> str:
    what = f"the file is {size / _MB:.1f} MB" if size is not None else "the file is"
    return (f"{what}, over the limit of {limit / _MB:.0f} MB: split it into smaller files or scan it at a lower "
            "resolution (300 dpi is enough)")


def _refusal(name: str, raw: bytes, st: os.stat_result, max_file_bytes: int) -> SourceFileError | None:
    kind = _kind_of(st.st_mode)
    if stat.S_ISLNK(st.st_mode):
        return SourceFileError(name, f"the file is {kind}: it is not followed or read; copy the document itself "
                               "into files/", "link")
    if kind is not None:
        return SourceFileError(name, f"this is {kind}: it is not read; put the scanned document itself in files/",
                               "special")
    if shown_name(raw) != raw.decode("utf-8", "replace"):
        return SourceFileError(name, "the file name is not plain text (shown here with \\x and the codes of the "
                               "characters that are not): rename the file, e.g. with letters, digits and '-', "
                               "and run again", "bad-name")
    if st.st_size == 0:
        return SourceFileError(name, "the file is empty (0 bytes): scan it again or ask the sender for a new copy",
                               "empty")
    if st.st_size > max_file_bytes:
        return SourceFileError(name, _too_large(st.st_size, max_file_bytes), "too-large")
    return None
