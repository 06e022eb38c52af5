"""One module per template; each has ``TITLE`` and ``compose(doc)``."""
