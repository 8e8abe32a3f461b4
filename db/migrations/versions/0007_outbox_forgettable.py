"""outbox.user_id may be empty: /forget takes the Telegram id off letters already settled

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 22:15:00

A forgotten person's sent, failed, blocked or uncertain letters stay as the broadcast's
delivery counts, but without the Telegram id they were addressed to. NULLs never clash in the
(broadcast_id, user_id) unique key, on SQLite or PostgreSQL. Going down drops those anonymous
rows: the old schema has no place for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    op.execute('DELETE FROM outbox WHERE user_id IS NULL')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.BigInteger(), nullable=False)
