"""Chinese search for the book: fold (one normal form), index (n-grams and shards, pure
data), shards (the index on disk and in the site), sphinx (the build's hooks).  The
search page's script is ``book/site/theme/static/booksearch.js``."""
