"""Domain errors. Each carries a message that tells the user what to fix.

The command line prints ``str(error)`` on one line and exits 2; the HTTP service maps
each class to a 4xx status once, in an exception handler.
"""


class DuiqiError(Exception):
    """Base class for every error a user can cause and fix."""


class InputError(DuiqiError):
    """The input text cannot be used: empty, binary, undecodable, too large, ..."""


class LanguageError(InputError):
    """The two texts are not one Chinese and one English text."""


class GoldFormatError(DuiqiError):
    """A gold or predicted alignment file does not follow the ``[i, j]:[k]`` format."""


class ModelError(DuiqiError):
    """An encoder cannot be loaded: unknown name, missing package, bad path."""


class CacheError(DuiqiError):
    """The embedding cache cannot be used: its folder is a file, or it cannot be written."""
