"""keyed audit log and case assignments

The audit log's HMACs (entry_hmac), its tip (audit_tips), the key's fingerprint
(audit_key), the head each release recorded (releases.audit_*), which reviewers see
which cases (case_reviewers), and failed logins counted by name (login_failures).
Entries written before stay unsealed until the key's first use seals those whose
plain chain checks out.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:07:00.107970
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made by create_all while these were new may have them already
    insp = sa.inspect(op.get_bind())
    have = set(insp.get_table_names())
    if "audit_key" not in have:
        op.create_table('audit_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
    if "login_failures" not in have:
        op.create_table('login_failures',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name_sha256', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        with op.batch_alter_table('login_failures', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_login_failures_at'), ['at'], unique=False)
            batch_op.create_index(batch_op.f('ix_login_failures_name_sha256'), ['name_sha256'], unique=False)
    if "audit_tips" not in have:
        op.create_table('audit_tips',
        sa.Column('case_id', sa.String(length=64), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('hmac', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.case_id'], ),
        sa.PrimaryKeyConstraint('case_id')
        )
    if "case_reviewers" not in have:
        op.create_table('case_reviewers',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('case_id', sa.String(length=64), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.case_id'], ),
        sa.ForeignKeyConstraint(['reviewer_id'], ['reviewers.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'reviewer_id')
        )
        with op.batch_alter_table('case_reviewers', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_case_reviewers_case_id'), ['case_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_case_reviewers_reviewer_id'), ['reviewer_id'], unique=False)
    if "entry_hmac" not in {c["name"] for c in insp.get_columns("audit_log")}:
        with op.batch_alter_table('audit_log', schema=None) as batch_op:
            batch_op.add_column(sa.Column('entry_hmac', sa.String(length=64), nullable=True))
    if "audit_seq" not in {c["name"] for c in insp.get_columns("releases")}:
        with op.batch_alter_table('releases', schema=None) as batch_op:
            batch_op.add_column(sa.Column('audit_seq', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('audit_sha256', sa.String(length=64), nullable=True))
            batch_op.add_column(sa.Column('audit_hmac', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.drop_column('audit_hmac')
        batch_op.drop_column('audit_sha256')
        batch_op.drop_column('audit_seq')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('entry_hmac')

    with op.batch_alter_table('case_reviewers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_reviewers_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_case_reviewers_case_id'))

    op.drop_table('case_reviewers')
    op.drop_table('audit_tips')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_name_sha256'))
        batch_op.drop_index(batch_op.f('ix_login_failures_at'))

    op.drop_table('login_failures')
    op.drop_table('audit_key')
