"""Which Sphinx the build's speed-ups were written against.

``book.parallel_read``, ``book.parallel_write`` and others replace or call
private parts of Sphinx's builder (7.4, pinned in
requirements.txt).  Under another Sphinx they stand aside and Sphinx builds
the same site its own, slower way, rather than guess at internals that may
have changed.
"""

from __future__ import annotations

import sphinx

KNOWN = (7, 4)


def known() -> bool:
    return tuple(sphinx.version_info[:2]) == KNOWN
