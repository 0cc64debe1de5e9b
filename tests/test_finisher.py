"""The footer fix and the checks on WeasyPrint's own document (issue 18): `pdfdoc.finish`
gives the same structure and artifacts as the pikepdf pass on saved bytes, `check_built`
says what `verify_pdf` says on the saved file, and both still fail a broken document."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pydyf
import pytest

from leaflets.errors import Location
from leaflets.render.pdf import PDF_VARIANT, mark_margin_artifacts, render_pdf, walk_structure
from leaflets.render.pdfdoc import PdfObjects, finish
from leaflets.verify.a11y import printed_chars
from leaflets.verify.built import check_built
from leaflets.verify.contract import PdfReport, orphan_problems, verify_pdf

HTML_PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Finisher test</title>
<style>@page { @bottom-right { content: "Page " counter(page) " of " counter(pages) }
  @bottom-left { content: "Finisher test, version 1" } }
section { break-after: page }</style></head>
<body><h1>Finisher test</h1><section><h2>One</h2><p>First page text.</p>
<img alt="A square" src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'
 width='9' height='9'/>">
<table><tr><th>Who</th><th>How many</th></tr><tr><th>Treated</th><td>60</td></tr></table>
</section><section><h2>Two</h2><p>Second page text.</p></section></body></html>"""


def weasyprint(html: str, finisher: Callable[[Any, Any], None] | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT, finisher=finisher)


def built(html: str, *breakage: Callable[[PdfObjects], None]) -> tuple[bytes, PdfReport]:
    """WeasyPrint with our finisher; `breakage` damages the document before the check."""
    seen: list[PdfReport] = []

    def finisher(document: Any, pdf: Any) -> None:
        objects = PdfObjects(pdf)
        finish(objects)
        for damage in breakage:
            damage(objects)
        seen.append(check_built(objects, "en-GB", "Finisher test"))

    return weasyprint(html, finisher), seen[0]


def structure(data: bytes) -> list[tuple[str, str, str]]:
    """(role, alt, scope) of every structure element, in reading order."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            (
                str(e.S),
                str(e.get("/Alt", "")),
                str(e.get("/A", {}).get("/Scope", ""))
                if isinstance(e.get("/A"), pikepdf.Dictionary)
                else "",
            )
            for e in walk_structure(pdf.Root.StructTreeRoot)
        ]


def artifact_text(data: bytes) -> tuple[str, str]:
    chars = printed_chars(data)
    return (
        "".join(c.text for c in chars if c.artifact),
        "".join(c.text for c in chars if not c.artifact),
    )


def test_the_finisher_fixes_what_the_pikepdf_pass_fixes() -> None:
    raw = weasyprint(HTML_PAGE)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        elements = {e.objgen for e in walk_structure(pdf.Root.StructTreeRoot)}
        assert orphan_problems(pdf, elements), "the engine bug this fix works around is gone"
    by_pikepdf = mark_margin_artifacts(raw)
    by_finisher, report = built(HTML_PAGE)
    assert report.problems == []
    assert structure(by_finisher) == structure(by_pikepdf)
    assert ("/TH", "", "/Column") in structure(by_finisher)
    assert ("/TH", "", "/Row") in structure(by_finisher)
    assert artifact_text(by_finisher) == artifact_text(by_pikepdf)
    footers, body = artifact_text(by_finisher)
    assert "Page 2 of 2" in footers
    assert "Finisher test, version 1" in footers
    assert "Second page text." in body
    assert "Page" not in body
    saved = verify_pdf(by_finisher, "en-GB", "Finisher test")
    assert (
        (saved.pages, saved.headings, saved.figures, saved.problems)
        == (
            report.pages,
            report.headings,
            report.figures,
            report.problems,
        )
        == (2, ["H1", "H2", "H2"], 1, [])
    )


def test_no_orphaned_element_is_left_in_the_file() -> None:
    data, _ = built(HTML_PAGE)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        reachable = {e.objgen for e in walk_structure(pdf.Root.StructTreeRoot)}
        stray = [
            o.objgen
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary)
            and str(o.get("/Type", "")) == "/StructElem"
            and o.objgen not in reachable
        ]
    assert stray == []


def _unfix(objects: PdfObjects) -> None:
    """Turn the artifacts back into marked content with an MCID nobody owns."""
    for page in objects.pages():
        for stream in objects.content(page):
            items = stream.stream
            for index, item in enumerate(items):
                properties = items[index + 1] if index + 1 < len(items) else None
                if item == "/Artifact" and isinstance(properties, dict) and "Type" in properties:
                    items[index] = "/Span"
                    items[index + 1] = pydyf.Dictionary({"MCID": 999})


def _drop(*path: str) -> Callable[[PdfObjects], None]:
    def damage(objects: PdfObjects) -> None:
        target: Any = objects.catalog
        for key in path[:-1]:
            target = objects.get(target, key)
        del target[path[-1]]

    return damage


def _no_alt(objects: PdfObjects) -> None:
    for element in objects.structure():
        if element["S"] == "/Figure":
            del element["Alt"]


def _skip_heading(objects: PdfObjects) -> None:
    for element in objects.structure():
        if element["S"] == "/H2":
            element["S"] = "/H4"
            return


def _unembed(objects: PdfObjects) -> None:
    for obj in objects.pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/FontDescriptor":
            for key in ("FontFile", "FontFile2", "FontFile3"):
                obj.pop(key, None)


def _wrong_metadata(objects: PdfObjects) -> None:
    stream = objects.get(objects.catalog, "Metadata")
    stream.stream = [
        b"".join(stream.stream)
        .replace(b"Finisher test", b"Other")
        .replace(b'pdfuaid:part="1"', b'pdfuaid:part="2"')
    ]


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_unfix, "marked content 999 is neither tagged nor an artifact"),
        (_drop("Lang"), "document language is '', expected 'en-GB'"),
        (_drop("MarkInfo", "Marked"), "not marked as tagged"),
        (_drop("ViewerPreferences", "DisplayDocTitle"), "DisplayDocTitle"),
        (_drop("StructTreeRoot"), "no structure tree"),
        (_no_alt, "a figure has no alt text"),
        (_skip_heading, "heading order skips a level (H1 -> H4)"),
        (_unembed, "is not embedded"),
        (_wrong_metadata, "title in metadata does not contain 'Finisher test'"),
        (_wrong_metadata, "no PDF/UA-1 identifier"),
    ],
)
def test_the_built_document_check_fails_a_broken_document(
    damage: Callable[[PdfObjects], None], expected: str
) -> None:
    _, report = built(HTML_PAGE, damage)
    assert any(expected in problem for problem in report.problems), report.problems


def test_a_release_parses_the_saved_file_again(tmp_path: Path) -> None:
    """render_pdf's own output passes the independent check a release adds."""
    seen: list[PdfReport] = []
    data = render_pdf(
        HTML_PAGE,
        tmp_path,
        (tmp_path,),
        Location(Path("x.yaml")),
        inspect=lambda objects: seen.append(check_built(objects, "en-GB", "Finisher test")),
    )
    assert seen[0].problems == []
    assert verify_pdf(data, "en-GB", "Finisher test").problems == []
