"""issue 13: media a resident sends for a ticket (downloaded by the dispatcher, shown in the console)

Revision ID: i13_conversations
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import bot.db.models

revision = "i13_conversations"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = bot.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "media_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("open_id", sa.String(length=64), nullable=False),
        sa.Column("msg_key", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("media_id", sa.String(length=256), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=128), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("msg_key"),
    )
    op.create_index("ix_media_items_ticket_id", "media_items", ["ticket_id"])
    op.create_index("ix_media_items_open_id", "media_items", ["open_id"])
    op.create_index("ix_media_items_status", "media_items", ["status"])


def downgrade() -> None:
    op.drop_table("media_items")
