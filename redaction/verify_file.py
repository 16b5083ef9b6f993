"""The document-level checks of :mod:`redaction.verify`: what the file holds besides its
pages' content (the kinds ``metadata``, ``xmp``, ``annotation``, ``form``,
``embedded-file``, ``javascript``, ``action``, ``outline`` and ``incremental`` there).
Document-level leaks carry ``page_index`` 0 and say "(document)" in their detail."""

from __future__ import annotations

import re

import pymupdf

from redaction.models import Leak

# PyMuPDF writes <</Producer(MuPDF x.y.z)>> into the *catalog* of every document it
# creates. Readers take metadata from the trailer's /Info only, and the string names
# the library, not a person: that exact entry alone is tolerated (render.py removes it).
_MUPDF_PRODUCER_ONLY = re.compile(r"<<\s*/Producer\s*\(MuPDF [0-9.]+\)\s*>>")
_ACTION_PATTERN = re.compile(
    rb"/(JS|JavaScript|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData|XFA|GoToE)\b"
)


def file_leaks(name: str, data: bytes, doc: pymupdf.Document) -> list[Leak]:
    """The leaks of the whole file ``data`` (opened as ``doc``): its trailer and catalog,
    its objects, and what each page carries besides its content."""
    found = _trailer_leaks(data, doc) + _catalog_leaks(doc) + _object_leaks(doc)
    leaks = [Leak(name, 0, kind, f"(document) {detail}") for kind, detail in found]
    return leaks + _page_object_leaks(name, doc)


def _trailer_leaks(data: bytes, doc: pymupdf.Document) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    eofs = len(re.findall(rb"%%EOF", data))
    if eofs != 1 or doc.xref_get_key(-1, "Prev")[0] != "null":
        out.append(("incremental", f"the file has {eofs} end-of-file markers or a previous cross-reference "
                                   "section: an earlier version may be recoverable"))
    info = doc.xref_get_key(-1, "Info")
    if info[0] != "null":
        keys = _nonempty_info_keys(doc, info)
        if keys:
            out.append(("metadata", f"the info dictionary still holds {', '.join(keys)}"))
    return out


def _catalog_leaks(doc: pymupdf.Document) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    cat = doc.pdf_catalog()
    cat_info = doc.xref_get_key(cat, "Info")
    if cat_info[0] != "null" and not _MUPDF_PRODUCER_ONLY.fullmatch(cat_info[1]):
        keys = _nonempty_info_keys(doc, cat_info)
        if keys:
            out.append(("metadata", f"the catalog holds an info dictionary with {', '.join(keys)}"))
    if doc.get_xml_metadata() or doc.xref_get_key(cat, "Metadata")[0] != "null":
        out.append(("xmp", "XMP metadata is present"))
    if doc.embfile_count():
        out.append(("embedded-file", f"{doc.embfile_count()} embedded file(s)"))
    if doc.get_toc(simple=True):
        out.append(("outline", "the document has bookmarks (their titles may quote the text)"))
    for key in ("OpenAction", "AA", "AcroForm", "StructTreeRoot"):
        if doc.xref_get_key(cat, key)[0] != "null":
            kind = "form" if key == "AcroForm" else "action" if key in ("OpenAction", "AA") else "metadata"
            out.append((kind, f"the document catalog still has /{key}"))
    return out


def _object_leaks(doc: pymupdf.Document) -> list[tuple[str, str]]:
    """Objects naming an action, a script or an embedded file, and metadata streams."""
    out: list[tuple[str, str]] = []
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True).encode("latin-1", "replace")
            is_meta = doc.xref_get_key(xref, "Type")[1] in ("/Metadata", "/EmbeddedFile")
        except Exception:
            continue
        match = _ACTION_PATTERN.search(obj)
        if match:
            key = match.group(1).decode()
            kind = "embedded-file" if key.startswith("Embedded") else "javascript" if key.startswith("J") \
                else "action"
            out.append((kind, f"object {xref} holds /{key}"))
        elif is_meta:
            out.append(("xmp" if "Metadata" in doc.xref_get_key(xref, "Type")[1] else "embedded-file",
                        f"object {xref} is a {doc.xref_get_key(xref, 'Type')[1][1:]} stream"))
    return out


def _page_object_leaks(name: str, doc: pymupdf.Document) -> list[Leak]:
    """Annotations, form fields, links and page-level actions or metadata, per page."""
    leaks: list[Leak] = []
    for pno in range(doc.page_count):
        page = doc[pno]
        annots = [a.type[1] for a in page.annots()]
        if annots:
            leaks.append(Leak(name, pno, "annotation", f"{len(annots)} annotation(s): {', '.join(annots)}"))
        widgets = list(page.widgets())
        if widgets:
            leaks.append(Leak(name, pno, "form", f"{len(widgets)} form field(s)"))
        if page.get_links():
            leaks.append(Leak(name, pno, "annotation", f"{len(page.get_links())} link(s)"))
        for key in ("AA", "Metadata", "PieceInfo", "Thumb"):
            if doc.xref_get_key(page.xref, key)[0] != "null":
                leaks.append(Leak(name, pno, "action" if key == "AA" else "metadata", f"page has /{key}"))
    return leaks


def _nonempty_info_keys(doc: pymupdf.Document, info: tuple[str, str]) -> list[str]:
    if info[0] == "xref":
        xref = int(info[1].split()[0])
        keys = doc.xref_get_keys(xref)
        return [k for k in keys if doc.xref_get_key(xref, k)[1] not in ("", "()", "null")]
    if info[0] == "dict":
        found = re.findall(r"/(\w+)\s*(\([^)]*\)|<[^>]*>|\S+)", info[1].strip("<>"))
        return [k for k, v in found if v not in ("()", "<>", "null")]
    return []
