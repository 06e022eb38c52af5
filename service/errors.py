"""The one exception hierarchy of chibo-docs.

Every error the service raises on purpose is a ``ServiceError``. Third-party errors
(pydantic, docxtpl/jinja2, unoserver/xmlrpc, SQLAlchemy, boto3/botocore) are wrapped where they are
caught; the HTTP layer (``service.problems``) turns each class into an
``application/problem+json`` answer, with a Vietnamese ``detail``.

    ServiceError
    ├── InvalidMeetingError      the meeting data is malformed or does not add up   (422)
    │   └── InvalidRosterError   a roster (or its spreadsheet) has failing fields   (422)
    ├── UnknownDocumentTypeError ?documents= names a type the meeting does not have (422)
    ├── InvalidTemplateError     an uploaded DOCX template is refused (every reason)  (422)
    ├── BadRequestError          the request itself is unusable (not JSON, too big)  (400)
    │   └── UnsupportedMediaTypeError
    │                            the body is of a type the endpoint does not take   (415)
    ├── UnauthorizedError        no valid token or session                           (401)
    ├── ForbiddenError           signed in, but the role may not do this; bad CSRF   (403)
    ├── TooManyAttemptsError     too many wrong passwords or tokens: wait            (429)
    ├── NotFoundError            unknown job or document                             (404)
    ├── NotReadyError            the document exists but is not built yet            (409)
    │   ├── RecordMissingError   a task's document row is not visible yet (retried)
    │   └── PackageNotReadyError the ZIP or print PDF is being built (Retry-After)
    ├── ConflictError            the request does not fit the object's state         (409)
    │                            (a chi bộ's job of a batch deleted alone, a draft)
    ├── SignatureError           a signed copy sent back is not taken                (422)
    │   ├── UnsignedFileError    the PDF carries no signature
    │   ├── SignatureAlteredError
    │   │                        the signature is broken or the file changed after it
    │   └── OtherDocumentError   what was signed is not this document
    ├── StorageError             the document store refused (credentials, bucket)    (500)
    │   └── StorageUnavailableError
    │                            the document store does not answer (retried)       (503)
    ├── QueueUnavailableError    Redis (the queue) does not answer: nothing is kept  (503)
    └── DocumentError            building a document failed                          (500)
        ├── RenderError          docxtpl could not fill the template (not retried)
        ├── ConversionError      LibreOffice refused the file (not retried)
        │   └── ConverterUnavailableError
        │                        no LibreOffice answered, or it timed out (retried)
        └── PoisonDocumentError  a document took LibreOffice down twice: set aside
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One failing field: its path in the submitted data and a Vietnamese message.

    Problems found in an uploaded workbook also name the sheet, row and column.
    """

    field: str
    detail: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form used in problem documents."""
        body: dict[str, Any] = {"field": self.field, "detail": self.detail}
        if self.sheet is not None:
            body.update(sheet=self.sheet, row=self.row, column=self.column)
        return body


class ServiceError(Exception):
    """Base class; carries the problem fields the HTTP layer sends."""

    status = 500
    type = "internal-error"
    title = "Lỗi hệ thống"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidMeetingError(ServiceError):
    """Raised when meeting data fails validation or its figures do not add up."""

    status = 422
    type = "invalid-meeting"
    title = "Dữ liệu hội nghị không hợp lệ"

    def __init__(self, problems: list[FieldProblem]) -> None:
        detail = "; ".join(f"{p.field}: {p.detail.rstrip('.')}" for p in problems[:5])
        if len(problems) > 5:
            detail += f"; và {len(problems) - 5} lỗi khác"
        super().__init__(detail)
        self.problems = problems


class InvalidRosterError(InvalidMeetingError):
    """Raised when a chi bộ's roster, sent as JSON or read from a spreadsheet, has failing fields."""

    type = "invalid-roster"
    title = "Danh sách đảng viên không hợp lệ"


class InvalidInputError(InvalidMeetingError):
    """Raised when a unit, an account, a season or a decision has failing fields."""

    type = "invalid-input"
    title = "Dữ liệu nhập không hợp lệ"


class UnknownDocumentTypeError(ServiceError):
    """Raised when a request asks for a document type its meeting kind does not have."""

    status = 422
    type = "unknown-document-type"
    title = "Loại tài liệu không có"


class InvalidTemplateError(ServiceError):
    """Raised when an uploaded template fails its check; ``errors`` lists every reason."""

    status = 422
    type = "invalid-template"
    title = "Mẫu văn bản không dùng được"


class InvalidDocumentFileError(ServiceError):
    """Raised when a document edited in Word and uploaded fails its check; ``errors`` lists why."""

    status = 422
    type = "invalid-document-file"
    title = "Tệp Word không dùng được"


class BadRequestError(ServiceError):
    """Raised when a request cannot be read at all (wrong type, not JSON, too large)."""

    status = 400
    type = "bad-request"
    title = "Yêu cầu không hợp lệ"


class UnauthorizedError(ServiceError):
    """Raised when a request carries no valid API token or session."""

    status = 401
    type = "unauthorized"
    title = "Chưa đăng nhập"


class TooManyAttemptsError(ServiceError):
    """Raised when an account or an address has had too many wrong passwords or tokens lately.

    ``retry_after`` (seconds) goes out as the ``Retry-After`` header and in the problem.
    """

    status = 429
    type = "too-many-attempts"
    title = "Thử quá nhiều lần"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {_wait(retry_after)}.",
                         retry_after=retry_after)
        self.retry_after = retry_after


