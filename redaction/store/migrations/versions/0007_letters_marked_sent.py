"""letters marked sent

A consent-request letter is written first and posted or emailed by the office after:
when (marked_sent_on) and by whom (marked_sent_by) it was sent is recorded apart from
the date the letter bears (sent_on).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made by create_all while these columns were new may have them already
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("letters")}
    with op.batch_alter_table('letters', schema=None) as batch_op:
        if "marked_sent_on" not in have:
            batch_op.add_column(sa.Column('marked_sent_on', sa.Date(), nullable=True))
        if "marked_sent_by" not in have:
            batch_op.add_column(sa.Column('marked_sent_by', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('marked_sent_by')
        batch_op.drop_column('marked_sent_on')
