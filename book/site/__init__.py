"""The site: the Sphinx extension that says what the book is (navigation, titles, data
dependencies, search, execution only where named), the generated pages and toc, the
theme's templates and scripts, and the link checker of the built site.

``book.site`` is the extension ``_config.yml`` lists; it sets the engine up itself.
"""

from .extension import setup

__all__ = ["setup"]
