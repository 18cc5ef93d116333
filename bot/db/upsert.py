"""Dialect-specific INSERT … ON CONFLICT for the hot path (PostgreSQL and SQLite share the syntax)."""
from __future__ import annotations

from sqlalchemy.orm import Session


def insert_for(session: Session, model):
    """An INSERT construct that supports on_conflict_do_nothing/do_update on this session's database."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)
