"""S3Storage against a real S3-compatible server (SeaweedFS on loopback, see tests/support/s3server.py)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from service import create_app
from service.config import DEFAULTS
from service.conversion.office import free_port
from service.errors import NotFoundError, StorageError, StorageUnavailableError
from service.storage import content_disposition
from service.storage.s3 import S3Storage, make_client
from tests.support import s3server


def _storage(s3_server, bucket, **settings):
    """The storage the settings describe, its bucket created."""
    storage = S3Storage.from_config({**DEFAULTS, **s3_server.settings(bucket, **settings)})
    storage.ensure_bucket()
    return storage


@pytest.fixture(name="storage")
def _storage_fixture(s3_server, bucket):
    """A storage on a fresh bucket of the test server."""
    return _storage(s3_server, bucket)


def test_put_get_round_trip(storage):
    """Bytes come back as stored, under nested keys, and the key exists."""
    storage.put("jobs/a/b.pdf", b"%PDF-x")
    assert storage.get("jobs/a/b.pdf") == b"%PDF-x"
    assert storage.exists("jobs/a/b.pdf")


def test_put_replaces(storage):
    """A second put replaces the object."""
    storage.put("k", b"one")
    storage.put("k", b"two")
    assert storage.get("k") == b"two"


def test_missing_key_is_not_found(storage):
    """An absent key raises NotFoundError and does not exist."""
    with pytest.raises(NotFoundError):
        storage.get("jobs/nope.pdf")
    assert not storage.exists("jobs/nope.pdf")


def test_delete_removes_and_tolerates_missing(storage):
    """Delete removes the object; deleting it again is no error."""
    storage.put("jobs/x.docx", b"PK")
    storage.delete("jobs/x.docx")
    storage.delete("jobs/x.docx")
    assert not storage.exists("jobs/x.docx")


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "a/../../b", ""])
def test_keys_are_checked_like_local_storage(storage, key):
    """Keys with .. or an absolute path are refused before any request."""
    with pytest.raises(ValueError):
        storage.put(key, b"x")


def test_prefix_puts_objects_under_it(s3_server, bucket):
    """With S3_PREFIX every object name starts with the prefix; keys stay the same."""
    storage = _storage(s3_server, bucket, S3_PREFIX="/ha-tinh/")
    storage.put("jobs/a.pdf", b"%PDF")
    listed = s3_server.client().list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"] for o in listed] == ["ha-tinh/jobs/a.pdf"]
    assert storage.get("jobs/a.pdf") == b"%PDF"


def test_app_creates_the_missing_bucket_at_startup(s3_server, bucket, tmp_path):
    """create_app with STORAGE_BACKEND=s3 and S3_CREATE_BUCKET makes the bucket."""
    create_app({"TESTING": True, "DATA_DIR": str(tmp_path), **s3_server.settings(bucket)})
    s3_server.client().head_bucket(Bucket=bucket)


def test_first_write_creates_a_bucket_missing_at_startup(s3_server, bucket):
    """A store that came up after the node: the first put creates the bucket."""
    storage = S3Storage(bucket, s3_server.client, create_bucket=True)
    storage.put("k", b"v")
    assert storage.get("k") == b"v"


def test_no_download_url_unless_presigning_is_on(storage):
    """Presigning off: no URL, the web node streams."""
    assert storage.url_for_download("k", "k.pdf", "application/pdf", as_attachment=False) is None


def test_presigned_url_serves_the_bytes_with_name_and_type(s3_server, bucket):
    """The presigned GET answers the bytes, the Vietnamese file name (RFC 5987) and the type."""
    storage = _storage(s3_server, bucket, S3_PRESIGNED_DOWNLOADS=True)
    storage.put("jobs/j/bien_ban.docx", b"PK-docx")
    url = storage.url_for_download("jobs/j/bien_ban.docx", "Biên bản đảng ủy.docx",
                                   "application/msword", as_attachment=True)
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"PK-docx"
        assert response.headers["Content-Type"] == "application/msword"
        disposition = response.headers["Content-Disposition"]
    assert disposition == content_disposition("Biên bản đảng ủy.docx", as_attachment=True)
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20%C4%91%E1%BA%A3ng%20%E1%BB%A7y.docx" in disposition


def test_presigned_url_lives_s3_url_seconds(s3_server, bucket):
    """The URL expires after S3_URL_SECONDS."""
    storage = _storage(s3_server, bucket, S3_PRESIGNED_DOWNLOADS=True, S3_URL_SECONDS=120)
    url = storage.url_for_download("k", "k.pdf", "application/pdf", as_attachment=False)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["X-Amz-Expires"] == ["120"]


def test_presigned_url_is_signed_for_the_public_endpoint(s3_server, bucket):
    """With S3_PUBLIC_ENDPOINT_URL the URL names that address and the store accepts it there."""
    public = s3_server.endpoint.replace("127.0.0.1", "localhost")
    storage = _storage(s3_server, bucket, S3_PRESIGNED_DOWNLOADS=True, S3_PUBLIC_ENDPOINT_URL=public)
    storage.put("a.pdf", b"%PDF-public")
    url = storage.url_for_download("a.pdf", "a.pdf", "application/pdf", as_attachment=False)
    assert url.startswith(f"{public}/{bucket}/a.pdf?")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"%PDF-public"


def test_connection_refused_is_transient():
    """Nothing listening at the endpoint: StorageUnavailableError, which tasks retry."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    storage = S3Storage("b", lambda: make_client(endpoint, "us-east-1", "k", "s", max_attempts=1))
    with pytest.raises(StorageUnavailableError):
        storage.get("jobs/a.pdf")
    with pytest.raises(StorageUnavailableError):
        storage.put("jobs/a.pdf", b"x")


def test_wrong_secret_is_a_storage_error_not_transient(s3_server, bucket):
    """A refused signature is StorageError (not retried), never NotFoundError."""
    storage = S3Storage(bucket, lambda: make_client(s3_server.endpoint, "us-east-1",
                                                    s3server.ACCESS_KEY, "wrong", max_attempts=1))
    with pytest.raises(StorageError) as caught:
        storage.get("k")
    assert not isinstance(caught.value, StorageUnavailableError | NotFoundError)


def test_a_forked_process_gets_its_own_client(monkeypatch):
    """A Celery child never reuses the connection pool of the process it was forked from."""
    import os

    storage = S3Storage("b", object)
    parent = storage._client()
    assert storage._client() is parent
    monkeypatch.setattr(os, "getpid", lambda: -1)
    assert storage._client() is not parent


def test_app_starts_when_the_store_is_down(tmp_path):
    """No store at startup: the app still starts (the bucket is made on the first write)."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "STORAGE_BACKEND": "s3",
                      "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
                      "S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": "s"})
    assert isinstance(app.extensions["storage"], S3Storage)
