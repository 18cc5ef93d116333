"""Merge the schema branches added side by side in one session (issues 12-16) into one head.

Revision ID: 0002
Revises: i12a_hardening, i12b_abuse_privacy, i13_conversations, i14_duty_chain, i15_incidents, i16_holidays
"""
revision = "0002"
down_revision = ("i12a_hardening", "i12b_abuse_privacy", "i13_conversations", "i14_duty_chain",
                 "i15_incidents", "i16_holidays")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables and columns."""


def downgrade() -> None:
    """Nothing to undo."""
