"""Issue 6: incremental, locked, interrupt-safe batch builds with machine-readable progress."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.build.manifest import read_manifest
from leaflets.cli.main import main
from leaflets.output import build_lock

REPO = Path(__file__).resolve().parents[1]
LEAFLETS = Path(sys.executable).with_name("leaflets")


def two_leaflets(root: Path) -> None:
    """A second leaflet that does not use the shared block."""
    first = root / "content" / "leaflets" / "mini.yaml"
    second = root / "content" / "leaflets" / "other.yaml"
    text = (
        first.read_text()
        .replace("id: mini", "id: other")
        .replace(
            "      - use: ask-questions\n",
            "      - id: own-question\n        text: {all: Who can I call?}\n",
        )
    )
    second.write_text(text)


def test_unchanged_files_are_skipped_and_one_shared_edit_rebuilds_its_users(minimal: Path) -> None:
    two_leaflets(minimal)
    out = minimal / "output"
    first = build_catalog(load_project(minimal), out)
    assert len(first.built) == 4
    again = build_catalog(load_project(minimal), out)
    assert (len(again.built), len(again.skipped)) == (0, 4)
    shared = minimal / "content" / "blocks" / "common.yaml"
    shared.write_text(shared.read_text().replace("Who can I call?", "Who do I call?"))
    edited = build_catalog(load_project(minimal), out)
    assert sorted(e.path for e in edited.built) == [
        "mini/mini.easy.a4.pdf",
        "mini/mini.plain.a4.pdf",
    ]
    forced = build_catalog(load_project(minimal), out, BuildOptions(force=True))
    assert len(forced.built) == 4


def test_removed_content_removes_its_files(minimal: Path) -> None:
    two_leaflets(minimal)
    out = minimal / "output"
    build_catalog(load_project(minimal), out)
    (minimal / "content" / "leaflets" / "other.yaml").unlink()
    report = build_catalog(load_project(minimal), out)
    assert sorted(report.removed) == ["other/other.easy.a4.pdf", "other/other.plain.a4.pdf"]
    assert not (out / "other").exists()
    assert sorted(read_manifest(out)) == ["mini/mini.easy.a4.pdf", "mini/mini.plain.a4.pdf"]


def test_a_noop_rebuild_does_not_load_the_rendering_engine(minimal: Path) -> None:
    build_catalog(load_project(minimal), minimal / "output")
    project, output = str(minimal), str(minimal / "output")
    code = (
        "import sys; from pathlib import Path; from leaflets import build_catalog, load_project;"
        f"r = build_catalog(load_project(Path({project!r})), Path({output!r}));"
        "assert len(r.skipped) == 2 and not r.built, r;"
        "print('weasyprint' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_second_build_on_the_same_output_is_refused(minimal: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with build_lock(minimal / "output"):
        code = main(["build", str(minimal), "--quiet"], stdout=out, stderr=err)
    assert code == 2
    assert "another build is writing to this output folder (pid " in err.getvalue()
    assert main(["build", str(minimal), "--quiet"], stdout=out, stderr=err) == 0


def test_json_progress_lines(minimal: Path) -> None:
    out = io.StringIO()
    code = main(["build", str(minimal), "--json", "-j", "1"], stdout=out, stderr=io.StringIO())
    assert code == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["event"] for line in lines] == ["built", "built", "summary"]
    assert lines[-1]["ok"] is True
    assert lines[-1]["built"] == 2
    assert len(lines[0]["sha256"]) == 64


def test_kill_9_mid_batch_leaves_complete_files_and_a_true_manifest(tmp_path: Path) -> None:
    root = tmp_path / "library"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root)
    for n in range(6):
        source = (root / "content" / "leaflets" / "mini.yaml").read_text()
        (root / "content" / "leaflets" / f"copy-{n}.yaml").write_text(
            source.replace("id: mini", f"id: copy-{n}")
        )
    out = root / "output"
    process = subprocess.Popen(
        [str(LEAFLETS), "build", str(root), "--json", "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # wait until some files have landed, then kill everything
        if json.loads(line).get("event") == "built" and len(read_manifest(out)) >= 2:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    time.sleep(0.2)
    entries = read_manifest(out)
    assert entries, "the manifest lists what had landed"
    for entry in entries.values():
        assert entry.intact(out), entry.path  # every listed file is complete and matches
    listed = set(entries)
    for pdf in out.rglob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert data.rstrip().endswith(b"%%EOF")
    # The next build removes stray temporary files and completes the rest.
    report = build_catalog(load_project(root), out)
    assert report.ok
    assert not list(out.rglob("*.tmp"))
    assert set(read_manifest(out)) >= listed
    assert len(read_manifest(out)) == 14


def test_progress_bar_counts_built_unchanged_and_failed(minimal: Path) -> None:
    from leaflets.build.progress import BuildProgress

    build_catalog(load_project(minimal), minimal / "output", BuildOptions(levels=("easy",)))
    screen = io.StringIO()
    with BuildProgress(screen, mode="bar", total=2) as progress:
        report = build_catalog(load_project(minimal), minimal / "output", progress=progress)
    assert (len(report.built), len(report.skipped)) == (1, 1)
    assert "2/2" in screen.getvalue()
    assert "1 built, 1 unchanged, 0 failed" in screen.getvalue()
