"""The command line: parse arguments, call the library, print problems, return an exit code.

Exit codes: 0 success, 1 content or build errors, 2 usage errors, 3 internal errors.
This is the one place that turns `LeafletError`s into text (STYLE habit 6).

One pattern for every command: a command module (build_cli, review_cli, writer_cli, ...)
has `register(commands)`, which adds its sub-parsers built from the shared parent parsers
in cli_options.py and sets `handler=` with `set_defaults`; `main` parses and calls
`args.handler(args, out, err)`. A new command module adds its `register` to COMMANDS.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import TextIO

from ..errors import Interrupted, LeafletError
from ..version import VERSION as __version__
from . import content as build_cli
from . import review as review_cli
from . import translate as translate_cli
from . import writer as writer_cli
from .options import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, Commands, print_problems

COMMANDS: tuple[Callable[[Commands], None], ...] = (
    build_cli.register,  # build, check, report
    review_cli.register,  # review approve|status|diff|packet|log|keep
    writer_cli.register,  # schema, new, init, preview
    translate_cli.register,  # translate export|import|status|approve
)
"""Each command module's registration function, in the order `--help` lists them."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaflets",
        description="Build accessible, printable patient leaflets from YAML content.",
    )
    parser.add_argument("--version", action="version", version=f"leaflets {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(commands)
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code instead of exiting (testable in-process)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        with _signals_raise():
            code: int = args.handler(args, out, err)
            return code
    except LeafletError as exc:
        print_problems(exc.problems, err)
        return exc.exit_code
    except Interrupted as stop:
        name = signal.Signals(stop.signal_number).name
        done = ""
        if stop.listed is not None:
            done = f": {stop.built} file(s) built, the manifest lists {stop.listed} intact file(s)"
        print(f"leaflets: stopped by {name}{done}", file=err)
        return stop.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except BrokenPipeError:  # e.g. `leaflets review status | head`
        # Python flushes stdout again at exit; point it at /dev/null so that is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a failure the library did not expect still names its path
        if args.debug:
            traceback.print_exc(file=err)
        where = exc.filename or "leaflets"
        print(f"{where}: {exc.strerror or exc}", file=err)
        print("    hint: check that path: free space, permissions, a read-only disk", file=err)
        return EXIT_USAGE
    except Exception:
        if args.debug:
            traceback.print_exc(file=err)
        print(
            "leaflets: internal error, please report it (run again with --debug for details)",
            file=err,
        )
        return EXIT_INTERNAL


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted`, so every command cleans up on its way out
    (workers ended, temporary files removed, manifest written; issue 12)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
