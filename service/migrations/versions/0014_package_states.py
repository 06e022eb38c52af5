"""Packages that could not be built say so: the package_states table

A package asked for and not built yet has a row (``queued`` since when, or ``failed`` and why);
the row goes once it is built. Nothing to fill for rows made before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: the package_states table."""
    op.create_table(
        "package_states",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ident", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "ident"),
    )
    op.create_index(op.f("ix_package_states_since"), "package_states", ["since"], unique=False)


def downgrade() -> None:
    """Revert: no package states."""
    op.drop_index(op.f("ix_package_states_since"), table_name="package_states")
    op.drop_table("package_states")
