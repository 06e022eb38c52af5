"""DOCX → PDF conversion behind a small protocol.

``UnoserverConverter`` is the real engine: a warm LibreOffice through unoserver, either
one this process owns (``OfficeProcess``, reached through its private Unix socket) or one
already running at a TCP address (``UNOSERVER_ADDRESS``). Documents go as bytes both ways.
Tests of single units use ``tests.support.fakes.FakeConverter``; the main path never does.
"""

from __future__ import annotations

import contextlib
import http.client
import time
import xmlrpc.client
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from unoserver.client import UnoClient

from service.conversion.metrics import CONVERSION_SECONDS
from service.conversion.office import OfficeProcess
from service.errors import ConversionError, ConverterUnavailableError
from service.pdfa import export_options


class Converter(Protocol):
    """Anything that turns DOCX bytes into PDF bytes."""

    def to_pdf(self, docx: bytes, *, options: Sequence[str] = ()) -> bytes:
        """Convert one document; *options* are PDF export settings (``Name=value``)."""
        ...


# what unoserver answers when the LibreOffice behind it has died or been killed
_DEAD_OFFICE = ("DisposedException", "bridge", "DeadObject", "RuntimeException", "Broken pipe")


@contextlib.contextmanager
def map_conversion_errors() -> Iterator[None]:
    """Turn unoserver/xmlrpc failures into ConversionError or ConverterUnavailableError."""
    try:
        yield
    except (ConnectionError, http.client.HTTPException, xmlrpc.client.ProtocolError) as exc:
        raise ConverterUnavailableError(f"Không kết nối được LibreOffice: {exc}") from exc
    except xmlrpc.client.Fault as exc:
        if "TimeoutError" in exc.faultString:  # unoserver's --conversion-timeout: it has exited
            raise ConverterUnavailableError("LibreOffice không chuyển xong tài liệu trong thời gian "
                                            "cho phép (CONVERSION_TIMEOUT).") from exc
        if any(sign in exc.faultString for sign in _DEAD_OFFICE):
            raise ConverterUnavailableError(f"LibreOffice đã dừng: {exc.faultString[:200]}") from exc
        raise ConversionError(f"LibreOffice không chuyển được tài liệu: {exc.faultString}") from exc
    except OSError as exc:
        raise ConverterUnavailableError(f"Lỗi kết nối LibreOffice: {exc}") from exc


class UnoserverConverter:
    """Converts through one unoserver instance, owned or external."""

    def __init__(self, office: OfficeProcess | None = None, *, host: str = "127.0.0.1",
                 port: int = 0, pdf_format: str = "pdfa-2b") -> None:
        if office is None and not port:
            raise ValueError("UnoserverConverter needs an OfficeProcess or a port")
        self.office = office
        # every conversion gets these first (PDF_FORMAT: PDF/A-2b, no form fields, no encryption)
        self.base_options = export_options(pdf_format)
        self.host = host
        self.port = port
        self.conversions = 0

    def to_pdf(self, docx: bytes, *, options: Sequence[str] = ()) -> bytes:
        """Convert *docx* to PDF bytes; raise ConverterUnavailableError when LibreOffice is gone."""
        if self.office is not None:
            self.office.ensure_ready()
        started = time.monotonic()
        try:
            with map_conversion_errors():
                pdf = self._convert(docx, [*self.base_options, *options])
        except BaseException as exc:
            # LibreOffice gone or timed out (unoserver may outlive it), or the conversion
            # interrupted (the task's soft time limit): this one is not used again. Only a
            # document LibreOffice refused leaves it running.
            refused = isinstance(exc, ConversionError) and not isinstance(exc, ConverterUnavailableError)
            if self.office is not None and not refused:
                self.office.stop()
            raise
        if self.office is not None and not self.office.running:
            # unoserver exits after --conversion-timeout: whatever came back is not trustworthy
            raise ConverterUnavailableError("LibreOffice đã dừng trong khi chuyển đổi.")
        if not isinstance(pdf, bytes | bytearray) or not bytes(pdf).startswith(b"%PDF-"):
            raise ConversionError("LibreOffice không trả về tệp PDF.")
        self.conversions += 1
        CONVERSION_SECONDS.observe(time.monotonic() - started)
        if self.office is not None:
            self.office.converted()
        return bytes(pdf)

    def _convert(self, docx: bytes, options: list[str]) -> Any:
        if self.office is None:  # an external unoserver, over TCP
            client = UnoClient(server=self.host, port=str(self.port), host_location="remote")
            return client.convert(indata=docx, convert_to="pdf", filter_options=options)
        # unoserver's convert(inpath, indata, outpath, convert_to, filtername, filter_options,
        # update_index, infiltername, password): the document as bytes, the PDF back as bytes
        with self.office.rpc() as proxy:
            result = proxy.convert(None, docx, None, "pdf", None, options, True, None, None)
        return result.data if isinstance(result, xmlrpc.client.Binary) else result

    def close(self) -> None:
        """Stop the owned LibreOffice, if any."""
        if self.office is not None:
            self.office.stop()
