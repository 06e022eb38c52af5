"""Sessions that end, storage keys of ids: users' session version; old files keep their keys

Users get ``session_version`` (every session cookie carries it; a logout, a password change or
reset and a lock-out raise it). Tokens of users locked out before are revoked, so that a later
password reset cannot bring them back. Documents whose files were not yet written keep the
key of before (``jobs/<job>/<name>``, a name made from members' names) in ``pdf_key`` and
``docx_key``, so that a worker finishing them and every reader find them where they are
expected; documents made from now on are kept under ids only (``jobs/<job>/r<n>/<document id>``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: the users' session version; tokens of locked-out users revoked; old keys frozen."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1',
                                      nullable=False))
    op.execute(sa.text("UPDATE api_tokens SET revoked = :yes WHERE user_id IN "
                       "(SELECT id FROM users WHERE active = :no)").bindparams(yes=True, no=False))
    documents = sa.table('documents', sa.column('id', sa.String), sa.column('job_id', sa.String),
                         sa.column('name', sa.String), sa.column('pdf_key', sa.String),
                         sa.column('docx_key', sa.String))
    jobs = sa.table('jobs', sa.column('id', sa.String), sa.column('revision', sa.Integer))
    bind = op.get_bind()
    rows = bind.execute(sa.select(documents.c.id, documents.c.job_id, documents.c.name)
                        .select_from(documents.join(jobs, jobs.c.id == documents.c.job_id))
                        .where(documents.c.pdf_key.is_(None), jobs.c.revision <= 1)).all()
    for document_id, job_id, name in rows:
        base = f"jobs/{job_id}/{name}"
        bind.execute(documents.update().where(documents.c.id == document_id)
                     .values(pdf_key=f"{base}.pdf", docx_key=f"{base}.docx"))


def downgrade() -> None:
    """Revert: drop the session version (revoked tokens and frozen keys stay as they are)."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
