"""The DOCX templates of chibo-docs and the Python that builds them.

``forms/`` holds one module per template, composed from the shared pieces that ``layout``
re-exports; ``python -m doc_templates.build`` rewrites every ``*.docx`` here. The service
reads the built ``.docx`` files only and never imports this package.
"""
