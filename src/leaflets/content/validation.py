"""A YAML document and a pydantic model in, the validated model or located problems out.

pydantic's messages are rewritten into a writer's words, each at the `file:line:col` of
the value it is about (STYLE habit 4): unknown keys with "did you mean", enum choices,
patterns with an example. This module is the one place tied to pydantic's error format.
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import ContentError, Problem, did_you_mean
from .model import ID_PATTERN, VERSION_PATTERN, Block, BlockUse
from .source import KeyPath, Positions, SourceDocument

M = TypeVar("M", bound=BaseModel)


def validate(document: SourceDocument, model: type[M]) -> M:
    """`model` from the document's data; every schema problem located, or `ContentError`."""
    if not isinstance(document.data, dict):
        raise ContentError(
            Problem(
                document.positions.of(()),
                f"expected a mapping of keys (e.g. '{next(iter(model.model_fields))}: ...')",
            )
        )
    try:
        validated = model.model_validate(document.data)
    except ValidationError as exc:
        problems = [_problem_from_pydantic(e, document.positions, model) for e in exc.errors()]
        # A value the reader already refused (2027-02-30) needs no second message.
        refused = {p.location for p in document.problems}
        problems = [p for p in problems if p.location not in refused]
        raise ContentError(sorted(document.problems + problems, key=_line)) from None
    if document.problems:
        raise ContentError(document.problems)
    return validated


def _line(problem: Problem) -> tuple[int, int]:
    return (problem.location.line, problem.location.column)


_PATTERN_HINTS = {
    ID_PATTERN: "ids are lower-case letters and digits joined by hyphens, e.g. 'treatment-day'",
    VERSION_PATTERN: 'a version is numbers joined by dots, in quotes, e.g. "1.0"',
}
_TAGS = {"block", "use"}  # discriminator tags pydantic puts in error paths (model.BlockEntry)


def _is_tag(raw: tuple[Any, ...], index: int) -> bool:
    """Is `raw[index]` the discriminator tag pydantic puts right after `blocks[i]`?"""
    return (
        raw[index] in _TAGS
        and index >= 2
        and isinstance(raw[index - 1], int)
        and raw[index - 2] == "blocks"
    )


def _without_tags(raw: tuple[Any, ...]) -> KeyPath:
    return tuple(part for index, part in enumerate(raw) if not _is_tag(raw, index))


def _problem_from_pydantic(error: Any, positions: Positions, model: type[BaseModel]) -> Problem:
    """Rewrite one pydantic error in a writer's words, at the right line."""
    loc = _without_tags(error["loc"])
    kind = error["type"]
    where = dotted(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1], error["loc"])
        return Problem(
            positions.of(loc, key=True),
            f"unknown key {key!r}" + (f" in {dotted(loc[:-1])}" if loc[:-1] else ""),
            did_you_mean(key, allowed) or f"allowed keys: {', '.join(sorted(allowed))}",
        )
    if kind == "missing":
        return Problem(
            positions.of(loc[:-1]),
            f"missing required key {str(loc[-1])!r}"
            + (f" in {dotted(loc[:-1])}" if loc[:-1] else ""),
            "see docs/content.md for what this part needs",
        )
    if kind == "string_type":
        return Problem(
            positions.of(loc),
            f"{where}: expected text, got {error['input']!r}",
            'put the value in quotes, e.g. "1.0"',
        )
    if kind in ("literal_error", "enum"):  # Literal[...] and StrEnum fields read the same
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        return Problem(
            positions.of(loc),
            f"{where}: {error['input']!r} is not one of {expected}",
            did_you_mean(str(error["input"]), choices),
        )
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return Problem(
            positions.of(loc),
            f"{where}: {error['input']!r} has the wrong form",
            _PATTERN_HINTS.get(pattern, f"expected the pattern {pattern}"),
        )
    if kind.startswith("date"):
        return Problem(positions.of(loc), f"{where}: expected a date like 2026-11-24")
    message = error["msg"].removeprefix("Value error, ")
    return Problem(positions.of(loc), f"{where}: {message}" if where else message)


def dotted(loc: KeyPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _allowed_keys(model: type[BaseModel], loc: KeyPath, raw_loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at `loc` (for "did you mean")."""
    current: Any = model
    tags = [
        p for i, p in enumerate(raw_loc) if p in _TAGS and len(_without_tags(raw_loc[: i + 1])) == i
    ]
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            if part not in current.model_fields:
                return []
            current = _inner_model(current.model_fields[part].annotation, tags)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any, tags: list[str]) -> Any:
    """Dig the model class out of list[...], X | None, Annotated[...], dict[..., X]."""
    models = [a for a in _flatten(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    if BlockUse in models and Block in models:
        return BlockUse if tags and tags[-1] == "use" else Block
    return models[0] if models else None


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation]
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        args = args[:1]
    if origin in (typing.Union, types.UnionType) or origin is typing.Annotated or args:
        return [leaf for arg in args for leaf in _flatten(arg)]
    return [annotation]
