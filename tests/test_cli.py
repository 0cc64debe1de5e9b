"""The command line, run in-process: exit codes, located messages, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from leaflets.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_valid_project(minimal: Path) -> None:
    code, out, err = run("check", str(minimal))
    assert code == 0, err
    assert "1 leaflet(s) valid, 0 with errors; 0 error(s)" in out


def test_build_writes_pdfs_and_manifest(minimal: Path) -> None:
    code, out, _ = run("build", str(minimal), "--quiet")
    assert code == 0
    assert "2 built, 0 unchanged, 0 failed, 0 removed" in out
    manifest = json.loads((minimal / "output" / "manifest.json").read_text())
    assert len(manifest["files"]) == 2


def test_build_one_file_one_level(minimal: Path, tmp_path: Path) -> None:
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    code, _, _ = run("build", str(leaflet), "--level", "easy", "--out", str(tmp_path / "o"))
    assert code == 0
    assert (tmp_path / "o" / "mini" / "mini.easy.a4.pdf").is_file()
    assert not (tmp_path / "o" / "mini" / "mini.plain.a4.pdf").exists()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    kind: benefits",
            "    kind: benfits",
            "content/leaflets/mini.yaml:12:11: sections[0].kind: 'benfits' is not one of",
        ),
        (
            "next_review: 2027-01-01",
            "next_review: 2027-01-01\nsumary: {all: x}",
            "content/leaflets/mini.yaml:10:1: unknown key 'sumary'\n"
            "    hint: did you mean 'summary'?",
        ),
        (
            "next_review: 2027-01-01",
            "next_review: 2027-01-01\nversion: '2.0'",
            "content/leaflets/mini.yaml:10:1: duplicate key 'version' (first defined at line 2)",
        ),
        (
            'version: "1.0"',
            'version: !!python/object/apply:os.system ["echo hacked"]',
            "content/leaflets/mini.yaml:2:10: YAML tag '!!python/object/apply:os.system' "
            "is not allowed",
        ),
    ],
)
def test_content_errors_exit_1_with_location(
    minimal: Path, old: str, new: str, expected: str
) -> None:
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    text = leaflet.read_text()
    assert old in text
    leaflet.write_text(text.replace(old, new, 1))
    for command in ("check", "build"):
        code, _, err = run(command, str(minimal))
        assert code == 1
        assert expected in err
        assert "Traceback" not in err
    assert not list((minimal / "output").rglob("*.pdf"))


def test_usage_errors_exit_2(minimal: Path, tmp_path: Path) -> None:
    assert run("build", str(minimal / "nope.yaml"))[0] == 2
    code, _, err = run("build", str(minimal), "--level", "medium")
    assert code == 2
    assert "unknown level 'medium'" in err
    assert run("frobnicate")[0] == 2
    code, _, err = run("check", str(tmp_path))
    assert code == 1
    assert "no leaflets.yaml found" in err


def test_internal_error_is_reported_without_traceback(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("leaflets.cli.load_project", explode)
    code, _, err = run("check", str(minimal))
    assert code == 3
    assert "internal error, please report" in err
    assert "Traceback" not in err
    code, _, err = run("--debug", "check", str(minimal))
    assert "Traceback" in err


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("build", "check"):
        assert main([command, "--help"]) == 0
        assert f"usage: leaflets {command}" in capsys.readouterr().out


def test_every_command_is_documented_in_the_readme() -> None:
    """Every subcommand has help text and appears in the README (sqlite-utils' habit)."""
    import argparse

    from leaflets.cli import _parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    [commands] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    for name in commands.choices:
        helps = {action.dest: action.help for action in commands._choices_actions}
        assert (helps.get(name) or "").strip(), f"{name} has no help text"
        assert f"leaflets {name}" in readme, name
