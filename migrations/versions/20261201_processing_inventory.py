"""processing inventory: the controller's data inventory and its link to cases

Revision ID: d1a0e5000001
Revises: b9df0b477085
Create Date: 2026-12-01 13:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1a0e5000001'
down_revision = 'b9df0b477085'
branch_labels = None
depends_on = None

LEGAL_BASES = ('5_1', '5_2_a', '5_2_b', '5_2_c', '5_2_cc', '5_2_d', '5_2_e', '5_2_f', '6_3_a',
               '6_3_b', '6_3_d', '6_3_e', '6_3_f', '6_3_g')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.create_table('inventory_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.String(length=10), nullable=False),
    sa.Column('retention', sa.String(length=300), nullable=False),
    sa.Column('recipients_domestic', sa.Text(), nullable=True),
    sa.Column('recipients_abroad', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(_in('legal_basis', LEGAL_BASES),
                       name=op.f('ck_inventory_entries_legal_basis_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_inventory_entries_version_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_inventory_entries_created_by_id_users')),
    sa.ForeignKeyConstraint(['retired_by_id'], ['users.id'],
                            name=op.f('fk_inventory_entries_retired_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_entries'))
    )
    op.create_table('case_inventory_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('right_code', sa.String(length=8), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('selected_by_id', sa.Integer(), nullable=False),
    sa.Column('selected_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("right_code IN ('b', 'c', 'cc')",
                       name=op.f('ck_case_inventory_items_right_known')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_case_inventory_items_application_id_applications'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['inventory_entries.id'],
                            name=op.f('fk_case_inventory_items_entry_id_inventory_entries')),
    sa.ForeignKeyConstraint(['selected_by_id'], ['users.id'],
                            name=op.f('fk_case_inventory_items_selected_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_inventory_items')),
    sa.UniqueConstraint('application_id', 'right_code', 'entry_id',
                        name='uq_case_inventory_items_once')
    )
    with op.batch_alter_table('case_inventory_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_inventory_items_application_id'),
                              ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_inventory_items_entry_id'), ['entry_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('case_inventory_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_inventory_items_entry_id'))
        batch_op.drop_index(batch_op.f('ix_case_inventory_items_application_id'))
    op.drop_table('case_inventory_items')
    op.drop_table('inventory_entries')
