"""`LevelContext` in, HTML string out, through one template per level.

A level may have its own template (`level-easy.html.j2`); otherwise `leaflet.html.j2`.
All layout lives in the templates and CSS; this module only picks and fills them.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .errors import Location, Problem, RenderError
from .levels import LevelContext

DEFAULT_TEMPLATE = "leaflet.html.j2"


def template_name(environment: jinja2.Environment, level_id: str) -> str:
    candidate = f"level-{level_id}.html.j2"
    try:
        environment.get_template(candidate)
    except jinja2.TemplateNotFound:
        return DEFAULT_TEMPLATE
    return candidate


def render_html(environment: jinja2.Environment, context: LevelContext) -> str:
    """Fill the level's template; template mistakes become located `RenderError`s."""
    name = template_name(environment, context.level_id)
    try:
        return environment.get_template(name).render(page=context)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(Path(exc.filename or exc.name or name), exc.lineno)
        raise RenderError(Problem(where, f"template error: {exc.message}")) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(
            Problem(
                Location(Path(name)),
                f"template error: {exc.message}",
                "check the variable names in the template against docs/templates.md",
            )
        ) from None
