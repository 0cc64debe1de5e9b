"""Issue 18 (and issue 12, finding 5): executors, time limits and clean shutdown.

The build hands pure jobs to an executor (in this process, a local pool of warm workers,
or Dask); these tests stop builds by every means and check that no process is left, no
temporary file survives the next build, and the manifest lists every intact file.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.build.executors import InProcess, LocalPool, Lost
from leaflets.build.manifest import read_manifest
from leaflets.cli.main import main

REPO = Path(__file__).resolve().parents[1]
LEAFLETS = Path(sys.executable).with_name("leaflets")
MINIMAL = REPO / "tests" / "fixtures" / "minimal"


def library(root: Path, copies: int) -> Path:
    """The minimal project plus `copies` renamed copies of its leaflet (2 files each)."""
    shutil.copytree(MINIMAL, root)
    source = (root / "content" / "leaflets" / "mini.yaml").read_text()
    for n in range(copies):
        (root / "content" / "leaflets" / f"copy-{n}.yaml").write_text(
            source.replace("id: mini", f"id: copy-{n}")
        )
    return root


def add_slow_leaflet(root: Path, blocks: int = 1000) -> None:
    """A leaflet that is genuinely slow to render (150 pages, ~7 s per level on a quiet
    machine), under the 100,000-character limit on a file's text."""
    source = (root / "content" / "leaflets" / "mini.yaml").read_text()
    more = "".join(
        f"      - id: more-{n}\n        text:\n          all: We do not know the long-term "
        f"effects of the test medicine on people, part {n}.\n"
        for n in range(blocks)
    )
    unknown = "          all: We do not know the long-term effects.\n"
    assert unknown in source
    (root / "content" / "leaflets" / "slow.yaml").write_text(
        source.replace("id: mini", "id: slow").replace(unknown, unknown + more)
    )


def process_group(pgid: int) -> list[str]:
    """Live (not zombie) processes in a process group, from /proc (no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        state, _parent, group = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            found.append(f"{entry.name} {state} {command[:120]}")
    return found


# --- the executors on their own -----------------------------------------------------------


def _square(n: int) -> int:
    return n * n


def _add(n: int, shared: int) -> int:
    return n + shared


def _sleep_or_die(n: int) -> int:
    if n == 1:
        time.sleep(60)
    if n == 2:
        os._exit(1)  # a worker that dies under its job, every time
    return n


def test_executors_return_every_result_with_its_index() -> None:
    with InProcess() as serial:
        assert sorted(serial.map_unordered(_square, [1, 2, 3])) == [(0, 1), (1, 4), (2, 9)]
    with LocalPool(2) as pool:
        assert sorted(pool.map_unordered(_add, list(range(6)), 10)) == [
            (i, i + 10) for i in range(6)
        ]


def test_local_pool_stops_a_job_past_its_time_limit_and_reports_a_dying_one() -> None:
    started = time.monotonic()
    with LocalPool(2, timeout=1.5) as pool:
        results = dict(pool.map_unordered(_sleep_or_die, [0, 1, 2, 3, 4]))
        workers = [w.process for w in pool.workers]
    assert time.monotonic() - started < 30
    assert results[0] == 0
    assert results[3] == 3
    assert results[4] == 4
    assert isinstance(results[1], Lost)
    assert results[1].reason == "timeout"
    assert "longer than 1.5 s" in results[1].message
    assert isinstance(results[2], Lost)
    assert results[2].reason == "crashed"
    assert all(not process.is_alive() for process in workers)  # close() ended them all


# --- clean shutdown (issue 12, finding 5) -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "whole_group", "code"),
    [("SIGTERM", False, 143), ("SIGINT", True, 130), ("SIGKILL", False, -9)],
)
def test_a_stopped_build_leaves_no_process_no_temporary_and_lists_every_intact_file(
    tmp_path: Path, name: str, whole_group: bool, code: int
) -> None:
    root = library(tmp_path / "library", 7)
    out = root / "output"
    assert build_catalog(load_project(root), out).ok  # old files, all 16 listed
    before = read_manifest(out)
    assert len(before) == 16
    process = subprocess.Popen(
        [str(LEAFLETS), "build", str(root), "--json", "-j", "2", "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own process group: pgid == pid
    )
    assert process.stdout is not None
    assert process.stderr is not None
    for line in process.stdout:  # some files have landed; the pool is busy with others
        if json.loads(line).get("event") == "built":
            break
    assert len(process_group(process.pid)) >= 4, "main, fork server, tracker and workers"
    signum = getattr(signal, name)
    if whole_group:  # Ctrl-C in a terminal reaches every process of the group
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    assert process.wait(timeout=30) == code
    stderr = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    deadline = time.monotonic() + 5
    while process_group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process_group(process.pid) == []
    if code > 0:
        assert len(stderr.strip().splitlines()) == 1, stderr
        assert stderr.startswith(f"leaflets: stopped by {name}: ")
        assert not list(out.rglob("*.tmp"))
    # Every file in the folder is intact and listed, old and new alike.
    entries = read_manifest(out)
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*.pdf")}
    assert set(entries) == on_disk == set(before)
    intact = {path for path, entry in entries.items() if entry.intact(out)}
    if code > 0:
        assert intact == on_disk
    else:  # kill -9 may land between a rename and the manifest: never a wrong "intact"
        assert len(intact) >= len(on_disk) - 2
    # The next build recovers: nothing stray, everything intact and listed.
    report = build_catalog(load_project(root), out)
    assert report.ok
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    final = read_manifest(out)
    assert set(final) == set(before)
    assert all(entry.intact(out) for entry in final.values())


def test_preview_removes_its_temporary_folder_on_sigterm(tmp_path: Path) -> None:
    root = library(tmp_path / "library", 0)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [str(LEAFLETS), "preview", "mini", "--port", "0", "--project", str(root)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("previewing ")
    assert list(tmp_path.glob("leaflets-preview-*")), "the preview made its folder"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 143
    process.stdout.close()
    assert process.stderr is not None
    assert process.stderr.read().strip() == "leaflets: stopped by SIGTERM"
    process.stderr.close()
    assert not list(tmp_path.glob("leaflets-preview-*"))


# --- time limits --------------------------------------------------------------------------


# In one process the timer interrupts the render; if it lands in a gc callback, Python
# reports it as unraisable and the timer fires again (executors._time_up).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_render_past_the_timeout_is_stopped_and_the_rest_build(tmp_path: Path, jobs: int) -> None:
    root = library(tmp_path / "library", 1)
    add_slow_leaflet(root)
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    levels = ["--level", "easy"] if jobs == 1 else []
    code = main(
        ["build", str(root), "--quiet", "--timeout", "3", "-j", str(jobs), *levels],
        stdout=out,
        stderr=err,
    )
    assert code == 1
    assert time.monotonic() - started < 60
    failed = [line for line in err.getvalue().splitlines() if line.startswith("FAILED ")]
    assert failed
    assert all(line.startswith("FAILED slow [") for line in failed)
    assert (
        "content/leaflets/slow.yaml: rendering took longer than 3 s and was stopped"
        in err.getvalue()
    )
    assert "--timeout" in err.getvalue()  # the hint says how to give it more time
    entries = read_manifest(root / "output")
    assert {e.leaflet for e in entries.values()} == {"mini", "copy-0"}
    assert len(entries) == (2 if jobs == 1 else 4)
    assert not list((root / "output").rglob("slow*"))


def test_build_options_default_to_a_generous_timeout() -> None:
    assert BuildOptions().timeout == 120


# --- Dask ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A real dask.distributed cluster on this machine: 2 worker processes, 1 thread each."""
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
    ):
        yield local


