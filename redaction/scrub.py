"""Scrubbing a PDF cleancopy writes: annotations and form fields flattened or dropped, then
the info dictionary, XMP, outlines, embedded files, actions, structure tree and
thumbnails removed, saved as one fresh revision (:mod:`redaction.render`)."""

from __future__ import annotations

import logging

import pymupdf

log = logging.getLogger(__name__)

_ANNOT_REDACT_TYPE: int = pymupdf.PDF_ANNOT_REDACT  # type: ignore[attr-defined]
_ANNOT_POPUP_TYPE: int = pymupdf.PDF_ANNOT_POPUP  # type: ignore[attr-defined]

# Catalog entries that carry names, actions, attachments or history, none of which
# a clean copy needs.
_CATALOG_KEYS_TO_DROP = (
    "Info", "Metadata", "Names", "OpenAction", "AA", "AcroForm", "Outlines",
    "StructTreeRoot", "MarkInfo", "PieceInfo", "Threads", "Collection", "Perms",
    "Legal", "SpiderInfo", "URI", "PageMode", "Dests",
)
_PAGE_KEYS_TO_DROP = ("Annots", "AA", "Metadata", "PieceInfo", "Thumb", "B", "StructParents", "Trans")

# Annotation flags (PDF 32000-1, 12.5.3)
_ANNOT_HIDDEN = 2
_ANNOT_NOVIEW = 32


def flatten_annotations(doc: pymupdf.Document) -> None:
    """Bake visible annotations and form fields into the page content (what the
    reviewer saw stays and is redacted like any text); delete hidden ones, pending
    redaction annotations and links."""
    for pno in range(doc.page_count):
        page = doc[pno]
        for annot in list(page.annots() or ()):
            hidden = annot.flags & (_ANNOT_HIDDEN | _ANNOT_NOVIEW)
            if hidden or annot.type[0] in (_ANNOT_REDACT_TYPE, _ANNOT_POPUP_TYPE):
                page.delete_annot(annot)
        for widget in list(page.widgets() or ()):
            if widget._annot.flags & (_ANNOT_HIDDEN | _ANNOT_NOVIEW):
                page.delete_widget(widget)
        for link in page.get_links():
            page.delete_link(link)
    try:
        doc.bake(annots=True, widgets=True)
    except Exception:  # fail closed: what cannot be flattened is dropped, not kept
        log.warning("annotations could not be flattened; they are removed instead")
        for pno in range(doc.page_count):
            page = doc[pno]
            for annot in list(page.annots() or ()):
                page.delete_annot(annot)
            for widget in list(page.widgets() or ()):
                page.delete_widget(widget)


def clean_bytes(doc: pymupdf.Document) -> bytes:
    """Scrub ``doc`` in place (see the module docstring) and return it saved as one
    fresh revision. Use it for any PDF cleancopy writes, e.g. the bundle of the clean
    copies: a new PyMuPDF document carries a Producer entry otherwise."""
    _scrub(doc)
    out: bytes = doc.tobytes(garbage=4, deflate=True, clean=True, no_new_id=True)
    return out


def _scrub(doc: pymupdf.Document) -> None:
    doc.set_metadata({})
    doc.del_xml_metadata()
    for name in doc.embfile_names():
        doc.embfile_del(name)
    try:
        doc.set_toc([])
    except Exception:  # a damaged outline tree: the catalog key is dropped below anyway
        log.debug("outline could not be removed through set_toc")
    for pno in range(doc.page_count):
        page = doc[pno]
        for link in page.get_links():
            page.delete_link(link)
        for annot in list(page.annots() or ()):
            page.delete_annot(annot)
        for key in _PAGE_KEYS_TO_DROP:
            if doc.xref_get_key(page.xref, key)[0] != "null":
                doc.xref_set_key(page.xref, key, "null")
    cat = doc.pdf_catalog()
    for key in _CATALOG_KEYS_TO_DROP:
        if doc.xref_get_key(cat, key)[0] != "null":
            doc.xref_set_key(cat, key, "null")
    doc.xref_set_key(-1, "Info", "null")
