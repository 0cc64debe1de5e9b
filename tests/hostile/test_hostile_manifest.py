"""The manifest is input, and a build owns only its own files (issue 12, findings 3 and 4;
docs/security.md §6).

Each case starts from a good build of the minimal project, edits the output folder as
someone with write access to it could, and runs the next build or `check --a11y`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_kit import LOCATED, Project, run

PDF = "mini/mini.easy.a4.pdf"


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("good") / "p")
    result = project.build("--jobs", "1")
    assert result.code == 0, result.err
    return project.output


@pytest.fixture
def project(tmp_path: Path, good_output: Path) -> Project:
    """A project whose output folder holds a good build."""
    project = Project(tmp_path / "p")
    shutil.copytree(good_output, project.output)
    return project


def manifest(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project.output / "manifest.json").read_text())
    return data


def add_entry(project: Project, **changes: Any) -> dict[str, Any]:
    """Append a copy of the first entry with `changes` to the manifest."""
    data = manifest(project)
    entry = {**data["files"][0], **changes}
    data["files"].append(entry)
    (project.output / "manifest.json").write_text(json.dumps(data))
    return entry


def listed(project: Project) -> list[str]:
    return [entry["path"] for entry in manifest(project)["files"]]


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """Every path this process opens while the test runs (through an audit hook)."""
    seen: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if active[0] and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            seen.append(os.fsdecode(args[0]))

    sys.addaudithook(hook)  # cannot be removed: switched off below
    yield seen
    active[0] = False


def test_an_entry_naming_dev_zero_is_dropped_not_read(project: Project) -> None:
    """Finding 3: `{"path": "/dev/zero", "bytes": 0}` made the next build read /dev/zero."""
    add_entry(project, path="/dev/zero", bytes=0)
    result = project.build()
    assert result.code == 0, result.err
    assert any(
        LOCATED.match(line) and "manifest entry 3 dropped (path '/dev/zero'" in line
        for line in result.lines
    ), result.err
    assert "/dev/zero" not in listed(project)


def test_a_listed_named_pipe_does_not_hang_the_build(project: Project) -> None:
    """Finding 3: a FIFO listed with `bytes: 0` hung the build (run in a subprocess with
    a time limit, so a regression fails instead of hanging the suite)."""
    target = project.output / PDF
    target.unlink()
    os.mkfifo(target)
    data = manifest(project)
    for entry in data["files"]:
        if entry["path"] == PDF:
            entry.update(bytes=0, sha256=hashlib.sha256(b"").hexdigest())
    (project.output / "manifest.json").write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, "-m", "leaflets", "build", str(project.root), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.is_file()
    assert target.read_bytes().startswith(b"%PDF")


def test_a_listed_link_to_dev_zero_is_not_followed(project: Project) -> None:
    target = project.output / PDF
    target.unlink()
    target.symlink_to("/dev/zero")
    result = project.build()
    assert result.code == 0, result.err
    assert not target.is_symlink()
    assert target.read_bytes().startswith(b"%PDF")


def test_a_path_outside_the_output_with_a_matching_hash(
    project: Project, opened: list[str]
) -> None:
    """Finding 3: `../../../../etc/passwd` with a matching hash made every build exit 2 and
    `check --a11y` read /etc/passwd. Here a secret file next to the project plays it."""
    secret = project.root.parent / "secret.txt"
    secret.write_bytes(b"root:x:0:0:secret\n")
    relative = os.path.relpath(secret, project.output)
    add_entry(
        project,
        path=relative,
        bytes=secret.stat().st_size,
        sha256=hashlib.sha256(secret.read_bytes()).hexdigest(),
        format="html",
    )
    first, second = project.build(), project.build()
    assert (first.code, second.code) == (0, 0), first.err + second.err
    assert f"dropped (path {relative!r} is not one the build makes)" in first.err
    assert secret.exists()
    add_entry(project, path=relative, bytes=secret.stat().st_size, format="html")
    opened.clear()
    check = run("check", str(project.root), "--a11y")
    assert check.code in (0, 1), check.err
    assert "internal error" not in check.err
    assert str(secret) not in opened
    assert all(Path(path).resolve() != secret.resolve() for path in opened)


def test_check_a11y_on_a_deleted_file_is_a_located_problem(project: Project) -> None:
    """Finding 3: an entry for a deleted file made `check --a11y` exit 3."""
    (project.output / PDF).unlink()
    result = run("check", str(project.root), "--a11y")
    assert result.code == 1, result.err
    assert "internal error" not in result.err
    assert f"{project.output / PDF}: not checked: the file is missing or changed" in result.err


def test_check_a11y_does_not_read_a_file_changed_after_the_build(
    project: Project, opened: list[str]
) -> None:
    (project.output / PDF).write_bytes(b"%PDF-1.7 replaced by someone")
    result = run("check", str(project.root), "--a11y")
    assert result.code == 1
    assert "not checked: the file is missing or changed" in result.err


@pytest.mark.parametrize(
    "content",
    [b"\x00\xff not json", b"[]", b'{"format": 2, "files": "x"}', b"{" * 100_000],
    ids=["binary", "list", "files-not-a-list", "deep"],
)
def test_a_broken_manifest_is_ignored_with_a_warning(project: Project, content: bytes) -> None:
    """Its files are then nobody's: replaced only under --force, which lists them."""
    (project.output / "manifest.json").write_bytes(content)
    result = project.build()
    assert result.code == 1, result.err
    assert "manifest.json: warning: manifest ignored" in result.err
    assert f"FAILED {PDF}" in result.lines
    forced = project.build("--force")
    assert forced.code == 0, forced.err
    assert "warning: replaced a file this builder did not write (--force)" in forced.err
    assert len(listed(project)) == 2


