"""letters: finalised PDF letters with their hash, and the outbox's reference to one

Revision ID: d1a0e5000002
Revises: d1a0e5000001
Create Date: 2026-12-01 13:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1a0e5000002'
down_revision = 'd1a0e5000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('template_version', sa.String(length=64), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery_channel', sa.String(length=20), nullable=True),
    sa.CheckConstraint("kind IN ('receipt', 'reply', 'info_request', 'identity_rejection')",
                       name=op.f('ck_letters_kind_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_letters_version_positive')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_letters_sha256_length')),
    sa.CheckConstraint('superseded_by_id IS NULL OR superseded_by_id <> id',
                       name=op.f('ck_letters_not_superseded_by_itself')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_letters_application_id_applications'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_letters_created_by_id_users')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['letters.id'],
                            name=op.f('fk_letters_superseded_by_id_letters'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
    sa.UniqueConstraint('application_id', 'kind', 'version', name='uq_letters_version')
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index('ix_letters_application_kind', ['application_id', 'kind'],
                              unique=False)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_letter_id_letters'),
                                    'letters', ['letter_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_letter_id_letters'),
                                 type_='foreignkey')
        batch_op.drop_column('letter_id')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('ix_letters_application_kind')
    op.drop_table('letters')
