"""The Jinja environment: clinic templates, then project `templates/`, then the built-in theme.

Autoescape is always on and undefined names are errors (STYLE §7): content is data
written by many hands, and a misspelt template variable must fail, not print nothing.

Every template, the built-in theme's included, runs in Jinja's
`ImmutableSandboxedEnvironment` (issue 12): a template sees the page's data, the filters
below and `range`, `dict`, `namespace` and `joiner`, and nothing else: no attribute that
starts with `_` (so no `cycler.__init__.__globals__.os`), no method that changes a list or
a dict, no `safe` filter, no file outside its template folders (`asset`, `asset_text` and
the loader refuse `..`, absolute names and links that lead out). A clinic's templates are
untrusted input (docs/security.md); the project's are reviewed like code, and run under
the same rules anyway.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import fontpkg_atkinson_hyperlegible as atkinson
import jinja2
import jinja2.sandbox
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from markupsafe import Markup

from ..errors import Location, Problem, RenderError
from ..text.i18n import SOURCE_LANGUAGE, messages
from ..text.inline import format_inline, plain_text


def builtin_templates_dir() -> Path:
    """The built-in theme: inside the wheel, or `templates/` of a source checkout."""
    packaged = Path(__file__).parent.parent / "_templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "templates"


#: Fonts shipped in the package for scripts Atkinson Hyperlegible does not cover (issue 17).
#: Noto Naskh Arabic (OFL-1.1, from Debian's fonts-noto-core 20201225): its glyphs map one
#: to one to characters, so text copied or read out of the PDF is the Arabic that was
#: written, in logical order; the newer Noto Sans Arabic draws dots as separate glyphs
#: shared by many letters, and `pdftotext` returned wrong letters (docs/translations.md).
PACKAGED_FONTS = Path(__file__).parent.parent / "fonts"
SCRIPT_FONTS: dict[str, tuple[tuple[str, int, str], ...]] = {
    "Arab": (
        ("Noto Naskh Arabic", 400, "noto-naskh-arabic/NotoNaskhArabic-Regular.ttf"),
        ("Noto Naskh Arabic", 700, "noto-naskh-arabic/NotoNaskhArabic-Bold.ttf"),
    ),
}


def font_dirs() -> tuple[Path, ...]:
    """Folders the fetcher may read fonts from (shipped by PyPI packages, LP1/ER6, or in
    the package for other scripts)."""
    return (atkinson.ROOT / "files", PACKAGED_FONTS)


def script_fonts(script: str) -> tuple[dict[str, object], ...]:
    """The font faces a page in `script` needs before Atkinson Hyperlegible (Latin text,
    digits and marked Latin runs fall back to it)."""
    return tuple(
        {"family": family, "weight": weight, "url": (PACKAGED_FONTS / name).as_uri()}
        for family, weight, name in SCRIPT_FONTS.get(script, ())
    )


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


@jinja2.pass_context
def short_date(context: jinja2.runtime.Context, value: dt.date) -> str:
    """24 Nov 2026: for the running footer, where space is short; in the page's language."""
    return messages(_page_language(context)).short_date(value)


@jinja2.pass_context
def month_year(context: jinja2.runtime.Context, value: dt.date) -> str:
    """Nov 2026: the large-print footer's review date, in the page's language."""
    return messages(_page_language(context)).month_year(value)


def _page_language(context: jinja2.runtime.Context) -> str:
    """The language of the page being rendered (`page.language`), else English: the review
    packet and the print station are written for staff, in English."""
    return str(getattr(context.get("page"), "language", SOURCE_LANGUAGE))


def css_string(value: str) -> Markup:
    """Text made safe inside a CSS double-quoted string (content from YAML never escapes)."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,·:-()'/+" else f"\\{ord(ch):x} " for ch in value
    )
    return Markup(escaped)


@jinja2.pass_context
def long_date(context: jinja2.runtime.Context, value: dt.date) -> str:
    """24 November 2026: no ambiguous 11/24 vs 24/11 on a printed leaflet; the pattern and
    the month names are the page language's (i18n.py)."""
    return messages(_page_language(context)).long_date(value)


def find_asset(dirs: tuple[Path, ...], name: str) -> str:
    """The `file:` URL of a theme file (CSS, logo), first match in the template folders."""
    return confined_asset(dirs, name).as_uri()


def confined_asset(dirs: tuple[Path, ...], name: object) -> Path:
    """The real path of a theme file inside one of `dirs`; anything else is not found.

    `name` is a plain relative name (`leaflet.css`, `logos/x.svg`): no `..`, no absolute
    path, no backslash or NUL, and the file's real path (links followed) stays inside the
    folder it was found in, as the URL fetcher requires (fetch.py)."""
    if not isinstance(name, str) or not _plain_name(name):
        raise jinja2.TemplateNotFound(str(name)[:200])
    for folder in dirs:
        try:
            real = (folder / name).resolve()
            if real.is_relative_to(folder.resolve()) and real.is_file():
                return real
        except (OSError, ValueError):
            continue
    raise jinja2.TemplateNotFound(name)


