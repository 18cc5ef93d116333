"""issue 16: roster plans (the staff list the rotation uses from a date on)

Revision ID: i16_console
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import bot.db.models

revision = "i16_console"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("pinned", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("effective_from"),
    )


def downgrade() -> None:
    op.drop_table("roster_plans")
