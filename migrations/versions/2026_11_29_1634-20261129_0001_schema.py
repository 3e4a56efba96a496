"""schema: users, auth sessions and refresh tokens, MFA, chat, emotions, content, therapy, reports, audit

Revision ID: 20261129_0001
Revises:
Create Date: 2026-11-29 16:34:58.201510+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261129_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen copies of the app's portable types (migrations must not import app code)
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("actor_user_id", sa.String(length=36), nullable=True),
        sa.Column("subject_user_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column(
            "details",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("ip_prefix", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_events_action_created_at"), ["action", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_subject_user_id_created_at"),
            ["subject_user_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "content_assets",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("url", sa.String(length=512), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("tags", JSON_TYPE, nullable=False),
        sa.Column(
            "emotion_scores",
            JSON_TYPE,
            nullable=False,
        ),
        sa.Column("locale", sa.String(length=16), server_default="zh-CN", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('panel', 'video')", name=op.f("ck_content_assets_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_assets")),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("ip_prefix", sa.String(length=64), nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_attempts_key_hash_created_at"), ["key_hash", "created_at"], unique=False
        )

    op.create_table(
        "therapy_tips",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "steps",
            JSON_TYPE,
            nullable=False,
        ),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("difficulty", sa.String(length=8), server_default="easy", nullable=False),
        sa.Column(
            "emotions",
            JSON_TYPE,
            nullable=False,
        ),
        sa.Column(
            "safety_notes",
            JSON_TYPE,
            nullable=False,
        ),
        sa.Column("locale", sa.String(length=16), server_default="zh-CN", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint(
            "difficulty IN ('easy', 'medium', 'hard')", name=op.f("ck_therapy_tips_difficulty")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapy_tips")),
    )
    with op.batch_alter_table("therapy_tips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_therapy_tips_category"), ["category"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("is_guest", sa.Boolean(), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=True),
        sa.Column("locale", sa.String(length=16), server_default="zh-CN", nullable=False),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=120), nullable=True),
        sa.Column("ip_prefix", sa.String(length=64), nullable=True),
        sa.Column("mfa_verified", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auth_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_sessions")),
    )
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auth_sessions_user_id_revoked_at"), ["user_id", "revoked_at"], unique=False
        )

    op.create_table(
        "chat_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column(
            "metadata",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_count", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_chat_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_sessions")),
    )
    with op.batch_alter_table("chat_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chat_sessions_user_id_last_message_at"),
            ["user_id", "last_message_at"],
            unique=False,
        )

    op.create_table(
        "mfa_credentials",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mfa_credentials_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_credentials")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mfa_credentials_user_id")),
    )
    op.create_table(
        "mfa_recovery_codes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mfa_recovery_codes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_mfa_recovery_codes_code_hash")),
    )
    with op.batch_alter_table("mfa_recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mfa_recovery_codes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "content_feedback",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("asset_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("recommendation_id", sa.String(length=64), nullable=True),
        sa.Column("feedback_type", sa.String(length=16), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "feedback_type IN ('helpful', 'not_helpful', 'inappropriate')",
            name=op.f("ck_content_feedback_feedback_type"),
        ),
        sa.CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 5)", name=op.f("ck_content_feedback_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["content_assets.id"],
            name=op.f("fk_content_feedback_asset_id_content_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["chat_sessions.id"],
            name=op.f("fk_content_feedback_session_id_chat_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_content_feedback_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_feedback")),
    )
    with op.batch_alter_table("content_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_feedback_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_feedback_user_id"), ["user_id"], unique=False)

    op.create_table(
        "messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "emotion",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("safety_level", sa.String(length=8), server_default="none", nullable=False),
        sa.Column("flagged", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("panel_url", sa.String(length=512), nullable=True),
        sa.Column("video_url", sa.String(length=512), nullable=True),
        sa.Column("processing_time_ms", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('user', 'duck', 'system')", name=op.f("ck_messages_role")),
        sa.CheckConstraint(
            "safety_level IN ('none', 'elevated', 'crisis')", name=op.f("ck_messages_safety_level")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["chat_sessions.id"],
            name=op.f("fk_messages_session_id_chat_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_messages_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_messages_session_id_created_at"), ["session_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_messages_user_id_created_at"), ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("family_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["auth_sessions.id"],
            name=op.f("fk_refresh_tokens_family_id_auth_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_tokens_family_id"), ["family_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('daily', 'weekly')", name=op.f("ck_reports_kind")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["chat_sessions.id"],
            name=op.f("fk_reports_session_id_chat_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint(
            "session_id", "kind", "period_start", name=op.f("uq_reports_session_id_kind_period_start")
        ),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_user_id"), ["user_id"], unique=False)

    op.create_table(
        "therapy_practices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("tip_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("mood_before", sa.Float(), nullable=True),
        sa.Column("mood_after", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('completed', 'partial', 'skipped')", name=op.f("ck_therapy_practices_status")
        ),
        sa.CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 5)", name=op.f("ck_therapy_practices_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["chat_sessions.id"],
            name=op.f("fk_therapy_practices_session_id_chat_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tip_id"],
            ["therapy_tips.id"],
            name=op.f("fk_therapy_practices_tip_id_therapy_tips"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_therapy_practices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapy_practices")),
    )
    with op.batch_alter_table("therapy_practices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_therapy_practices_tip_id"), ["tip_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_therapy_practices_user_id_created_at"), ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "emotion_logs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.Column("sentiment", sa.String(length=8), nullable=False),
        sa.Column("primary_emotion", sa.String(length=32), nullable=True),
        sa.Column(
            "secondary_emotions",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("intensity", sa.Float(), nullable=False),
        sa.Column("urgency", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "topics",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column(
            "psychological_needs",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("support_type", sa.String(length=32), nullable=True),
        sa.Column("keywords", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column(
            "details",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "sentiment IN ('positive', 'neutral', 'negative')", name=op.f("ck_emotion_logs_sentiment")
        ),
        sa.CheckConstraint("urgency >= 1 AND urgency <= 5", name=op.f("ck_emotion_logs_urgency_range")),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_emotion_logs_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["chat_sessions.id"],
            name=op.f("fk_emotion_logs_session_id_chat_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_emotion_logs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emotion_logs")),
    )
    with op.batch_alter_table("emotion_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_emotion_logs_message_id"), ["message_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_emotion_logs_session_id_created_at"), ["session_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_emotion_logs_user_id_created_at"), ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "message_feedback",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 1 AND score <= 5)", name=op.f("ck_message_feedback_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_feedback_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_message_feedback_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_feedback")),
        sa.UniqueConstraint("message_id", "user_id", name=op.f("uq_message_feedback_message_id_user_id")),
    )
    with op.batch_alter_table("message_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_feedback_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("message_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_feedback_user_id"))

    op.drop_table("message_feedback")
    with op.batch_alter_table("emotion_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emotion_logs_user_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_emotion_logs_session_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_emotion_logs_message_id"))

    op.drop_table("emotion_logs")
    with op.batch_alter_table("therapy_practices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_therapy_practices_user_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_therapy_practices_tip_id"))

    op.drop_table("therapy_practices")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_user_id"))

    op.drop_table("reports")
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_tokens_family_id"))

    op.drop_table("refresh_tokens")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_user_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_messages_session_id_created_at"))

    op.drop_table("messages")
    with op.batch_alter_table("content_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_feedback_user_id"))
        batch_op.drop_index(batch_op.f("ix_content_feedback_asset_id"))

    op.drop_table("content_feedback")
    with op.batch_alter_table("mfa_recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mfa_recovery_codes_user_id"))

    op.drop_table("mfa_recovery_codes")
    op.drop_table("mfa_credentials")
    with op.batch_alter_table("chat_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_sessions_user_id_last_message_at"))

    op.drop_table("chat_sessions")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_sessions_user_id_revoked_at"))

    op.drop_table("auth_sessions")
    op.drop_table("users")
    with op.batch_alter_table("therapy_tips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_therapy_tips_category"))

    op.drop_table("therapy_tips")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempts_key_hash_created_at"))

    op.drop_table("login_attempts")
    op.drop_table("content_assets")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_subject_user_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action_created_at"))

    op.drop_table("audit_events")
