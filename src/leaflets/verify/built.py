"""The accessibility contract checked on the document as WeasyPrint built it (issue 18).

Every build checks each PDF before keeping it. A draft build checks it here, on the
`pydyf` objects WeasyPrint is about to write (`render.pdfdoc`, after the footer fix),
instead of parsing the saved bytes again: the same rules as `contract.check_pdf`, read
from the same objects the file is written from. Checked, for every PDF of every build:

- tagged (`/MarkInfo /Marked`, UA2), the document language (`/Lang`, UA3), the title
  shown in the window (`/DisplayDocTitle`, UA4);
- the XMP metadata: a `dc:title` holding the leaflet's title, the PDF/UA-1 identifier
  (`pdfuaid:part` 1, UA1);
- a structure tree whose headings start at H1 and never skip a level down (UA6), alt text
  on every figure (UA5);
- every marked-content run of every page either an artifact or owned by a structure
  element reachable from the tree (UA2, UA7);
- every font a page uses embedded (UA9).

What this does not see is pydyf's serialisation of those objects. A release build
(`--release`) also opens the saved bytes with pikepdf and runs `contract.check_pdf` on
them, an independent parse, before the pagination checks; so do the tests. See
docs/accessibility.md ("Checked on every build").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pydyf

from ..render.pdfdoc import PdfObjects, marked_runs
from .contract import PdfReport, heading_problems

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def check_built(objects: PdfObjects, language: str, title: str | None) -> PdfReport:
    """`contract.check_pdf` on the document before it is written (see the module)."""
    if title is not None and not title.strip():
        raise ValueError("check_built needs the expected title, or None")
    report = PdfReport()
    pages = objects.pages()
    report.pages = len(pages)
    catalog = objects.catalog
    fail = report.problems.append
    if not _true(objects.get(objects.get(catalog, "MarkInfo"), "Marked")):
        fail("not marked as tagged (/MarkInfo /Marked)")
    found_language = _text(objects.get(catalog, "Lang"))
    if found_language != language:
        fail(f"document language is {found_language!r}, expected {language!r}")
    if not _true(objects.get(objects.get(catalog, "ViewerPreferences"), "DisplayDocTitle")):
        fail("viewer is not told to show the title (DisplayDocTitle)")
    xmp_title, part = _xmp(objects.get(catalog, "Metadata"))
    if not xmp_title.strip():
        fail("no dc:title in the XMP metadata")
    elif title is not None and title not in xmp_title:
        fail(f"title in metadata does not contain {title!r}")
    if part != "1":
        fail("no PDF/UA-1 identifier (pdfuaid:part) in the XMP metadata")
    if not isinstance(objects.get(catalog, "StructTreeRoot"), dict):
        fail("no structure tree")
        return report
    elements = list(objects.structure())
    levels = [e["S"][1:] for e in elements if re.fullmatch(r"/H[1-6]", str(e["S"]))]
    report.headings = levels
    report.problems.extend(heading_problems(levels))
    figures = [e for e in elements if e["S"] == "/Figure"]
    report.figures = len(figures)
    if any(not _text(objects.get(f, "Alt")).strip() for f in figures):
        fail("a figure has no alt text")
    report.problems.extend(_orphans(objects, pages, {id(e) for e in elements}))
    report.problems.extend(_fonts(objects, pages))
    return report


def _orphans(objects: PdfObjects, pages: list[Any], elements: set[int]) -> list[str]:
    parents = objects.parents_by_page()
    problems = []
    for number, page in enumerate(pages, start=1):
        key = page.get("StructParents")
        owners = parents.get(int(key)) if key is not None else None
        for stream in objects.content(page):
            for _, tag, properties in marked_runs(stream):
                if tag == "/Artifact":
                    continue
                mcid = properties.get("MCID", -1) if isinstance(properties, dict) else -1
                owner = (
                    objects.resolve(owners[mcid])
                    if owners is not None and isinstance(mcid, int) and 0 <= mcid < len(owners)
                    else None
                )
                if not isinstance(owner, dict) or id(owner) not in elements:
                    problems.append(
                        f"page {number}: marked content {mcid} is neither tagged nor an artifact"
                    )
    return problems


def _fonts(objects: PdfObjects, pages: list[Any]) -> list[str]:
    problems = []
    for number, page in enumerate(pages, start=1):
        fonts = objects.get(objects.get(page, "Resources"), "Font", {})
        for name, reference in fonts.items() if isinstance(fonts, dict) else ():
            font = objects.resolve(reference)
            descendants = objects.get(font, "DescendantFonts", [font])
            for item in (objects.resolve(d) for d in descendants):
                descriptor = objects.get(item, "FontDescriptor", {})
                if not any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")):
                    base = _text(objects.get(item, "BaseFont"))
                    problems.append(f"page {number}: font /{name} ({base}) is not embedded")
    return problems


def _xmp(stream: Any) -> tuple[str, str]:
    """(dc:title, pdfuaid:part) of the XMP metadata stream; empty strings when missing."""
    if not isinstance(stream, pydyf.Stream):
        return "", ""
    data = b"\n".join(i if isinstance(i, bytes) else str(i).encode() for i in stream.stream)
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return "", ""
    title = (
        " ".join((item.text or "") for item in root.iterfind(".//dc:title//rdf:li", _NS)).strip()
        or "".join((e.text or "") for e in root.iterfind(".//dc:title", _NS)).strip()
    )
    part = ""
    for element in root.iter():
        value = element.get(f"{{{_NS['pdfuaid']}}}part")
        if value is not None:
            part = value
        elif element.tag == f"{{{_NS['pdfuaid']}}}part":
            part = (element.text or "").strip()
    return title, part


def _true(value: Any) -> bool:
    return value is True or value == "true"


def _text(value: Any) -> str:
    """A pydyf string or name as text (`pydyf.String`, `'/Name'`, bytes)."""
    if isinstance(value, pydyf.String):
        value = value.string
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value) if value is not None else ""
