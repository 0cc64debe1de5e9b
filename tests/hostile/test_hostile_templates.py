"""Templates run sandboxed, read only their own folders, and never put a script in the
HTML twin (issue 12, finding 1; docs/security.md §2 and §7).

A clinic's templates are untrusted input; the project's templates are reviewed like code
but run under the same sandbox, and the rendered page of either is checked for active
content. The boundary is tested both ways: what a template may do still works.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_kit import LOCATED, Project, assert_nothing_built, output_files, pdf_text, run

from leaflets.render.htmlcheck import active_content

CLINIC = """\
id: evil
name: Evil Clinic
phone: 01234 567890
"""
CLINIC_TEMPLATE = "clinics/evil/templates/leaflet.html.j2"
PROJECT_TEMPLATE = "templates/leaflet.html.j2"


def clinic_project(tmp_path: Path, template: str | None) -> Project:
    project = Project(tmp_path / "p")
    project.write("clinics/evil/clinic.yaml", CLINIC)
    if template is not None:
        project.write(CLINIC_TEMPLATE, template)
    return project


def build_clinic(project: Project, formats: str = "html") -> tuple[int, str, str]:
    clinic = str(project.path("clinics/evil/clinic.yaml"))
    result = project.build("--clinic", clinic, "--format", formats)
    return result.code, result.out, result.err


def overriding(body: str) -> str:
    return (
        '{% extends "!base/leaflet.html.j2" %}'
        "{% block clinic %}{{ super() }}" + body + "{% endblock %}\n"
    )


def assert_refused(code: int, err: str, output: Path, expected: str) -> None:
    assert code == 1, err
    assert "Traceback" not in err
    assert "internal error" not in err
    problems = [line for line in err.splitlines() if LOCATED.match(line)]
    assert problems, err
    assert any(expected in line for line in problems), err
    assert_nothing_built(output)


def test_the_issue_reproduction_runs_nothing_and_builds_nothing(tmp_path: Path) -> None:
    """Finding 1, exactly as reported (plus a command that would leave a mark on disk)."""
    marker = tmp_path / "pwned"
    project = clinic_project(
        tmp_path,
        '{% extends "!base/leaflet.html.j2" %}{% block clinic %}{{ super() }}'
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
        f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"
        "<pre>{{ asset_text('../../../../../../etc/hostname') }}</pre>"
        "<script>alert(1)</script>{% endblock %}\n",
    )
    code, out, err = build_clinic(project, "pdf,html")
    assert_refused(code, err, project.output, "template error")
    assert not marker.exists()
    assert "uid=" not in out + err
    assert f"{project.path(CLINIC_TEMPLATE)}:1: " in err


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "template error"),
        ("{{ namespace.__init__.__globals__ }}", "refused by the sandbox"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "refused by the sandbox"),
        ("{{ page.__class__ }}", "refused by the sandbox"),
        ("{{ self._TemplateReference__context }}", "refused by the sandbox"),
        ("{% set x = [] %}{{ x.append(1) }}", "refused by the sandbox"),
        ("{{ lipsum() }}", "'lipsum' is undefined"),
        ("{{ page.title | safe }}", "No filter named 'safe'"),
        ("<pre>{{ asset_text('../../../../../../etc/hostname') }}</pre>", "no template or theme"),
        ("<pre>{{ asset_text('/etc/hostname') }}</pre>", "no template or theme"),
        ("{{ asset('../../../../../../etc/passwd') }}", "no template or theme"),
        ('{% include "../../../../../../etc/hostname" %}', "no template or theme"),
    ],
)
def test_a_clinic_template_cannot_leave_the_sandbox(
    tmp_path: Path, body: str, expected: str
) -> None:
    project = clinic_project(tmp_path, overriding(body))
    code, _, err = build_clinic(project)
    assert_refused(code, err, project.output, expected)
    assert Path("/etc/hostname").read_text().strip() not in err


ACTIVE = [
    ("<script>alert(1)</script>", "a <script> element"),
    ('<img src="x" alt="" onerror="alert(1)">', "an event handler (onerror=) on <img>"),
    ('<a href="javascript:alert(1)">x</a>', "a javascript: address in href= on <a>"),
    ('<a href="&#106;ava&#x09;script:alert(1)">x</a>', "a javascript: address in href= on <a>"),
    ('<a href=" JAVASCRIPT:alert(1)">x</a>', "a javascript: address in href= on <a>"),
    ("<svg><script>alert(1)</script></svg>", "a <script> element"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "<iframe> element"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "redirect"),
    ('<div style="background:url(javascript:alert(1))">x</div>', "style attribute"),
    ("<style>div { background: url('javascript:alert(1)') }</style>", "style sheet"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "data: address"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "javascript:"),
    ('<object data="x.swf"></object>', "<object> element"),
    ('<form action="https://evil.example"><input></form>', "a <form> element"),
]


@pytest.mark.parametrize(("body", "expected"), ACTIVE)
def test_a_clinic_template_cannot_put_script_in_the_page(
    tmp_path: Path, body: str, expected: str
) -> None:
    project = clinic_project(tmp_path, overriding(body))
    code, _, err = build_clinic(project)
    assert_refused(code, err, project.output, expected)


@pytest.mark.parametrize(("body", "expected"), ACTIVE[:3])
def test_a_project_template_cannot_put_script_in_the_page_either(
    tmp_path: Path, body: str, expected: str
) -> None:
    """The project's templates are trusted like code, but the output check still holds."""
    project = Project(tmp_path / "p")
    project.write(
        PROJECT_TEMPLATE,
        '{% extends "!base/leaflet.html.j2" %}{% block about %}' + body + "{% endblock %}\n",
    )
    result = project.build("--format", "html")
    assert_refused(result.code, result.err, project.output, expected)


