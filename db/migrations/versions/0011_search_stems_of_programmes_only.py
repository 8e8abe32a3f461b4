"""search stems of programmes only: a programme's search words come from its name, description
and direction, no longer from its organisation's name and type («школа», «Дом детского
творчества» made every programme of such an organisation match); a question naming a kind of
organisation filters by it instead. Rows imported before are indexed again here.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 04:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.catalog import text_index
from services.catalog.terms import DIRECTIONS

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    connection = op.get_bind()
    programmes = sa.table(
        'programmes',
        sa.column('id', sa.Integer),
        sa.column('name', sa.Text),
        sa.column('description', sa.Text),
        sa.column('direction', sa.String),
        sa.column('search_stems', sa.Text),
    )
    update = (
        programmes.update()
        .where(programmes.c.id == sa.bindparam('pid'))
        .values(search_stems=sa.bindparam('stems'))
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                programmes.c.id,
                programmes.c.name,
                programmes.c.description,
                programmes.c.direction,
            )
            .where(programmes.c.id > last)
            .order_by(programmes.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            update,
            [
                {
                    'pid': row.id,
                    'stems': text_index.document(
                        row.name or '', row.description or '', DIRECTIONS.get(row.direction, '')
                    ),
                }
                for row in rows
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    """The organisations' words come back with the next import of the catalogue."""
