"""The errors the core raises for a person to read.

Every message is one sentence an officer can act on. The CLI prints it as one
line on stderr and the window shows it in a message box; neither shows a
traceback.
"""


class LgaError(Exception):
    """Base of every error whose message is meant for the user."""


class UsageError(LgaError):
    """The request itself is wrong (a missing file, an unknown council code)."""


class NotValidError(LgaError):
    """The thing checked is not valid (validation failed, signature bad): CLI exit 1."""
