"""The Jinja environment: project `templates/` first, then the built-in theme.

Autoescape is always on and undefined names are errors (STYLE §7): content is data
written by many hands, and a misspelt template variable must fail, not print nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import fontpkg_atkinson_hyperlegible as atkinson
import jinja2
from markupsafe import Markup

from .errors import Location, Problem, RenderError
from .inline import format_inline


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


@jinja2.pass_context
def _resource(context: jinja2.runtime.Context, url: str) -> str:
    """A `file:` URL as it is for print; inlined as a `data:` URL in the HTML twin."""
    page = context.get("page")
    if getattr(page, "medium", "pdf") != "html" or not url.startswith("file:"):
        return url
    path = Path(url2pathname(urlsplit(url).path)).resolve()
    roots: tuple[Path, ...] = context.get("readable_roots", ())
    if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
        raise RenderError(
            Problem(
                Location(Path("templates")),
                f"refused to inline {url[:200]!r}",
                "pictures and fonts must live inside the project",
            )
        )
    return data_url(path)


def short_date(value: dt.date) -> str:
    """24 Nov 2026: for the running footer, where space is short."""
    return f"{value.day} {value:%b %Y}"


def css_string(value: str) -> Markup:
    """Text made safe inside a CSS double-quoted string (content from YAML never escapes)."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,·:-()'/+" else f"\\{ord(ch):x} " for ch in value
    )
    return Markup(escaped)


def long_date(value: dt.date) -> str:
    """24 November 2026: no ambiguous 11/24 vs 24/11 on a printed leaflet."""
    return f"{value.day} {value:%B %Y}"


def find_asset(dirs: tuple[Path, ...], name: str) -> str:
    """The `file:` URL of a theme file (CSS, logo), first match in the template folders."""
    for folder in dirs:
        if (folder / name).is_file():
            return (folder / name).as_uri()
    raise jinja2.TemplateNotFound(name)


def data_url(path: Path) -> str:
    """A file as a `data:` URL, for the self-contained HTML twin."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def qr_svg(url: str) -> Markup:
    """A QR code as inline SVG with a <title>, so it is a Figure with alt text (UA5)."""
    import segno  # only clinic copies with an online address need it

    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=4, border=2, title=f"QR code for {url}"))


def make_environment(project_root: Path, extra_dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    """The environment for a project; `extra_dirs` (a clinic's templates) come first."""
    dirs = (*extra_dirs, *template_dirs(project_root))
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
    environment.filters["short_date"] = short_date
    environment.filters["css_string"] = css_string
    environment.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    environment.globals["asset"] = lambda name: find_asset(dirs, name)
    environment.globals["asset_text"] = lambda name: Markup(
        Path(url2pathname(urlsplit(find_asset(dirs, name)).path)).read_text(encoding="utf-8")
    )
    environment.filters["qr_svg"] = qr_svg
    environment.filters["inline"] = format_inline
    environment.globals["readable_roots"] = tuple(
        root.resolve() for root in (project_root, *dirs, *font_dirs())
    )
    environment.filters["resource"] = _resource
    environment.globals["fonts"] = {
        "family": atkinson.FAMILY,
        "regular": (atkinson.ROOT / "files/AtkinsonHyperlegible-Regular.ttf").as_uri(),
        "bold": (atkinson.ROOT / "files/AtkinsonHyperlegible-Bold.ttf").as_uri(),
    }
    return environment
