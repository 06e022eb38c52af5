"""Batches claim their content: one batch per organisation and content, even sent at once

Batches get ``claim`` ("<organisation id or ->:<content hash>"), unique. Rows made before keep
it empty (two of them may hold the same content, made by a race this closes).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: the batches' unique claim."""
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint('uq_batches_claim', ['claim'])


def downgrade() -> None:
    """Revert: no claim."""
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.drop_constraint('uq_batches_claim', type_='unique')
        batch_op.drop_column('claim')
