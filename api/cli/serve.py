"""``duiqi serve``: the glossary service and translator page, with uvicorn."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from api.cli.arguments import bounded_int


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve", help="serve the glossary API and the translator page"
    )
    parser.add_argument(
        "--db", type=Path, help="SQLite glossary file (default: $DUIQI_DB or the store's default)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=bounded_int(1, 65535), default=8000)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.service.app import create_app
    from api.service.settings import ENV_DB, get_settings
    from glossary.store.engine import open_store

    if args.db is not None:
        os.environ[ENV_DB] = str(args.db)  # read by get_settings, the one settings source
        get_settings.cache_clear()
    settings = get_settings()  # refuse a bad configuration before binding the port
    # Likewise a missing, mistyped or non-SQLite --db: one line now, not a traceback from
    # the server's start-up (the service never creates a glossary; build or import does).
    open_store(settings.database_url, path=settings.db_path).close()
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="info")
    return 0
