"""Clinic files come only from inside the project, and every address a build prints or
encodes (clinic web and leaflet_url, feedback, source urls) passes the rule for links in
content (issue 12, finding 2; docs/security.md §8).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_kit import LOCATED, Project, assert_nothing_built, run

from leaflets.content.urls import bare_urls, url_refusal

CLINIC = """\
id: {id}
name: Some Clinic
logo:
  path: logo.svg
  alt: Some Clinic logo
phone: 01234 567890
"""
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10" fill="#123456"/></svg>'
)


def write_clinic(folder: Path, clinic_id: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clinic.yaml").write_text(CLINIC.format(id=clinic_id) + extra)
    (folder / "logo.svg").write_text(LOGO)
    return folder / "clinic.yaml"


def assert_located_failure(code: int, err: str, expected: str) -> None:
    assert code == 1, err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert any(LOCATED.match(line) and expected in line for line in err.splitlines()), err


def test_a_clinic_file_outside_the_project_is_refused_in_the_project_file(
    tmp_path: Path,
) -> None:
    """Finding 2: `outputs.clinics` naming an absolute path outside the project."""
    outside = write_clinic(tmp_path / "elsewhere" / "far", "far")
    project = Project(tmp_path / "p")
    project.edit(
        "paper: a4\n", f"paper: a4\noutputs:\n  clinics:\n    - {outside}\n", "leaflets.yaml"
    )
    result = project.build()
    line = project.line_of(str(outside), "leaflets.yaml")
    assert_located_failure(
        result.code, result.err, f"leaflets.yaml:{line}:7: clinic file '{outside}' is outside"
    )
    assert_nothing_built(project.output)


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_a_clinic_file_outside_the_project_is_refused_on_the_command_line(
    tmp_path: Path, how: str
) -> None:
    outside = write_clinic(tmp_path / "elsewhere" / "far", "far")
    project = Project(tmp_path / "p")
    if how == "absolute":
        given = str(outside)
    elif how == "dotdot":
        given = str(project.root / "clinics" / ".." / ".." / "elsewhere" / "far" / "clinic.yaml")
    else:
        (project.root / "clinics").mkdir()
        (project.root / "clinics" / "far").symlink_to(outside.parent)
        given = str(project.root / "clinics" / "far" / "clinic.yaml")
    result = project.build("--clinic", given)
    assert_located_failure(result.code, result.err, "is outside the project folder")
    assert_nothing_built(project.output)


def test_a_clinic_templates_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    clinic = write_clinic(project.root / "clinics" / "near", "near")
    (tmp_path / "loot").mkdir()
    (clinic.parent / "templates").symlink_to(tmp_path / "loot")
    result = project.build("--clinic", str(clinic))
    assert_located_failure(
        result.code, result.err, "clinics/near/templates: the clinic's templates folder leads"
    )


def test_a_clinic_logo_linked_outside_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    clinic = write_clinic(project.root / "clinics" / "near", "near")
    (clinic.parent / "logo.svg").unlink()
    (tmp_path / "secret.svg").write_text(LOGO)
    (clinic.parent / "logo.svg").symlink_to(tmp_path / "secret.svg")
    result = project.build("--clinic", str(clinic))
    assert_located_failure(result.code, result.err, "logo 'logo.svg' not found")


BAD_ADDRESSES = [
    # Finding 2 exactly: userinfo that reads like the NHS and goes to evil.example.
    ("leaflet_url", "https://www.nhs.uk@evil.example/{leaflet}", "'name@' part"),
    ("web", "https://www.nhs.uk@evil.example/", "'name@' part"),
    ("web", "https://user:pw@example.org/", "'name@' part"),
    ("web", "https://exаmple.org/", "non-ASCII"),  # Cyrillic а
    ("web", "https://example.org/\u202eexe.gpj", "U+202E"),
    ("web", "https://example.org/\u200bx", "U+200B"),
    ("leaflet_url", "https://example.org/{leaflet}\t/x", "U+0009"),
    ("web", "javascript:alert(1)", "must start with https://"),
    ("web", "https:///nohost", "only https://host"),
]


@pytest.mark.parametrize(("field", "address", "reason"), BAD_ADDRESSES)
def test_a_clinic_address_must_pass_the_link_rule(
    tmp_path: Path, field: str, address: str, reason: str
) -> None:
    project = Project(tmp_path / "p")
    # JSON's escapes are YAML's too: the file itself stays plain ASCII.
    clinic = write_clinic(
        project.root / "clinics" / "near", "near", f"{field}: {json.dumps(address)}\n"
    )
    result = project.build("--clinic", str(clinic), "--format", "pdf,html")
    line = len(clinic.read_text().splitlines())
    assert_located_failure(result.code, result.err, f"clinics/near/clinic.yaml:{line}:")
    assert reason in result.err
    assert_nothing_built(project.output)


def test_a_good_clinic_address_is_printed_and_encoded(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    clinic = write_clinic(
        project.root / "clinics" / "near",
        "near",
        "web: https://example.org/near\nleaflet_url: https://example.org/near/{leaflet}/{level}\n",
    )
    result = project.build("--clinic", str(clinic), "--format", "html")
    assert result.code == 0, result.err
    html = (project.output / "near/mini/mini.plain.html").read_text()
    assert "https://example.org/near/mini/plain" in html


def test_an_address_in_the_feedback_sentence_must_pass_the_rule(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    project.edit(
        "feedback: Tell us what you think at the front desk.",
        "feedback: Tell us what you think at https://www.nhs.uk@evil.example/form.",
        "leaflets.yaml",
    )
    result = project.build()
    line = project.line_of("feedback:", "leaflets.yaml")
    assert_located_failure(result.code, result.err, f"leaflets.yaml:{line}:")
    assert "'https://www.nhs.uk@evil.example/form'" in result.err


@pytest.mark.parametrize(
    "address",
    ["https://www.nhs.uk@evil.example/x", "file:///etc/passwd", "javascript:alert(1)"],
)
def test_a_source_address_must_pass_the_rule(tmp_path: Path, address: str) -> None:
    """A source's `url` is printed in the sources list: the same rule."""
    project = Project(tmp_path / "p")
    relative = "content/sources.yaml"
    project.edit("    year: 2020", f"    year: 2020\n    url: {json.dumps(address)}", relative)
    result = project.build()
    line = project.line_of("url:", relative)
    assert_located_failure(result.code, result.err, f"{relative}:{line}:")
    assert f"refused address {address!r}" in result.err
    assert_nothing_built(project.output)


def test_the_sample_clinic_passes() -> None:
    root = Path(__file__).resolve().parents[2]
    result = run("check", str(root))
    assert "clinic.yaml" not in result.err, result.err


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.org/a?b=c#d", True),
        ("http://example.org", True),
        ("mailto:someone@example.org", True),
        ("tel:+441234567890", True),
        ("https://xn--exmple-cua.org/", True),  # punycode is printed as it is: no look-alike
        ("https://a@b.example", False),
        ("https://b.example:80@c.example", False),
        ("ftp://example.org", False),
        ("file:///etc/passwd", False),
        ("data:text/html,x", False),
        ("https://ex ample.org", False),
    ],
)
def test_the_address_rule(url: str, allowed: bool) -> None:
    assert (url_refusal(url) is None) is allowed


def test_bare_addresses_are_found_as_printed() -> None:
    text = "Write to mailto:a@b.example, see www.example.org. Or https://x.example/a?b=1)."
    assert bare_urls(text) == [
        "mailto:a@b.example",
        "https://www.example.org",
        "https://x.example/a?b=1",
    ]
