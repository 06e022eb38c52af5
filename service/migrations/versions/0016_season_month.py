"""A season of monthly meetings names its month

Seasons get ``month`` (1–12) for a season of the chi bộ's monthly meetings (``kind`` "monthly");
an annual review's season keeps it empty.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: the month of a monthly season."""
    with op.batch_alter_table('seasons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('month', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Revert: no month."""
    with op.batch_alter_table('seasons', schema=None) as batch_op:
        batch_op.drop_column('month')
