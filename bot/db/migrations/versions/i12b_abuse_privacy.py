"""issue 12B: rate counters (logins, bind codes), server-side console sessions, flood-count index

Revision ID: i12b_abuse_privacy
Revises: 0001
Create Date: 2026-12-01 22:55:00
"""
from alembic import op
import sqlalchemy as sa
import bot.db.models


revision = 'i12b_abuse_privacy'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rate_counters',
        sa.Column('key', sa.String(length=128), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('updated_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', bot.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_rate_counters_updated_at', 'rate_counters', ['updated_at'])
    op.create_table(
        'console_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('pw', sa.String(length=32), nullable=False),
        sa.Column('created_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_console_sessions_staff_id', 'console_sessions', ['staff_id'])
    op.create_index('ix_console_sessions_last_seen_at', 'console_sessions', ['last_seen_at'])
    # The flood check counts one sender's recent messages on every resident message.
    op.create_index('ix_inbound_messages_open_id_received', 'inbound_messages', ['open_id', 'received_at'])


def downgrade() -> None:
    op.drop_index('ix_inbound_messages_open_id_received', table_name='inbound_messages')
    op.drop_index('ix_console_sessions_last_seen_at', table_name='console_sessions')
    op.drop_index('ix_console_sessions_staff_id', table_name='console_sessions')
    op.drop_table('console_sessions')
    op.drop_index('ix_rate_counters_updated_at', table_name='rate_counters')
    op.drop_table('rate_counters')
