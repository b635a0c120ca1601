"""Forked workers: as many as the cores this process may use, and they end with the
process that forked them.

A worker blocked on a pipe to a parent that was killed (even with ``kill -9``,
which runs no clean-up) would wait forever, holding hundreds of megabytes.
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity, which a container may narrow)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when ``parent`` (the pid that forked it) ends.

    Call it first thing in a forked child.  Linux only; elsewhere workers still
    notice a closed pipe the next time they use it.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    # The parent may have died between the fork and the prctl: then no signal comes.
    if os.getppid() != parent:
        os._exit(1)
