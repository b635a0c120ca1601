"""Chinese search for the book: ``fold`` (one normal form), ``index`` (n-grams and shards,
pure data), ``shards`` (the index on disk and in the site), ``query`` (answers from a built
site, as the page does).  The build's hooks are ``book.site.search``; the search page's
script is ``book/site/theme/static/booksearch.js``."""
