"""What a build prints: Sphinx's whole log to a file, a progress bar and a short report on
the terminal.

Sphinx, myst-nb and the data notebook's kernel each write to the process's standard streams:
configuration dumps, a line per page, a kernel transport warning.  A :class:`Capture`
sends all of it to ``_build/build.log``, at the file-descriptor level too, so the kernel
and forked readers and writers (which inherit descriptors 1 and 2) land there as well.
From the lines Sphinx writes it keeps what a person building the book needs: how far
reading and writing are (a tqdm bar, on a terminal only), every warning, and the other
lines of the error stream, shown when the build fails.  ``live=True`` (``build -v``)
shows everything as it comes and still writes the log.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Sphinx's status_iterator: "reading sources... [ 45%] notebooks/x" and "writing output... [ 45%] …".
_PROGRESS = re.compile(r"^(reading sources|writing output)\.\.\. \[\s*(\d+)%\]")
# A warning as Sphinx's warning stream writes it: "path:line: WARNING: message", or without location.
_WARNING = re.compile(r"^(?:(?P<where>.*?): )?(?P<level>WARNING|ERROR|CRITICAL): (?P<message>.*)$")
_PHASES = {"reading sources": "reading", "writing output": "writing"}


@dataclass
class BuildReport:
    """What one build did, for the summary the command prints."""

    log: Path
    read: int = 0
    written: int = 0
    warnings: list[str] = field(default_factory=list)
    # Other lines of the error stream: a traceback, a failed notebook; shown when the build fails.
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


class _Stream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` while a build runs: every line to the log, each complete
    line to ``on_line`` (in this process only: forked workers inherit the object, and their
    lines reach the parent through Sphinx's own log collection), and with ``echo`` to the
    terminal as well."""

    def __init__(self, log_fd: int, fd: int, on_line: Callable[[str], None], echo: IO[str] | None) -> None:
        super().__init__()
        self._log_fd, self._fd, self._on_line, self._echo = log_fd, fd, on_line, echo
        self._pid = os.getpid()
        self._pending = ""
        self._echo_colour = echo is not None and echo.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fd

    def write(self, text: str) -> int:
        plain = _ANSI.sub("", text)
        os.write(self._log_fd, plain.encode("utf-8", "backslashreplace"))
        if self._echo is not None:
            # Sphinx colours its log whatever the stream; only a terminal shows colours.
            self._echo.write(text if self._echo_colour else plain)
            self._echo.flush()
        if os.getpid() == self._pid:
            lines = re.split(r"[\r\n]", self._pending + plain)
            self._pending = lines.pop()
            for line in lines:
                if line.strip():
                    self._on_line(line)
        return len(text)

    def flush(self) -> None:
        if self._echo is not None:
            self._echo.flush()

    def finish(self) -> None:
        if self._pending.strip() and os.getpid() == self._pid:
            self._on_line(self._pending)
        self._pending = ""


class Capture:
    """One build's output; ``with capture.running():`` around everything the build runs
    (the kernel starts inside it), ``with capture.sphinx():`` around Sphinx itself."""

    def __init__(self, log: Path, root: Path, live: bool = False, terminal: IO[str] | None = None) -> None:
        self.report = BuildReport(log)
        self._root = str(root).rstrip("/") + "/"
        self._live = live
        self._terminal = terminal
        self._bar: Any = None
        self._phase = ""
        self._log_fd = -1
        self._saved: tuple[int, int] | None = None
        self._out: IO[str] | None = None
        self._err: IO[str] | None = None

    @contextmanager
    def running(self) -> Iterator[BuildReport]:
        start = time.monotonic()
        self.report.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_fd = os.open(self.report.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        sys.stdout.flush()
        sys.stderr.flush()
        self._saved = (os.dup(1), os.dup(2))
        self._out = open(self._saved[0], "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
        self._err = open(self._saved[1], "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
        if self._terminal is None:
            self._terminal = self._err
        if not self._live:
            os.dup2(self._log_fd, 1)
            os.dup2(self._log_fd, 2)
        old = sys.stdout, sys.stderr
        # Until Sphinx runs (the index prints its report), lines go to the terminal and the log.
        sys.stdout = _Stream(self._log_fd, 1, lambda line: None, self._out)
        sys.stderr = _Stream(self._log_fd, 2, lambda line: None, self._err)
        active.append(self)
        try:
            yield self.report
        finally:
            active.remove(self)
            self._close_bar()
            sys.stdout, sys.stderr = old
            os.dup2(self._saved[0], 1)
            os.dup2(self._saved[1], 2)
            self._out.close()
            self._err.close()
            for fd in (*self._saved, self._log_fd):
                os.close(fd)
            self.report.seconds = time.monotonic() - start

    @contextmanager
    def sphinx(self) -> Iterator[None]:
        """Sphinx's streams: ``build_sphinx`` takes ``sys.stdout`` and ``sys.stderr`` when called."""
        assert self._out is not None and self._err is not None, "sphinx() outside running()"
        old = sys.stdout, sys.stderr
        echo_out, echo_err = (self._out, self._err) if self._live else (None, None)
        status = _Stream(self._log_fd, 1, self._status_line, echo_out)
        warning = _Stream(self._log_fd, 2, self._warning_line, echo_err)
        sys.stdout, sys.stderr = status, warning
        try:
            yield
        finally:
            status.finish()
            warning.finish()
            self._close_bar()
            sys.stdout, sys.stderr = old

    def pages_read(self, count: int) -> None:
        self.report.read += count

    def pages_written_since(self, html: Path, since: float) -> None:
        """Pages Sphinx wrote in this build: HTML files it touched, outside the top-level asset
        folders (``_static``, ``_search``, ``_sources``, …)."""
        count = 0
        for folder, dirs, files in os.walk(html):
            if folder == str(html):
                dirs[:] = [d for d in dirs if not d.startswith("_")]
            for name in files:
                if name.endswith(".html") and os.stat(os.path.join(folder, name)).st_mtime >= since:
                    count += 1
        self.report.written = count

    def _status_line(self, line: str) -> None:
        match = _PROGRESS.match(line)
        if match is None or self._live:
            return
        phase = _PHASES[match.group(1)]
        if phase != self._phase:
            self._close_bar()
            self._phase = phase
            self._bar = self._new_bar(phase)
        if self._bar is not None:
            self._bar.n = int(match.group(2))
            self._bar.refresh()

    def _warning_line(self, line: str) -> None:
        match = _WARNING.match(line)
        if match is None:
            self.report.problems.append(line)
            return
        where = match.group("where") or ""
        where = where.removeprefix(self._root)
        level = match.group("level")
        message = match.group("message") if level == "WARNING" else f"{level.lower()}: {match.group('message')}"
        self.report.warnings.append(f"{where}: {message}" if where else message)

    def _new_bar(self, phase: str) -> Any:
        terminal = self._terminal
        if terminal is None or not terminal.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=100, desc=f"build: {phase}", file=terminal, bar_format="{desc} {bar:40} {n:3d}%")

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar = None
        self._phase = ""


# The capture of the build running in this process, for the engine's Sphinx listeners.
active: list[Capture] = []


def pages_read(count: int) -> None:
    """From ``env-before-read-docs``: how many pages this build reads."""
    for capture in active:
        capture.pages_read(count)
