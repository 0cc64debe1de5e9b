"""Text is text (guarantee 2 of docs/security.md): template code, HTML and links written in
content are printed exactly as written, never evaluated, fetched or embedded.

One project carries every payload in a different field; it is built once (both levels, PDF
and the HTML twin) and each payload is then looked for, literally, in what was built.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from hostile_kit import LEAFLET, Project, Run, pdf_dangers, pdf_text, squeeze

from leaflets.render.pdf import walk_structure

ALT = "\"><link rel=attachment href='file:///etc/passwd'><img src=x alt=\""

#: (field, payload, levels where the field is printed)
PAYLOADS = [
    ("title", "Test {{ 7*7 }} medicine", ("easy", "plain")),
    ("summary", "{% for x in range(3) %}loop{% endfor %} and {# gone? #}.", ("easy", "plain")),
    ("heading", "<script>alert('heading')</script>", ("easy", "plain")),
    (
        "text",
        "<img src=file:///etc/passwd> and <link rel=attachment href=file:///etc/passwd> here.",
        ("easy", "plain"),
    ),
    (
        "warning",
        '[click](javascript:alert(1)) or <a href="javascript:alert(2)">this</a> now.',
        ("easy", "plain"),
    ),
    ("list-item", "{{ ''.__class__.__mro__[1].__subclasses__() }}", ("easy", "plain")),
    ("list-item-2", "<style>@import url(file:///etc/hostname);</style>", ("easy", "plain")),
    ("source", "{{ 6*7 }} </li><script>x</script> Journal", ("plain",)),
    ("publisher", "Test {{ 3*3 }} <b>Clinic</b>", ("easy", "plain")),
    # (An address written in the feedback sentence must pass the link rule since issue 12,
    # so `file:///etc/passwd` is refused at load time: tests/hostile/test_hostile_clinics.py.)
    ("feedback", "Write to <a href='#x' onclick='alert(1)'>us</a> {% raw %}.", ("easy", "plain")),
]
EVALUATED = ["49", "looplooploop", "42", "<class"]
"""What the payloads would have printed had they been run as Jinja."""


def quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid double-quoted YAML scalar


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Run]:
    project = Project(tmp_path_factory.mktemp("text") / "p")
    fields = {name: payload for name, payload, _ in PAYLOADS}
    project.edit("  easy: Test medicine\n", f"  easy: {quoted(fields['title'])}\n")
    project.edit("  plain: About the test medicine\n", f"  plain: {quoted(fields['title'])}\n")
    project.edit(
        "all: This leaflet tells you about the test medicine.", f"all: {quoted(fields['summary'])}"
    )
    project.edit("all: What we do not know", f"all: {quoted(fields['heading'])}")
    project.edit("all: We do not know the long-term effects.", f"all: {quoted(fields['text'])}")
    project.edit(
        "easy: About 10 out of 100 people felt sick.", f"easy: {quoted(fields['warning'])}"
    )
    project.edit(
        "plain: Out of 100 people, about 10 felt sick with the medicine and about 5 without it.",
        f"plain: {quoted(fields['warning'])}",
    )
    project.edit("alt: A blue dot", f"alt: {quoted(ALT)}")
    blocks = "content/blocks/common.yaml"
    project.edit("- What will happen?", f"- {quoted(fields['list-item'])}", blocks)
    project.edit("- Who can I call?", f"- {quoted(fields['list-item-2'])}", blocks)
    sources = "content/sources.yaml"
    project.edit("Journal of Tests", quoted(fields["source"]), sources)
    project.edit(
        "publisher: Test Clinic", f"publisher: {quoted(fields['publisher'])}", "leaflets.yaml"
    )
    project.edit(
        "feedback: Tell us what you think at the front desk.",
        f"feedback: {quoted(fields['feedback'])}",
        "leaflets.yaml",
    )
    result = project.build("--format", "pdf,html", "--jobs", "1")
    return project, result


def built_file(project: Project, level: str, suffix: str) -> Path:
    [path] = project.output.glob(f"mini/mini.{level}*{suffix}")
    return path


def test_the_hostile_text_builds(built: tuple[Project, Run]) -> None:
    project, result = built
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    for level in ("easy", "plain"):
        assert built_file(project, level, ".pdf").is_file()
        assert built_file(project, level, ".html").is_file()


@pytest.mark.parametrize(
    ("field", "payload", "levels"), PAYLOADS, ids=[name for name, _, _ in PAYLOADS]
)
def test_payload_is_printed_literally(
    built: tuple[Project, Run], field: str, payload: str, levels: tuple[str, ...]
) -> None:
    project, _ = built
    for level in levels:
        assert squeeze(payload) in pdf_text(built_file(project, level, ".pdf")), (field, level)


@pytest.mark.parametrize("level", ["easy", "plain"])
def test_nothing_was_evaluated(built: tuple[Project, Run], level: str) -> None:
    project, _ = built
    text = pdf_text(built_file(project, level, ".pdf"))
    words = html_text(built_file(project, level, ".html").read_text(encoding="utf-8"))
    for result in EVALUATED:
        assert result not in text
        assert result not in words


@pytest.mark.parametrize("level", ["easy", "plain"])
def test_pdf_embeds_no_file_and_runs_nothing(built: tuple[Project, Run], level: str) -> None:
    project, _ = built
    path = built_file(project, level, ".pdf")
    assert pdf_dangers(path) == []
    with pikepdf.open(path) as pdf:
        assert "/AF" not in pdf.Root
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert not [a for a in annots if a.get("/Subtype") == "/FileAttachment"]
        assert not [a for a in annots if a.get("/Subtype") == "/Link"]  # no link was made


@pytest.mark.parametrize("level", ["easy", "plain"])
def test_alt_text_is_kept_literally(built: tuple[Project, Run], level: str) -> None:
    project, _ = built
    with pikepdf.open(built_file(project, level, ".pdf")) as pdf:
        alts = [
            str(element.Alt)
            for element in walk_structure(pdf.Root.StructTreeRoot)
            if "/Alt" in element
        ]
    assert ALT in alts


def html_text(html: str) -> str:
    """The words of an HTML page, tags dropped, entities decoded, white space removed."""
    body = html[html.lower().index("<body") :]
    return squeeze(html_lib.unescape(re.sub(r"<[^>]*>", " ", body)))


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


@pytest.mark.parametrize("level", ["easy", "plain"])
def test_html_twin_shows_the_payloads_as_text_only(built: tuple[Project, Run], level: str) -> None:
    project, _ = built
    html = built_file(project, level, ".html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    assert "script" not in [tag for tag, _ in parser.tags]
    assert not [
        attrs
        for tag, attrs in parser.tags
        if tag == "link" and "attachment" in attrs.get("rel", "")
    ]
    for tag, attrs in parser.tags:
        for name in ("href", "src", "action", "formaction"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("javascript:", "vbscript:", "file:")), (tag, name, value)
    words = html_text(html)
    for field, payload, levels in PAYLOADS:
        if level in levels:
            assert squeeze(payload) in words, field


def test_the_check_command_does_not_evaluate_either(built: tuple[Project, Run]) -> None:
    project, _ = built
    result = project.check()
    assert "Traceback" not in result.err
    assert result.code in (0, 1)
    assert not [line for line in result.lines if line.startswith(LEAFLET) and " 49" in line]


@pytest.mark.parametrize("level", ["easy", "plain"])
def test_pdf_metadata_holds_the_payloads_literally(built: tuple[Project, Run], level: str) -> None:
    project, _ = built
    fields = {name: payload for name, payload, _ in PAYLOADS}
    with pikepdf.open(built_file(project, level, ".pdf")) as pdf:
        assert str(pdf.docinfo["/Title"]).startswith(fields["title"])
        assert str(pdf.docinfo["/Author"]) == fields["publisher"]
