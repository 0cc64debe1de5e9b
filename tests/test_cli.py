"""The command line, run in-process: exit codes, located messages, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from leaflets.cli.main import main


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

    monkeypatch.setattr("leaflets.cli.content.load_project", explode)
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

    from leaflets.cli.main import _parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    [commands] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    for name in commands.choices:
        helps = {action.dest: action.help for action in commands._choices_actions}
        assert (helps.get(name) or "").strip(), f"{name} has no help text"
        assert f"leaflets {name}" in readme, name


# --- one CLI pattern (issue 13) -----------------------------------------------------------


def _subcommands(parser: object) -> dict[str, object]:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(found[0].choices) if found else {}


def _leaves(parser: object, name: str = "") -> list[tuple[str, object]]:
    subs = _subcommands(parser)
    if not subs:
        return [(name.strip(), parser)]
    return [leaf for sub, p in subs.items() for leaf in _leaves(p, f"{name} {sub}")]


def test_every_command_has_a_handler_and_shared_options_mean_the_same() -> None:
    """Each command sets `handler` with set_defaults; a shared option is the same option
    (name, type, folder not file, repeatable) in every command that takes it."""
    import argparse

    from leaflets.cli.main import _parser

    leaves = _leaves(_parser())
    assert len(leaves) >= 13
    seen: dict[str, set[tuple[object, ...]]] = {}
    for name, parser in leaves:
        assert isinstance(parser, argparse.ArgumentParser)
        assert callable(parser.get_default("handler")), name
        for action in parser._actions:
            for flag in ("--project", "--out", "--level", "--lang", "--quiet", "--json"):
                if flag in action.option_strings:
                    shape = (type(action).__name__, action.type, action.metavar)
                    seen.setdefault(flag, set()).add(shape)
    assert seen["--out"] == {("_StoreAction", Path, "DIR")}
    assert seen["--project"] == {("_StoreAction", Path, "DIR")}
    assert seen["--level"] == {("_AppendAction", None, "LEVEL")}
    assert len(seen["--json"]) == len(seen["--quiet"]) == 1
    commands = {name for name, _ in leaves}
    takes_project = {
        name
        for name, parser in leaves
        if isinstance(parser, argparse.ArgumentParser)
        and any("--project" in a.option_strings for a in parser._actions)
    }
    # Every command that reads a project takes --project (init makes one; schema reads none).
    assert commands - takes_project == {"init", "schema"}


def test_project_option_and_paths_agree(minimal: Path, tmp_path: Path) -> None:
    code, out, err = run("check", "--project", str(minimal))
    assert code == 0, err
    assert "1 leaflet(s) valid" in out
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    assert run("check", str(leaflet), "--project", str(minimal))[0] == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "leaflets.yaml").write_text("{}\n", encoding="utf-8")
    code, _, err = run("check", str(leaflet), "--project", str(other))
    assert code == 2
    assert "different projects" in err
    code, _, err = run("check", "--project", str(tmp_path / "missing"))
    assert code == 2
    assert "no such file or folder" in err


def test_out_is_a_folder_everywhere(minimal: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x", encoding="utf-8")
    for argv in (
        ("build", str(minimal), "--quiet"),
        ("report", "readability", str(minimal)),
        ("review", "log", "--project", str(minimal)),
        ("check", str(minimal), "--a11y"),
    ):
        code, _, err = run(*argv, "--out", str(a_file))
        assert code == 2, argv
        assert "--out names a folder" in err, argv
    code, _, err = run("report", "readability", str(minimal), "--json", "--out", str(tmp_path))
    assert code == 0, err
    assert json.loads((tmp_path / "readability.json").read_text())["grades"]
    code, _, err = run("review", "log", "--project", str(minimal), "--json", "--out", str(tmp_path))
    assert code == 0, err
    assert "approvals" in json.loads((tmp_path / "review-log.json").read_text())
