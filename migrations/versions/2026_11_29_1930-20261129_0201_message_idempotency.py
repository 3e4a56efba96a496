"""message idempotency: messages.client_key (Idempotency-Key, unique per session) and messages.reply_to

Revision ID: 20261129_0201
Revises: 20261129_0101
Create Date: 2026-11-29 19:30:00+00:00

* ``client_key`` — the ``Idempotency-Key`` header of a chat POST, stored on the user message; the unique index
  ``(session_id, client_key)`` lets a retried request find (and replay) the stored turn. NULLs (no key) may
  repeat on both PostgreSQL and SQLite.
* ``reply_to`` — on a duck reply, the id of the user message it answers (self reference, ON DELETE CASCADE).

PostgreSQL (the release runs `duck db upgrade` while the previous release serves traffic, which ignores the
new nullable columns): the columns and the foreign key (NOT VALID) are catalogue-only changes; the foreign key
is then validated and both indexes built CONCURRENTLY outside the transaction, so chat writes are never blocked
for a table scan. SQLite: batch "move and copy" of ``messages`` (a named table-level foreign key needs it);
env.py turns foreign-key enforcement off around the migrations so that dropping the old table does not cascade
into emotion_logs / message_feedback.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261129_0201"
down_revision: str | Sequence[str] | None = "20261129_0101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


FK = "fk_messages_reply_to_messages"
IX_REPLY = "ix_messages_reply_to"
IX_KEY = "ix_messages_session_id_client_key"


def _columns() -> list[sa.Column[str]]:
    return [
        sa.Column("client_key", sa.String(length=128), nullable=True),
        sa.Column("reply_to", sa.String(length=36), nullable=True),
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in _columns():
            op.add_column("messages", column)
        op.create_foreign_key(
            FK, "messages", "messages", ["reply_to"], ["id"], ondelete="CASCADE", postgresql_not_valid=True
        )
        with op.get_context().autocommit_block():
            op.execute(f"ALTER TABLE messages VALIDATE CONSTRAINT {FK}")
            op.create_index(IX_REPLY, "messages", ["reply_to"], postgresql_concurrently=True)
            op.create_index(
                IX_KEY, "messages", ["session_id", "client_key"], unique=True, postgresql_concurrently=True
            )
        return
    with op.batch_alter_table("messages", schema=None) as batch_op:
        for column in _columns():
            batch_op.add_column(column)
        batch_op.create_foreign_key(FK, "messages", ["reply_to"], ["id"], ondelete="CASCADE")
        batch_op.create_index(IX_REPLY, ["reply_to"], unique=False)
        batch_op.create_index(IX_KEY, ["session_id", "client_key"], unique=True)


def downgrade() -> None:
    # dropping a column drops its indexes and foreign key too (PostgreSQL; SQLite through the batch copy)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(IX_KEY)
        batch_op.drop_index(IX_REPLY)
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.drop_column("reply_to")
        batch_op.drop_column("client_key")
