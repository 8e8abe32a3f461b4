"""quiz results: a child's interest quiz answers and the directions they point to

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'quiz_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=True),
        sa.Column('wording', sa.String(length=16), nullable=False),
        sa.Column('scores', sa.JSON(), nullable=False),
        sa.Column('top', sa.String(length=128), nullable=False),
        sa.Column('top_direction', sa.String(length=32), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('quiz_results', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_quiz_results_user_id'), ['user_id'], unique=False
        )
        batch_op.create_index(
            'ix_quiz_results_taken', ['taken_at', 'top_direction'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('quiz_results', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_results_taken')
        batch_op.drop_index(batch_op.f('ix_quiz_results_user_id'))
    op.drop_table('quiz_results')
