"""issue 16: holidays and 调休 set in the console; each roster era keeps the ones it saw

Revision ID: i16_holidays
Revises: i16_console
"""
from alembic import op
import sqlalchemy as sa
import bot.db.models

revision = "i16_holidays"
down_revision = "i16_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holiday_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("created_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day"),
    )
    with op.batch_alter_table("roster_plans") as batch:
        batch.add_column(sa.Column("holidays", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("roster_plans") as batch:
        batch.drop_column("holidays")
    op.drop_table("holiday_days")
