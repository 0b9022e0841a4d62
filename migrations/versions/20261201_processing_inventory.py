"""processing inventory: the controller's data inventory and its link to cases

Revision ID: d1a0e5000001
Revises: b9df0b477085
Create Date: 2026-12-01 13:00:00.000000
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'd1a0e5000001'
down_revision = 'b9df0b477085'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