def _plain_name(name: str) -> bool:
    parts = name.split("/")
    return (
        bool(name)
        and len(name) <= 255
        and not name.startswith("/")
        and "\\" not in name
        and "\0" not in name
        and all(part not in ("", ".", "..") for part in parts)
    )


def _asset_text(dirs: tuple[Path, ...], name: str) -> Markup:
    """A theme file's text, to inline (the HTML twin's style sheet); capped at 1 MiB."""
    path = confined_asset(dirs, name)
    if path.stat().st_size > MAX_ASSET_BYTES:
        raise RenderError(
            Problem(
                Location(path),
                f"template asset {name!r} is larger than {MAX_ASSET_BYTES // 1024} KiB",
                "keep style sheets small; pictures go in as files, not text",
            )
        )
    return Markup(path.read_text(encoding="utf-8"))


class ConfinedLoader(jinja2.FileSystemLoader):
    """A `FileSystemLoader` that also refuses a template whose real path (links followed)
    lies outside the folder it was found in."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(root).resolve()) for root in self.searchpath):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def data_url(path: Path) -> str:
    """A file as a `data:` URL, for the self-contained HTML twin."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@jinja2.pass_context
def qr_svg(context: jinja2.runtime.Context, url: str, title: str | None = None) -> Markup:
    """A QR code as inline SVG with a <title>, so it is a Figure with alt text (UA5).

    The title is the page language's "QR code for %(url)s" (the built-in template passes
    it through `_()`, so it is catalog wording: reader_text.template_wording); a template
    that leaves it out gets the same catalog entry."""
    import segno  # only clinic copies with an online address need it

    if title is None:
        title = messages(_page_language(context)).gettext("QR code for %(url)s", url=url)
    # `_()` returns markup (the URL escaped); segno escapes the title itself
    plain = title.unescape() if isinstance(title, Markup) else str(title)
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=4, border=2, title=plain))


#: Jinja's own filters a template may use: data in, text out, nothing that marks text safe
#: (`safe`), draws random numbers (`random`) or makes links out of text (`urlize`).
ALLOWED_JINJA_FILTERS = frozenset(DEFAULT_FILTERS) - {
    "safe",
    "random",
    "urlize",
    "pprint",
}
#: Jinja's own globals a template may use (`cycler` and `lipsum` are not needed).
#: `_` is the i18n extension's alias of `gettext`, which each render passes in (render.py).
ALLOWED_JINJA_GLOBALS = frozenset({"range", "dict", "namespace", "joiner", "_"})
MAX_ASSET_BYTES = 1024 * 1024


def make_environment(project_root: Path, extra_dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    """The environment for a project; `extra_dirs` (a clinic's templates) come first."""
    dirs = (*extra_dirs, *template_dirs(project_root))
    environment = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(
            [
                ConfinedLoader([str(d) for d in dirs]),
                # "!base/leaflet.html.j2" always names the built-in, so an override can extend it.
                jinja2.PrefixLoader(
                    {"!base": ConfinedLoader(str(builtin_templates_dir()))}, delimiter="/"
                ),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # {% trans %} and _() (issue 17): the words come from i18n.py's catalogs, passed in
        # per render, since one environment renders leaflets in several languages.
        extensions=["jinja2.ext.i18n"],
    )
    # Whitespace inside {% trans %} is collapsed, so a msgid is one line of words (the
    # extractor, scripts/messages.py, reads the templates with the same policy).
    environment.policies["ext.i18n.trimmed"] = True
    for name in set(environment.filters) - ALLOWED_JINJA_FILTERS:
        del environment.filters[name]
    for name in set(environment.globals) - ALLOWED_JINJA_GLOBALS:
        del environment.globals[name]
    environment.filters["long_date"] = long_date
    environment.filters["short_date"] = short_date
    environment.filters["month_year"] = month_year
    environment.filters["css_string"] = css_string
    environment.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    environment.globals["asset"] = lambda name: find_asset(dirs, name)
    environment.globals["asset_text"] = lambda name: _asset_text(dirs, name)
    environment.filters["qr_svg"] = qr_svg
    environment.filters["inline"] = format_inline
    environment.filters["plain"] = plain_text  # words without markup (attributes, metadata)
    environment.globals["readable_roots"] = tuple(
        root.resolve() for root in (project_root, *dirs, *font_dirs())
    )
    environment.filters["resource"] = _resource
    environment.globals["script_fonts"] = script_fonts
    environment.globals["fonts"] = {
        "family": atkinson.FAMILY,
        "regular": (atkinson.ROOT / "files/AtkinsonHyperlegible-Regular.ttf").as_uri(),
        "bold": (atkinson.ROOT / "files/AtkinsonHyperlegible-Bold.ttf").as_uri(),
    }
    return environment


def builtin_environment() -> jinja2.Environment:
    """The built-in theme alone, in the same sandbox (the preview's own pages)."""
    return make_environment(builtin_templates_dir())
