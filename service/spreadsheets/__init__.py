"""Every spreadsheet a user uploads or downloads: the đảng bộ workbook, the roster's lists, the summary.

Uploaded tables are read here only (``tables`` for the roster's lists, ``cells`` and ``reader``
for the workbook), and every cell written goes through ``text``.
"""
