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

from ..errors import Location, Problem
from ..render.pdf import walk_structure


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
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return check_pdf(pdf, language, title)


def check_pdf(pdf: pikepdf.Pdf, language: str, title: str | None) -> PdfReport:
    """`verify_pdf` on a document already open (the build checks it as it is finished,
    before saving: `pdf.mark_margin_artifacts(raw, inspect)`)."""
    if title is not None and not title.strip():
        raise ValueError("check_pdf needs the expected title, or None")
    report = PdfReport()
    report.pages = len(pdf.pages)
    root = pdf.Root
    fail = report.problems.append
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        fail("not marked as tagged (/MarkInfo /Marked)")
    if str(root.get("/Lang", "")) != language:
        fail(f"document language is {str(root.get('/Lang', ''))!r}, expected {language!r}")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        fail("viewer is not told to show the title (DisplayDocTitle)")
    # Read only: `with pdf.open_metadata()` would write the XMP back on exit, stamped with
    # the time, and this document is about to be saved.
    xmp = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
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
        marked = _marked_ids(page)
        if marked is None:
            marked = _parsed_marked_ids(page)
        for mcid in marked:
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


#: A `BDC` operator token (not part of a longer name or number). Inside a hex string it
#: can appear too (`<0A BDC1>`): then the count below disagrees and the page is parsed.
_BDC_TOKEN = re.compile(rb"(?<![A-Za-z0-9#._*'\"-])BDC(?![A-Za-z0-9#._*'\"-])")
#: A marked-content run opened with an inline property list: `/Tag <</MCID 3 ...>> BDC`.
_INLINE_BDC = re.compile(rb"/([A-Za-z0-9#._-]+)\s*<<([^<>]*)>>\s*BDC")
_MCID = re.compile(rb"/MCID\s+(-?\d+)(?![0-9.])")


def _marked_ids(page: pikepdf.Page) -> list[int] | None:
    """The MCIDs of the page's non-artifact marked content with inline properties, read
    from the content bytes (about ten times faster than parsing every operator), or None
    when the bytes hold a `BDC` this reading does not account for: the caller parses."""
    contents = page.obj.get("/Contents")
    if contents is None:
        return []
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    data = b"\n".join(stream.read_bytes() for stream in streams)
    found = list(_INLINE_BDC.finditer(data))
    if len(found) != len(_BDC_TOKEN.findall(data)):
        return None
    ids = []
    for match in found:
        if match.group(1) == b"Artifact":
            continue
        mcid = _MCID.search(match.group(2))
        ids.append(int(mcid.group(1)) if mcid else -1)
    return ids


def _parsed_marked_ids(page: pikepdf.Page) -> list[int]:
    """As `_marked_ids`, by parsing every operator of the page."""
    ids = []
    for instruction in pikepdf.parse_content_stream(page):
        if str(instruction.operator) != "BDC":
            continue
        tag, properties = instruction.operands[0], instruction.operands[1]
        if str(tag) == "/Artifact" or not isinstance(properties, pikepdf.Dictionary):
            continue
        ids.append(int(properties.get("/MCID", -1)))
    return ids


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
