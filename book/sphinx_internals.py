"""Which Sphinx the build's speed-ups were written against.

``book.search``, ``book.parallel_read`` and ``book.parallel_write`` replace or
call private parts of Sphinx's builder and search index (7.4, pinned in
requirements.txt).  Under another Sphinx they stand aside and Sphinx builds
the same site its own, slower way, rather than guess at internals that may
have changed.
"""

from __future__ import annotations

import sphinx

KNOWN = (7, 4)


def known() -> bool:
    return tuple(sphinx.version_info[:2]) == KNOWN
