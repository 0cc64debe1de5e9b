"""The content commands: `build`, `check` and `report readability`.

Like every command module it only parses, calls the library (build.py, check.py,
grading.py, a11y.py) and prints; `register` adds the commands with their handlers.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from ..build.builder import DEFAULT_TIMEOUT, EXECUTORS, BuildOptions, build_catalog
from ..build.formats import FORMATS, Paper
from ..build.incremental import build_project
from ..build.progress import BuildProgress, pages_table, summary, summary_json
from ..content.load import Catalog, load_clinic, load_project
from ..content.selection import select
from ..errors import Severity
from ..output import write_atomic
from ..render.templates import make_environment
from ..text import report
from ..text.check import as_errors, check_catalog
from .options import (
    EXIT_CONTENT,
    EXIT_OK,
    Commands,
    json_option,
    lang_option,
    level_option,
    out_folder,
    out_option,
    paths_option,
    print_problems,
    project_option,
    quiet_option,
)


def register(commands: Commands) -> None:
    """Add `build`, `check` and `report` to the top-level commands."""
    _add_build(commands)
    check = commands.add_parser(
        "check",
        help="validate the content and its wording without rendering",
        parents=[
            paths_option(),
            project_option(),
            out_option("PROJECT/output; with --a11y"),
            lang_option("check this language only"),
        ],
    )
    check.add_argument(
        "--strict", action="store_true", help="treat warnings (wording, readability) as errors"
    )
    check.add_argument(
        "--a11y",
        action="store_true",
        help="also check the built files in --out (tags, sizes, PDF/UA rules) and the "
        "theme's contrast",
    )
    check.set_defaults(handler=run_check)

    reports = commands.add_parser("report", help="reports on the content")
    kinds = reports.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    readability = kinds.add_parser(
        "readability",
        help="readability per leaflet, level and section against the targets",
        parents=[
            paths_option(),
            project_option(),
            out_option("print it; with --out: DIR/readability.txt|json|html"),
            json_option("the same as --format json"),
            lang_option("report this language only"),
        ],
    )
    readability.add_argument(
        "--format", choices=("table", "json", "html"), default="table", help="default: table"
    )
    readability.set_defaults(handler=run_readability)


def _add_build(commands: Commands) -> None:
    build = commands.add_parser(
        "build",
        help="validate, then write what changed into the output folder",
        parents=[
            paths_option(),
            project_option(),
            out_option("PROJECT/output"),
            level_option(),
            lang_option("build this language only"),
            quiet_option(),
            json_option("JSON lines: one per file, then a summary"),
        ],
    )
    build.add_argument(
        "--paper",
        action="append",
        choices=[paper.value for paper in Paper],
        help="paper size (default: the project's)",
    )
    build.add_argument(
        "--large-print", action="store_true", help="build the large-print variants (18 pt and up)"
    )
    build.add_argument(
        "--format",
        type=_formats,
        metavar="pdf,html",
        help="output formats (default: the project's)",
    )
    build.add_argument(
        "--clinic",
        action="append",
        type=Path,
        metavar="FILE",
        help="brand copies for this clinic file (clinics/ID/clinic.yaml; repeatable)",
    )
    build.add_argument(
        "--booklet",
        action="store_true",
        help="also make each PDF as an A5 booklet imposed on A4 (half-Letter on Letter)",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: the number of CPUs)",
    )
    build.add_argument(
        "--force", action="store_true", help="rebuild everything, even unchanged files"
    )
    build.add_argument(
        "--verify",
        action="store_true",
        help="ignore the build snapshot: load every leaflet and hash every built file",
    )
    build.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a file that takes longer to render (default: {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    build.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="where files render: this machine (default) or a Dask cluster",
    )
    build.add_argument(
        "--scheduler",
        metavar="tcp://HOST:8786",
        help="the Dask scheduler (default with --executor dask: a cluster on this machine)",
    )
    build.add_argument(
        "--release",
        action="store_true",
        help="refuse leaflets whose benefits, uncertainty or risks wording is not reviewed, "
        "or that fail a check",
    )
    build.set_defaults(handler=run_build)


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}, e.g. pdf,html")
    return chosen


def _load(args: argparse.Namespace) -> Catalog:
    chosen = select(args.paths, args.project)
    return load_project(chosen.root, chosen.only)


def run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    chosen = select(args.paths, args.project)
    catalog = None
    clinics = None
    if args.clinic:  # a clinic's copies: its file is read with the project
        catalog = load_project(chosen.root, chosen.only)
        clinics = tuple(load_clinic(path.resolve(), catalog.root) for path in args.clinic)
    options = BuildOptions(
        levels=tuple(args.level) if args.level else None,
        languages=tuple(args.lang) if args.lang else None,
        papers=tuple(args.paper) if args.paper else None,
        large_print=True if args.large_print else None,
        formats=args.format,
        clinics=clinics,
        release=args.release,
        booklet=True if args.booklet else None,
        jobs=max(1, args.jobs),
        force=args.force,
        timeout=args.timeout if args.timeout > 0 else None,
        executor=args.executor,
        scheduler=args.scheduler,
    )
    out_dir = out_folder(args.out, chosen.root / "output")
    mode = "json" if args.json else "quiet" if args.quiet else "bar" if out.isatty() else "lines"
    # The library plans the build once and tells the progress display how many files; with
    # the build snapshot it loads only the leaflets whose inputs changed (incremental.py).
    with BuildProgress(out, mode=mode) as progress:
        if catalog is not None:
            built = build_catalog(catalog, out_dir, options, progress, planned=progress.planned)
        else:
            built = build_project(
                chosen.root,
                out_dir,
                options,
                progress,
                progress.planned,
                chosen.only,
                verify=args.verify,
            )
    if args.json:
        print(summary_json(built), file=out)
        return EXIT_OK if built.ok else EXIT_CONTENT
    print_problems(built.warnings, err)
    for name, problems in built.failed.items():
        print(f"FAILED {name}", file=err)
        print_problems(problems, err)
    if args.debug:
        for trace in built.tracebacks:
            print(trace, file=err)
    if not args.quiet:
        print(pages_table(built.built + built.skipped), file=out)
    print(summary(built), file=out)
    return EXIT_OK if built.ok else EXIT_CONTENT


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..text.translate import check_translations, plan_languages

    catalog = _load(args)
    chosen = plan_languages(catalog, tuple(args.lang) if args.lang else None)
    problems = check_catalog(catalog) if None in chosen else catalog.all_problems()
    problems += check_translations(catalog, [lang for lang in chosen if lang is not None])
    if args.strict:
        problems = as_errors(problems)
    print_problems(problems, err)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = len(problems) - len(errors)
    print(
        f"{len(catalog.leaflets)} leaflet(s) valid, {len(catalog.failed)} with errors; "
        f"{len(errors)} error(s), {warnings} warning(s)",
        file=out,
    )
    code = EXIT_CONTENT if errors else EXIT_OK
    if args.a11y:
        from ..build.output_checks import check_outputs

        found = check_outputs(catalog, out_folder(args.out, catalog.root / "output"))
        print_problems(found, err)
        print(f"accessibility: {len(found)} problem(s) in the built files", file=out)
        code = max(code, EXIT_CONTENT if found else EXIT_OK)
    return code


_SUFFIX = {"table": "txt", "json": "json", "html": "html"}


def run_readability(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = _load(args)
    form = "json" if args.json else args.format
    grades = report.grades_in(catalog, args.lang)
    folder = out_folder(args.out, Path.cwd()) if args.out is not None else None
    if form == "table":
        from rich.console import Console

        console = Console(file=out if folder is None else None, width=120, record=bool(folder))
        console.print(report.as_table(grades))
        text = console.export_text() if folder is not None else ""
    elif form == "json":
        text = report.as_json(grades) + "\n"
    else:
        text = report.as_html(grades, make_environment(catalog.root))
    if folder is not None:
        target = folder / f"readability.{_SUFFIX[form]}"
        write_atomic(target, text.encode("utf-8"))
        print(f"wrote {target}", file=out)
    elif form != "table":
        out.write(text)
    return EXIT_OK if all(not g.problems for g in grades) else EXIT_CONTENT
