"""Bounds on the work one input can cause: a parsed YAML file or a picture in, problems out.

`leaflets check` measures every level's text (readability, wording rules); its time grows
with the text, so a 2 MB paragraph took minutes (issue 12, finding 8). A leaflet is read
by a patient in minutes, so these limits are far above any real leaflet and far below
what would make a check slow: one text field at most `MAX_FIELD_CHARS` characters, one
file at most `MAX_FILE_TEXT_CHARS` characters of text in all. A raster picture may have
at most `MAX_IMAGE_PIXELS` pixels (a 144-megapixel logo took 1.2 GB to draw), checked
from its header before anything decodes it, and Pillow's own decompression-bomb warning
becomes this located message instead of a raw line on stderr.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from .source import KeyPath, SourceDocument

#: One text field (a paragraph, a list item, a heading): about 1,500 words.
MAX_FIELD_CHARS = 10_000
#: All the text in one YAML file: about 15,000 words, a 40-page booklet.
MAX_FILE_TEXT_CHARS = 100_000
#: 40 megapixels: an A4 page at 600 dpi is 35.
MAX_IMAGE_PIXELS = 40_000_000
#: Raster formats Pillow decodes for WeasyPrint (SVG is drawn as vectors).
RASTER_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})


def _strings(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def text_size_problems(document: SourceDocument) -> list[Problem]:
    """Fields longer than `MAX_FIELD_CHARS`, and a file with more text than
    `MAX_FILE_TEXT_CHARS`, each located."""
    problems = []
    total = 0
    for path, text in _strings(document.data):
        total += len(text)
        if len(text) > MAX_FIELD_CHARS:
            problems.append(
                Problem(
                    document.positions.of(path),
                    f"this text is {len(text):,} characters long; "
                    f"one field may hold at most {MAX_FIELD_CHARS:,}",
                    "split it into several paragraphs or blocks; a leaflet is read in minutes",
                )
            )
    if total > MAX_FILE_TEXT_CHARS:
        problems.append(
            Problem(
                document.positions.of(()),
                f"this file holds {total:,} characters of text; "
                f"at most {MAX_FILE_TEXT_CHARS:,} are allowed",
                "split it into several leaflets or block files",
            )
        )
    return problems


def image_problem(path: Path) -> str | None:
    """Why a picture may not be used (too many pixels), or None.

    Only the header is read: Pillow's `open` is lazy."""
    if path.suffix.lower() not in RASTER_SUFFIXES:
        return None
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return f"the picture has more than {MAX_IMAGE_PIXELS // 1_000_000} million pixels"
    except (OSError, ValueError, SyntaxError):
        # A broken file: the renderer reports it with its own words, at the same line
        # (tests/hostile/test_hostile_render.py); only the size is judged here.
        return None
    if width * height > MAX_IMAGE_PIXELS:
        return (
            f"the picture is {width} x {height} pixels "
            f"({width * height / 1_000_000:.0f} million); "
            f"at most {MAX_IMAGE_PIXELS // 1_000_000} million are allowed"
        )
    return None
