"""notices: messages to people of the other messenger, sent by that messenger's process

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 07:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_notices_due', ['state', 'due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_due')
        batch_op.drop_index(batch_op.f('ix_notices_booking_id'))
        batch_op.drop_index(batch_op.f('ix_notices_user_id'))
    op.drop_table('notices')
