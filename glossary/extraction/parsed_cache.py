"""Tables parsed from packaged data files, kept on disk so that each process skips the parse.

CC-CEDICT is a 10 MB text file: parsing it into a table takes about 0.5 s, reading the
table back with ``marshal`` about 0.1 s, and every glossary build needs it (jieba keeps its
own dictionary cached the same way). The cache file is named by a digest of the packaged
bytes and of the Python version (marshal's format is not stable across versions), so a new
dictionary or interpreter never reads an old table. It only ever holds what can be computed
again: a cache file that cannot be read is parsed again and replaced, and a cache folder
that cannot be written only costs the parse.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Callable
from contextlib import suppress

from align.encoders import default_cache_path

_log = logging.getLogger(__name__)


def cached_table(name: str, raw: bytes, parse: Callable[[bytes], dict[str, str]]) -> dict[str, str]:
    """``parse(raw)``, read from the cache folder when an earlier process wrote it there."""
    key = hashlib.blake2b(raw + sys.version.encode(), digest_size=8).hexdigest()
    path = default_cache_path().parent / f"{name}-{key}.marshal"
    with suppress(OSError):
        try:
            table = marshal.loads(path.read_bytes())
        except (EOFError, ValueError, TypeError):
            _log.warning("the cached table %s is damaged; parsing it again", path)
        else:
            if isinstance(table, dict):
                return table
    table = parse(raw)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(marshal.dumps(table))
        os.replace(partial, path)  # atomic: a reader never sees half a table
    except OSError as error:
        _log.info("cannot cache the table %s (%s); it will be parsed again", path, error)
        with suppress(OSError):
            partial.unlink()
    return table
