"""Built PDF bytes in, `PdfReport` out: the accessibility contract checked on real output.

WeasyPrint checks little of what it writes (rendering-facts §1.3), so every leaflet is
opened again and checked before it is kept: tagged (UA2), language (UA3), title shown in
the window (UA4), PDF/UA id (UA1), alt text on figures (UA5), heading order (UA6), no
orphaned marked content (UA2, UA7) and embedded fonts (UA9).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pikepdf

from .errors import Location, Problem
from .pdf import walk_structure


@dataclass
class PdfReport:
    pages: int = 0
    headings: list[str] = field(default_factory=list)
    figures: int = 0
    problems: list[str] = field(default_factory=list)

    def as_problems(self, where: Location) -> list[Problem]:
        return [Problem(where, f"PDF check failed: {message}") for message in self.problems]


def verify_pdf(data: bytes, language: str, title: str | None) -> PdfReport:
    """Check the accessibility contract of one PDF; return its facts and failures.

    `title` is the title the file must carry; None only where the caller cannot know it
    (files listed in a manifest): a title must then still be present and shown.
    """
    if title is not None and not title.strip():
        raise ValueError("verify_pdf needs the expected title, or None")
    report = PdfReport()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        report.pages = len(pdf.pages)
        root = pdf.Root
        fail = report.problems.append
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            fail("not marked as tagged (/MarkInfo /Marked)")
        if str(root.get("/Lang", "")) != language:
            fail(f"document language is {str(root.get('/Lang', ''))!r}, expected {language!r}")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            fail("viewer is not told to show the title (DisplayDocTitle)")
        with pdf.open_metadata() as xmp:
            if not str(xmp.get("dc:title", "")).strip():
                fail("no dc:title in the XMP metadata")
            elif title is not None and title not in str(xmp.get("dc:title", "")):
                fail(f"title in metadata does not contain {title!r}")
            if str(xmp.get("pdfuaid:part", "")) != "1":
                fail("no PDF/UA-1 identifier (pdfuaid:part) in the XMP metadata")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            fail("no structure tree")
            return report
        elements = list(walk_structure(tree))
        report.headings = [str(e.S)[1:] for e in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
        report.problems.extend(heading_problems(report.headings))
        figures = [e for e in elements if str(e.S) == "/Figure"]
        report.figures = len(figures)
        if any(not str(f.get("/Alt", "")).strip() for f in figures):
            fail("a figure has no alt text")
        report.problems.extend(orphan_problems(pdf, {e.objgen for e in elements}))
        report.problems.extend(font_problems(pdf))
    return report


def heading_problems(levels: list[str]) -> list[str]:
    """One H1 first, and never a jump of more than one level down (UA6)."""
    problems = []
    if not levels or levels[0] != "H1":
        problems.append("the first heading is not H1")
    previous = 1
    for level in levels:
        number = int(level[1])
        if number > previous + 1:
            problems.append(f"heading order skips a level (H{previous} -> H{number})")
        previous = number
    return problems


def orphan_problems(pdf: pikepdf.Pdf, elements: set[tuple[int, int]]) -> list[str]:
    """Every marked-content id must belong to a reachable structure element."""
    tree = pdf.Root.StructTreeRoot
    nums = tree.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        key = page.obj.get("/StructParents")
        owners = parents.get(int(key)) if key is not None else None
        for instruction in pikepdf.parse_content_stream(page):
            if str(instruction.operator) != "BDC":
                continue
            tag, properties = instruction.operands[0], instruction.operands[1]
            if str(tag) == "/Artifact" or not isinstance(properties, pikepdf.Dictionary):
                continue
            mcid = int(properties.get("/MCID", -1))
            owner = (
                owners[mcid]
                if isinstance(owners, pikepdf.Array) and 0 <= mcid < len(owners)
                else None
            )
            if not isinstance(owner, pikepdf.Dictionary) or owner.objgen not in elements:
                problems.append(
                    f"page {number}: marked content {mcid} is neither tagged nor an artifact"
                )
    return problems


def font_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every font used on a page is embedded (UA9)."""
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for name, font in fonts.items():
            descendants = font.get("/DescendantFonts", [font])
            for item in descendants:
                descriptor = item.get("/FontDescriptor", {})
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(
                        f"page {number}: font {name} ({item.get('/BaseFont')}) is not embedded"
                    )
    return problems
