"""Business metrics of the duck (seed §8.1), on the platform's registry. Labels never carry user text."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from app.core.metrics import REGISTRY

MESSAGES = Counter(
    "duck_messages_total",
    "User messages answered, by the Listener's sentiment",
    ["sentiment"],
    registry=REGISTRY,
)
CRISIS_MESSAGES = Counter(
    "duck_crisis_messages_total",
    "Messages answered as a crisis: a chat message got the fixed crisis reply with hotlines (the gate "
    "said crisis, or the second opinion raised it), or /emotions/analyze returned the crisis analysis. "
    "Alert CrisisMessageReceived pages on the first one",
    registry=REGISTRY,
)
SAFETY_LEVELS = Counter(
    "duck_safety_checks_total", "Safety gate decisions by level", ["level"], registry=REGISTRY
)
AGENT_DURATION = Histogram(
    "duck_agent_duration_seconds",
    "Time spent per agent task (and 'crew' for the whole kickoff)",
    ["agent"],
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
LLM_CALLS = Counter(
    "duck_llm_calls_total", "LLM calls by provider and outcome", ["provider", "outcome"], registry=REGISTRY
)
LLM_TOKENS = Counter(
    "duck_llm_tokens_total",
    "LLM tokens by provider and kind (prompt|completion)",
    ["provider", "kind"],
    registry=REGISTRY,
)
LLM_COST = Counter(
    "duck_llm_cost_usd_total", "Estimated LLM cost in USD by provider", ["provider"], registry=REGISTRY
)
LLM_FALLBACKS = Counter(
    "duck_llm_fallbacks_total",
    "Task answers that fell back to the offline engine, by provider and reason: error (the call and its "
    "retry failed), invalid (unusable output twice) or deadline (the message's budget CHAT_DEADLINE_SECONDS "
    "ran out)",
    ["provider", "reason"],
    registry=REGISTRY,
)
SECOND_OPINION = Counter(
    "duck_safety_second_opinion_total",
    "Second opinions of the hosted LLM on chat messages, by outcome: none|elevated|crisis (its answer), "
    "late (the reply was ready first: ignored), error or invalid (ignored)",
    ["outcome"],
    registry=REGISTRY,
)
SECOND_OPINION_RAISED = Counter(
    "duck_safety_second_opinion_raised_total",
    "Chat messages whose safety level the second opinion raised above the gate's, by the level it gave",
    ["level"],
    registry=REGISTRY,
)
FEEDBACK_SCORE = Histogram(
    "duck_feedback_score",
    "Feedback score on duck replies (1-5; helpful=5 / not helpful=1 when no score is given)",
    buckets=(1, 2, 3, 4, 5),
    registry=REGISTRY,
)
ACTIVE_USERS = Gauge(
    "duck_active_users",
    "Distinct users who sent a message in the window (computed from the database)",
    ["window"],
    registry=REGISTRY,
    multiprocess_mode="max",
)
FEATURE_USAGE = Counter(
    "duck_feature_usage_total",
    "Feature usage (chat, tips, content, reports, practice ...)",
    ["feature"],
    registry=REGISTRY,
)
CHAT_REPLAYS = Counter(
    "duck_chat_replays_total",
    "Chat messages answered from the stored turn (Idempotency-Key): reason=retry (already stored) or "
    "race (a concurrent duplicate stored it first)",
    ["reason"],
    registry=REGISTRY,
)
