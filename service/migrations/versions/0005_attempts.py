"""Attempts that kill their worker: when a worker started on a document, and how often it died

A document's ``started_at`` is set when a worker process starts on it and cleared when that
attempt ends; found still set by the next attempt, the process died mid-task (an out-of-memory
kill, say), which ``crashes`` counts until the document is set aside as ``poison-document``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: documents.started_at and documents.crashes."""
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('crashes', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    """Revert: drop the two columns."""
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('crashes')
        batch_op.drop_column('started_at')
