"""demand log: searches and questions without personal data, for the department's insights

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'demand_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('locality_id', sa.Integer(), nullable=True),
        sa.Column('direction', sa.String(length=32), nullable=True),
        sa.Column('age_band', sa.String(length=8), nullable=True),
        sa.Column('answer', sa.String(length=48), nullable=True),
        sa.Column('topic', sa.String(length=160), nullable=True),
        sa.Column('results', sa.Integer(), nullable=False),
        sa.Column('missed', sa.Boolean(), nullable=False),
        sa.Column('opened', sa.Boolean(), nullable=False),
        sa.Column('booked', sa.Boolean(), nullable=False),
        sa.Column('vote', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('demand_log', schema=None) as batch_op:
        batch_op.create_index(
            'ix_demand_log_cells',
            [
                'kind',
                'locality_id',
                'direction',
                'age_band',
                'at',
                'results',
                'opened',
                'booked',
                'vote',
            ],
            unique=False,
        )
        batch_op.create_index(
            'ix_demand_log_topics',
            ['topic', 'answer', 'at', 'results', 'missed', 'vote'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('demand_log', schema=None) as batch_op:
        batch_op.drop_index('ix_demand_log_topics')
        batch_op.drop_index('ix_demand_log_cells')
    op.drop_table('demand_log')