def _wait(seconds: int) -> str:
    """``45 giây``, ``3 phút``: a wait in Vietnamese words."""
    return f"{seconds} giây" if seconds < 90 else f"{math.ceil(seconds / 60)} phút"


class ForbiddenError(ServiceError):
    """Raised when the caller's role may not do this (or a form's CSRF token is wrong).

    Another organisation's jobs and documents are never Forbidden: they are NotFound.
    """

    status = 403
    type = "forbidden"
    title = "Không có quyền"


class UnsupportedMediaTypeError(BadRequestError):
    """Raised when the body's Content-Type is not one the endpoint accepts."""

    status = 415
    type = "unsupported-media-type"
    title = "Kiểu nội dung không được hỗ trợ"


class NotFoundError(ServiceError):
    """Raised when a job or document id is unknown (or not visible to the caller)."""

    status = 404
    type = "not-found"
    title = "Không tìm thấy"


class LinkGoneError(NotFoundError):
    """Raised when a personal link was revoked or has expired: it no longer works."""

    status = 410
    type = "link-gone"
    title = "Liên kết không còn dùng được"


class NotReadyError(ServiceError):
    """Raised when a document is asked for before it has been built."""

    status = 409
    type = "not-ready"
    title = "Tài liệu chưa sẵn sàng"


class PackageNotReadyError(NotReadyError):
    """Raised when a finished job's or batch's ZIP or print PDF is not built yet (it is queued)."""

    type = "package-not-ready"
    title = "Gói tài liệu đang được đóng gói"
    retry_after = 5  # seconds: a job's package takes a second or two, a batch's a few more


class PackageFailedError(NotReadyError):
    """Raised when a package's last build failed: it is not queued again until someone retries."""

    type = "package-failed"
    title = "Không đóng gói được"


class ConflictError(ServiceError):
    """Raised when a request does not fit the state of its object (it can be done otherwise).

    A chi bộ's job of a đảng ủy batch cannot be deleted alone (the batch's summary and ZIP
    count it), a draft has no documents yet, a job with documents is no draft.
    """

    status = 409
    type = "conflict"
    title = "Không thực hiện được với trạng thái hiện tại"


class RecordMissingError(NotReadyError):
    """Raised when a task is given a document id its database does not show (yet); retried."""


class SignatureError(ServiceError):
    """Raised when a signed copy (or a scanned one) sent back for a document is not taken."""

    status = 422
    type = "invalid-signed-copy"
    title = "Bản đã ký không hợp lệ"

    def __init__(self, detail: str, field: str = "file") -> None:
        super().__init__(detail, errors=[{"field": field, "detail": detail}])


class UnsignedFileError(SignatureError):
    """Raised when a PDF sent as signed carries no digital signature."""

    type = "unsigned-file"
    title = "Tệp chưa được ký số"


class SignatureAlteredError(SignatureError):
    """Raised when a signature does not verify, leaves part of the file out, or the file changed after it."""

    type = "signature-altered"
    title = "Tệp đã bị sửa sau khi ký"


class OtherDocumentError(SignatureError):
    """Raised when the signed content is not the document it was sent for (pages or text differ)."""

    type = "other-document"
    title = "Tệp đã ký là tài liệu khác"


class BoundsExceededError(ServiceError):
    """Raised when checking an uploaded file would take more memory, time, pages or revisions than allowed."""

    status = 422
    type = "file-too-complex"
    title = "Tệp vượt giới hạn kiểm tra"

    def __init__(self, detail: str, field: str = "file") -> None:
        super().__init__(detail, errors=[{"field": field, "detail": detail}])


class BusyError(ServiceError):
    """Raised when every place for checking an uploaded file is taken; the caller tries again later."""

    status = 503
    type = "busy"
    title = "Dịch vụ đang bận"


class StorageError(ServiceError):
    """Raised when the document store refuses a request (credentials, permissions, bucket)."""

    status = 500
    type = "storage-failed"
    title = "Lỗi kho lưu trữ tài liệu"


class StorageUnavailableError(StorageError):
    """Raised when the document store does not answer or answers busy; the task is retried."""

    status = 503
    type = "storage-unavailable"
    title = "Kho lưu trữ tài liệu tạm thời không trả lời"


class QueueUnavailableError(ServiceError):
    """Raised when documents cannot be queued because Redis does not answer."""

    status = 503
    type = "queue-unavailable"
    title = "Hàng đợi tạm thời không trả lời"


class DocumentError(ServiceError):
    """Raised when a document could not be built."""

    status = 500
    type = "document-failed"
    title = "Không tạo được tài liệu"


class RenderError(DocumentError):
    """Raised when docxtpl cannot fill a template with the given context."""

    type = "render-failed"


class ConversionError(DocumentError):
    """Raised when LibreOffice rejects a document or its PDF cannot be produced."""

    type = "conversion-failed"


class ConverterUnavailableError(ConversionError):
    """Raised when no LibreOffice instance answers in time; the task is retried."""

    type = "converter-unavailable"


class PoisonDocumentError(DocumentError):
    """Raised when one document crashed or hung LibreOffice twice; it is kept for diagnosis."""

    type = "poison-document"
