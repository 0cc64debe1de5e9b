"""Shared fixtures: tiny projects copied into tmp folders, and sample builds made once."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, BuildReport

FIXTURES = Path(__file__).parent / "fixtures"
#: Debian's Chromium, driven by playwright; never `playwright install` (no downloads).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def expected_title() -> Callable[[Path, str, str], str]:
    """The title a built file of a leaflet at a level must carry (never "": issue 13)."""
    from leaflets.content.model import pick

    def title(root: Path, leaflet_id: str, level: str) -> str:
        catalog = load_project(root)
        [loaded] = [item for item in catalog.leaflets if item.leaflet.id == leaflet_id]
        return pick(loaded.leaflet.title, level)

    return title


@pytest.fixture(scope="session", autouse=True)
def _content_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The content cache of this test session: never the user's (content_cache.py)."""
    import os

    previous = os.environ.get("LEAFLETS_CACHE")
    os.environ["LEAFLETS_CACHE"] = str(tmp_path_factory.mktemp("content-cache"))
    yield
    if previous is None:
        os.environ.pop("LEAFLETS_CACHE", None)
    else:
        os.environ["LEAFLETS_CACHE"] = previous


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal two-level project."""
    target = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture(scope="session")
def minimal_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The minimal project built once for the whole session."""
    root = tmp_path_factory.mktemp("minimal-build") / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    report = build_catalog(load_project(root), root / "output")
    return root / "output", report


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The shipped sample content built once as leaflets.yaml asks: every level on A4 and
    Letter, regular and large print, unbranded and for the example clinic, PDF and HTML, in
    the project's own language (the translations: tests/test_sample_translations.py)."""
    out = tmp_path_factory.mktemp("sample-output")
    report = build_catalog(load_project(REPO), out, BuildOptions(jobs=2, languages=("en",)))
    return out, report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium for the HTML checks (axe) and the preview; skipped only when
    Chromium or playwright cannot be installed (scripts/browser-deps.sh installs both)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run 'sh scripts/browser-deps.sh' (needs apt-get)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: run 'sh scripts/browser-deps.sh'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


#: Session-wide builds: the tests that use one run in one xdist group.
SHARED_BUILDS = ("sample_build", "minimal_build", "old_theme_build", "built_sample")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    """Under pytest-xdist, every test of a session-wide build runs on the worker that made
    it (`--dist loadgroup`), so the sample is built once, not once per worker.

    The marks go on before xdist reads them (a wrapper runs first). xdist 3.8 then names
    each grouped test `NODEID@GROUP` by setting `item._nodeid`, which pytest 9 no longer
    reads (`Node.nodeid` is `str(item._id)`): no test was grouped, and each worker built
    each session fixture again (issue 13). After the other hooks, a grouped test xdist
    could not name is named here the same way."""
    for item in items:
        for name in SHARED_BUILDS:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))
                break
    yield
    if getattr(config.option, "loadgroup", False):  # set in xdist's workers only
        _name_groups(items)


def _name_groups(items: list[pytest.Item]) -> None:
    from _pytest.nodeid import coerce_node_id

    for item in items:
        groups = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = coerce_node_id(item.nodeid + suffix)  # type: ignore[attr-defined]
