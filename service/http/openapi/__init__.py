"""The OpenAPI 3.1 description of ``/api/v1``: the document and its blueprint
(``description``), the shared parts (``components``) and one module per resource family.
"""
