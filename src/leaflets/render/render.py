"""`LevelContext` in, HTML string out, through one template per level.

A level may have its own template (`level-easy.html.j2`); otherwise `leaflet.html.j2`.
All layout lives in the templates and CSS; this module only picks and fills them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import jinja2.exceptions

from ..errors import Location, Problem, RenderError
from ..text.i18n import messages, template_callables
from ..text.levels import LevelContext
from .htmlcheck import active_content

DEFAULT_TEMPLATE = "leaflet.html.j2"


def template_name(environment: jinja2.Environment, level_id: str) -> str:
    candidate = f"level-{level_id}.html.j2"
    try:
        environment.get_template(candidate)
    except jinja2.TemplateNotFound:
        return DEFAULT_TEMPLATE
    return candidate


def render_html(environment: jinja2.Environment, context: LevelContext) -> str:
    """Fill the level's template; template mistakes become located `RenderError`s.

    The result is checked for active content (htmlcheck.py) whatever template made it:
    a page with a script, an event handler or a `javascript:` address is refused."""
    name = template_name(environment, context.level_id)
    try:
        html = environment.get_template(name).render(page=context, **language_context(context))
    except jinja2.TemplateSyntaxError as exc:
        where = Location(Path(exc.filename or exc.name or name), exc.lineno)
        raise RenderError(Problem(where, f"template error: {exc.message}")) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(
            Problem(
                _where(exc, name),
                f"template error: {exc.message}",
                "check the variable names in the template against docs/templates.md",
            )
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(
            Problem(
                _where(exc, name),
                f"template error: refused by the sandbox: {str(exc)[:200]}",
                "templates may use the page's data and the documented filters only "
                "(docs/templates.md, docs/security.md)",
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            Problem(
                _where(exc, name),
                f"template error: no template or theme file {str(exc.name)[:200]!r}",
                "templates and theme files are read only from the template folders, "
                "by a plain relative name (no '..', no absolute path)",
            )
        ) from None
    found = active_content(html)
    if found:
        raise RenderError(
            Problem(
                Location(Path(name)),
                f"the rendered page contains {', '.join(found[:5])}",
                "leaflets never run scripts: remove it from the template (docs/security.md)",
            )
        )
    if context.clinic is not None:
        from ..text.clinic_review import dropped_urgent_help

        dropped = dropped_urgent_help(html, context)
        if dropped:
            raise RenderError(
                Problem(
                    Location(Path(name)),
                    f"the clinic's copy leaves out the leaflet's urgent help: {dropped[0][:80]!r}",
                    "a clinic adds its routes; its templates must keep the urgent-help "
                    "section and its blocks (docs/clinics.md, Reviewing a clinic's text)",
                )
            )
    return html


def language_context(context: LevelContext) -> dict[str, Any]:
    """What a page needs from its language (issue 17): the catalog's `gettext` family for
    `_()` and `{% trans %}`, `text_dir` (`ltr`/`rtl`), `script` (fonts) and the running
    footer's "Page X of Y"."""
    found = messages(context.language)
    return {
        **template_callables(context.language),
        "text_dir": found.direction,
        "script": found.script,
        "page_counter": found.page_counter(),
    }


def _where(exc: BaseException, name: str) -> Location:
    """The template file and line an error was raised at (Jinja rewrites the traceback so
    its frames carry the template's file name and line), else the template's name."""
    found = Location(Path(name))
    trace = exc.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            found = Location(Path(code.co_filename), trace.tb_lineno)
        trace = trace.tb_next
    return found
