"""The ``duiqi`` command: a dispatcher over sub-command modules.

Each sub-command lives in its own ``api/cli/*.py`` module exposing ``register(subparsers)``;
this module only builds the parser, runs the chosen command, and turns domain errors into
one line on stderr and exit status 2. Only the named command's module is imported (all of
them for top-level help or an unknown command), so a short command pays for its own imports
and not for the store, the service or the batch engines.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from align.errors import DuiqiError

COMMAND_MODULES = {
    "align": "api.cli.align",
    "eval": "api.cli.evaluate",
    "demo": "api.cli.demo",
    "glossary": "api.cli.glossary",
    "batch": "api.cli.batch",
    "serve": "api.cli.serve",
}
"""Sub-command name → the module that registers it, in the order help lists them."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for ``command`` alone, or for every command when it is not one of them."""
    parser = argparse.ArgumentParser(
        prog="duiqi",
        description="Chinese-English sentence alignment and policy-term glossary.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = [command] if command in COMMAND_MODULES else list(COMMAND_MODULES)
    for name in names:
        importlib.import_module(COMMAND_MODULES[name]).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except DuiqiError as error:
        print(f"duiqi {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"duiqi {args.command}: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
