"""PDF/A-2b: the export settings LibreOffice is given, and keeping the identification on rewrite.

LibreOffice writes a PDF/A-2b file when its PDF export gets ``SelectPdfVersion=2``: an XMP
metadata stream with ``pdfaid:part`` 2 and ``pdfaid:conformance`` B, an sRGB output intent, fonts
embedded, no encryption. Whatever the service rewrites with pypdf afterwards (the parts split
out of a combined conversion, repeated ballots, the merged print PDF) builds a new catalog,
which would drop that identification: ``carry`` copies it (and the document information, which
PDF/A wants to agree with the XMP) from the PDF LibreOffice made into the one written, and
``set_xmp`` writes a fresh XMP packet when the title changes (the print PDF).
"""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

FORMATS = ("pdfa-2b", "pdf")  # the values of PDF_FORMAT
# the PDF export filter's settings of each format (``Name=value``, unoserver's filter options)
_OPTIONS = {
    "pdfa-2b": ("SelectPdfVersion=2", "ExportFormFields=false", "EncryptFile=false"),
    "pdf": ("ExportFormFields=false", "EncryptFile=false"),
}
_CATALOG = ("/Metadata", "/OutputIntents", "/Lang")  # what identifies the file as PDF/A


def export_options(pdf_format: str) -> tuple[str, ...]:
    """The PDF export settings of *pdf_format* (``PDF_FORMAT``: ``pdfa-2b`` or ``pdf``)."""
    try:
        return _OPTIONS[pdf_format]
    except KeyError:
        raise ValueError(f"PDF_FORMAT must be one of {', '.join(FORMATS)}, not {pdf_format!r}") from None


def carry(source: PdfReader, writer: PdfWriter) -> None:
    """Give *writer* the PDF/A identification and document information of *source*, if it has them."""
    root = source.root_object
    for key in _CATALOG:
        if key in root:
            value = root[key].get_object()
            if value is None:
                continue
            clone = value.clone(writer)
            writer._root_object[NameObject(key)] = (
                writer._add_object(clone) if key == "/Metadata" else clone)
    if source.metadata is not None:
        info = DictionaryObject({NameObject(k): TextStringObject(str(v))
                                 for k, v in source.metadata.items()})
        writer.add_metadata(info)


def pdfa_part(reader: PdfReader) -> str | None:
    """``2B`` when *reader*'s XMP identifies it as PDF/A-2b (part and conformance), else None."""
    xmp = reader.xmp_metadata
    if xmp is None:
        return None
    text = xmp.stream.get_data().decode("utf-8", "replace")
    part = _PART.search(text)
    if part is None:
        return None
    level = _LEVEL.search(text)
    return part.group(1) + (level.group(1) if level else "")


_PART = re.compile(r"pdfaid:part(?:>|=[\"'])\s*(\d)")
_LEVEL = re.compile(r"pdfaid:conformance(?:>|=[\"'])\s*([ABU])")
_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{producer}</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate><xmp:ModifyDate>{when}</xmp:ModifyDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def set_xmp(writer: PdfWriter, title: str, producer: str, when: dt.datetime) -> None:
    """Write a PDF/A-2b XMP packet and the matching document information (*title*, *producer*)."""
    stamp = when.astimezone(dt.UTC).replace(microsecond=0)
    packet = _XMP.format(title=escape(title), producer=escape(producer),
                         when=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    stream = DecodedStreamObject()
    stream.set_data(packet.encode("utf-8"))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/Title": title, "/Producer": producer, "/Creator": producer,
                         "/CreationDate": pdf_date, "/ModDate": pdf_date})
