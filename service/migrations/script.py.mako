"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from __future__ import annotations

<% body = (upgrades or "") + (downgrades or "") %>\
import sqlalchemy as sa${"" if "sa." in body else "  # noqa: F401"}
from alembic import op${"" if "op." in body else "  # noqa: F401"}
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    """Apply: ${message}."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Undo: ${message}."""
    ${downgrades if downgrades else "pass"}
