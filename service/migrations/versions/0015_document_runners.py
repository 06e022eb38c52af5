"""Deaths blamed on the document only: which worker started an attempt, and interruptions

Documents get ``started_by`` (the Celery node that started the current attempt) and
``interruptions`` (attempts that died with their whole worker, counted apart from ``crashes``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: the documents' runner and interruptions."""
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('interruptions', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    """Revert: no runner, no interruptions."""
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('interruptions')
        batch_op.drop_column('started_by')
