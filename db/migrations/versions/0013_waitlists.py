"""waitlists: waiting for a seat or a consultation slot, enrolment start dates and their reminders

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
