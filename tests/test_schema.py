"""`leaflets schema`: the JSON Schema editors use, generated from the model (issue 8).

The committed `leaflets.schema.json` must equal the generated one (as RenderCV tests its
schema.json); every field explains itself and has examples that the schema accepts; the
shipped content, the starter project and the `leaflets new` stub all validate against it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from leaflets.authoring.scaffold import stub_text
from leaflets.cli.main import main
from leaflets.content.schema import KINDS, SCHEMA_FILE, json_schema, schema_text
from leaflets.content.source import read_yaml

REPO = Path(__file__).resolve().parents[1]
STARTER = REPO / "src" / "leaflets" / "starter"


def _json(value: Any) -> Any:
    """YAML data as JSON sees it: dates become the ISO strings the editor reads."""
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _jsonschema() -> Any:
    """The validator package: a test dependency; only the validation tests need it."""
    return pytest.importorskip("jsonschema", reason="pip install jsonschema (test extra)")


def _errors(kind: str, data: Any) -> list[str]:
    jsonschema = _jsonschema()
    validator = jsonschema.Draft202012Validator(
        json_schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_json(data))]


def _properties(kind: str) -> list[tuple[str, str, dict[str, Any]]]:
    schema = json_schema(kind)
    models = [(schema["title"], schema), *schema.get("$defs", {}).items()]
    enums = [name for name, d in models if "enum" in d and not d.get("description")]
    assert not enums, f"enumerations without a description: {enums}"
    return [
        (name, field, prop)
        for name, d in models
        for field, prop in d.get("properties", {}).items()  # enumerations have none
    ]


def test_committed_schema_is_current() -> None:
    committed = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text("leaflet"), (
        f"{SCHEMA_FILE} is out of date: run `.venv/bin/leaflets schema > {SCHEMA_FILE}`"
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_schema_is_a_valid_2020_12_schema(kind: str) -> None:
    _jsonschema().Draft202012Validator.check_schema(json_schema(kind))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_has_a_description_and_examples(kind: str) -> None:
    missing = [
        f"{name}.{field}: {what}"
        for name, field, prop in _properties(kind)
        for what in ("description", "examples")
        if not prop.get(what)
    ]
    assert not missing, "add them in model.py (descriptions) or schema.EXAMPLES: " + str(missing)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_example_is_valid_for_its_field(kind: str) -> None:
    jsonschema = _jsonschema()
    schema = json_schema(kind)
    for name, field, prop in _properties(kind):
        checker = jsonschema.Draft202012Validator(
            {"$defs": schema.get("$defs", {}), **prop},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        for example in prop["examples"]:
            problems = [e.message for e in checker.iter_errors(example)]
            assert not problems, f"{name}.{field} example {example!r}: {problems}"


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("leaflet", REPO / "content/leaflets/ketamine-esketamine-depression.yaml"),
        ("project", REPO / "leaflets.yaml"),
        ("blocks", REPO / "content/blocks/treatment-day.yaml"),
        ("sources", REPO / "content/sources.yaml"),
        ("leaflet", STARTER / "content/leaflets/example-medicine.yaml"),
        ("project", STARTER / "leaflets.yaml"),
        ("blocks", STARTER / "content/blocks/general.yaml"),
        ("sources", STARTER / "content/sources.yaml"),
        ("clinic", STARTER / "clinics/example-clinic/clinic.yaml"),
    ],
    ids=lambda value: value if isinstance(value, str) else value.relative_to(REPO).as_posix(),
)
def test_real_content_validates(kind: str, path: Path) -> None:
    assert _errors(kind, read_yaml(path).data) == []


def test_the_new_leaflet_stub_validates(tmp_path: Path) -> None:
    path = tmp_path / "stub.yaml"
    path.write_text(stub_text("stub", ["easy", "plain", "detailed"]), encoding="utf-8")
    assert _errors("leaflet", read_yaml(path).data) == []


def test_an_unknown_key_and_a_bad_value_are_underlined() -> None:
    data = _json(read_yaml(REPO / "content/leaflets/ketamine-esketamine-depression.yaml").data)
    data["evidance_checked"] = data.pop("evidence_checked")
    data["sections"][0]["kind"] = "benfits"
    data["version"] = 1.0  # unquoted: a number, not text
    problems = " | ".join(_errors("leaflet", data))
    assert "'evidance_checked' was unexpected" in problems
    assert "'evidence_checked' is a required property" in problems
    assert "'benfits' is not one of" in problems
    assert "1.0 is not of type 'string'" in problems


def test_hover_help_comes_from_the_model() -> None:
    schema = json_schema("leaflet")
    block = schema["$defs"]["Block"]["properties"]
    assert block["kind"]["description"].startswith("text: paragraphs")
    assert schema["properties"]["id"]["examples"] == ["ketamine-esketamine-depression"]
    assert schema["title"] == "leaflets: a leaflet file (content/leaflets/ID.yaml)"


@pytest.mark.parametrize("kind", [None, *KINDS])
def test_cli_prints_the_schema(kind: str | None) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["schema"] + ([kind] if kind else []), out, err) == 0
    assert out.getvalue() == schema_text(kind or "leaflet")
    assert err.getvalue() == ""


def test_cli_refuses_an_unknown_kind() -> None:
    err = io.StringIO()
    assert main(["schema", "leaflets"], io.StringIO(), err) == 2
