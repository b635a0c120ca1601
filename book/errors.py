"""Problems with inputs, reported as ``file:line: what is wrong (what to do)``."""

from __future__ import annotations

import errno
import re

# Characters that would let a file name forge or garble a report line: line
# breaks and other controls, and the lone surrogates Python uses for bytes of
# a name that are not UTF-8 (printing them raises UnicodeEncodeError).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def shown(name: object, backslashes: bool = True) -> str:
    """``name`` as it may appear in a message: one line, printable, every byte still told apart
    (``backslashes``: a backslash doubled, so a name holding ``\\x0a`` is not a line break)."""

    def escape(m: re.Match[str]) -> str:
        code = ord(m.group(0))
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    text = str(name).replace("\\", "\\\\") if backslashes else str(name)
    return _UNSAFE.sub(escape, text)


class BookError(Exception):
    """A problem with one input file; the batch it belongs to goes on without it."""

    def __init__(self, path: str, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[type[BookError], tuple[str, int, str, str]]:
        # Workers send their errors back pickled; Exception's own reduce
        # would call __init__ with the message alone.
        return (type(self), (self.path, self.line, self.message, self.hint))

    def __str__(self) -> str:
        where = f"{shown(self.path)}:{self.line}" if self.line else f"{shown(self.path)}:1"
        hint = f" ({shown(self.hint, False)})" if self.hint else ""
        return f"{where}: {shown(self.message, False)}{hint}"


# A full disk is no fault of one file: the command stops, the book as it was.
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


class DiskFull(Exception):
    """The disk filled up: the command stops with this one line, having changed nothing it had not finished."""


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in NO_SPACE


_OS_HINTS = {
    errno.ENAMETOOLONG: "shorten the file or folder name",
    errno.EACCES: "make it readable and its folder writable (chmod), or leave it out",
    errno.EPERM: "make it readable and its folder writable (chmod), or leave it out",
    errno.ENOENT: "it went away during the import; run the import again",
    errno.EISDIR: "give a capture file, not a folder",
    errno.ELOOP: "replace the symbolic link loop by the file itself",
    errno.EROFS: "import into a book on a writable disk",
}


def from_os_error(path: object, doing: str, exc: OSError) -> BookError:
    """The per-file report of an OSError while ``doing`` something with ``path``'s capture."""
    what = exc.strerror or type(exc).__name__
    if exc.filename is not None and str(exc.filename) != str(path):
        what += f": {exc.filename}"
    return BookError(
        str(path), 1, f"cannot {doing}: {what}", _OS_HINTS.get(exc.errno or 0, "check the file and its folder")
    )
