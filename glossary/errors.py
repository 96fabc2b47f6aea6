"""Errors of the glossary store, review and import, each saying what to fix.

The HTTP service maps each class to a status once (not found → 404, invalid → 422,
conflict → 409, unavailable → 503); the command line prints the message on one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from align.errors import DuiqiError


class GlossaryError(DuiqiError):
    """Base class for the errors of the glossary package."""


class TermNotFound(GlossaryError):
    """No term (or no equivalent of a term) matches what was asked for."""


class DuplicateTerm(GlossaryError):
    """A term with this Chinese form is already in the glossary."""


class InvalidStatus(GlossaryError):
    """A status outside the TBX set proposed/preferred/admitted/deprecated/rejected."""


class InvalidField(GlossaryError):
    """A required field is empty or a value is out of range."""


class StoreUnavailable(GlossaryError):
    """The database is locked, missing, unwritable or unreachable."""


class StoreConflict(GlossaryError):
    """A change broke a database constraint because another change raced it; retry it."""


class ImportFormatError(GlossaryError):
    """A glossary file has malformed rows; nothing of it was imported.

    Every problem is collected before raising, so the user fixes the file once instead
    of once per row.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        listing = "; ".join(self.problems)
        super().__init__(
            f"{source}: {len(self.problems)} malformed row(s), nothing imported: {listing}"
        )
