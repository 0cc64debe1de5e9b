"""A built output folder in, accessibility problems out: what `leaflets check --a11y` runs.

Every file the manifest lists, exactly as the build made it, through the checks of the
finished files (verify.py's PDF contract, a11y.py, pagination.py; the HTML twin's
language and title), and the theme's colours (contrast.py). It reads the build's manifest
and formats table, so it sits with the build, above the checks it runs.
"""

from __future__ import annotations

from pathlib import Path

from ..content.load import Catalog
from ..errors import Location, Problem
from ..verify.a11y import a11y_problems
from ..verify.printed import printed_pages
from .formats import output_format


def check_outputs(catalog: Catalog, out_dir: Path) -> list[Problem]:
    """The accessibility checks on every built file listed in `out_dir/manifest.json`,
    and the theme's colours: what `leaflets check --a11y` runs."""
    from ..render.templates import template_dirs
    from ..verify.contract import verify_pdf
    from ..verify.contrast import check_contrast, check_graphics, contrast_problems
    from ..verify.pagination import pagination_problems, rules_for
    from .manifest import load_manifest, read_built

    problems: list[Problem] = []
    for folder in template_dirs(catalog.root):
        for css in sorted(folder.glob("*.css")):
            where = Location(css)
            problems += [
                Problem(where, m) for m in contrast_problems(check_contrast(css.read_text()))
            ]
        for template in sorted(folder.glob("*.j2")):
            found = contrast_problems(check_graphics(template.read_text()))
            problems += [Problem(Location(template), m) for m in found]
    leaflets = {loaded.leaflet.id: loaded.leaflet for loaded in catalog.leaflets}
    # Only files the build made, exactly as it made them (issue 12): the manifest is
    # validated, and a listed file is read without following links, if it still matches.
    manifest = load_manifest(out_dir)
    problems += manifest.problems
    entries = manifest.entries
    if not entries:
        problems.append(
            Problem(
                Location(out_dir),
                "no built files to check",
                "run `leaflets build` first (or give --out)",
            )
        )
    for entry in entries.values():
        where = Location(Path(entry.path))
        if output_format(entry.format).shows_pages and not output_format(entry.format).tagged:
            continue  # the imposed booklet is for printing only; its A5 twin is checked
        built = read_built(out_dir, entry)
        if built is None:
            problems.append(
                Problem(
                    Location(out_dir / entry.path),
                    "not checked: the file is missing or changed since the build wrote it",
                    "run `leaflets build` again, then check",
                )
            )
            continue
        data = built
        if not output_format(entry.format).shows_pages:  # the PDF checks read paged files
            text = data.decode("utf-8", errors="replace")
            if f'lang="{entry.language}"' not in text or "<title>" not in text:
                problems.append(Problem(where, "HTML twin lacks its language or title"))
            continue
        level = catalog.project.levels.get(entry.level)
        minimum = 18.0 if entry.large_print else (level.font_size_pt if level else 12.0)
        report = verify_pdf(data, entry.language, None)
        problems += report.as_problems(where)
        read = printed_pages(data)
        problems += [Problem(where, m) for m in a11y_problems(data, minimum, chars=read[0])]
        rules = rules_for(catalog.project, leaflets.get(entry.leaflet), entry.format)
        problems += pagination_problems(data, where, rules, read)
    return problems
