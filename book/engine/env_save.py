"""Sphinx saves its environment while the pages are written, not before.

Between reading and writing, Sphinx pickles its environment to
``_build/.doctrees/environment.pickle`` so the next build can start from it,
and no page is written until that is done: 1.7 s for the 58 MB environment of
a 10,000-article book, on every build that read anything, a tenth of an edit's
rebuild.  Here a forked child writes the same bytes (the fork is a snapshot of
the environment at the moment Sphinx would have pickled it) while the parent
goes on to write the pages; ``build-finished`` waits for the child, so the file
is whole when the build returns.  If the child fails, the file is removed and
the next build reads every page again, as Sphinx does after a failed build.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import traceback
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import patches

logger = logging.getLogger(__name__)

# (pid, path) of the children still writing an environment.
_writers: list[tuple[int, str]] = []
# ``book serve`` sets this to False: its builds return without waiting for the child, which
# writes while the server idles; a later save stops it (it writes what that one replaces), and
# the server waits for the last one when it stops.
wait_at_finish = True


class _PickleInBackground:
    """``pickle`` as ``sphinx.builders`` sees it: ``dump`` of an environment forks."""

    def __getattr__(self, name: str) -> Any:
        return getattr(pickle, name)

    @staticmethod
    def dump(obj: Any, file: IO[bytes], protocol: int | None = None) -> None:
        if not isinstance(obj, BuildEnvironment) or not hasattr(os, "fork"):
            pickle.dump(obj, file, protocol)
            return
        name = str(getattr(file, "name", ""))
        _stop_superseded(name)
        file.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: write, and leave without running the parent's exit handlers
            status = 1
            try:
                if name:
                    # Beside the file, then renamed over it: a writer stopped half way (below)
                    # leaves no half file under the real name.
                    with open(_temporary(name, os.getpid()), "wb") as out:
                        pickle.dump(obj, out, protocol)
                    os.replace(_temporary(name, os.getpid()), name)
                else:
                    pickle.dump(obj, file, protocol)
                    file.flush()
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)
        _writers.append((pid, name))


def _temporary(name: str, pid: int) -> str:
    return f"{name}.{pid}.tmp"


def _stop_superseded(name: str) -> None:
    """A writer of the same file still at work (``book serve`` does not wait for them) writes an
    environment this one replaces: stop it rather than wait for it."""
    for pid, path in [w for w in _writers if w[1] == name and name]:
        _writers.remove((pid, path))
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        with contextlib.suppress(FileNotFoundError):
            os.unlink(_temporary(path, pid))


def _wait_at_finish(app: Sphinx, exception: BaseException | None) -> None:
    if wait_at_finish:
        wait_for_writers(app, exception)


def wait_for_writers(app: Sphinx | None = None, exception: BaseException | None = None) -> None:
    """``build-finished``: the environment file is whole (or gone) when the build returns."""
    while _writers:
        pid, path = _writers.pop()
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped by someone else: its status is lost, so trust nothing
            status = -1
        if status != 0:
            if path and os.path.exists(path):
                os.unlink(path)
            logger.warning(
                "could not save the build environment in the background (status %s); "
                "the next build will read every page again",
                status,
            )


def _install(app: Sphinx, config: Any) -> None:
    """``config-inited``, after the engine has been turned on or off for this application."""
    import sphinx.builders

    if patches.replace(
        sphinx.builders, "pickle", _PickleInBackground(), package="sphinx", name="environment saved aside"
    ):
        # Before anything else that runs at the end of a build.
        app.connect("build-finished", _wait_at_finish, priority=0)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _install, priority=2)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
