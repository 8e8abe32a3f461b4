"""catalogue indexes that cover what nearby counts and browse pages filter and sort by

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 18:45:00

Counting a centre's visible programmes (of an age) and filtering a direction's page read
columns outside the old indexes, so every candidate programme meant a row lookup in a wide
table (5 ms for 60 centres' counts, 300+ ms for a 45,000-programme direction at 100k). The
new indexes hold those columns: counts and filters are answered from the index, and a page is
walked in (name, id) order instead of sorted. Each keeps the order the old one gave its
leading columns (`id` is the row id the old ones ended with implicitly).
"""

from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

LISTING = ['direction', 'hidden', 'name', 'id', 'age_from', 'age_to', 'cost', 'format',
           'organisation_id']
CENTRE = ['organisation_id', 'id', 'hidden', 'age_from', 'age_to']


def upgrade() -> None:
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index('ix_programmes_browse')
        batch_op.drop_index('ix_programmes_organisation_id')
        batch_op.create_index('ix_programmes_listing', LISTING, unique=False)
        batch_op.create_index('ix_programmes_centre', CENTRE, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index('ix_programmes_centre')
        batch_op.drop_index('ix_programmes_listing')
        batch_op.create_index('ix_programmes_organisation_id', ['organisation_id'], unique=False)
        batch_op.create_index(
            'ix_programmes_browse', ['direction', 'hidden', 'age_from', 'age_to'], unique=False
        )
