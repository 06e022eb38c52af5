"""Each organisation's own DOCX templates: versions by content hash, checked, previewed, chosen.

``models`` holds the table; ``versions`` uploads, lists, activates and chooses (which version
makes a document now); ``preview`` fills a version with a sample or a job's data to PDF.
"""
