"""issue 12A: webhook nonce replay cache

Revision ID: i12a_hardening
Revises: 0001
Create Date: 2026-12-01 22:45:00
"""
from alembic import op
import sqlalchemy as sa
import bot.db.models


revision = 'i12a_hardening'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'webhook_nonces',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('timestamp', sa.BigInteger(), nullable=False),
        sa.Column('nonce', sa.String(length=64), nullable=False),
        sa.Column('msg_key', sa.String(length=128), nullable=False),
        sa.Column('seen_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('timestamp', 'nonce', name='uq_webhook_nonces_ts_nonce'),
    )
    with op.batch_alter_table('webhook_nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_nonces_seen_at'), ['seen_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webhook_nonces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_nonces_seen_at'))
    op.drop_table('webhook_nonces')
