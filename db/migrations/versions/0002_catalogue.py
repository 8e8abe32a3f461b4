"""catalogue: organisations and programmes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 15:56:50.522237
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

SQLITE_INDEXES = [
    # Spatial index for "nearby": one point box per organisation, kept in step by triggers.
    "CREATE VIRTUAL TABLE organisations_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)",
    """CREATE TRIGGER organisations_rtree_ai AFTER INSERT ON organisations BEGIN
        INSERT INTO organisations_rtree VALUES
            (new.id, new.latitude, new.latitude, new.longitude, new.longitude);
    END""",
    """CREATE TRIGGER organisations_rtree_au AFTER UPDATE OF latitude, longitude ON organisations
    BEGIN
        UPDATE organisations_rtree SET min_lat = new.latitude, max_lat = new.latitude,
            min_lon = new.longitude, max_lon = new.longitude WHERE id = new.id;
    END""",
    """CREATE TRIGGER organisations_rtree_ad AFTER DELETE ON organisations BEGIN
        DELETE FROM organisations_rtree WHERE id = old.id;
    END""",
    # Full-text index over the stemmed words, as external content of programmes.search_stems.
    "CREATE VIRTUAL TABLE programmes_fts USING fts5("
    "search_stems, content='programmes', content_rowid='id', tokenize='unicode61')",
    """CREATE TRIGGER programmes_fts_ai AFTER INSERT ON programmes BEGIN
        INSERT INTO programmes_fts(rowid, search_stems) VALUES (new.id, new.search_stems);
    END""",
    """CREATE TRIGGER programmes_fts_ad AFTER DELETE ON programmes BEGIN
        INSERT INTO programmes_fts(programmes_fts, rowid, search_stems)
            VALUES ('delete', old.id, old.search_stems);
    END""",
    """CREATE TRIGGER programmes_fts_au AFTER UPDATE OF search_stems ON programmes BEGIN
        INSERT INTO programmes_fts(programmes_fts, rowid, search_stems)
            VALUES ('delete', old.id, old.search_stems);
        INSERT INTO programmes_fts(rowid, search_stems) VALUES (new.id, new.search_stems);
    END""",
]
SQLITE_DROPS = [
    "DROP TRIGGER IF EXISTS programmes_fts_au",
    "DROP TRIGGER IF EXISTS programmes_fts_ad",
    "DROP TRIGGER IF EXISTS programmes_fts_ai",
    "DROP TABLE IF EXISTS programmes_fts",
    "DROP TRIGGER IF EXISTS organisations_rtree_ad",
    "DROP TRIGGER IF EXISTS organisations_rtree_au",
    "DROP TRIGGER IF EXISTS organisations_rtree_ai",
    "DROP TABLE IF EXISTS organisations_rtree",
]
POSTGRES_INDEXES = [
    "CREATE INDEX ix_organisations_point ON organisations USING gist (point(longitude, latitude))",
    "CREATE INDEX ix_programmes_search ON programmes"
    " USING gin (to_tsvector('simple', search_stems))",
]
POSTGRES_DROPS = [
    "DROP INDEX IF EXISTS ix_programmes_search",
    "DROP INDEX IF EXISTS ix_organisations_point",
]

def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)

def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('locality_id', sa.Integer(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('website', sa.String(length=255), nullable=False),
    sa.Column('hours', sa.String(length=255), nullable=False),
    sa.Column('accessible', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['locality_id'], ['localities.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('external_id')
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_locality_id'), ['locality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_type'), ['type'], unique=False)

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('direction', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('age_from', sa.Integer(), nullable=False),
    sa.Column('age_to', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('cost', sa.String(length=16), nullable=False),
    sa.Column('price', sa.Integer(), nullable=True),
    sa.Column('schedule', sa.String(length=255), nullable=False),
    sa.Column('teacher', sa.String(length=255), nullable=False),
    sa.Column('seats_total', sa.Integer(), nullable=True),
    sa.Column('seats_free', sa.Integer(), nullable=True),
    sa.Column('enrol_url', sa.String(length=512), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('search_stems', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('external_id')
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index('ix_programmes_browse', ['direction', 'hidden', 'age_from', 'age_to'], unique=False)
        batch_op.create_index(batch_op.f('ix_programmes_organisation_id'), ['organisation_id'], unique=False)

    _run(SQLITE_INDEXES if op.get_bind().dialect.name == "sqlite" else POSTGRES_INDEXES)

def downgrade() -> None:
    _run(SQLITE_DROPS if op.get_bind().dialect.name == "sqlite" else POSTGRES_DROPS)
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_organisation_id'))
        batch_op.drop_index('ix_programmes_browse')

    op.drop_table('programmes')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_type'))
        batch_op.drop_index(batch_op.f('ix_organisations_locality_id'))

    op.drop_table('organisations')
