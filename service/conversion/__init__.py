"""Converting DOCX to PDF: the converter protocol, each worker's LibreOffice behind unoserver, combining."""
