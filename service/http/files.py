"""Files sent to the browser: their types, names, and a redirect to the store when it signs URLs.

A stored file is streamed from the store's own stream (an open file on disk: werkzeug sends
it in chunks, with its size), never read into memory first.

A download is named so that a person can file it as it comes: the document, the chi bộ and
the day of the meeting (``bien-ban-kiem-diem-chi-bo-thon-dong-2025-12-05.pdf``), all
``slug()``; the storage keys stay what they are.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import cast

from flask import Response, redirect, send_file

from service.documents.common import slug
from service.errors import ServiceError
from service.extensions import get_storage

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX = FORMATS["xlsx"]


def file_stem(unit_name: str | None, meeting_date: date | None, title: str, year: int | None = None) -> str:
    """``chi-bo-thon-dong-2025-12-05``: the chi bộ and the day of the meeting, for file names.

    Without a day (a summary with no report date, a job made before days were recorded) the
    year stands in for it (``…-nam-2025``), or the whole title.
    """
    if unit_name is None:
        return slug(title)
    when = meeting_date.isoformat() if meeting_date else f"nam-{year}" if year else ""
    return "-".join(part for part in (slug(unit_name), when) if part)


def document_filename(name: str, fmt: str, stem: str, revision: int | None = None) -> str:
    """``bien-ban-kiem-diem-<stem>.pdf``; an earlier revision's ends in ``-phien-ban-<n>``."""
    again = f"-phien-ban-{revision}" if revision is not None else ""
    return f"{slug(name)}-{stem}{again}.{fmt}"


def send(data: bytes, fmt: str, filename: str) -> Response:
    """A file download; PDFs open in the browser, the rest are attachments."""
    mimetype = FORMATS.get(fmt, "application/zip")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=fmt != "pdf",
                     download_name=filename)


def send_stored(key: str, fmt: str, filename: str) -> Response:
    """A stored file: a redirect to a short-lived URL of the store if it gives one, else streamed."""
    storage = get_storage()
    url = storage.url_for_download(key, filename, FORMATS.get(fmt, "application/zip"),
                                   as_attachment=fmt != "pdf")
    if url is None:  # streamed from the store (a file on disk, an S3 body), never read whole
        return send_file(storage.open(key), mimetype=FORMATS.get(fmt, "application/zip"),
                         as_attachment=fmt != "pdf", download_name=filename)
    # flask types redirect() as werkzeug's Response; it makes the app's own response_class
    response = cast(Response, redirect(url, 302))
    response.headers["Cache-Control"] = "no-store"  # the URL expires; never reuse the redirect
    return response


def first_page_png(pdf: bytes, dpi: int = 24) -> bytes:
    """A small picture of the first page of *pdf* (pdftoppm, 24 dpi unless told)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1",
                            str(source), str(Path(folder) / "page")], check=True, timeout=30,
                           capture_output=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise ServiceError("Không tạo được ảnh xem trước.") from exc
        return (Path(folder) / "page.png").read_bytes()
