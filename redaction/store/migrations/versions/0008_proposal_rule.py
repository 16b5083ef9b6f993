"""proposal rule

The id of the rule that made a proposal alone (ProposalDraft.rule), so that code keys on
it rather than on the explanation shown to people. Proposals stored before are given the
rule their explanation stood for: a name found in another document of the case.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# the explanation such proposals were stored with before rule ids (detect.people.AGAIN then)
CASE_NAME_EXPLANATION = "a name word of a person found elsewhere in this case"
CASE_NAME_RULE = "presidio.again"  # detect.person_words.CASE_NAME_RULE


def upgrade() -> None:
    # a database made by create_all while the column was new may have it already
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("proposals")}
    if "rule" not in have:
        with op.batch_alter_table('proposals', schema=None) as batch_op:
            batch_op.add_column(sa.Column('rule', sa.String(length=32), nullable=False, server_default=''))
    op.execute(sa.text("UPDATE proposals SET rule = :r WHERE explanation = :e")
               .bindparams(r=CASE_NAME_RULE, e=CASE_NAME_EXPLANATION))


def downgrade() -> None:
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('rule')
