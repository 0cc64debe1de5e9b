"""A5 reading-order PDF bytes in, a folded booklet out: pages imposed two to a side.

The leaflet is rendered on A5 (half-Letter for Letter), tagged and checked like any PDF;
this module pads it to a multiple of four pages with ruled notes pages (lines, no words)
and imposes it on landscape A4 (Letter) sheets for duplex printing, flipped on the short
edge, so the stack folds in the middle into a booklet. Sheet sides, for 8 pages: 8|1,
2|7, 6|3, 4|5. The imposed file is for printing only: its structure tree is not kept
(screen readers use the A5 or HTML files), so it is not held to the PDF/UA checks.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PageObject, PdfWriter

A4_LANDSCAPE = (841.89, 595.28)


def side_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (1-based) of every sheet side, in printing order;
    `pages` is a multiple of four."""
    if pages % 4:
        raise ValueError(f"a booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for index in range(pages // 2):
        low, high = index + 1, pages - index
        sides.append((high, low) if index % 2 == 0 else (low, high))
    return sides


def padded_count(pages: int) -> int:
    return -(-pages // 4) * 4


def impose(pdf_bytes: bytes) -> tuple[bytes, int]:
    """The imposed booklet of an A5/half-Letter PDF, and how many sheet sides it has."""
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(pdf_bytes))
    source = list(reader.pages)
    width = float(source[0].mediabox.width)
    height = float(source[0].mediabox.height)
    writer = PdfWriter()
    total = padded_count(len(source))
    pages: list[PageObject] = list(source)
    while len(pages) < total:
        pages.append(_notes_page(writer, width, height))
    # A5 (148 mm) is a hair narrower than half of A4 (148.5 mm): the sheet is true A4
    # landscape, the pages meet at its fold line.
    sheet_width, sheet_height = (
        A4_LANDSCAPE if abs(height - A4_LANDSCAPE[1]) < 3 else (2 * width, height)
    )
    fold, lift = sheet_width / 2, (sheet_height - height) / 2
    for left, right in side_order(total):
        sheet = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        place = Transformation().translate(tx=fold - width, ty=lift)
        sheet.merge_transformed_page(pages[left - 1], place)
        sheet.merge_transformed_page(pages[right - 1], Transformation().translate(tx=fold, ty=lift))
        writer.add_page(sheet)
    title = reader.metadata.title if reader.metadata else None
    if title:
        writer.add_metadata({"/Title": f"{title} (booklet for printing)"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total // 2


def _notes_page(writer: PdfWriter, width: float, height: float) -> PageObject:
    """A page of ruled lines for the reader's notes (no text: nothing to translate)."""
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, NameObject

    page = PageObject.create_blank_page(width=width, height=height)
    margin = 18 * 72 / 25.4
    lines = [b"0.55 G 0.6 w"]
    y = height - 2 * margin
    while y > 1.5 * margin:
        lines.append(b"%.2f %.2f m %.2f %.2f l S" % (margin, y, width - margin, y))
        y -= 24
    stream = DecodedStreamObject()
    stream.set_data(b"\n".join(lines))
    page[NameObject("/Contents")] = writer._add_object(stream)
    return page
