"""The use cases the API and the pages share: find, list, submit, correct, download, sign, templates.

A use case takes plain values and returns plain values or raises a ``ServiceError``; it never
reads the request's body or writes an answer. ``api/`` and ``pages/`` call these, never each other.
"""
