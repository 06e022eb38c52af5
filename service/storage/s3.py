"""``S3Storage``: documents in an S3 bucket, on AWS or any S3-compatible store.

The web node and workers on other machines share one bucket, so a worker writes where the
web node reads. Keys are ``LocalStorage``'s, checked by the same ``key_parts``, under an
optional prefix. Downloads may skip the web node: ``url_for_download`` presigns a GET valid
for ``S3_URL_SECONDS`` whose answer carries the file's name and type, signed against
``S3_PUBLIC_ENDPOINT_URL`` when browsers reach the store at another address than workers do.

boto3 and botocore stop here: a missing key is ``NotFoundError``, a store that does not
answer (refused, timed out, 5xx, SlowDown) is ``StorageUnavailableError`` (tasks retry it),
any other refusal is ``StorageError``.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from service.errors import NotFoundError, ServiceError, StorageError, StorageUnavailableError
from service.storage.base import content_disposition, key_parts

_MISSING = {"404", "NoSuchKey", "NotFound"}
_BUSY = {"InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "Throttling"}
_OWN_BUCKET = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}


def make_client(endpoint_url: str, region: str, access_key_id: str = "",
                secret_access_key: str = "", *, max_attempts: int = 3) -> Any:
    """A boto3 S3 client: SigV4, path-style addressing for a custom endpoint, short timeouts.

    Empty keys leave the credentials to boto3's default chain (environment, profile, role).
    """
    config = Config(signature_version="s3v4", connect_timeout=5, read_timeout=60,
                    retries={"mode": "standard", "max_attempts": max_attempts},
                    s3={"addressing_style": "path" if endpoint_url else "auto"})
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint_url or None, region_name=region,
        aws_access_key_id=access_key_id or None, aws_secret_access_key=secret_access_key or None,
        config=config)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class S3Storage:
    """A bucket (and an optional key prefix) in an S3-compatible store."""

    def __init__(self, bucket: str, client_factory: Callable[[], Any], *, prefix: str = "",
                 region: str = "us-east-1", create_bucket: bool = False,
                 presigned_downloads: bool = False, url_seconds: int = 300,
                 presign_client_factory: Callable[[], Any] | None = None) -> None:
        self.bucket = bucket
        self.prefix = "/".join(key_parts(prefix.strip("/"))) if prefix.strip("/") else ""
        self.region = region
        self.create_bucket = create_bucket
        self.presigned_downloads = presigned_downloads
        self.url_seconds = url_seconds
        self._factories = {"data": client_factory,
                           "presign": presign_client_factory or client_factory}
        self._clients: dict[str, tuple[int, Any]] = {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> S3Storage:
        """The storage the ``S3_*`` settings describe."""
        def client(endpoint: str) -> Callable[[], Any]:
            return lambda: make_client(endpoint, config["S3_REGION"], config["S3_ACCESS_KEY_ID"],
                                       config["S3_SECRET_ACCESS_KEY"])

        public = config["S3_PUBLIC_ENDPOINT_URL"]
        return cls(config["S3_BUCKET"], client(config["S3_ENDPOINT_URL"]),
                   prefix=config["S3_PREFIX"], region=config["S3_REGION"],
                   create_bucket=config["S3_CREATE_BUCKET"],
                   presigned_downloads=config["S3_PRESIGNED_DOWNLOADS"],
                   url_seconds=config["S3_URL_SECONDS"],
                   presign_client_factory=client(public) if public else None)

    def _client(self, role: str = "data") -> Any:
        # one client per process: a Celery worker forks after create_app, and a pooled
        # connection must never be shared by two processes
        pid, client = self._clients.get(role, (0, None))
        if pid != os.getpid():
            client = self._factories[role]()
            self._clients[role] = (os.getpid(), client)
        return client

    def object_key(self, key: str) -> str:
        """The object's name in the bucket: the prefix, then the checked key."""
        return "/".join((self.prefix, *key_parts(key)) if self.prefix else key_parts(key))

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except ClientError as exc:
            raise self._translate(exc) from exc
        except (BotoConnectionError, HTTPClientError) as exc:
            raise StorageUnavailableError(
                f"Kho lưu trữ tài liệu không trả lời ({type(exc).__name__}); "
                "vui lòng thử lại sau.") from exc
        except BotoCoreError as exc:
            raise StorageError(f"Không dùng được kho lưu trữ tài liệu ({type(exc).__name__}).") from exc

    def _translate(self, exc: ClientError) -> ServiceError:
        code = _code(exc)
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code in _MISSING:
            return NotFoundError("Không tìm thấy tệp đã lưu.")
        if code == "NoSuchBucket":
            return StorageError(f"Kho lưu trữ không có bucket {self.bucket}.")
        if code in _BUSY or status >= 500:
            return StorageUnavailableError(
                f"Kho lưu trữ tài liệu đang bận ({code}); vui lòng thử lại sau.")
        return StorageError(f"Kho lưu trữ tài liệu từ chối yêu cầu ({code or status}).")

    def ensure_bucket(self) -> None:
        """Create the bucket unless it is there already (another node may create it first)."""
        with self._errors():
            try:
                self._client().head_bucket(Bucket=self.bucket)
                return
            except ClientError as exc:
                if _code(exc) not in _MISSING | {"NoSuchBucket"}:
                    raise
            where = ({} if self.region == "us-east-1"
                     else {"CreateBucketConfiguration": {"LocationConstraint": self.region}})
            try:
                self._client().create_bucket(Bucket=self.bucket, **where)
            except ClientError as exc:
                if _code(exc) not in _OWN_BUCKET:
                    raise

    def put(self, key: str, data: bytes) -> None:
        """One PUT: readers see the old bytes or the new, never half of them."""
        name = self.object_key(key)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with self._errors():
            try:
                self._client().put_object(Bucket=self.bucket, Key=name, Body=data,
                                          ContentType=content_type)
            except ClientError as exc:
                if _code(exc) != "NoSuchBucket" or not self.create_bucket:
                    raise
                self.ensure_bucket()  # the store came up after this node did
                self._client().put_object(Bucket=self.bucket, Key=name, Body=data,
                                          ContentType=content_type)

    def put_file(self, key: str, path: Path) -> None:
        """The file at *path* in one PUT read from disk as it is sent (never whole in memory)."""
        name = self.object_key(key)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with self._errors():
            for attempt in (1, 2):
                try:
                    with path.open("rb") as body:
                        self._client().put_object(Bucket=self.bucket, Key=name, Body=body,
                                                  ContentType=content_type)
                    return
                except ClientError as exc:
                    if attempt == 2 or _code(exc) != "NoSuchBucket" or not self.create_bucket:
                        raise
                    self.ensure_bucket()  # the store came up after this node did

    def open(self, key: str) -> IO[bytes]:
        """The object's body as a stream (botocore's StreamingBody reads it as it comes)."""
        name = self.object_key(key)
        with self._errors():
            return cast(IO[bytes], self._client().get_object(Bucket=self.bucket, Key=name)["Body"])

    def get(self, key: str) -> bytes:
        """The bytes under *key*; NotFoundError when there are none."""
        name = self.object_key(key)
        with self._errors():
            body: bytes = self._client().get_object(Bucket=self.bucket, Key=name)["Body"].read()
            return body

    def exists(self, key: str) -> bool:
        """True when the object exists (a HEAD request)."""
        name = self.object_key(key)
        with self._errors():
            try:
                self._client().head_object(Bucket=self.bucket, Key=name)
            except ClientError as exc:
                if _code(exc) in _MISSING:
                    return False
                raise
            return True

    def delete(self, key: str) -> None:
        """Remove the object; removing a missing one is not an error."""
        name = self.object_key(key)
        with self._errors():
            self._client().delete_object(Bucket=self.bucket, Key=name)

    def listing(self, folder: str) -> Iterator[tuple[str, datetime]]:
        """Every object under *folder* and when it was last written (naive UTC)."""
        start = self.object_key(folder) + "/"
        skip = len(self.prefix) + 1 if self.prefix else 0
        with self._errors():
            pages = self._client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
            for page in pages:
                for item in page.get("Contents", []):
                    yield item["Key"][skip:], item["LastModified"].astimezone(UTC).replace(tzinfo=None)

    def url_for_download(self, key: str, filename: str, mimetype: str, *,
                         as_attachment: bool) -> str | None:
        """A presigned GET carrying the file name and type, or None when downloads stream."""
        if not self.presigned_downloads:
            return None
        params = {"Bucket": self.bucket, "Key": self.object_key(key),
                  "ResponseContentType": mimetype,
                  "ResponseContentDisposition": content_disposition(filename,
                                                                    as_attachment=as_attachment)}
        with self._errors():
            url: str = self._client("presign").generate_presigned_url(
                "get_object", Params=params, ExpiresIn=self.url_seconds)
            return url
