"""The command line: parse arguments, call the library, print problems, return an exit code.

Exit codes: 0 success, 1 content or build errors, 2 usage errors, 3 internal errors.
This is the one place that turns `LeafletError`s into text (STYLE habit 6).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from . import report
from .build import DEFAULT_TIMEOUT, EXECUTORS, BuildOptions, build_catalog, plan_variants
from .check import as_errors, check_catalog
from .errors import Interrupted, LeafletError, Location, Problem, Severity, UsageError
from .formats import FORMATS, Paper
from .grading import grade_catalog
from .load import (
    CONTENT_DIR,
    LEAFLETS_DIR,
    Catalog,
    find_project_root,
    load_clinic,
    load_project,
)
from .output import write_atomic
from .progress import BuildProgress, pages_table, summary, summary_json
from .review import BlockReview, ReviewStatus, leaflet_reviews
from .review_cli import add_review_commands, add_status_options, run_review
from .templates import make_environment
from .version import VERSION as __version__

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
    build = commands.add_parser(
        "build", help="validate, then write what changed into the output folder"
    )
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=paths_help)
    build.add_argument(
        "--level", action="append", metavar="LEVEL", help="only this reading level (repeatable)"
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
        "--out", type=Path, metavar="DIR", help="output folder (default: PROJECT/output)"
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
    build.add_argument(
        "--quiet", "-q", action="store_true", help="print only problems and the summary"
    )
    build.add_argument(
        "--json", action="store_true", help="JSON lines: one per file, then a summary"
    )

    check = commands.add_parser(
        "check", help="validate the content and its wording without rendering"
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=paths_help)
    check.add_argument(
        "--strict", action="store_true", help="treat warnings (wording, readability) as errors"
    )
    check.add_argument(
        "--a11y",
        action="store_true",
        help="also check the built files (tags, sizes, PDF/UA rules) and the theme's contrast",
    )
    check.add_argument(
        "--out", type=Path, metavar="DIR", help="built files to check (default: PROJECT/output)"
    )

    report = commands.add_parser("report", help="reports on the content")
    report_kinds = report.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    readability = report_kinds.add_parser(
        "readability", help="readability per leaflet, level and section against the targets"
    )
    readability.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=paths_help)
    readability.add_argument(
        "--format", choices=("table", "json", "html"), default="table", help="default: table"
    )
    readability.add_argument("--out", type=Path, metavar="FILE", help="write to FILE")

    review = commands.add_parser("review", help="record and list reviews of the wording")
    review_commands = review.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    approving = review_commands.add_parser(
        "approve",
        help="record that a unit's current wording was reviewed (a block, a leaflet's own "
        "text, a section, a leaflet, or everything pending)",
    )
    approving.add_argument(
        "unit",
        nargs="?",
        metavar="UNIT",
        help="a block id, or leaflet:ID for a leaflet's title, summary, headings, glossary "
        "and structure (omit with --section, --leaflet or --all-pending)",
    )
    approving.add_argument(
        "--section", metavar="ID", help="every block of this section (with --leaflet)"
    )
    approving.add_argument(
        "--all-pending",
        action="store_true",
        help="every unit that is unreviewed, stale or expired (with --leaflet: of that leaflet)",
    )
    approving.add_argument(
        "--yes", action="store_true", help="approve several units at once without asking"
    )
    approving.add_argument("--by", required=True, help="name of the reviewer")
    approving.add_argument(
        "--role", required=True, help="their role, e.g. 'consultant psychiatrist'"
    )
    approving.add_argument(
        "--level", action="append", metavar="LEVEL", help="levels reviewed (default: all)"
    )
    approving.add_argument("--date", type=_date, help="date of the review (default: today)")
    approving.add_argument(
        "--next-review", type=_date, metavar="DATE", help="next review due (default: a year on)"
    )
    approving.add_argument(
        "--clinical", action="store_true", help="a clinician's sign-off, not an editorial check"
    )
    approving.add_argument(
        "--leaflet",
        metavar="ID",
        help="the leaflet, when block ids repeat; alone: every unit of the leaflet",
    )
    approving.add_argument(
        "--clinic",
        metavar="ID",
        help="the clinic's printed text (name, contact details, urgent-help routes, logo): "
        "the unit clinic:ID",
    )
    approving.add_argument("--project", type=Path, default=None, help="project folder")
    status = review_commands.add_parser(
        "status", help="list blocks that are unreviewed, changed since review, or expired"
    )
    status.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=paths_help)
    status.add_argument("--all", action="store_true", help="list reviewed blocks too")
    add_status_options(status)
    add_review_commands(review_commands)
    _add_writer_commands(commands)
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
            return _run(args, out, err)
    except LeafletError as exc:
        _print_problems(exc.problems, err)
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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command in _WRITER_COMMANDS:
        return _WRITER_COMMANDS[args.command](args, out, err)
    if args.command == "review":
        code = run_review(args, out, err)
        if code is not None:
            return code
    root, only = _resolve_paths(args.paths)
    catalog = load_project(root, only)
    if args.command == "check":
        code = _report_check(catalog, args.strict, out, err)
        if args.a11y:
            from .a11y import check_outputs

            found = check_outputs(catalog, (args.out or root / "output").resolve())
            _print_problems(found, err)
            print(f"accessibility: {len(found)} problem(s) in the built files", file=out)
            code = max(code, EXIT_CONTENT if found else EXIT_OK)
        return code
    if args.command == "review":
        return _review_status(catalog, args.all, out, err)
    if args.command == "report":
        return _report_readability(catalog, args.format, args.out, out)
    return _build(args, root, catalog, out, err)


def _build(args: argparse.Namespace, root: Path, catalog: Catalog, out: TextIO, err: TextIO) -> int:
    clinics = None
    if args.clinic:
        clinics = tuple(load_clinic(path.resolve(), root) for path in args.clinic)
    options = BuildOptions(
        levels=tuple(args.level) if args.level else None,
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
    out_dir = (args.out or root / "output").resolve()
    mode = "json" if args.json else "quiet" if args.quiet else "bar" if out.isatty() else "lines"
    total = len(plan_variants(catalog, options))
    with BuildProgress(total, out, mode=mode) as progress:
        report = build_catalog(catalog, out_dir, options, progress)
    if args.json:
        print(summary_json(report), file=out)
        return EXIT_OK if report.ok else EXIT_CONTENT
    _print_problems(report.warnings, err)
    for name, problems in report.failed.items():
        print(f"FAILED {name}", file=err)
        _print_problems(problems, err)
    if args.debug:
        for trace in report.tracebacks:
            print(trace, file=err)
    if not args.quiet:
        print(pages_table(report.built + report.skipped), file=out)
    print(summary(report), file=out)
    return EXIT_OK if report.ok else EXIT_CONTENT


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}, e.g. pdf,html")
    return chosen


def _report_readability(catalog: Catalog, form: str, target: Path | None, out: TextIO) -> int:
    grades = grade_catalog(catalog)
    if form == "table":
        from rich.console import Console

        console = Console(
            file=out if target is None else None, width=120, record=target is not None
        )
        console.print(report.as_table(grades))
        text = console.export_text() if target is not None else ""
    elif form == "json":
        text = report.as_json(grades) + "\n"
    else:
        text = report.as_html(grades, make_environment(catalog.root))
    if target is not None:
        write_atomic(target, text.encode("utf-8"))
        print(f"wrote {target}", file=out)
    elif form != "table":
        out.write(text)
    return EXIT_OK if all(not g.problems for g in grades) else EXIT_CONTENT


def _review_status(catalog: Catalog, show_all: bool, out: TextIO, err: TextIO) -> int:
    today = dt.date.today()
    for problems in catalog.failed.values():
        _print_problems(problems, err)
    counts: dict[str, int] = {}
    for loaded in catalog.leaflets:
        for state in leaflet_reviews(loaded, today, catalog):
            counts[state.status] = counts.get(state.status, 0) + 1
            if show_all or state.status is not ReviewStatus.REVIEWED:
                print(f"{state.unit.location}: {state.status}: {state.describe()}", file=out)
    from .structure import checklist

    for loaded in catalog.leaflets:
        if loaded.leaflet.kind == "decision":
            for item, what in checklist(loaded.leaflet):
                print(f"{loaded.path}: IPDAS {item}, for the reviewer to judge: {what}", file=out)
    from .clinic_review import clinic_state

    for loaded_clinic in catalog.clinics:  # one unit per clinic, the same at every level
        unit, status, review = clinic_state(catalog, loaded_clinic, today)
        counts[status] = counts.get(status, 0) + 1
        if show_all or status is not ReviewStatus.REVIEWED:
            state = BlockReview("", "all levels", unit, status, review)
            print(f"{unit.location}: {status}: {state.describe()}", file=out)
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ReviewStatus)
    per_clinic = "; one per clinic" if catalog.clinics else ""
    print(
        f"{summary} (unit x level: every block, and each leaflet's own text{per_clinic})",
        file=out,
    )
    return EXIT_CONTENT if catalog.failed else EXIT_OK


def _report_check(catalog: Catalog, strict: bool, out: TextIO, err: TextIO) -> int:
    problems = check_catalog(catalog)
    if strict:
        problems = as_errors(problems)
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


# --- writer commands: schema, new, init, preview (issue 8) ---------------------------------


def _add_writer_commands(commands: Any) -> None:
    from .schema import KINDS

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a kind of file, for editor completion and help"
    )
    schema.add_argument(
        "kind", nargs="?", default="leaflet", choices=list(KINDS), help="default: leaflet"
    )
    new = commands.add_parser("new", help="start a leaflet: every section and level stubbed")
    new.add_argument("leaflet_id", metavar="LEAFLET_ID", help="e.g. lithium-bipolar-disorder")
    new.add_argument(
        "--from", dest="template", metavar="LEAFLET_ID", help="copy this leaflet instead"
    )
    new.add_argument(
        "--kind",
        choices=["decision", "treatment", "information"],
        default="treatment",
        help="decision aid, one treatment, or information (default: treatment)",
    )
    new.add_argument("--project", type=Path, help="project folder (default: around here)")
    init = commands.add_parser("init", help="create a new content project that builds at once")
    init.add_argument("folder", type=Path, metavar="DIR", help="a new (or empty) folder")
    preview = commands.add_parser(
        "preview", help="a local web page of a leaflet that reloads as you edit, with its checks"
    )
    preview.add_argument("leaflet", nargs="?", metavar="LEAFLET", help="leaflet id or file")
    preview.add_argument("--level", metavar="LEVEL", help="reading level to open first")
    preview.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any)"
    )
    preview.add_argument("--project", type=Path, help="project folder (default: around here)")
    preview.add_argument("--open", action="store_true", help="open the page in a web browser")


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .schema import schema_text

    out.write(schema_text(args.kind))
    return EXIT_OK


def _new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .scaffold import new_leaflet

    root = find_project_root(args.project or Path.cwd())
    created = new_leaflet(root, args.leaflet_id, args.template, kind=args.kind)
    print(f"created {created.shown}", file=out)
    for note in created.notes:
        print(f"note: {note}", file=out)
    print(f"{len(created.warnings)} warning(s) from the checks (leaflets check)", file=out)
    print(f"next: edit it while you watch it with: leaflets preview {args.leaflet_id}", file=out)
    return EXIT_OK


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .scaffold import init_project

    made = init_project(args.folder)
    for path in made:
        print(f"created {args.folder / path}", file=out)
    print(
        f"next: cd {args.folder} && leaflets check && leaflets build && leaflets preview",
        file=out,
    )
    return EXIT_OK


def _preview(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .preview import serve

    root = find_project_root(args.project or Path.cwd())
    leaflet = Path(args.leaflet).stem if args.leaflet else None
    server = serve(root, port=args.port)
    try:
        leaflet, level = server.choose(leaflet, args.level)
        url = server.url_for(leaflet, level)
        print(f"previewing {root} at {url}", file=out)
        print("it reloads when you save; press Ctrl-C to stop", file=out)
        out.flush()
        if args.open:
            import webbrowser

            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=out)
    except Interrupted as stop:  # SIGTERM ends with 143 (main), after the cleanup below
        if stop.signal_number != signal.SIGINT:
            raise
        print("stopped", file=out)
    finally:
        server.stop()  # removes the temporary folder on every way out
    return EXIT_OK


_WRITER_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "schema": _schema,
    "new": _new,
    "init": _init,
    "preview": _preview,
}
