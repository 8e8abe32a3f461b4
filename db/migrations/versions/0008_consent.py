"""consent records (version and time) and opt-in subscriptions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 22:00:00

Bookings keep the notice the parent accepted (its version and when). Subscriptions become
opt-in after consent: the rows of people who never gave consent (subscribed by role defaults)
are deleted, and so are the "_chosen" marker rows those defaults needed. Going down drops the
two columns; the deleted subscriptions are not brought back (they were never asked for).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('bookings', sa.Column('notice_version', sa.String(length=16), nullable=True))
    op.add_column('bookings', sa.Column('notice_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "DELETE FROM subscriptions WHERE topic = '_chosen' OR user_id IN "
        "(SELECT id FROM users WHERE consent_version IS NULL)"
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would drop and re-create `bookings`, and
    # with foreign keys on that deletes every reminder (ON DELETE CASCADE).
    op.drop_column('bookings', 'notice_at')
    op.drop_column('bookings', 'notice_version')
