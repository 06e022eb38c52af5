"""The Vietnamese web pages: one module per page family, its form beside it, the Jinja
templates and the static files. Pages call ``actions`` like the API does, never ``api/``.
"""
