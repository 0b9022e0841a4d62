"""queue: partial index of open applications in queue order

Revision ID: b9df0b477085
Revises: 07a2ae8bdee5
Create Date: 2026-11-24 19:00:00.000000

Without it SQLite sorted every open application for each queue page (a temp B-tree over
~300,000 rows at a million applications). The WHERE text must stay identical to
models.application.OPEN_STATUS_SQL, which the queue query repeats.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9df0b477085'
down_revision = '07a2ae8bdee5'
branch_labels = None
depends_on = None

OPEN = "status IN ('awaiting_applicant', 'decided', 'in_review', 'received')"


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_open_queue', ['statutory_due', 'id', 'assignee_id'],
                              unique=False, sqlite_where=sa.text(OPEN),
                              postgresql_where=sa.text(OPEN))


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_open_queue', sqlite_where=sa.text(OPEN),
                            postgresql_where=sa.text(OPEN))
