"""Chinese web articles → MyST notebooks → a Jupyter Book."""

__version__ = "0.1.0"
