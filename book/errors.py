"""Problems with inputs, reported as ``file:line: what is wrong (what to do)``."""

from __future__ import annotations


class BookError(Exception):
    """A problem with one input file; the batch it belongs to goes on without it."""

    def __init__(self, path: str, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}:1"
        return f"{where}: {self.message}" + (f" ({self.hint})" if self.hint else "")