def built_files(out: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != ".leaflets.lock"
    }


def test_a_dask_build_is_byte_identical_to_a_local_one(cluster: Any, tmp_path: Path) -> None:
    """The sample (one level, A4: regular and large print, unbranded and the clinic's,
    PDF and HTML) on a 2-worker cluster, against the local pool."""
    catalog = load_project(REPO)
    level = next(iter(catalog.project.levels))
    options = BuildOptions(levels=(level,), papers=("a4",), jobs=2)
    local = build_catalog(catalog, tmp_path / "local", options)
    dask = build_catalog(
        catalog,
        tmp_path / "dask",
        dataclasses.replace(options, executor="dask", scheduler=cluster.scheduler_address),
    )
    assert local.ok, local.failed
    assert dask.ok, dask.failed
    assert len(dask.built) == len(local.built) >= 8
    assert {e.clinic for e in dask.built} > {None}
    assert {e.format for e in dask.built} == {"pdf", "html"}
    ours, theirs = built_files(tmp_path / "dask"), built_files(tmp_path / "local")
    assert list(ours) == list(theirs)
    for name in ours:
        assert ours[name] == theirs[name], name  # the manifest too, byte for byte


def test_a_worker_killed_mid_build_does_not_stop_the_build(cluster: Any, tmp_path: Path) -> None:
    from distributed import Client

    root = library(tmp_path / "library", 7)
    client = Client(cluster.scheduler_address)
    pids = client.run(os.getpid)
    killed: list[int] = []

    def progress(event: str, variant: object, detail: object) -> None:
        if event != "built" or killed:
            return
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:  # a worker in the middle of a job
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(pids[busy[0]])

    options = BuildOptions(jobs=2, executor="dask", scheduler=cluster.scheduler_address)
    try:
        report = build_catalog(load_project(root), root / "output", options, progress)
    finally:
        client.close()
    assert killed
    assert report.ok, report.failed
    assert len(report.built) == 16
    assert all(entry.intact(root / "output") for entry in read_manifest(root / "output").values())


