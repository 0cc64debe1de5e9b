"""Decision aids (issue 15): structure checks per kind, 1-4 frequency groups, the option grid
as a tagged table, urgent help, about, clinics chosen per leaflet, leaflet sources."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from leaflets import load_project
from leaflets.build.builder import BuildOptions, build_catalog, plan_variants
from leaflets.errors import Severity
from leaflets.render.pdf import walk_structure
from leaflets.render.render import render_html
from leaflets.render.templates import make_environment
from leaflets.text.levels import context_for

CHOICE = Path(__file__).parent / "fixtures" / "decision" / "choice.yaml"
LEAFLET = "content/leaflets/choice.yaml"


@pytest.fixture
def project(minimal: Path) -> Path:
    """The minimal project plus a three-option decision aid."""
    shutil.copy(CHOICE, minimal / "content" / "leaflets" / "choice.yaml")
    return minimal


def edit(root: Path, old: str, new: str) -> None:
    path = root / LEAFLET
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(root: Path) -> list[str]:
    catalog = load_project(root)
    return [str(p) for p in catalog.failed.get(root / LEAFLET, [])]


def html_of(root: Path, level: str = "plain", **kwargs: object) -> str:
    catalog = load_project(root)
    loaded = next(x for x in catalog.leaflets if x.leaflet.id == "choice")
    context = context_for(loaded, level, catalog, **kwargs)  # type: ignore[arg-type]
    return render_html(make_environment(root), context)


def test_decision_aid_loads_clean(project: Path) -> None:
    catalog = load_project(project)
    assert catalog.failed == {}
    assert [p for p in catalog.problems if p.location.path == Path(LEAFLET)] == []


def test_decision_aid_without_decision_or_options_fails_with_located_messages(
    project: Path,
) -> None:
    text = (project / LEAFLET).read_text(encoding="utf-8")
    # Drop the decision block and two of the three options.
    start = text.index("      - id: the-decision")
    end = text.index("      - id: option-tablets")
    text = text[:start] + text[end:]
    text = text.replace("options: [wait, exercise, tablets]", "options: [tablets, tablets]")
    text = re.sub(r"\n                (wait|exercise): \{[^\n]*", "", text)
    text = text.replace("option: wait, ", "").replace("option: exercise, ", "")
    text = text.replace("options: [wait, exercise]", "options: [tablets]")
    (project / LEAFLET).write_text(text, encoding="utf-8")
    found = errors(project)
    assert any(line.startswith(f"{LEAFLET}:18:3: no block of kind 'decision'") for line in found), (
        found
    )
    assert any(
        line.startswith(f"{LEAFLET}:18:3: a decision aid needs at least 2 options; this one has 1")
        for line in found
    ), found


def test_missing_condition_and_harms_for_an_option_are_located(project: Path) -> None:
    edit(project, "    kind: condition\n", "")
    edit(project, "options: [wait, exercise]", "options: [wait]")
    found = errors(project)
    assert any("no section of kind 'condition'" in line for line in found), found
    [harms] = [line for line in found if "has no harms" in line]
    # Located at the option that lacks them.
    assert harms.startswith(f"{LEAFLET}:"), harms
    assert "option 'exercise' has no harms" in harms


def test_unknown_option_in_a_grid_is_located(project: Path) -> None:
    edit(project, "options: [wait, exercise, tablets]", "options: [wait, exercize, tablets]")
    found = errors(project)
    assert any(line.startswith(f"{LEAFLET}:60:27: unknown option 'exercize'") for line in found), (
        found
    )


def test_leaflet_without_urgent_help_fails_with_a_located_message(minimal: Path) -> None:
    path = minimal / "content" / "leaflets" / "mini.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: urgent_help", "kind: general"), encoding="utf-8")
    catalog = load_project(minimal)
    found = [str(p) for p in catalog.failed[path]]
    assert found[0].startswith(
        "content/leaflets/mini.yaml:11:3: no section of kind 'urgent_help'"
    ), found


def test_urgent_help_needs_a_route_at_every_level(project: Path) -> None:
    edit(project, '"Call 999 now if:"', '"Get help now if:"')
    found = errors(project)
    assert any(
        "urgent-help section gives no phone number or service at level 'easy'" in line
        for line in found
    ), found
    assert all(line.startswith(f"{LEAFLET}:") for line in found)


def test_leaflet_without_about_fails(project: Path) -> None:
    text = (project / LEAFLET).read_text(encoding="utf-8")
    (project / LEAFLET).write_text(text[: text.index("about:")], encoding="utf-8")
    assert any("no 'about:'" in line for line in errors(project))


def test_information_leaflet_needs_no_benefits_or_risks(minimal: Path) -> None:
    path = minimal / "content" / "leaflets" / "mini.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    kind: risks\n", "").replace("version:", "kind: information\nversion:")
    path.write_text(text, encoding="utf-8")
    assert path not in load_project(minimal).failed
    path.write_text(text.replace("kind: information", "kind: treatment"), encoding="utf-8")
    assert "no section of kind 'risks'" in str(load_project(minimal).failed[path])


def _arrays(html: str, block: str) -> list[str]:
    part = html[html.index(f'id="block-{block}"') :]
    part = part[: part.index('<p class="icon-key">')]
    return re.findall(r"<svg[^>]*class=\"icon-grid\".*?</svg>", part, re.DOTALL)


def _heads(svg: str, kind: str) -> int:
    paths = re.findall(rf'<path class="{kind}"[^>]* d="([^"]*)"', svg)
    return len(re.findall(r"a[\d.]+,[\d.]+ 0 1,0 -", paths[0])) if paths else 0


def test_three_groups_draw_three_counted_icon_arrays_with_alt_text_in_the_writers_words(
    project: Path,
) -> None:
    html = html_of(project)
    svgs = _arrays(html, "better")
    assert len(svgs) == 3
    for svg, count, label in zip(
        svgs, (30, 45, 40), ("after waiting", "with exercises", "with tablets"), strict=True
    ):
        assert (_heads(svg, "filled"), _heads(svg, "empty")) == (count, 100 - count)
        title = re.search(r"<title>(.*?)</title>", svg, re.DOTALL)
        assert title is not None
        assert title.group(1) == (
            f"Icon array, {label}: {count} out of 100 people with a sore knee felt better, "
            f"and {100 - count} still had a sore knee, after 6 weeks. "
            "Filled figures: felt better. Outline figures: still had a sore knee."
        )
        assert "did not" not in title.group(1)  # the writer gave outcome_not
    assert f"{45} felt better, {55} still had a sore knee</p>" in html
    assert "filled," not in html  # captions in words, not "45 filled, 55 empty"
    assert (
        "A filled figure is one person who felt better. "
        "An outline figure is one who still had a sore knee." in html
    )


def test_one_group_draws_one_icon_array_without_a_comparison_label(project: Path) -> None:
    html = html_of(project)
    [svg] = _arrays(html, "upset-stomach")
    assert (_heads(svg, "filled"), _heads(svg, "empty")) == (10, 90)
    assert "<title>Icon array: 10 out of 100 people who took tablets had an upset stomach" in svg
    assert '<p class="icon-caption">10 had an upset stomach, 90 did not</p>' in html
    assert "about 10 had an upset stomach</li>" in html


def test_four_groups_are_allowed_and_five_are_not(project: Path) -> None:
    four = "            - {label: {all: who did both}, count: 50}\n"
    edit(
        project,
        "            - {label: {all: with tablets}",
        four + "            - {label: {all: with tablets}",
    )
    assert len(_arrays(html_of(project), "better")) == 4
    edit(project, four, four + four.replace("both", "all"))
    assert any("at most 4 items" in line for line in errors(project))


def test_option_grid_is_a_table_with_headers_and_numbers_from_the_frequencies_block(
    project: Path,
) -> None:
    html = html_of(project)
    table = html[html.index('<table class="option-grid">') : html.index("</table>")]
    assert re.findall(r'<th scope="col">([^<]*)</th>', table) == [
        "Question",
        "Wait and see",
        "Exercises",
        "Tablets",
    ]
    assert re.findall(r'<th scope="row">([^<]*)</th>', table) == [
        "What do I do?",
        "How many feel better?",
    ]
    cells = re.findall(r"<td>([^<]*)</td>", table)
    assert cells[3:] == [
        "About 30 out of 100 felt better (after 6 weeks)",
        "About 45 out of 100 felt better (after 6 weeks)",
        "About 40 out of 100 felt better (after 6 weeks)",
    ]
    # Change the number in the frequencies block: the grid follows (never retyped).
    edit(project, "option: exercise, count: 45", "option: exercise, count: 47")
    assert "About 47 out of 100 felt better" in html_of(project)


def test_option_grid_stacks_per_option_in_large_print(project: Path) -> None:
    html = html_of(project, large_print=True)
    assert '<table class="option-grid">' not in html
    assert html.count('<div class="grid-option">') == 3


def test_option_grid_is_a_tagged_table_in_the_pdf(project: Path, tmp_path: Path) -> None:
    catalog = load_project(project, only=[project / LEAFLET])
    options = BuildOptions(levels=("plain",), papers=("a4",), large_print=False, formats=("pdf",))
    report = build_catalog(catalog, tmp_path / "out", options)
    assert report.failed == {}, report.failed
    [entry] = report.built
    with pikepdf.open(tmp_path / "out" / entry.path) as pdf:
        elements = list(walk_structure(pdf.Root.StructTreeRoot))
        [table] = [e for e in elements if str(e.S) == "/Table"]
        inside = list(walk_structure(pikepdf.Dictionary(K=table.K)))
        kinds = [str(e.S) for e in inside]
        assert kinds.count("/TR") == 3
        assert kinds.count("/TH") == 4 + 2
        assert kinds.count("/TD") == 6
        scopes = [
            str(e.A.Scope) for e in inside if str(e.S) == "/TH" and "/A" in e and "/Scope" in e.A
        ]
        assert scopes.count("/Column") == 4
        assert scopes.count("/Row") == 2


def test_about_and_clinic_urgent_routes_are_printed(project: Path) -> None:
    clinic = project / "clinics" / "here" / "clinic.yaml"
    clinic.parent.mkdir(parents=True)
    clinic.write_text(
        "id: here\nname: Here Clinic\nphone: 01632 960000\n"
        "urgent_help:\n  - {name: Here crisis line, phone: 01632 960001, when: day or night}\n",
        encoding="utf-8",
    )
    from leaflets.content.load import load_clinic

    loaded_clinic = load_clinic(clinic, project)
    html = html_of(project, clinic=loaded_clinic)
    urgent = html[html.index('id="section-urgent"') :]
    assert urgent.index("Here crisis line") < urgent.index("Call 999 now if:")
    assert "<strong>Written by:</strong> Test writers." in html
    assert "<strong>Paid for by:</strong> No external funding." in html
    assert "<strong>Conflicts of interest:</strong> The authors declare none." in html
    assert "<strong>Updates:</strong> Checked every year." in html


def test_list_intro_is_inside_the_box(project: Path) -> None:
    html = html_of(project)
    box = html[html.index('<div class="list-box has-intro">') :]
    box = box[: box.index("</div>")]
    assert '<p class="intro">Call 999 now if:</p>' in box
    assert "<li>" in box


def _clinic(root: Path, clinic_id: str, leaflets: str = "") -> None:
    folder = root / "clinics" / clinic_id
    folder.mkdir(parents=True)
    (folder / "clinic.yaml").write_text(
        f"id: {clinic_id}\nname: Clinic {clinic_id}\nphone: 01632 960000\n{leaflets}",
        encoding="utf-8",
    )
    project_file = root / "leaflets.yaml"
    text = project_file.read_text(encoding="utf-8")
    if "outputs:" not in text:
        text += "outputs:\n  clinics: []\n"
    text = text.replace("clinics: [", f"clinics: [clinics/{clinic_id}/clinic.yaml, ", 1)
    project_file.write_text(text.replace(", ]", "]"), encoding="utf-8")


def _branded(root: Path) -> set[tuple[str, str]]:
    return {
        (v.leaflet, v.clinic)
        for v in plan_variants(load_project(root), BuildOptions(levels=("plain",)))
        if v.clinic
    }


def test_clinics_choice_leaflet_wins_over_clinic_file(project: Path) -> None:
    _clinic(project, "north", "leaflets: [mini]\n")
    _clinic(project, "south")
    # No choice in the leaflet: north prints only mini (its list), south prints both.
    assert _branded(project) == {("mini", "north"), ("mini", "south"), ("choice", "south")}
    # The leaflet's own list wins over the clinic file's.
    edit(project, "kind: decision\n", "kind: decision\nclinics: [north]\n")
    assert _branded(project) == {("mini", "north"), ("mini", "south"), ("choice", "north")}


def test_unknown_clinic_in_a_leaflet_warns(project: Path) -> None:
    edit(project, "kind: decision\n", "kind: decision\nclinics: [nowhere]\n")
    warnings = [p for p in load_project(project).problems if "nowhere" in p.message]
    assert [w.severity for w in warnings] == [Severity.WARNING]


def test_leaflet_source_that_clashes_with_the_project_warns(project: Path) -> None:
    edit(
        project,
        "sources:\n  K1:",
        "sources:\n  S1:\n    title: Clash\n    organisation: X\n    year: 2020\n  K1:",
    )
    catalog = load_project(project)
    [clash] = [p for p in catalog.problems if "also in content/sources.yaml" in p.message]
    assert clash.severity is Severity.WARNING
    assert str(clash).startswith(f"{LEAFLET}:13:3: warning: source id 'S1' is also in")


def test_web_source_takes_accessed_and_prints_it(project: Path) -> None:
    html = html_of(project, "plain")
    assert "Health Pages." in html or "Health Pages" in html
    edit(project, "    accessed: 2026-01-02\n", "")
    assert any("'year'" in line and "'accessed'" in line for line in errors(project))


@pytest.mark.parametrize("medium", ["pdf", "html"])
def test_decision_aid_with_option_grid_has_no_axe_violations(
    browser: object, project: Path, medium: str, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from test_axe import describe

    html = html_of(project, "plain", medium=medium)
    assert '<table class="option-grid">' in html
    page_file = tmp_path / f"choice.{medium}.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        violations = Axe().run(page).response["violations"]
    finally:
        page.close()
    assert violations == [], describe(violations)


def test_pictogram_default_alt_from_alt_yaml_and_missing_alt_is_located(project: Path) -> None:
    folder = project / "content" / "images" / "everyday"
    folder.mkdir(parents=True)
    shutil.copy(
        Path(__file__).parents[1] / "content" / "images" / "everyday" / "thermometer.svg", folder
    )
    (folder / "alt.yaml").write_text("thermometer.svg: A thermometer\n", encoding="utf-8")
    edit(
        project,
        "      - id: condition-main\n",
        "      - id: condition-main\n        image: {path: images/everyday/thermometer.svg}\n",
    )
    assert 'alt="A thermometer"' in html_of(project)
    (folder / "alt.yaml").write_text("other.svg: Something\n", encoding="utf-8")
    found = errors(project)
    assert any(
        line.startswith(f"{LEAFLET}:23:9: block 'condition-main': image") and "no 'alt'" in line
        for line in found
    ), found


def test_review_status_lists_the_ipdas_items_a_reviewer_must_judge(project: Path) -> None:
    import io

    from leaflets.cli.main import main

    out = io.StringIO()
    main(["review", "status", str(project)], stdout=out, stderr=io.StringIO())
    lines = [line for line in out.getvalue().splitlines() if "IPDAS" in line]
    assert len(lines) == 5
    assert lines[0].startswith(f"{LEAFLET}: IPDAS living, for the reviewer to judge:")
    assert not any("mini.yaml" in line for line in lines)  # a treatment leaflet: none


def test_grid_column_hidden_at_a_level_where_the_grid_is_shown_is_located(project: Path) -> None:
    edit(
        project,
        "      - id: option-tablets\n        kind: option\n",
        "      - id: option-tablets\n        kind: option\n        levels: [plain]\n",
    )
    found = errors(project)
    assert any(
        line.startswith(f"{LEAFLET}:61:37: option 'tablets' is not shown at level 'easy'")
        for line in found
    ), found
