"""Import every model so that ``Base.metadata`` is complete (Alembic, tests, exports)."""

from app.auth.models import AuthSession, LoginAttempt, MfaCredential, MfaRecoveryCode, RefreshToken, User
from app.chat.models import ChatSession, Message, MessageFeedback
from app.content.models import ContentAsset, ContentFeedback
from app.core.audit import AuditEvent
from app.core.models import Base
from app.emotions.models import EmotionLog
from app.reports.models import Report
from app.therapy.models import TherapyPractice, TherapyTip

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Base",
    "ChatSession",
    "ContentAsset",
    "ContentFeedback",
    "EmotionLog",
    "LoginAttempt",
    "Message",
    "MessageFeedback",
    "MfaCredential",
    "MfaRecoveryCode",
    "RefreshToken",
    "Report",
    "TherapyPractice",
    "TherapyTip",
    "User",
]
