"""The ``duiqi`` command: a dispatcher over sub-command modules.

Each sub-command lives in its own ``api/cli/*.py`` module exposing ``register(subparsers)``;
this module only builds the parser, runs the chosen command, and turns domain errors into
one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from align.errors import DuiqiError
from api.cli import align, batch, demo, evaluate, glossary, serve

COMMAND_MODULES = (align, evaluate, demo, glossary, batch, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="duiqi",
        description="Chinese-English sentence alignment and policy-term glossary.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
