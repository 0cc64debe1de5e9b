"""The command line: parse arguments, call the library, print problems, return an exit code.

Exit codes: 0 success, 1 content or build errors, 2 usage errors, 3 internal errors.
This is the one place that turns `LeafletError`s into text (STYLE habit 6).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .build import PAPERS, build_catalog
from .errors import LeafletError, Location, Problem, Severity, UsageError
from .load import CONTENT_DIR, LEAFLETS_DIR, Catalog, find_project_root, load_project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaflets",
        description="Build accessible, printable patient leaflets from YAML content.",
    )
    parser.add_argument("--version", action="version", version=f"leaflets {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    paths_help = (
        "project folder, leaflet files or folders (default: the project around the current folder)"
    )
    build = commands.add_parser("build", help="validate, then write PDFs and output/manifest.json")
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=paths_help)
    build.add_argument(
        "--level",
        action="append",
        metavar="LEVEL",
        help="build only this reading level (repeatable)",
    )
    build.add_argument("--paper", choices=PAPERS, help="paper size (default: the project's)")
    build.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: PROJECT/output)"
    )
    build.add_argument(
        "--quiet", "-q", action="store_true", help="print only problems and the summary"
    )

    check = commands.add_parser("check", help="validate the content without rendering")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=paths_help)
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
        return _run(args, out, err)
    except LeafletError as exc:
        _print_problems(exc.problems, err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except Exception:
        if args.debug:
            traceback.print_exc(file=err)
        print(
            "leaflets: internal error, please report it (run again with --debug for details)",
            file=err,
        )
        return EXIT_INTERNAL


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    root, only = _resolve_paths(args.paths)
    catalog = load_project(root, only)
    if args.command == "check":
        return _report_check(catalog, out, err)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=err)
    if not args.quiet:
        logging.getLogger("leaflets.build").setLevel(logging.INFO)
    out_dir = (args.out or root / "output").resolve()
    report = build_catalog(catalog, out_dir, args.level, args.paper)
    _print_problems(report.warnings, err)
    for name, problems in report.failed.items():
        print(f"FAILED {name}", file=err)
        _print_problems(problems, err)
    print(
        f"{len(report.built)} built, {len(report.failed)} failed; manifest: {report.manifest}",
        file=out,
    )
    return EXIT_OK if report.ok else EXIT_CONTENT


def _report_check(catalog: Catalog, out: TextIO, err: TextIO) -> int:
    problems = catalog.all_problems()
    _print_problems(problems, err)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = len(problems) - len(errors)
    print(
        f"{len(catalog.leaflets)} leaflet(s) valid, {len(catalog.failed)} with errors; "
        f"{len(errors)} error(s), {warnings} warning(s)",
        file=out,
    )
    return EXIT_CONTENT if errors else EXIT_OK


def _resolve_paths(paths: list[Path]) -> tuple[Path, list[Path] | None]:
    """The project root and, when files or sub-folders were named, which leaflet files."""
    if not paths:
        return find_project_root(Path.cwd()), None
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError([Problem(Location(p), "no such file or folder") for p in missing])
    roots = {find_project_root(p) for p in paths}
    if len(roots) > 1:
        raise UsageError(
            Problem(
                Location(paths[0]),
                "the paths belong to different projects",
                "build one project at a time",
            )
        )
    root = roots.pop()
    if any(p.resolve() == root for p in paths):
        return root, None
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.resolve().rglob("*.yaml")) if p.is_dir() else [p.resolve()])
    leaflet_dir = root / CONTENT_DIR / LEAFLETS_DIR
    outside = [f for f in files if not f.is_relative_to(leaflet_dir)]
    if outside:
        raise UsageError(
            Problem(
                Location(outside[0]),
                "not a leaflet file",
                f"leaflet files live in {leaflet_dir.relative_to(root)}/",
            )
        )
    return root, files


def _print_problems(problems: list[Problem], err: TextIO) -> None:
    for problem in problems:
        print(problem, file=err)
