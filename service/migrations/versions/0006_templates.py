"""Uploaded templates: their versions, and which version made each document

A đảng bộ (or, when allowed, a chi bộ) uploads its own DOCX for a document type; each upload
is a version by content hash, at most one active. A document records the version that made
it (empty: the built-in template).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: template versions, and the version of each document."""
    op.create_table('template_versions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.String(length=32), nullable=False),
    sa.Column('doc_type', sa.String(length=60), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('warnings_json', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=32), nullable=True),
    sa.Column('uploaded_by_name', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('activated_at', sa.DateTime(), nullable=True),
    sa.Column('preview_status', sa.String(length=10), server_default='none', nullable=False),
    sa.Column('preview_detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name='fk_template_versions_organisation_id'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'doc_type', 'sha256',
                        name='uq_template_versions_org_type_sha256')
    )
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_versions_organisation_id'), ['organisation_id'],
                              unique=False)
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_version_id', sa.String(length=32), nullable=True))


def downgrade() -> None:
    """Revert: template versions, and the version of each document."""
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('template_version_id')
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_versions_organisation_id'))
    op.drop_table('template_versions')
