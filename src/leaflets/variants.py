"""The names of a build's variants, declared once: paper sizes and output formats.

A low module (nothing of ours imported): the content model (leaflets.yaml's `outputs:`)
and the formats table (formats.py: how each format is made and checked) both read it.
"""

from __future__ import annotations

from enum import StrEnum


class Paper(StrEnum):
    """Paper sizes the print CSS knows (`@page { size: ... }`)."""

    A4 = "a4"
    LETTER = "letter"


class FormatName(StrEnum):
    """Output formats: pdf for print, html for the self-contained web twin."""

    PDF = "pdf"
    HTML = "html"
    A5 = "a5"
    """The folded booklet's pages in reading order: A5 (half-Letter), tagged and checked."""
    BOOKLET = "booklet"
    """Those pages imposed two to a side of A4 (Letter) for duplex printing (booklet.py)."""


#: The booklet's page paper for each sheet paper.
HALF_PAPER = {Paper.A4.value: "a5", Paper.LETTER.value: "half-letter"}