def test_what_a_template_may_do_still_works(tmp_path: Path) -> None:
    """The other side of the boundary: page data, the filters, theme files from the
    template folders, `range`/`namespace`, extending the built-in theme."""
    project = clinic_project(
        tmp_path,
        overriding(
            '<p class="clinic-note">Open at {{ page.clinic.name | upper }}</p>'
            "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}"
            "{% endfor %}<p>Count {{ ns.n }}</p>"
            "<p>CSS {{ 'yes' if asset_text('leaflet.css') | length > 100 else 'no' }}</p>"
            '<p>Logo {{ "found" if asset("leaflet.css").startswith("file:") }}</p>'
        ),
    )
    code, _, err = build_clinic(project, "pdf,html")
    assert code == 0, err
    files = output_files(project.output)
    html = files["evil/mini/mini.plain.html"].decode()
    assert "Open at EVIL CLINIC" in html
    assert "Count 3" in html
    assert "CSS yes" in html
    assert "Logo found" in html
    assert active_content(html) == []
    assert "OpenatEVILCLINIC" in pdf_text(project.output / "evil/mini/mini.plain.a4.pdf")


def test_a_project_template_may_extend_the_theme(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    project.write("templates/extra.css", ".project-note { color: #000; }")
    project.write(
        PROJECT_TEMPLATE,
        '{% extends "!base/leaflet.html.j2" %}{% block extra_style %}'
        "{{ asset_text('extra.css') }}{% endblock %}"
        '{% block about %}{{ super() }}<p class="project-note">Printed by {{ page.publisher }}'
        "</p>{% endblock %}\n",
    )
    result = project.build("--format", "html,pdf")
    assert result.code == 0, result.err
    html = (project.output / "mini/mini.plain.html").read_text()
    assert ".project-note { color: #000; }" in html
    assert '<p class="project-note">Printed by Test Clinic</p>' in html
    assert "PrintedbyTestClinic" in pdf_text(project.output / "mini/mini.plain.a4.pdf")


def test_a_template_linked_to_a_file_outside_is_not_loaded(tmp_path: Path) -> None:
    project = clinic_project(tmp_path, None)
    outside = tmp_path / "outside.html.j2"
    outside.write_text("SECRET-OUTSIDE {{ page.title }}")
    project.path(CLINIC_TEMPLATE).parent.mkdir(parents=True)
    project.path("clinics/evil/templates/_blocks.html.j2").symlink_to(outside)
    code, _, err = build_clinic(project)
    assert "SECRET-OUTSIDE" not in "".join(
        data.decode(errors="replace") for data in output_files(project.output).values()
    )
    assert code == 1, err
    assert "no template or theme file '_blocks.html.j2'" in err


def test_the_sample_project_renders_clean_html(tmp_path: Path) -> None:
    """The built-in theme passes its own output check in every level."""
    root = Path(__file__).resolve().parents[2]
    result = run("build", str(root), "--format", "html", "--out", str(tmp_path / "o"), "--quiet")
    assert result.code == 0, result.err
    station = tmp_path / "o" / "index.html"
    pages = [p for p in (tmp_path / "o").rglob("*.html") if p != station]
    assert pages
    for page in pages:
        assert active_content(page.read_text()) == [], page
    # The print station's search box is the builder's own script, not content (issue 16).
    assert active_content(station.read_text()) == ["a <script> element"]