def test_a_manifest_that_is_a_link_is_not_followed(project: Project, tmp_path: Path) -> None:
    victim = tmp_path / "victim.json"
    victim.write_text(json.dumps(manifest(project)))
    before = victim.read_bytes()
    (project.output / "manifest.json").unlink()
    (project.output / "manifest.json").symlink_to(victim)
    result = project.build("--force")
    assert result.code == 0, result.err
    assert "manifest ignored: it is a symbolic link" in result.err
    assert victim.read_bytes() == before
    assert not (project.output / "manifest.json").is_symlink()


def test_a_huge_manifest_is_not_read(project: Project) -> None:
    with (project.output / "manifest.json").open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    result = project.build("--force")
    assert result.code == 0, result.err
    assert "manifest ignored: its size is not the expected one" in result.err


def test_a_changed_file_is_not_pruned(project: Project) -> None:
    """A full build removes files the content no longer makes, but only if they are still
    exactly what the build wrote."""
    stale = project.output / "mini/mini.old.a4.pdf"
    stale.write_bytes(b"%PDF-1.7 edited by hand")
    add_entry(project, path="mini/mini.old.a4.pdf", level="old")
    result = project.build()
    assert result.code == 0, result.err
    assert stale.exists()
    assert f"{stale}: warning: left in place: it changed since the build wrote it" in result.err
    assert "mini/mini.old.a4.pdf" not in listed(project)


# --- own files only (finding 4) -----------------------------------------------------------


def test_build_out_keeps_other_programs_temporary_files(tmp_path: Path) -> None:
    """Finding 4: `build --out DIR` deleted DIR/someapp/cache/.draft-autosave.tmp."""
    project = Project(tmp_path / "p")
    out = tmp_path / "shared"
    draft = out / "someapp" / "cache" / ".draft-autosave.tmp"
    draft.parent.mkdir(parents=True)
    draft.write_text("unsaved work")
    others = [
        out / "mini" / ".mini.easy.a4.pdf.1234.tmp",  # the old naming, not unique to us
        out / ".notes.tmp",
    ]
    others[0].parent.mkdir(parents=True)
    for other in others:
        other.write_text("not ours")
    result = run("build", str(project.root), "--out", str(out), "--quiet")
    assert result.code == 0, result.err
    assert draft.read_text() == "unsaved work"
    assert all(other.read_text() == "not ours" for other in others)


def test_a_file_the_build_did_not_write_is_not_replaced_without_force(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    mine = project.write(f"output/{PDF}", b"my own file, not a leaflet")
    result = project.build()
    assert result.code == 1
    assert f"FAILED {PDF}" in result.lines
    assert f"{mine}: a file this builder did not write is in the way" in result.err
    assert mine.read_bytes() == b"my own file, not a leaflet"
    assert listed(project) == ["mini/mini.plain.a4.pdf"]  # the other variant was built

    forced = project.build("--force")
    assert forced.code == 0, forced.err
    assert f"{mine}: warning: replaced a file this builder did not write (--force)" in forced.err
    assert mine.read_bytes().startswith(b"%PDF")


def test_a_planted_lock_link_is_not_followed(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    project.output.mkdir()
    (project.output / ".leaflets.lock").symlink_to(victim)
    result = project.build()
    assert result.code == 2, result.err
    assert victim.read_text() == "precious"
    assert any(LOCATED.match(line) and ".leaflets.lock" in line for line in result.lines)


def test_parse_entry_refuses_each_wrong_field() -> None:
    from leaflets.build.manifest import parse_entry

    good = {
        "leaflet": "mini",
        "level": "easy",
        "paper": "a4",
        "language": "en-GB",
        "path": PDF,
        "pages": 2,
        "sha256": "0" * 64,
        "bytes": 10,
    }
    assert parse_entry(good)[0] is not None
    bad = [
        {"path": "/etc/passwd"},
        {"path": "../x/y.pdf"},
        {"path": "mini/.hidden.pdf"},
        {"path": "mini/x.exe"},
        {"path": "a/b/c/d.pdf"},
        {"path": "mini\\x.pdf"},
        {"bytes": -1},
        {"bytes": True},
        {"bytes": 10**12},
        {"pages": "2"},
        {"sha256": "xyz"},
        {"large_print": "yes"},
        {"clinic": 3},
        {"extra": 1},
    ]
    for change in bad:
        entry, reason = parse_entry({**good, **change})
        assert entry is None, change
        assert reason, change
    assert parse_entry("x")[0] is None
    assert parse_entry({k: v for k, v in good.items() if k != "sha256"})[0] is None


def test_an_older_manifest_still_owns_its_files(project: Project) -> None:
    """A manifest of an older format is not trusted for skipping, but its files are the
    builder's: they are rebuilt and replaced without --force."""
    from leaflets.build.manifest import load_manifest

    data = manifest(project)
    data["format"] = 1
    (project.output / "manifest.json").write_text(json.dumps(data))
    assert load_manifest(project.output).entries == {}
    result = project.build()
    assert result.code == 0, result.err
    assert len(listed(project)) == 2
