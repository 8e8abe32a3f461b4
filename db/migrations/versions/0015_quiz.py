"""quiz results: a child's interest quiz answers and the directions they point to

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
