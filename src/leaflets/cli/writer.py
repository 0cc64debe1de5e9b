"""The writer's commands: `schema`, `new`, `init` and `preview` (issue 8).

Like every command module it only parses, calls the library (schema.py, scaffold.py,
preview/) and prints; `register` adds the commands with their handlers.
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from typing import TextIO

from ..content.selection import project_root
from ..errors import Interrupted
from .options import EXIT_OK, Commands, lang_option, level_option, project_option


def register(commands: Commands) -> None:
    """Add `schema`, `new`, `init` and `preview` to the top-level commands."""
    from ..content.schema import KINDS

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a kind of file, for editor completion and help"
    )
    schema.add_argument(
        "kind", nargs="?", default="leaflet", choices=list(KINDS), help="default: leaflet"
    )
    schema.set_defaults(handler=run_schema)

    new = commands.add_parser(
        "new",
        help="start a leaflet: every section and level stubbed",
        parents=[project_option()],
    )
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
    new.set_defaults(handler=run_new)

    init = commands.add_parser("init", help="create a new content project that builds at once")
    init.add_argument("folder", type=Path, metavar="DIR", help="a new (or empty) folder")
    init.set_defaults(handler=run_init)

    preview = commands.add_parser(
        "preview",
        help="a local web page of a leaflet that reloads as you edit, with its checks",
        parents=[
            project_option(),
            level_option("the reading level to open first"),
            lang_option("preview the translations into this language (as build --lang)"),
        ],
    )
    preview.add_argument("leaflet", nargs="?", metavar="LEAFLET", help="leaflet id or file")
    preview.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any)"
    )
    preview.add_argument("--open", action="store_true", help="open the page in a web browser")
    preview.set_defaults(handler=run_preview)


def run_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..content.schema import schema_text

    out.write(schema_text(args.kind))
    return EXIT_OK


def run_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..authoring.scaffold import new_leaflet

    created = new_leaflet(
        project_root(args.project), args.leaflet_id, args.template, kind=args.kind
    )
    print(f"created {created.shown}", file=out)
    for note in created.notes:
        print(f"note: {note}", file=out)
    print(f"{len(created.warnings)} warning(s) from the checks (leaflets check)", file=out)
    print(f"next: edit it while you watch it with: leaflets preview {args.leaflet_id}", file=out)
    return EXIT_OK


def run_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..authoring.scaffold import init_project

    made = init_project(args.folder)
    for path in made:
        print(f"created {args.folder / path}", file=out)
    print(
        f"next: cd {args.folder} && leaflets check && leaflets build && leaflets preview",
        file=out,
    )
    return EXIT_OK


def run_preview(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..preview.server import serve

    root = project_root(args.project)
    leaflet = Path(args.leaflet).stem if args.leaflet else None
    server = serve(root, port=args.port, language=args.lang[-1] if args.lang else None)
    try:
        leaflet, level = server.choose(leaflet, args.level[-1] if args.level else None)
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
