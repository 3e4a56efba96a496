"""The offline engine: lexicon emotion analysis (jieba tokens for Chinese; word tokens, a phrase lexicon and
VADER valence for English), library choices, and warm duck replies (``voice``).  Deterministic for a given
seed.  Plugged into CrewAI as ``LocalLLM``.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crewai.llms.base_llm import BaseLLM, llm_call_context
from pydantic import ConfigDict, PrivateAttr

from app.agents import lexicon as lx
from app.agents import lexicon_en as en
from app.agents import metrics as m
from app.agents import voice
from app.agents.intent import Reading, read_message
from app.agents.libraries import rank_assets, rank_tips, tips
from app.agents.schemas import ContentChoice, DuckReply, ListenerOutput, ReportSummary, Sentiment, TipChoice
from app.agents.state import TurnState
from app.core.segment import cut

# ---------------------------------------------------------------- analysis


def _index(words: dict[str, dict[str, float]]) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for emo, entries in words.items():
        for word, weight in entries.items():
            out.setdefault(word, []).append((emo, weight))
    return out


@dataclass(frozen=True)
class _Lexicon:
    """One language's word lists, as the scanner uses them."""

    emotions: dict[str, list[tuple[str, float]]]
    topics: dict[str, str]
    intensifiers: dict[str, float]
    negators: frozenset[str]
    being_heard: frozenset[str]
    stopwords: frozenset[str]
    max_ngram: int
    joiner: str  # how tokens of a phrase are joined in the word lists


_ZH = _Lexicon(
    emotions=_index(lx.EMOTION_WORDS),
    topics={w: topic for topic, words in lx.TOPICS.items() for w in words},
    intensifiers=lx.INTENSIFIERS,
    negators=frozenset(lx.NEGATORS),
    being_heard=frozenset(lx.BEING_HEARD),
    stopwords=frozenset(lx.STOPWORDS),
    max_ngram=3,
    joiner="",
)
_EN = _Lexicon(
    emotions=_index(en.EMOTION_WORDS),
    topics={w: topic for topic, words in en.TOPICS.items() for w in words},
    intensifiers=en.INTENSIFIERS,
    negators=frozenset(en.NEGATORS),
    being_heard=frozenset(en.BEING_HEARD),
    stopwords=frozenset(en.STOPWORDS),
    max_ngram=5,
    joiner=" ",
)
_FUSED_PREFIXES = ("非常", "特别", "超级", "有点", "好", "很", "太", "超", "真", "挺")
_NOBODY = frozenset({"nobody", "no one", "没人", "没有人"})
_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LATIN = re.compile(r"[a-z]")
#: the feeling a topic usually brings when a message is clearly negative but names no feeling
_TOPIC_FEELING = {
    "工作": "压力",
    "学业": "压力",
    "家庭": "悲伤",
    "感情": "悲伤",
    "人际关系": "悲伤",
    "健康": "疲惫",
    "睡眠": "疲惫",
    "金钱": "焦虑",
    "未来": "迷茫",
}
_VADER_DROP = (
    "like",
    "kind",
    "pretty",
    "well",
    "please",
    "sure",
    "yes",
    "ok",
    "okay",
    "stop",
    "want",
    "free",
)
_SOCIAL_FEELING = {"thanks": "感激", "reassure": "焦虑"}


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: PLC0415 - loads its lexicon

    analyzer = SentimentIntensityAnalyzer()
    for word in _VADER_DROP:  # "what's the weather like", "kind of", "pretty tired": not feelings
        analyzer.lexicon.pop(word, None)
    return analyzer


