"""A build makes no network connection at all (guarantee 3 of docs/security.md): not to
fetch an image, a font or a style, and not to look a name up.

In this process the socket functions are replaced by ones that record the attempt and
raise; a second test runs the CLI with worker processes and the same guard installed in
every Python process through `sitecustomize`.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile_kit import MINIMAL, TESTS

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions

REPO = TESTS.parent
NETWORK_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class NetworkUsed(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way out of this process fail, and list what tried."""
    attempts: list[str] = []

    def refuse(what: str, original: Callable[..., Any] | None = None) -> Callable[..., Any]:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            if original is not None and args[0].family not in NETWORK_FAMILIES:
                return original(*args, **kwargs)  # a local (AF_UNIX) socket
            attempts.append(f"{what}{args[1:] if original else args}")
            raise NetworkUsed(f"network access during a build: {what}")

        return blocked

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(name, getattr(socket.socket, name)))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))

    def no_worker_processes(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendering left this process, where the socket guard is not")

    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "__init__", no_worker_processes)
    return attempts


def test_guard_works(no_network: list[str]) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    with socket.socket() as sock, pytest.raises(NetworkUsed):
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == 2
    no_network.clear()


def test_minimal_project_builds_offline(tmp_path: Path, no_network: list[str]) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    report = build_catalog(load_project(root), tmp_path / "out")
    assert report.failed == {}
    assert report.built
    assert no_network == []


def test_sample_project_builds_offline(tmp_path: Path, no_network: list[str]) -> None:
    # Every level and format, in the clinic's branding when the project has clinics (its
    # logo too): every picture, font, style and template any variant loads. Paper size and
    # large print change only the layout, so one paper and the regular size keep this fast.
    catalog = load_project(REPO)
    options = BuildOptions(
        papers=(catalog.project.paper,), large_print=False, clinics=tuple(catalog.clinics) or None
    )
    report = build_catalog(catalog, tmp_path / "out", options)
    assert report.failed == {}
    assert len(report.built) >= len(catalog.project.levels)
    assert no_network == []


SITECUSTOMIZE = '''\
"""Installed for one test: network use in any Python process is logged and refused.
Local (AF_UNIX) sockets stay open: the worker pool talks to its fork server over one."""
import os
import socket

_LOG = os.environ["LEAFLETS_NETWORK_LOG"]
_NETWORK = (socket.AF_INET, socket.AF_INET6)
with open(os.environ["LEAFLETS_GUARD_LOG"], "a") as _f:
    _f.write(f"{os.getpid()}\\n")


def _refuse(what, original=None):
    def blocked(*args, **kwargs):
        if original is not None and args[0].family not in _NETWORK:
            return original(*args, **kwargs)
        with open(_LOG, "a") as log:
            log.write(f"{os.getpid()} {what} {args[1:]!r}\\n")
        raise OSError(f"network access during a build: {what}")

    return blocked


socket.socket.connect = _refuse("connect", socket.socket.connect)
socket.socket.connect_ex = _refuse("connect_ex", socket.socket.connect_ex)
socket.socket.sendto = _refuse("sendto", socket.socket.sendto)
socket.create_connection = _refuse("create_connection")
socket.getaddrinfo = _refuse("getaddrinfo")
'''


def test_parallel_build_from_the_command_line_is_offline_in_every_process(
    tmp_path: Path,
) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    root = tmp_path / "minimal"
    shutil.copytree(MINIMAL, root)
    network_log, guard_log = tmp_path / "network.log", tmp_path / "guard.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")]),
        "LEAFLETS_NETWORK_LOG": str(network_log),
        "LEAFLETS_GUARD_LOG": str(guard_log),
    }
    completed = subprocess.run(
        # PDF and HTML at two levels: four variants, enough for the worker pool.
        [
            sys.executable,
            "-m",
            "leaflets",
            "build",
            str(root),
            "-q",
            "-j",
            "2",
            "--format",
            "pdf,html",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr
    assert not network_log.exists(), network_log.read_text()
    pids = set(guard_log.read_text().split())
    assert len(pids) >= 2, "no worker process ran (or it ran without the guard)"
