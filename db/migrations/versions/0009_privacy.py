"""link codes expire and count wrong attempts; conversation states carry when they were written

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 22:00:00

- specialists.link_code_at: when the link code was made (it works for a day); codes already
  given out count from this migration.
- link_attempts: the wrong /link codes a person typed, for the limit per hour.
- fsm_records.updated_at: an abandoned dialog (a booking's name and phone) expires; states
  already stored count from this migration.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    now = datetime.now(UTC)
    with op.batch_alter_table('specialists', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_code_at', sa.DateTime(timezone=True), nullable=True))
    specialists = sa.table(
        'specialists',
        sa.column('link_code', sa.String()),
        sa.column('link_code_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        specialists.update().where(specialists.c.link_code.is_not(None)).values(link_code_at=now)
    )

    op.create_table(
        'link_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('link_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_attempts_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('fsm_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    records = sa.table('fsm_records', sa.column('updated_at', sa.DateTime(timezone=True)))
    op.execute(records.update().values(updated_at=now))
    with op.batch_alter_table('fsm_records', schema=None) as batch_op:
        batch_op.alter_column(
            'updated_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table('fsm_records', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
    with op.batch_alter_table('link_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_attempts_user_id'))
    op.drop_table('link_attempts')
    with op.batch_alter_table('specialists', schema=None) as batch_op:
        batch_op.drop_column('link_code_at')
