"""children: a family's children instead of one age per profile

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:45:00

Each profile's child_age / child_grade becomes that person's one child row (the age or grade
as given, noted today, its estimated birth year for filters); the two columns stay in `users`
but are emptied: children are read from their table from now on. Going down copies each
person's first child back into the columns and drops the table.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BATCH = 2000

users = sa.table(
    'users',
    sa.column('id', sa.BigInteger),
    sa.column('child_age', sa.Integer),
    sa.column('child_grade', sa.Integer),
)


def _born(age: int | None, grade: int | None, today) -> int:  # type: ignore[no-untyped-def]
    """As services/people/children.py estimates it: a grade counts from the school year."""
    if grade is not None and age is None:
        school_year = today.year if today.month >= 9 else today.year - 1
        return school_year - grade - 6
    return today.year - (age or 0)


def upgrade() -> None:
    children = op.create_table(
        'children',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('name', sa.String(length=32), nullable=True),
        sa.Column('age', sa.Integer(), nullable=True),
        sa.Column('grade', sa.Integer(), nullable=True),
        sa.Column('birth_year', sa.Integer(), nullable=True),
        sa.Column('noted_on', sa.Date(), nullable=False),
        sa.Column('born', sa.Integer(), nullable=False),
        sa.Column('interests', sa.String(length=128), nullable=False),
        sa.Column('health_needs', sa.Boolean(), nullable=False),
        sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_children_user_id'), 'children', ['user_id'], unique=False)
    connection = op.get_bind()
    now = datetime.now(UTC)
    today = now.date()
    last = None
    while True:
        query = (
            sa.select(users.c.id, users.c.child_age, users.c.child_grade)
            .where(sa.or_(users.c.child_age.is_not(None), users.c.child_grade.is_not(None)))
            .order_by(users.c.id)
            .limit(BATCH)
        )
        if last is not None:
            query = query.where(users.c.id > last)
        rows = connection.execute(query).all()
        if not rows:
            break
        connection.execute(
            children.insert(),
            [
                {
                    'user_id': row.id,
                    'name': None,
                    'age': row.child_age,
                    'grade': row.child_grade if row.child_age is None else None,
                    'birth_year': None,
                    'noted_on': today,
                    'born': _born(row.child_age, row.child_grade, today),
                    'interests': '',
                    'health_needs': False,
                    'chosen_at': None,
                    'created_at': now,
                }
                for row in rows
            ],
        )
        last = rows[-1].id
    connection.execute(users.update().values(child_age=None, child_grade=None))


def downgrade() -> None:
    connection = op.get_bind()
    children = sa.table(
        'children',
        sa.column('id', sa.Integer),
        sa.column('user_id', sa.BigInteger),
        sa.column('age', sa.Integer),
        sa.column('grade', sa.Integer),
        sa.column('born', sa.Integer),
    )
    first = sa.select(sa.func.min(children.c.id)).group_by(children.c.user_id)
    year = datetime.now(UTC).year
    rows = connection.execute(
        sa.select(children.c.user_id, children.c.age, children.c.grade, children.c.born).where(
            children.c.id.in_(first)
        )
    ).all()
    if rows:
        connection.execute(
            users.update()
            .where(users.c.id == sa.bindparam('uid'))
            .values(child_age=sa.bindparam('age'), child_grade=sa.bindparam('grade')),
            [
                {
                    'uid': row.user_id,
                    'grade': row.grade,
                    'age': None if row.grade is not None else min(max(year - row.born, 3), 18),
                }
                for row in rows
            ],
        )
    op.drop_index(op.f('ix_children_user_id'), table_name='children')
    op.drop_table('children')