def test_a_dask_job_whose_worker_dies_twice_is_reported(cluster: Any) -> None:
    from leaflets.build.dask_executor import DaskExecutor

    with DaskExecutor(cluster.scheduler_address, 2, timeout=None) as executor:
        results = dict(executor.map_unordered(_dies, [0, 1, 2]))
    assert results[0] == 0
    assert results[2] == 2
    assert isinstance(results[1], Lost)
    assert results[1].reason == "crashed"


def _dies(n: int) -> int:
    if n == 1:
        os._exit(1)
    return n


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    root = library(tmp_path / "library", 0)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["build", str(root), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"],
        stdout=out,
        stderr=err,
    )
    assert code == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in err.getvalue()


def test_a_dask_job_past_the_time_limit_is_stopped(cluster: Any) -> None:
    from leaflets.build.dask_executor import DaskExecutor

    with DaskExecutor(cluster.scheduler_address, 2, timeout=2) as executor:
        executor.client.wait_for_workers(2, timeout=60)  # an earlier test killed some
        results = dict(executor.map_unordered(_sleeps, [0, 1, 2, 3]))
    assert [results[n] for n in (0, 2, 3)] == [0, 2, 3]
    assert isinstance(results[1], Lost)
    assert results[1].reason == "timeout"


def _sleeps(n: int) -> int:
    if n == 1:
        time.sleep(120)
    return n


# --- the content cache --------------------------------------------------------------------


def test_the_content_cache_gives_the_same_document_and_ignores_bad_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaflets.content import cache as content_cache
    from leaflets.content.source import read_yaml

    monkeypatch.setenv("LEAFLETS_CACHE", str(tmp_path / "cache"))
    path = MINIMAL / "content" / "leaflets" / "mini.yaml"
    shown = Path("content/leaflets/mini.yaml")
    fresh = read_yaml(path, shown)
    first = content_cache.read_yaml_cached(path, shown)  # parsed, then stored
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 1
    second = content_cache.read_yaml_cached(path, shown)  # from the cache
    for document in (first, second):
        assert document.data == fresh.data
        assert document.positions.values == fresh.positions.values
        assert document.positions.keys == fresh.positions.keys
    assert type(second.data["evidence_checked"]) is type(fresh.data["evidence_checked"])
    # A tampered entry (payload changed, checksum not) is ignored and replaced.
    stored = entries[0].read_bytes()
    assert b"Test medicine" in stored
    entries[0].write_bytes(stored.replace(b"Test medicine", b"Hacked"))
    assert content_cache.read_yaml_cached(path, shown).data == fresh.data
    assert "Hacked" not in entries[0].read_text()
    # A truncated entry (a torn write) is ignored and replaced too.
    entries[0].write_bytes(entries[0].read_bytes()[:-20])
    assert content_cache.read_yaml_cached(path, shown).data == fresh.data
    assert json.loads(entries[0].read_bytes().partition(b"\n")[0])["key"]
    # Changed bytes are a different entry.
    edited = tmp_path / "mini.yaml"
    edited.write_text(path.read_text().replace("Test medicine", "Other medicine"))
    assert content_cache.read_yaml_cached(edited, shown).data["title"]["easy"] == "Other medicine"
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 2


def test_the_content_cache_is_used_by_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaflets.content import source

    monkeypatch.setenv("LEAFLETS_CACHE", str(tmp_path / "cache"))
    root = library(tmp_path / "library", 2)
    before = load_project(root)
    parsed: list[Path] = []
    original = source.parse_yaml

    def counting(raw: bytes, shown: Path) -> source.SourceDocument:
        parsed.append(shown)
        return original(raw, shown)

    monkeypatch.setattr(source, "parse_yaml", counting)
    again = load_project(root)
    assert parsed == []  # nothing unchanged was parsed again
    assert [x.leaflet for x in again.leaflets] == [x.leaflet for x in before.leaflets]
    (root / "content" / "leaflets" / "copy-0.yaml").write_text(
        (root / "content" / "leaflets" / "copy-0.yaml").read_text().replace("Test", "Trial")
    )
    load_project(root)
    assert parsed == [Path("content/leaflets/copy-0.yaml")]


def test_a_dask_worker_serves_only_bundled_files_inside_the_roots() -> None:
    from leaflets.render.fetch import BundleFetcher, RefusedFetch

    files = {"/project/content/images/dot.svg": b"<svg/>", "/etc/passwd": b"root:x:0:0"}
    fetcher = BundleFetcher([Path("/project/content")], files)
    assert fetcher.fetch("file:///project/content/images/dot.svg").read() == b"<svg/>"
    for url in (
        "file:///etc/passwd",  # in the bundle, but outside the roots
        "file:///project/content/../../etc/passwd",
        "file://evil.example/project/content/images/dot.svg",
        "https://example.org/x.svg",
    ):
        with pytest.raises(RefusedFetch):
            fetcher.fetch(url)
    with pytest.raises(RefusedFetch, match="file not found"):
        fetcher.fetch("file:///project/content/images/missing.svg")
