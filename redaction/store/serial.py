"""JSON forms of stage values kept in the blob store (OCR words) or the database (boxes)."""

from __future__ import annotations

import json
from typing import Any

from redaction.models import Box, OcrPage, TextSource, Word


def boxes_to_json(boxes: tuple[Box, ...]) -> list[Any]:
    return [[round(v, 2) for v in b.as_tuple()] for b in boxes]


def boxes_from_json(data: list[Any]) -> tuple[Box, ...]:
    return tuple(Box(*map(float, b)) for b in data)


def ocr_page_to_bytes(page: OcrPage) -> bytes:
    doc: dict[str, Any] = {
        "page_index": page.page_index,
        "width": page.width,
        "height": page.height,
        "rotation": page.rotation,
        "source": page.source.value,
        "words": _words_to_json(page.words),
    }
    if page.reread:
        doc["reread"] = _words_to_json(page.reread)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


def ocr_page_from_bytes(data: bytes) -> OcrPage:
    doc = json.loads(data)
    return OcrPage(
        page_index=doc["page_index"],
        width=doc["width"],
        height=doc["height"],
        rotation=doc["rotation"],
        source=TextSource(doc["source"]),
        words=_words_from_json(doc["words"]),
        reread=_words_from_json(doc.get("reread", [])),
    )


def _words_to_json(words: tuple[Word, ...]) -> list[list[Any]]:
    return [[w.text, *w.box.as_tuple(), w.block, w.line, w.word_no, w.conf] for w in words]


def _words_from_json(rows: list[list[Any]]) -> tuple[Word, ...]:
    return tuple(
        Word(text=t, box=Box(x0, y0, x1, y1), block=b, line=ln, word_no=n, conf=c)
        for t, x0, y0, x1, y1, b, ln, n, c in rows
    )
