"""document claims for several workers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 04:28:02.285402
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made by create_all while these columns were new may have them already
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("documents")}
    if {"claimed_by", "claimed_until"} <= have:
        return
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')

