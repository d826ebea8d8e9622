"""Errors that arnews reports as one clear line instead of a traceback."""

from __future__ import annotations


class ArnewsError(Exception):
    """An expected failure: bad input, missing data, a refused file.

    ``path`` names the input the error is about, when there is one; the message is
    written as ``arnews: PATH: MESSAGE`` on stderr.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.path}: {message}" if self.path else message
