"""The commands behind ``python -m book``: ``importer`` (import), ``index``, ``check``,
``new`` and ``serve``; ``book.cli`` parses the command line and calls them, and builds go
through ``book.engine``."""
