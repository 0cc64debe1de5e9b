"""Every operating-system failure is a located message, exit 1 or 2, never 3 (issue 12,
finding 6; docs/security.md §5).

The read-only and full-disk cases use real file systems (a small tmpfs, mounted read-only
or full) where this process may mount one, and are skipped elsewhere; the same failures
are also simulated by making `os.write`/`os.open` fail, which runs everywhere.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_kit import LOCATED, Project, Run, run

PDF = "mini/mini.easy.a4.pdf"


def assert_located_os_failure(
    result: Run, path: Path | str, reason: str, codes: tuple[int, ...] = (2,)
) -> None:
    assert result.code in codes, (result.code, result.err)
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    expected = f"{path}: cannot "
    lines = [line for line in result.lines if LOCATED.match(line)]
    assert any(line.startswith(expected) and reason in line for line in lines), result.err


def no_temporaries(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount a tmpfs with the given options (skips where mounting is not allowed)."""
    mounted: list[Path] = []

    def make(options: str) -> Path:
        if shutil.which("mount") is None or os.geteuid() != 0:
            pytest.skip("needs root and mount(8) for a real tmpfs")
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode()[:100]}")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_read_only_output_folder(tmp_path: Path, mount: Callable[[str], Path]) -> None:
    project = Project(tmp_path / "p")
    point = mount("ro,size=64k")
    result = run("build", str(project.root), "--out", str(point / "out"), "--quiet")
    assert_located_os_failure(result, point / "out", "Read-only file system")
    assert "read-only file system: build somewhere else with --out" in result.err


def test_read_only_existing_output_folder(tmp_path: Path, mount: Callable[[str], Path]) -> None:
    """The output folder exists (an earlier build) and was remounted read-only."""
    project = Project(tmp_path / "p")
    point = mount("size=4m")
    assert run("build", str(project.root), "--out", str(point), "--quiet").code == 0
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    result = run("build", str(project.root), "--out", str(point), "--quiet", "--force")
    assert_located_os_failure(result, point / ".leaflets.lock", "Read-only file system")


def test_full_disk_real(tmp_path: Path, mount: Callable[[str], Path]) -> None:
    """48 KiB: room for the lock and a manifest, not for every PDF."""
    project = Project(tmp_path / "p")
    point = mount("size=48k")
    result = run("build", str(project.root), "--out", str(point / "out"), "--quiet")
    assert result.code in (1, 2), result.err
    assert "No space left on device" in result.err
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    assert all(
        LOCATED.match(line) or line.startswith(("    hint:", "FAILED")) for line in result.lines
    )
    assert no_temporaries(point)
    # Once there is room again, the next build recovers and owns what the first one wrote.
    subprocess.run(["mount", "-o", "remount,size=4m", str(point)], check=True)
    again = run("build", str(project.root), "--out", str(point / "out"), "--quiet")
    assert again.code == 0, again.err
    assert "did not write" not in again.err


def test_disk_full_while_writing_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write = os.write

    def disk_full(fd: int, data: bytes) -> int:
        if ".manifest.json.leaflets-" in str(Path(f"/proc/self/fd/{fd}").readlink()):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    project = Project(tmp_path / "p")
    result = project.build()
    assert_located_os_failure(result, project.output / "manifest.json", "No space left")
    assert "hint: free some space on that disk" in result.err
    assert no_temporaries(project.output)


def test_disk_full_while_writing_a_leaflet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write = os.write

    def disk_full(fd: int, data: bytes) -> int:
        if ".pdf.leaflets-" in str(Path(f"/proc/self/fd/{fd}").readlink()):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    project = Project(tmp_path / "p")
    result = project.build("--jobs", "1")
    assert_located_os_failure(result, project.output / PDF, "No space left", codes=(1,))
    assert no_temporaries(project.output)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, permissions do not stop writes: make the lock's open fail as they would."""
    real_open = os.open
    project = Project(tmp_path / "p")

    def denied(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".leaflets.lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    result = project.build()
    assert_located_os_failure(result, project.output / ".leaflets.lock", "Permission denied")


def test_name_too_long(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    out = tmp_path / ("x" * 300) / "out"
    result = run("build", str(project.root), "--out", str(out), "--quiet")
    assert_located_os_failure(result, out, "File name too long")
    assert "use a shorter --out folder" in result.err


def test_output_folder_is_a_file(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    out = tmp_path / "out"
    out.write_text("a file")
    result = run("build", str(project.root), "--out", str(out), "--quiet")
    assert_located_os_failure(result, out, "exists")
    assert out.read_text() == "a file"


def test_a_folder_where_a_leaflet_goes(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    (project.output / PDF).mkdir(parents=True)
    result = project.build("--force")
    assert result.code == 1, result.err
    assert "internal error" not in result.err
    assert "FAILED mini [easy, a4]" in result.lines
    assert f"{PDF}: cannot write the output file: Is a directory" in result.err