def _rng(seed: int, *parts: str) -> random.Random:
    digest = hashlib.sha256("|".join([str(seed), *parts]).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - variety, not security


def _join(tokens: list[str]) -> str:
    out = ""
    for tok in tokens:
        if out and _LATIN.match(tok[:1]) and _LATIN.match(out[-1:]):
            out += " "
        out += tok
    return out


def _tokens(text: str, lang: str) -> list[str]:
    if lang == "en":
        return _EN_WORD.findall(text.lower().replace("’", "'"))
    return [t.lower() for t in cut(text) if t.strip() and t not in {"'", '"'}]


@dataclass
class _Scan:
    scores: dict[str, float] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    hits: int = 0

    def add(self, emo: str, weight: float) -> None:
        self.scores[emo] = self.scores.get(emo, 0.0) + weight

    def keyword(self, word: str) -> None:
        if word not in self.keywords:
            self.keywords.append(word)


def _stems(word: str) -> list[str]:
    out = []
    if word.endswith("ing") and len(word) > 5:
        base = word[:-3]
        out += [base, base + "e", base[:-1] if len(base) > 2 and base[-1] == base[-2] else base]
    if word.endswith("ied"):
        out.append(word[:-3] + "y")
    if word.endswith("ed") and len(word) > 4:
        out += [word[:-2], word[:-1], word[:-3] if word[-3] == word[-4] else word[:-2]]
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return out


def _lookup(lex: _Lexicon, tokens: list[str], i: int) -> tuple[str, int, float] | None:
    """The longest phrase at ``i`` in the emotion or topic lists: (phrase, length, fused intensifier)."""
    for n in range(min(lex.max_ngram, len(tokens) - i), 0, -1):
        gram = (lex.joiner.join if lex.joiner else _join)(tokens[i : i + n])
        if gram in lex.emotions or gram in lex.topics:
            return gram, n, 0.0
        if n == 1 and lex.joiner:
            # worrying -> worry, nagging -> nag, cried -> cry: the lists hold base forms and some inflections
            for stem in _stems(gram):
                if stem in lex.emotions:
                    return stem, 1, 0.0
        if n == 1 and not lex.joiner:
            # jieba often fuses an intensifier with the word: 好开心, 太难过, 超累
            for prefix in _FUSED_PREFIXES:
                rest = gram[len(prefix) :]
                if gram.startswith(prefix) and rest in lex.emotions:
                    return rest, 1, lex.intensifiers.get(prefix, 0.0)
    return None


def _negated(lex: _Lexicon, prev: list[str]) -> bool:
    """A negator right before the word, or before an intensifier before it (不太开心, not very happy)."""
    if prev[-1:] and prev[-1] in lex.negators:
        return True
    window = prev[-3:] if lex.joiner else prev[-2:]
    return any(p in lex.negators for p in window[:-1]) and all(
        p in lex.intensifiers or p in lex.negators or p in {"feeling", "feel", "be", "that"}
        for p in window[1:]
    )


def _score_word(scan: _Scan, lex: _Lexicon, gram: str, prev: list[str], fused: float) -> None:
    boost = fused + sum(lex.intensifiers.get(p, 0.0) for p in prev[-2:])
    if lex.joiner:  # two-word intensifiers: a bit, kind of, a little
        boost += lex.intensifiers.get(lex.joiner.join(prev[-2:]), 0.0)
    negated = _negated(lex, prev)
    for emo, weight in lex.emotions[gram]:
        w = max(0.1, weight + boost)
        if negated and emo in lx.POSITIVE:
            scan.add("失落", w * 0.8)  # not happy, not great
        elif negated:
            scan.add(emo, w * 0.15)  # not worried: a trace
        else:
            scan.add(emo, w)


def _scan(text: str, lang: str) -> _Scan:
    lex = _EN if lang == "en" else _ZH
    tokens = _tokens(text, lang)
    scan = _Scan()
    i = 0
    while i < len(tokens):
        tok, prev = tokens[i], tokens[max(0, i - 3) : i]
        found = _lookup(lex, tokens, i)
        if found is None:
            if tok in lex.being_heard and (
                _negated(lex, prev) or _NOBODY & set(prev) or "no one" in _join(prev)
            ):
                scan.add("孤独", 0.6)  # nobody gets me, 没有人懂我
                scan.hits += 1
            elif (
                tok not in lex.stopwords and len(scan.keywords) < 8 and len(tok) >= (4 if lang == "en" else 2)
            ):
                scan.keyword(tok)
            i += 1
            continue
        gram, n, fused = found
        if gram in lex.emotions:
            _score_word(scan, lex, gram, prev, fused)
            scan.hits += 1
        for part in {gram, *tokens[i : i + n]}:  # "sleeping badly": a feeling, and about sleep
            if part in lex.topics:
                scan.topics[lex.topics[part]] = scan.topics.get(lex.topics[part], 0) + 1
        scan.keyword(gram)
        i += n
    return scan


def _sentiment(scores: dict[str, float], valence: float) -> Sentiment:
    pos = sum(v for k, v in scores.items() if k in lx.POSITIVE) + max(0.0, valence) * 0.5
    neg = sum(v for k, v in scores.items() if k in lx.NEGATIVE) + max(0.0, -valence) * 0.5
    if neg - pos > 0.1:
        return "negative"
    if pos - neg > 0.1:
        return "positive"
    return "neutral"


def _fill_gaps(scan: _Scan, sentiment: str, reading: Reading, valence: float) -> None:
    """Feelings the words imply without naming one: a negative message about work is most often stress."""
    if reading.intent == "reassure":
        # "do you think I'm annoying": the word is how they fear being seen, the feeling is the worry
        scan.scores = {k: v for k, v in scan.scores.items() if k in {"内疚", "焦虑"}}
    social = _SOCIAL_FEELING.get(reading.intent)
    if social and social not in scan.scores:
        scan.add(social, 0.5)
    if sentiment == "negative" and not any(k in lx.NEGATIVE for k in scan.scores):
        topic = max(scan.topics, key=lambda t: (scan.topics[t], t), default="")
        scan.add(_TOPIC_FEELING.get(topic, "悲伤"), 0.4)
    elif sentiment == "positive" and valence >= 0.5 and not any(k in lx.POSITIVE for k in scan.scores):
        scan.add("开心", 0.4)


def _ranked(scores: dict[str, float], sentiment: str) -> list[tuple[str, float]]:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if sentiment == "negative":
        return [kv for kv in ranked if kv[0] in lx.NEGATIVE] + [kv for kv in ranked if kv[0] in lx.POSITIVE]
    if sentiment == "positive":
        return [kv for kv in ranked if kv[0] in lx.POSITIVE] + [kv for kv in ranked if kv[0] in lx.NEGATIVE]
    return ranked


def _intensity(ranked: list[tuple[str, float]], text: str, safety_level: str) -> tuple[float, float]:
    """(intensity, exclamation share) of the message, 0.1 ... 1.0."""
    exclaim = min(0.15, 0.05 * (text.count("!") + text.count("！")))
    felt = [v for _, v in ranked if v >= 0.1]  # traces of negated feelings do not add up
    top = felt[0] if felt else 0.0
    intensity = min(1.0, round((top * 0.8 + 0.1 * max(0, len(felt) - 1) + exclaim) if felt else 0.2, 2))
    if safety_level == "elevated":
        intensity = max(intensity, 0.7)
    return max(0.1, intensity), exclaim


def analyse(text: str, *, safety_level: str = "none") -> ListenerOutput:
    reading = read_message(text)
    scan = _scan(text, reading.language)
    valence = float(_vader().polarity_scores(text)["compound"]) if reading.language == "en" else 0.0
    sentiment = _sentiment(scan.scores, valence)
    _fill_gaps(scan, sentiment, reading, valence)
    sentiment = _sentiment(scan.scores, valence)
    ranked = _ranked(scan.scores, sentiment)
    # a negated feeling ("not worried anymore") leaves a trace, never the headline
    primary = [e for e, v in ranked[:2] if v >= 0.1] or ["平静"]
    intensity, exclaim = _intensity(ranked, text, safety_level)
    urgency = min(4, 1 + round(intensity * 3)) if sentiment == "negative" else 1
    if safety_level == "elevated":
        urgency = max(urgency, 4)
    needs = list(dict.fromkeys(need for e in primary for need in lx.NEEDS.get(e, ())))
    questioning = "?" in text or "？" in text
    style = "emotional" if exclaim or intensity >= 0.7 else ("questioning" if questioning else "plain")
    return ListenerOutput(
        sentiment=sentiment,
        intensity=intensity,
        primary_emotions=primary,
        secondary_emotions=[e for e, _ in ranked if e not in primary][:3],
        keywords=scan.keywords[:6],
        topics=[t for t, _ in sorted(scan.topics.items(), key=lambda kv: (-kv[1], kv[0]))][:3],
        language_style=style,
        psychological_needs=needs[:4],
        urgency_level=urgency,
        support_type=lx.SUPPORT_TYPE.get(primary[0], "listening") if ranked else "listening",
        confidence_score=round(min(0.92, 0.5 + 0.1 * scan.hits) if scan.hits else 0.4, 2),
        processing_notes=f"offline lexicon engine ({reading.language}, {reading.intent})",
    )


# ---------------------------------------------------------------- library choices


def choose_tip(turn: TurnState) -> TipChoice:
    a = turn.analysis or analyse(turn.message)
    ranked = rank_tips(a.primary_emotions + a.secondary_emotions)
    if not ranked:
        ranked = [(tips()["breathing_478"], 0.1)]
    # a small seeded shuffle among near-equal tips keeps suggestions from always being the same
    rng = _rng(turn.seed, "tip", turn.message)
    best = ranked[0][1]
    near = [t for t, s in ranked if s >= best - 0.05][:3]
    pick = rng.choice(near)
    alternatives = [t.id for t, _ in ranked if t.id != pick.id][:2]
    return TipChoice(
        tip_id=pick.id, alternative_ids=alternatives, reason=f"fits {','.join(a.primary_emotions)}"
    )


def choose_content(turn: TurnState) -> ContentChoice:
    a = turn.analysis or analyse(turn.message)
    emotions = a.primary_emotions + a.secondary_emotions
    rng = _rng(turn.seed, "content", turn.message)
    out = ContentChoice(reason=f"matches {','.join(a.primary_emotions)}")
    panels = rank_assets(emotions, kind="panel")
    if panels:
        best = panels[0][1]
        out.panel_id = rng.choice([p for p, s in panels if s >= best - 0.05][:3]).id
    videos = rank_assets(emotions, kind="video")
    if videos and videos[0][1] >= 0.6:
        out.video_id = videos[0][0].id
    return out


# ---------------------------------------------------------------- the duck's voice


def compose_reply(turn: TurnState) -> DuckReply:
    """The duck's reply (``voice``): to the message's kind, feeling and topic, in the message's language."""
    a = turn.analysis or analyse(turn.message, safety_level=turn.safety_level)
    return voice.compose_reply(turn, a)


def summarise_report(stats: dict[str, Any], *, seed: int = 0) -> ReportSummary:
    total = int(stats.get("total_interactions", 0))
    dominant = stats.get("dominant_emotion") or "平静"
    positive_ratio = float(stats.get("positive_ratio", 0.0))
    trend = stats.get("trend", "stable")
    rng = _rng(seed, "report", str(stats.get("period", "")))
    if total == 0:
        return ReportSummary(
            duck_encouragement="这段时间鸭鸭还没听你说过话呢。想聊的时候随时来找我，鸭鸭一直在～",
            achievements=[],
            gentle_suggestions=["想到什么就和鸭鸭说说吧，哪怕只是一句今天吃了什么"],
        )
    achievements = [f"和鸭鸭聊了 {total} 次，愿意表达自己的感受本身就很勇敢"]
    if positive_ratio >= 0.5:
        achievements.append("积极的时刻占了一半以上，闪闪发光")
    if trend == "improving":
        achievements.append("情绪比之前更明朗了一些")
    suggestions = []
    if dominant in lx.NEGATIVE:
        suggestions.append(
            f"这段时间「{voice.NOUN.get(dominant, dominant)}」出现得比较多，记得给自己留一点休息的时间"
        )
        suggestions.append(
            rng.choice(["试试睡前做几轮 4-7-8 呼吸", "找一个信任的人聊聊", "每天写下一件小小的好事"])
        )
    else:
        suggestions.append("继续保持现在的节奏，也记得关照自己的小情绪")
    openers = ["亲爱的朋友，", "嗨，小伙伴，", "亲爱的你，"]
    body = (
        f"这段时间你最常出现的情绪是「{dominant}」。"
        + ("你把很多美好的瞬间分享给了鸭鸭，" if positive_ratio >= 0.5 else "你经历了一些不容易的时刻，")
        + ("而且整体在慢慢变好，" if trend == "improving" else "")
        + "鸭鸭都看在眼里。"
    )
    return ReportSummary(
        duck_encouragement=rng.choice(openers) + body + "不管怎样，鸭鸭都会一直陪着你哦～",
        achievements=achievements,
        gentle_suggestions=suggestions,
    )


# ---------------------------------------------------------------- CrewAI adapter


def offline_answer(task_name: str, turn: TurnState) -> str:
    """The offline engine's answer for a task, as the JSON a model would return."""
    if task_name == "listen_task":
        return analyse(turn.message, safety_level=turn.safety_level).model_dump_json()
    if task_name == "therapy_tips_task":
        return choose_tip(turn).model_dump_json()
    if task_name == "content_recall_task":
        return choose_content(turn).model_dump_json()
    if task_name == "report_task":
        return summarise_report(turn.report_stats or {}, seed=turn.seed).model_dump_json()
    return compose_reply(turn).model_dump_json()


def estimate_tokens(messages: str | list[Any]) -> int:
    if isinstance(messages, str):
        return (len(messages) + 3) // 4
    return sum((len(str(m.get("content", ""))) + 3) // 4 for m in messages if isinstance(m, dict))


def task_name_of(from_task: Any) -> str:
    return str(getattr(from_task, "name", "") or "duck_reply_task")


class DuckLLM(BaseLLM):
    """What every duck backend shares: local token estimates (no tokenizer download), no tool calling, and the
    CrewAI call events around ``answer()`` - the one method a backend implements."""

    def answer(self, messages: str | list[Any], task: str) -> str:
        raise NotImplementedError

    def call(
        self,
        messages: str | list[Any],
        tools: list[dict[str, Any]] | None = None,
        callbacks: list[Any] | None = None,
        available_functions: dict[str, Any] | None = None,
        from_task: Any | None = None,
        from_agent: Any | None = None,
        response_model: type[Any] | None = None,
    ) -> str:
        with llm_call_context():
            self._emit_call_started_event(messages=messages, from_task=from_task, from_agent=from_agent)
            answer = self.answer(messages, task_name_of(from_task))
            self._emit_call_completed_event(
                response=answer,
                call_type=_LLM_CALL_TYPE,
                from_task=from_task,
                from_agent=from_agent,
                messages=messages,
            )
            return answer

    def get_input_tokens_count(
        self, messages: str | list[Any], tools: Any = None, response_model: Any = None
    ) -> int:
        return estimate_tokens(messages)

    def supports_function_calling(self) -> bool:
        return False

    def get_context_window_size(self) -> int:
        return 32768


class LocalLLM(DuckLLM):
    """CrewAI ``BaseLLM`` backed by the offline engine: no network, no model weights, deterministic."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llm_type: str = "duck-local"
    provider: str = "local"
    _turn: TurnState | None = PrivateAttr(default=None)
    _usage: dict[str, int] = PrivateAttr(default_factory=lambda: {"prompt": 0, "completion": 0})

    @classmethod
    def for_turn(cls, turn: TurnState) -> LocalLLM:
        llm = cls(model="duck-offline-engine", seed=turn.seed)
        llm._turn = turn
        return llm

    @property
    def turn(self) -> TurnState:
        if self._turn is None:
            raise RuntimeError("LocalLLM used without a turn")
        return self._turn

    def answer(self, messages: str | list[Any], task: str) -> str:
        answer = offline_answer(task, self.turn)
        tok_in, tok_out = estimate_tokens(messages), (len(answer) + 3) // 4
        self._usage["prompt"] += tok_in
        self._usage["completion"] += tok_out
        m.LLM_CALLS.labels("local", "success").inc()
        m.LLM_TOKENS.labels("local", "prompt").inc(tok_in)
        m.LLM_TOKENS.labels("local", "completion").inc(tok_out)
        return answer

    def usage(self) -> dict[str, int]:
        return dict(self._usage)


def _call_type() -> Any:
    from crewai.events.types.llm_events import LLMCallType  # noqa: PLC0415 - crewai internals, resolved once

    return LLMCallType.LLM_CALL


_LLM_CALL_TYPE = _call_type()
