"""max messages: a MAX message's string mid ↔ the integer message id the bot uses

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'max_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mid', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('mid'),
    )
    with op.batch_alter_table('max_messages', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_max_messages_created_at'), ['created_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('max_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_max_messages_created_at'))
    op.drop_table('max_messages')
