"""message idempotency: messages.client_key (Idempotency-Key, unique per session) and messages.reply_to

Revision ID: 20261129_0201
Revises: 20261129_0101
Create Date: 2026-11-29 19:30:00+00:00

* ``client_key`` — the ``Idempotency-Key`` header of a chat POST, stored on the user message; the unique index
  ``(session_id, client_key)`` lets a retried request find (and replay) the stored turn. NULLs (no key) may
  repeat on both PostgreSQL and SQLite.
* ``reply_to`` — on a duck reply, the id of the user message it answers (self reference, ON DELETE CASCADE).

PostgreSQL: nullable columns without default, a foreign key and two indexes — no table rewrite; the previous
release ignores the new columns (expand/contract, rolling update). SQLite: batch "move and copy" of
``messages`` (a named table-level foreign key needs it); env.py turns foreign-key enforcement off around the
migrations so that dropping the old table does not cascade into emotion_logs / message_feedback.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261129_0201"
down_revision: str | Sequence[str] | None = "20261129_0101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("reply_to", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_messages_reply_to_messages"), "messages", ["reply_to"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index(batch_op.f("ix_messages_reply_to"), ["reply_to"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_messages_session_id_client_key"), ["session_id", "client_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_session_id_client_key"))
        batch_op.drop_index(batch_op.f("ix_messages_reply_to"))
        batch_op.drop_constraint(batch_op.f("fk_messages_reply_to_messages"), type_="foreignkey")
        batch_op.drop_column("reply_to")
        batch_op.drop_column("client_key")
