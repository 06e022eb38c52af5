"""Signed copies and provenance: what made each document, its PDF's SHA-256, the copies sent back

Documents get the SHA-256 of their PDF (indexed: ``POST /api/v1/verify`` finds a document by
it), the provenance of what made them, the digitally signed copy and the scanned hand-signed
copy (both JSON, with their storage keys). Rows made before keep them empty.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply: signatures and provenance."""
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('provenance_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signed_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('scan_json', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_pdf_sha256'), ['pdf_sha256'], unique=False)


def downgrade() -> None:
    """Revert: signatures and provenance."""
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_pdf_sha256'))
        batch_op.drop_column('scan_json')
        batch_op.drop_column('signed_json')
        batch_op.drop_column('provenance_json')
        batch_op.drop_column('pdf_sha256')
