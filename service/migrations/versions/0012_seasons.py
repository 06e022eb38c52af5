"""Seasons of the đảng ủy: units of every kind (closed ones kept), secretaries' addresses,
one-time sign-in links, seasons and their units, the đảng ủy's decisions on members, notices

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 10:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: organisation kinds up to 20 characters and ``closed_at``; ``users.email``; new tables."""
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=10), type_=sa.String(length=20), existing_nullable=False
        )
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=True))
    op.create_table(
        "sign_in_links",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_sha256"),
    )
    op.create_index(op.f("ix_sign_in_links_user_id"), "sign_in_links", ["user_id"], unique=False)
    op.create_table(
        "seasons",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("superior", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("summary_job_id", sa.String(length=32), nullable=True),
        sa.Column("summary_sources", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], name="fk_seasons_organisation_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_seasons_organisation_id"), "seasons", ["organisation_id"], unique=False)
    op.create_table(
        "season_units",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("season_id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("decided_level", sa.String(length=20), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=32), nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_season_units_organisation_id"
        ),
        sa.ForeignKeyConstraint(["season_id"], ["seasons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("season_id", "organisation_id", name="uq_season_units_season_org"),
    )
    op.create_index(op.f("ix_season_units_season_id"), "season_units", ["season_id"], unique=False)
    op.create_index(
        op.f("ix_season_units_organisation_id"), "season_units", ["organisation_id"], unique=False
    )
    op.create_table(
        "member_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("season_id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["season_id"], ["seasons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("season_id", "organisation_id", "member", name="uq_member_decisions_member"),
    )
    op.create_index(op.f("ix_member_decisions_season_id"), "member_decisions", ["season_id"], unique=False)
    op.create_index(
        op.f("ix_member_decisions_organisation_id"), "member_decisions", ["organisation_id"], unique=False
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("season_id", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], name="fk_notices_organisation_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_notices_organisation_id"), "notices", ["organisation_id"], unique=False)


def downgrade() -> None:
    """Revert: the new tables and columns go (closed units become open again)."""
    for table in ("notices", "member_decisions", "season_units", "seasons", "sign_in_links"):
        op.drop_table(table)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=20), type_=sa.String(length=10), existing_nullable=False
        )
