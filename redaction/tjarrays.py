"""Rewriting a content stream's ``[...] TJ`` arrays as the equivalent runs of ``Tj`` and
``[n] TJ``, so MuPDF's redaction does not shift the rest of a line (the defect is described
in :mod:`redaction.render`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pymupdf

_TOKEN = re.compile(
    rb"(?P<ws>[\x00\t\n\x0c\r ]+)|(?P<comment>%[^\r\n]*)|(?P<dict><<|>>)|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<open>\()|(?P<arr>[\[\]{}])|(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)"
    rb"|(?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)"
)
_NUMBER = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)")


def _literal_end(data: bytes, i: int) -> int:
    """Index just past the literal string starting with '(' at ``i``."""
    depth, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash: skip the escaped byte
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unterminated string")


def _tokens(data: bytes) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each token; whitespace and comments are left out."""
    i, n = 0, len(data)
    while i < n:
        if data[i] == 0x28:
            end = _literal_end(data, i)
            yield "str", i, end
            i = end
            continue
        m = _TOKEN.match(data, i)
        if m is None:
            raise ValueError(f"unexpected byte at {i}")
        kind = m.lastgroup or "word"
        if kind == "hex":
            yield "str", i, m.end()
        elif kind not in ("ws", "comment"):
            yield kind, i, m.end()
        i = m.end()


def split_tj_rewrite(data: bytes) -> bytes | None:
    """``data`` with every ``[...] TJ`` holding strings rewritten as the equivalent
    run of ``(s) Tj`` and ``[n] TJ``; ``None`` if nothing changed or the stream holds
    something this small lexer does not take apart safely (inline images)."""
    out: list[bytes] = []
    last = 0
    changed = False
    try:
        toks = list(_tokens(data))
    except ValueError:
        return None
    k = 0
    while k < len(toks):
        kind, start, end = toks[k]
        if kind == "word" and data[start:end] in (b"BI", b"ID"):
            return None
        if kind == "arr" and data[start:end] == b"[":
            j = k + 1
            items: list[tuple[str, int, int]] = []
            while j < len(toks) and (toks[j][0] == "str" or
                                     (toks[j][0] == "word" and _NUMBER.fullmatch(data[toks[j][1]:toks[j][2]]))):
                items.append(toks[j])
                j += 1
            if (j + 1 < len(toks) and data[toks[j][1]:toks[j][2]] == b"]"
                    and data[toks[j + 1][1]:toks[j + 1][2]] == b"TJ"
                    and any(t[0] == "str" for t in items)):
                parts = [data[s0:e0] + b" Tj" if t == "str" else b"[" + data[s0:e0] + b"] TJ"
                         for t, s0, e0 in items]
                out += [data[last:start], b" ".join(parts)]
                last = toks[j + 1][2]
                changed = True
                k = j + 2
                continue
        k += 1
    if not changed:
        return None
    out.append(data[last:])
    return b"".join(out)


def split_tj_arrays(doc: pymupdf.Document, page: pymupdf.Page) -> int:
    """Rewrite the TJ arrays of the page's content streams and of the form XObjects
    it uses (see the module docstring). Returns the number of streams rewritten."""
    xrefs = list(page.get_contents()) + [x[0] for x in page.get_xobjects()]
    done = 0
    for xref in dict.fromkeys(xrefs):
        if not doc.xref_is_stream(xref):
            continue
        data = doc.xref_stream(xref)
        new = split_tj_rewrite(data) if data and b"TJ" in data else None
        if new is not None:
            doc.update_stream(xref, new)
            done += 1
    return done
