"""holiday overrides: an admin's corrections to the official-holiday calendar, with their source

Revision ID: d1a0e5000003
Revises: d1a0e5000002
Create Date: 2026-12-01 15:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1a0e5000003'
down_revision = 'd1a0e5000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('holiday_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('name_tr', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind = 'none' OR (length(name_tr) > 0 AND length(name_en) > 0)",
                       name=op.f('ck_holiday_overrides_holiday_named')),
    sa.CheckConstraint("kind IN ('full', 'half', 'none')",
                       name=op.f('ck_holiday_overrides_kind_known')),
    sa.CheckConstraint('length(source) > 0', name=op.f('ck_holiday_overrides_source_given')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_holiday_overrides_created_by_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                            name=op.f('fk_holiday_overrides_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday_overrides')),
    sa.UniqueConstraint('day', name=op.f('uq_holiday_overrides_day'))
    )


def downgrade():
    # Applications keep the dates and reasons computed at receipt, so dropping the overrides
    # moves no stored deadline; the audit trail keeps every override that was ever saved.
    op.drop_table('holiday_overrides')
