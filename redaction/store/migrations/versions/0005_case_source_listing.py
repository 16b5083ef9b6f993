"""case source listing

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 04:50:21.954103
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made by create_all while this column was new may have it already
    if "source_listing" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("cases")}:
        return
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_listing', sa.String(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('source_listing')

