"""The spreadsheets a user uploads or downloads: the đảng bộ workbook, safe cells, the summary as XLSX."""
