"""Migration 0008: session versions, tokens of locked-out users, the keys of files made before."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from service import database, migrations


def _rows(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for user, active in (("a" * 32, True), ("d" * 32, False)):
            connection.execute(text("INSERT INTO users (id, username, role, active, created_at) "
                                    "VALUES (:id, :name, 'admin', :active, :at)"),
                               {"id": user, "name": user[:5], "active": active, "at": database.now()})
            connection.execute(text("INSERT INTO api_tokens (id, user_id, name, secret_hash, created_at, "
                                    "revoked) VALUES (:id, :user, '', 'h', :at, :no)"),
                               {"id": user[:16], "user": user, "at": database.now(), "no": False})
        connection.execute(text("INSERT INTO jobs (id, position, kind, title, input_key, warnings_json, "
                                "created_at) VALUES (:id, 0, 'monthly', 'Chi bộ A – tháng 11/2025', 'k', "
                                "'[]', :at)"), {"id": "j" * 32, "at": database.now()})
        connection.execute(text("INSERT INTO documents (id, job_id, position, doc_type, name, title, status, "
                                "attempts, updated_at) VALUES (:id, :job, 0, 'ban_kiem_diem_ca_nhan', "
                                ":name, 't', 'queued', 0, :at)"),
                           {"id": "q" * 32, "job": "j" * 32, "name": "ban_kiem_diem_ca_nhan-01-nguyen-van-a",
                            "at": database.now()})
    engine.dispose()


def test_0008_keeps_old_keys_revokes_locked_out_tokens_and_versions_sessions(empty_database_url):
    """A document queued before keeps its name key; a locked-out user's token is revoked; versions are 1."""
    migrations.upgrade(empty_database_url, "0003")
    _rows(empty_database_url)
    migrations.upgrade(empty_database_url, "0008")
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT pdf_key, docx_key FROM documents")).one()
        revoked = dict(connection.execute(text("SELECT user_id, revoked FROM api_tokens")).all())
        versions = set(connection.execute(text("SELECT session_version FROM users")).scalars())
    engine.dispose()
    base = f"jobs/{'j' * 32}/ban_kiem_diem_ca_nhan-01-nguyen-van-a"
    assert tuple(keys) == (f"{base}.pdf", f"{base}.docx")
    assert revoked == {"a" * 32: False, "d" * 32: True}
    assert versions == {1}
