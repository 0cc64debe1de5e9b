"""A project folder in, calls to `on_change` out, whenever a file the preview shows changes.

Watches `content/` and `templates/` (everything in them) and `leaflets.yaml` (through its
folder, since editors often save by renaming) with `watchfiles`: the operating system's
change notifications, or, with `how="poll"` (network drives, some containers), watchfiles'
own polling (`force_polling`). `how="auto"` lets watchfiles choose (it honours
WATCHFILES_FORCE_POLLING); `"off"` watches nothing. The threads end when `stop` is set.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import watchfiles

from ..content.load import CONTENT_DIR, PROJECT_FILE

log = logging.getLogger(__name__)

Watcher = Literal["auto", "poll", "off"]
WATCHED_DIRS = (CONTENT_DIR, "templates")
#: How often the polling watcher looks at the files, in milliseconds.
POLL_DELAY_MS = 200


def watch(
    root: Path, on_change: Callable[[], None], stop: threading.Event, how: Watcher = "auto"
) -> list[threading.Thread]:
    """Start the threads that call `on_change` after files change; they end when `stop` is set."""
    if how == "off":
        return []
    polling = True if how == "poll" else None
    dirs = [root / name for name in WATCHED_DIRS if (root / name).is_dir()]
    runs: list[tuple[list[Path], bool, Callable[[watchfiles.Change, str], bool]]] = []
    if dirs:
        runs.append((dirs, True, _visible))
    runs.append(([root], False, _project_file))
    threads = [
        threading.Thread(
            target=_guarded,
            args=(paths, recursive, keep, on_change, stop, polling),
            name="leaflets-watch",
            daemon=True,
        )
        for paths, recursive, keep in runs
    ]
    for thread in threads:
        thread.start()
    return threads


def _visible(change: watchfiles.Change, path: str) -> bool:
    """Any file but editors' hidden swap and backup files."""
    return not Path(path).name.startswith(".")


def _project_file(change: watchfiles.Change, path: str) -> bool:
    return Path(path).name == PROJECT_FILE


def _guarded(
    paths: list[Path],
    recursive: bool,
    keep: Callable[[watchfiles.Change, str], bool],
    on_change: Callable[[], None],
    stop: threading.Event,
    polling: bool | None,
) -> None:
    try:
        for _changes in watchfiles.watch(
            *paths,
            watch_filter=keep,
            debounce=300,
            step=30,
            stop_event=stop,
            recursive=recursive,
            rust_timeout=500,
            force_polling=polling,
            poll_delay_ms=POLL_DELAY_MS,
            raise_interrupt=False,
        ):
            on_change()
    except Exception:  # the preview goes on; the writer reloads by hand
        log.exception("the file watcher stopped")
