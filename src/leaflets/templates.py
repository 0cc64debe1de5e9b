"""The Jinja environment: project `templates/` first, then the built-in theme.

Autoescape is always on and undefined names are errors (STYLE §7): content is data
written by many hands, and a misspelt template variable must fail, not print nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson
import jinja2


def builtin_templates_dir() -> Path:
    """The built-in theme: inside the wheel, or `templates/` of a source checkout."""
    packaged = Path(__file__).parent / "_templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


def font_dirs() -> tuple[Path, ...]:
    """Folders the fetcher may read fonts from (shipped by PyPI packages, LP1/ER6)."""
    return (atkinson.ROOT / "files",)


def template_dirs(project_root: Path) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins."""
    builtin = builtin_templates_dir().resolve()
    project = (project_root / "templates").resolve()
    return (builtin,) if project == builtin or not project.is_dir() else (project, builtin)


def long_date(value: dt.date) -> str:
    """24 November 2026: no ambiguous 11/24 vs 24/11 on a printed leaflet."""
    return f"{value.day} {value:%B %Y}"


def find_asset(dirs: tuple[Path, ...], name: str) -> str:
    """The `file:` URL of a theme file (CSS, logo), first match in the template folders."""
    for folder in dirs:
        if (folder / name).is_file():
            return (folder / name).as_uri()
    raise jinja2.TemplateNotFound(name)


def make_environment(project_root: Path) -> jinja2.Environment:
    dirs = template_dirs(project_root)
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(d) for d in dirs]),
                # "!base/leaflet.html.j2" always names the built-in, so an override can extend it.
                jinja2.PrefixLoader(
                    {"!base": jinja2.FileSystemLoader(str(builtin_templates_dir()))}, delimiter="/"
                ),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["long_date"] = long_date
    environment.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    environment.globals["asset"] = lambda name: find_asset(dirs, name)
    environment.globals["fonts"] = {
        "family": atkinson.FAMILY,
        "regular": (atkinson.ROOT / "files/AtkinsonHyperlegible-Regular.ttf").as_uri(),
        "bold": (atkinson.ROOT / "files/AtkinsonHyperlegible-Bold.ttf").as_uri(),
    }
    return environment
