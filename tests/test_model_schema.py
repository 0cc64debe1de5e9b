"""The JSON Schema editors use comes from the model: it must load as JSON and explain every key."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from leaflets.content.model import (
    ID_PATTERN,
    Block,
    BlockLibrary,
    Leaflet,
    Level,
    Project,
    Section,
    SourceList,
)

DOCUMENTED = [Leaflet, Block, Section, Project, Level]
#: Fields known to lack a description (each one is a bug to fix in model.py).
UNDOCUMENTED: dict[tuple[str, str], str] = {}


def _fields() -> list[object]:
    params: list[object] = []
    for model in DOCUMENTED:
        for name in model.model_fields:
            reason = UNDOCUMENTED.get((model.__name__, name))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            params.append(pytest.param(model, name, marks=marks, id=f"{model.__name__}.{name}"))
    return params


@pytest.mark.parametrize("model", [Leaflet, Project, BlockLibrary, SourceList])
def test_schema_is_json_serialisable(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    assert json.loads(json.dumps(schema)) == schema


@pytest.mark.parametrize(("model", "name"), _fields())
def test_every_property_has_a_description(model: type[BaseModel], name: str) -> None:
    schema = model.model_json_schema()
    description = schema["properties"][name].get("description", "")
    assert description.strip(), f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize("model", DOCUMENTED)
def test_every_model_has_a_description(model: type[BaseModel]) -> None:
    assert model.model_json_schema().get("description", "").strip()


@pytest.mark.parametrize("model", DOCUMENTED)
def test_unknown_keys_are_refused_by_the_schema(model: type[BaseModel]) -> None:
    # So an editor underlines a typo like `benfits`, as `leaflets check` does.
    assert model.model_json_schema()["additionalProperties"] is False


def test_leaflet_schema_describes_nested_models_and_id_pattern() -> None:
    schema = Leaflet.model_json_schema()
    assert {"Section", "Block", "BlockUse", "Image"} <= set(schema["$defs"])
    assert schema["properties"]["id"]["pattern"] == ID_PATTERN
    assert schema["$defs"]["Section"]["properties"]["kind"]["enum"] == [
        "general",
        "condition",
        "options",
        "benefits",
        "uncertainty",
        "risks",
        "urgent_help",
    ]
    assert set(schema["required"]) == {
        "id",
        "version",
        "title",
        "summary",
        "evidence_checked",
        "next_review",
        "sections",
    }
