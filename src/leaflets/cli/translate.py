"""The translator's commands: `translate export`, `import`, `status`, `approve` (issue 17).

cli.py registers them with `register(commands)` (the handler is `run_translate`); like the
other command modules this one only parses, calls the library (translate.py,
po_export.py, po_import.py, translate_io.py) and prints. Library errors arrive as
`LeafletError`s and cli.main prints them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..content.load import Catalog, find_project_root, load_project
from ..errors import UsageError
from .options import Commands, language_argument, project_option

EXIT_OK, EXIT_CONTENT = 0, 1


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def register(commands: Commands) -> None:
    """Add `translate export|import|status|approve` to the top-level commands."""
    translate = commands.add_parser(
        "translate", help="translations: export and import PO files, status, approve"
    )
    actions = translate.add_subparsers(dest="translate_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write a gettext PO file per leaflet for translators",
        parents=[project_option()],
    )
    export.add_argument("leaflets", nargs="*", metavar="LEAFLET", help="leaflet ids")
    export.add_argument("--lang", required=True, type=language_argument, metavar="LANG")
    export.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for LEAFLET.LANG.po (default: PROJECT/po)"
    )
    importing = actions.add_parser(
        "import", help="read translated PO files back, validated", parents=[project_option()]
    )
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE.po")
    status = actions.add_parser(
        "status",
        help="missing, stale, unreviewed and reviewed units per language",
        parents=[project_option()],
    )
    status.add_argument("leaflets", nargs="*", metavar="LEAFLET", help="leaflet ids")
    status.add_argument("--lang", action="append", type=language_argument, metavar="LANG")
    status.add_argument("--all", action="store_true", help="list reviewed units too")
    approving = actions.add_parser(
        "approve",
        help="record a translation check of every current, unreviewed unit",
        parents=[project_option()],
    )
    approving.add_argument("leaflet", metavar="LEAFLET", help="leaflet id")
    approving.add_argument("--lang", required=True, type=language_argument, metavar="LANG")
    approving.add_argument("--translator", required=True, help="who translated")
    approving.add_argument("--reviewer", required=True, help="who checked the translation")
    approving.add_argument("--role", required=True, help="the reviewer's role, e.g. editor")
    approving.add_argument(
        "--method",
        action="append",
        choices=("forward", "back", "cultural"),
        required=True,
        help="forward (against the source), back (back translation), cultural (repeatable)",
    )
    approving.add_argument("--unit", action="append", metavar="UNIT", help="only this unit")
    approving.add_argument("--level", action="append", metavar="LEVEL", help="only this level")
    approving.add_argument("--date", type=_date, help="date of the check (default: today)")
    approving.add_argument(
        "--certified", action="store_true", help="a certified translator's check"
    )
    approving.add_argument("--clinical", action="store_true", help="a clinician's review")
    for action in (export, importing, status, approving):
        action.set_defaults(handler=run_translate)


def run_translate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = load_project(find_project_root(args.project or Path.cwd()))
    action = args.translate_command
    if action == "export":
        return _export(catalog, args, out)
    if action == "import":
        return _import(catalog, args, out, err)
    if action == "approve":
        return _approve(catalog, args, out)
    return _status(catalog, args, out, err)


def _export(catalog: Catalog, args: argparse.Namespace, out: TextIO) -> int:
    from ..authoring.po_export import export_po
    from ..text.translate import check_language, translations

    language = check_language(args.lang, catalog)
    chosen = args.leaflets or sorted(translations(catalog).of(language)[0])
    if not chosen:
        raise UsageError(
            f"no leaflet is translated into {language} yet: name the leaflets to start with"
        )
    folder = (args.out or catalog.root / "po").resolve()
    for leaflet_id in chosen:
        target = folder / f"{leaflet_id}.{language}.po"
        count = export_po(catalog, language, leaflet_id, target)
        print(f"wrote {target} ({count} entries)", file=out)
    return EXIT_OK


def _import(catalog: Catalog, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..authoring.po_import import import_po

    for path in args.files:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        result = import_po(catalog, path)
        for warning in result.warnings:
            print(warning, file=err)
        print(
            f"wrote {result.path.relative_to(catalog.root)}: {result.imported} segment(s) "
            f"imported, {result.skipped_fuzzy} fuzzy and {result.skipped_empty} empty "
            "left out",
            file=out,
        )
        catalog = load_project(catalog.root)
    return EXIT_OK


def _approve(catalog: Catalog, args: argparse.Namespace, out: TextIO) -> int:
    from ..authoring.translate_io import approve
    from ..text.translate import check_language

    done = approve(
        catalog,
        check_language(args.lang, catalog),
        args.leaflet,
        translator=args.translator,
        reviewer=args.reviewer,
        role=args.role,
        method=list(dict.fromkeys(args.method)),
        date=args.date or dt.date.today(),
        units=args.unit,
        levels=args.level,
        certified=args.certified,
        clinical=args.clinical,
    )
    for unit, level in done:
        print(f"approved {unit} ({level}, {args.lang})", file=out)
    print(f"{len(done)} unit(s) approved", file=out)
    return EXIT_OK


def _status(catalog: Catalog, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..text.translate import languages_of, plan_languages, translations
    from ..text.translation_state import TranslationStatus, translation_states

    code = EXIT_OK
    wanted = tuple(args.lang) if args.lang else tuple(languages_of(catalog))
    counts: Counter[str] = Counter()
    for language in plan_languages(catalog, wanted):
        if language is None:
            continue
        found, problems = translations(catalog).of(language)
        for problem in problems:
            print(problem, file=err)
            code = EXIT_CONTENT
        for loaded in catalog.leaflets:
            if args.leaflets and loaded.leaflet.id not in args.leaflets:
                continue
            translation = found.get(loaded.leaflet.id)
            if translation is None:
                print(f"{loaded.leaflet.id} ({language}): no translation file", file=out)
                continue
            for state in translation_states(catalog, loaded, translation):
                counts[state.status] += 1
                if args.all or state.status is not TranslationStatus.REVIEWED:
                    print(f"{state.location}: {state.status}: {state.describe()}", file=out)
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in TranslationStatus)
    print(f"{summary} (unit x level x language)", file=out)
    return code
