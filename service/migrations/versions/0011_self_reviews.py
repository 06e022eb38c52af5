"""Members' self-reviews from a personal link: one row per member and annual review

The link's token is kept only as its SHA-256 (unique); what she wrote is JSON; the row goes with
its job.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: the self_reviews table."""
    op.create_table('self_reviews',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('job_id', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.String(length=32), nullable=True),
    sa.Column('member_key', sa.String(length=120), nullable=False),
    sa.Column('member_name', sa.String(length=120), nullable=False),
    sa.Column('roster_member_id', sa.String(length=32), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('saved_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('content_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('job_id', 'member_key', name='uq_self_reviews_job_id_member_key'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('self_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_reviews_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_reviews_organisation_id'), ['organisation_id'],
                              unique=False)


def downgrade() -> None:
    """Revert: drop the self_reviews table."""
    with op.batch_alter_table('self_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_reviews_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_self_reviews_job_id'))
    op.drop_table('self_reviews')
