"""The reviewer's commands: `review approve`, `diff`, `packet`, `log`, `status`, `keep`.

cli.py parses the top level and hands `leaflets review ...` here; like cli.py this module
only parses, calls the library (review.py, approved.py, governance.py, packet.py) and
prints. Library errors arrive as `LeafletError`s and cli.main prints them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from .errors import ContentError, UsageError
from .load import Catalog, find_project_root, load_project
from .output import write_atomic
from .review import approve, units_to_approve

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def _days(text: str) -> int:
    match = re.fullmatch(r"(\d{1,5})\s*d?", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days like 60d")
    return int(match.group(1))


def add_review_commands(review_commands: Any) -> None:
    """The subcommands added to `leaflets review` (besides approve and status' base)."""
    diff = review_commands.add_parser(
        "diff", help="word by word, what changed in each stale unit since it was approved"
    )
    diff.add_argument("leaflet", nargs="?", metavar="LEAFLET", help="leaflet id (default: all)")
    diff.add_argument("--level", action="append", metavar="LEVEL", help="only this level")
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.add_argument("--today", type=_date, help=argparse.SUPPRESS)
    diff.add_argument("--project", type=Path, default=None, help="project folder")

    packet = review_commands.add_parser(
        "packet", help="one accessible document for the reviewer (PDF or HTML)"
    )
    packet.add_argument("leaflet", metavar="LEAFLET", help="leaflet id")
    packet.add_argument("--format", choices=("pdf", "html"), default="pdf", help="default: pdf")
    packet.add_argument("--out", type=Path, metavar="FILE", help="default: LEAFLET-review.FORMAT")
    packet.add_argument("--today", type=_date, help=argparse.SUPPRESS)
    packet.add_argument("--project", type=Path, default=None, help="project folder")

    log = review_commands.add_parser(
        "log", help="every approval recorded, for a clinical governance board"
    )
    log.add_argument("--format", choices=("table", "csv", "json"), default="table")
    log.add_argument("--out", type=Path, metavar="FILE", help="write to FILE")
    log.add_argument("--today", type=_date, help=argparse.SUPPRESS)
    log.add_argument("--project", type=Path, default=None, help="project folder")

    keep = review_commands.add_parser(
        "keep",
        help="store the approved wording of reviews recorded before wording was kept "
        "(only where the wording is unchanged since the review)",
    )
    keep.add_argument("--leaflet", metavar="ID", help="only this leaflet")
    keep.add_argument("--project", type=Path, default=None, help="project folder")


def add_status_options(status: argparse.ArgumentParser) -> None:
    status.add_argument(
        "--due-within",
        type=_days,
        metavar="DAYS",
        help="list reviews that expire within DAYS (e.g. 60d), and those already expired",
    )
    status.add_argument(
        "--today", type=_date, metavar="DATE", help="the date to count from (default: today)"
    )


def run_review(args: argparse.Namespace, out: TextIO, err: TextIO) -> int | None:
    """Run `leaflets review ACTION`; None for actions cli.py still runs itself."""
    action = args.review_command
    if action == "approve":
        return _approve(args, out, err)
    if action == "status" and args.due_within is None:
        return None
    if action == "status":
        return _due(args, out)
    catalog = load_project(find_project_root(getattr(args, "project", None) or Path.cwd()))
    today = getattr(args, "today", None) or dt.date.today()
    if action in ("diff", "packet", "keep"):
        from .approved import sidecar_problems

        broken = sidecar_problems(catalog)  # the kept wording is content: refuse it broken
        if broken:
            raise ContentError(broken)
    # A leaflet file that does not load is reported; the others are still listed.
    failed = [p for problems in catalog.failed.values() for p in problems]
    for problem in failed if action in ("diff", "log") else []:
        print(problem, file=err)
    code = EXIT_CONTENT if failed else EXIT_OK
    if action == "diff":
        return max(code, _diff(catalog, args, today, out))
    if action == "packet":
        return _packet(catalog, args, today, out)
    if action == "log":
        return max(code, _log(catalog, args, today, out))
    if action == "keep":
        from .approved import keep_current

        added = keep_current(catalog, today, args.leaflet)
        print(f"kept the approved wording of {added} review(s)", file=out)
        return EXIT_OK
    raise UsageError(f"unknown review action {action!r}")


# --- approve -------------------------------------------------------------------------------


def ask(question: str, out: TextIO) -> bool | None:
    """Ask on a terminal; None when there is no terminal to ask on (tests replace this)."""
    if not sys.stdin.isatty():
        return None
    print(question, end=" ", file=out, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _approve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    root = find_project_root(args.project or Path.cwd())
    catalog = load_project(root)
    date = args.date or dt.date.today()
    if args.clinic:  # the clinic unit (clinic_review.py)
        if args.unit or args.section or args.all_pending or args.leaflet:
            raise UsageError("give --clinic ID alone, or a UNIT, --section or --all-pending")
        args.unit = f"clinic:{args.clinic}"
    bulk = args.unit is None
    if not bulk:
        if args.section or args.all_pending:
            raise UsageError("give a UNIT, or --section / --all-pending, not both")
        names = [(args.unit, args.leaflet)]
    elif args.section or args.all_pending or args.leaflet:
        if args.section and not args.leaflet:
            raise UsageError("--section needs --leaflet ID")
        names = units_to_approve(
            catalog,
            date,
            leaflet_id=args.leaflet,
            section_id=args.section,
            pending_only=args.all_pending,
        )
        if not names:
            print("nothing to approve", file=out)
            return EXIT_OK
    else:
        raise UsageError(
            "give a UNIT (block id, leaflet:ID or clinic:ID), --clinic, --section, --leaflet "
            "or --all-pending"
        )
    kind = "clinical sign-off" if args.clinical else "editorial check"
    levels = ", ".join(args.level) if args.level else "all levels"
    next_review = args.next_review or _a_year_on(date)
    if not args.yes:
        print(
            f"will record a {kind} by {args.by} ({args.role}) on {date}, next review "
            f"{next_review}, {levels}, of the wording as it is now:",
            file=out,
        )
        for name, leaflet in names:
            print(
                f"would approve {name} ({leaflet})" if leaflet else f"would approve {name}",
                file=out,
            )
        answer = ask(f"Record {len(names)} review(s)? [y/N]", out)
        if answer is None and bulk:
            raise UsageError(
                f"{len(names)} unit(s) would be approved: read them (leaflets review packet), "
                "then add --yes"
            )
        if answer is False:
            print("nothing recorded", file=out)
            return EXIT_USAGE
    for name, leaflet in names:
        review = approve(
            catalog,
            name,
            by=args.by,
            role=args.role,
            levels=args.level,
            date=date,
            next_review=args.next_review,
            clinical=args.clinical,
            leaflet_id=leaflet,
        )
        shown = ", ".join(review.levels) if review.levels else "all levels"
        print(
            f"recorded review of {name!r} ({shown}) by {review.by}, {review.role}, "
            f"on {review.date}; next review {review.next_review} ({kind})",
            file=out,
        )
    return EXIT_OK


def _a_year_on(date: dt.date) -> dt.date:
    try:
        return date.replace(year=date.year + 1)
    except ValueError:
        return date.replace(year=date.year + 1, day=28)


# --- diff -------------------------------------------------------------------------------------

_RED, _GREEN, _RESET = "\033[31m", "\033[32m", "\033[0m"


def _colour(out: TextIO) -> bool:
    return out.isatty() and "NO_COLOR" not in os.environ


def _diff(catalog: Catalog, args: argparse.Namespace, today: dt.date, out: TextIO) -> int:
    from .approved import Kept, hunks, render_ops, unit_diffs

    chosen = [x for x in catalog.leaflets if args.leaflet in (None, x.leaflet.id)]
    if args.leaflet is not None and not chosen:
        raise UsageError(f"no leaflet {args.leaflet!r} in this project")
    for level in args.level or []:
        if level not in catalog.project.levels:
            raise UsageError(f"unknown level {level!r}")
    kept = Kept(catalog)
    diffs = [
        d
        for loaded in chosen
        for d in unit_diffs(
            catalog,
            loaded,
            today,
            levels=tuple(args.level) if args.level else None,
            kept=kept,
        )
    ]
    if args.json:
        json.dump({"stale": [d.as_json() for d in diffs]}, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    colour = _colour(out)
    deleted = f"{_RED}[-{{}}-]{_RESET}" if colour else "[-{}-]"
    inserted = f"{_GREEN}{{{{+{{}}+}}}}{_RESET}" if colour else "{{+{}+}}"
    for unit_diff in diffs:
        review = unit_diff.state.review
        since = f" since {review.date} ({review.by})" if review else ""
        print(f"{unit_diff.unit.location}: {unit_diff.unit.name} changed{since}", file=out)
        if not unit_diff.changed_levels:
            print(f"  {unit_diff.as_json()['note']}", file=out)
        for level_diff in unit_diff.changed_levels:
            if level_diff.old is None:
                print(f"  {level_diff.level}: the approved wording was not kept", file=out)
                continue
            print(f"  {level_diff.level}:", file=out)
            for hunk in hunks(level_diff.ops):
                print(f"    ... {render_ops(hunk, deleted, inserted)} ...", file=out)
    print(f"{len(diffs)} unit(s) changed since approved", file=out)
    return EXIT_OK


# --- packet ----------------------------------------------------------------------------------


def _packet(catalog: Catalog, args: argparse.Namespace, today: dt.date, out: TextIO) -> int:
    from .packet import build_packet

    target = args.out or Path(f"{args.leaflet}-review.{args.format}")
    packet = build_packet(catalog, args.leaflet, args.format, today)
    write_atomic(target, packet.data)
    print(
        f"wrote {target}: {packet.units} unit(s), {packet.to_review} to review "
        f"({packet.changed} changed since approved)",
        file=out,
    )
    return EXIT_OK


# --- log and due ----------------------------------------------------------------------------


def _log(catalog: Catalog, args: argparse.Namespace, today: dt.date, out: TextIO) -> int:
    from .governance import LOG_FIELDS, approvals

    rows = [row.as_dict() for row in approvals(catalog, today)]
    if args.format == "json":
        text = json.dumps({"approvals": rows}, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=LOG_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = "".join(
            f"{r['date']}  {r['kind']:<9}  {r['leaflet']}  {r['unit']} ({r['levels']})  "
            f"{r['by']}, {r['role']}; next {r['next_review']}; {r['state']}\n"
            for r in rows
        )
        text += f"{len(rows)} approval(s)\n"
    if args.out is not None:
        write_atomic(args.out, text.encode("utf-8"))
        print(f"wrote {args.out}: {len(rows)} approval(s)", file=out)
    else:
        out.write(text)
    return EXIT_OK


def _due(args: argparse.Namespace, out: TextIO) -> int:
    from .governance import due_within

    root = find_project_root(args.paths[0] if args.paths else Path.cwd())
    catalog = load_project(root)
    today = args.today or dt.date.today()
    due = due_within(catalog, today, args.due_within)
    for item in due:
        print(
            f"{item.unit.location}: {item.when}: {item.leaflet} {item.unit.name} "
            f"({item.levels}) reviewed {item.review.date} by {item.review.by}; "
            f"due {item.review.next_review}",
            file=out,
        )
    until = today + dt.timedelta(days=args.due_within)
    print(f"{len(due)} review(s) expired or due by {until}", file=out)
    return EXIT_OK
