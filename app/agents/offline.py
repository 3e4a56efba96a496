"""The offline engine: lexicon emotion analysis over jieba tokens, library choices, and warm duck replies
that reflect what the person said.  Deterministic for a given seed.  Plugged into CrewAI as ``LocalLLM``.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

from crewai.llms.base_llm import BaseLLM, llm_call_context
from pydantic import ConfigDict, PrivateAttr

from app.agents import lexicon as lx
from app.agents import metrics as m
from app.agents.libraries import assets, rank_assets, rank_tips, tips
from app.agents.schemas import ContentChoice, DuckReply, ListenerOutput, ReportSummary, TipChoice
from app.agents.state import TurnState
from app.safety.segment import cut

# ---------------------------------------------------------------- analysis

_WORD_INDEX: dict[str, list[tuple[str, float]]] = {}
for _emo, _words in lx.EMOTION_WORDS.items():
    for _w, _weight in _words.items():
        _WORD_INDEX.setdefault(_w, []).append((_emo, _weight))
_TOPIC_INDEX = {w: topic for topic, words in lx.TOPICS.items() for w in words}
_MAX_NGRAM = 3
_FUSED_PREFIXES = ("非常", "特别", "超级", "有点", "好", "很", "太", "超", "真", "挺")
_CLAUSE = re.compile(r"[。！？!?；;，,\n…~～]+|\.(?:\s|$)")
_LATIN = re.compile(r"[a-z]")


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


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in cut(text) if t.strip() and t not in {"'", '"'}]


def analyse(text: str, *, safety_level: str = "none") -> ListenerOutput:
    tokens = _tokens(text)
    scores: dict[str, float] = {}
    hits = 0
    topics: dict[str, int] = {}
    keywords: list[str] = []
    i = 0
    while i < len(tokens):
        matched = False
        for n in range(min(_MAX_NGRAM, len(tokens) - i), 0, -1):
            gram = _join(tokens[i : i + n])
            fused = 0.0
            if gram not in _WORD_INDEX and n == 1:
                # jieba often fuses an intensifier with the word: 好开心, 太难过, 超累
                for prefix in _FUSED_PREFIXES:
                    if gram.startswith(prefix) and gram[len(prefix) :] in _WORD_INDEX:
                        fused = lx.INTENSIFIERS.get(prefix, 0.0)
                        gram = gram[len(prefix) :]
                        break
            if gram in _WORD_INDEX:
                prev = tokens[max(0, i - 2) : i]
                boost = fused + sum(lx.INTENSIFIERS.get(p, 0.0) for p in prev)
                negated = any(p in lx.NEGATORS for p in prev[-1:]) or (
                    len(prev) == 2 and prev[0] in lx.NEGATORS and prev[1] in lx.INTENSIFIERS
                )
                for emo, weight in _WORD_INDEX[gram]:
                    w = max(0.1, weight + boost)
                    if negated and emo in lx.POSITIVE:
                        scores["失落"] = scores.get("失落", 0.0) + w * 0.8
                    elif negated:
                        scores[emo] = scores.get(emo, 0.0) + w * 0.15
                    else:
                        scores[emo] = scores.get(emo, 0.0) + w
                hits += 1
                if gram not in keywords:
                    keywords.append(gram)
                i += n
                matched = True
                break
            if gram in _TOPIC_INDEX:
                topic = _TOPIC_INDEX[gram]
                topics[topic] = topics.get(topic, 0) + 1
                if gram not in keywords:
                    keywords.append(gram)
                i += n
                matched = True
                break
        if not matched:
            tok = tokens[i]
            latin = bool(_LATIN.match(tok[:1]))
            if (
                tok not in lx.STOPWORDS
                and len(keywords) < 8
                and ((not latin and len(tok) >= 2) or len(tok) >= 4)
            ):
                keywords.append(tok)
            i += 1

    pos = sum(v for k, v in scores.items() if k in lx.POSITIVE)
    neg = sum(v for k, v in scores.items() if k in lx.NEGATIVE)
    if neg - pos > 0.1:
        sentiment = "negative"
    elif pos - neg > 0.1:
        sentiment = "positive"
    else:
        sentiment = "neutral"
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if sentiment == "negative":
        ranked = [kv for kv in ranked if kv[0] in lx.NEGATIVE] + [kv for kv in ranked if kv[0] in lx.POSITIVE]
    elif sentiment == "positive":
        ranked = [kv for kv in ranked if kv[0] in lx.POSITIVE] + [kv for kv in ranked if kv[0] in lx.NEGATIVE]
    primary = [e for e, _ in ranked[:2]] or ["平静"]
    secondary = [e for e, _ in ranked[2:5]]
    exclaim = min(0.15, 0.05 * (text.count("!") + text.count("！")))
    top = ranked[0][1] if ranked else 0.0
    intensity = min(1.0, round((top * 0.8 + 0.1 * max(0, len(ranked) - 1) + exclaim) if ranked else 0.2, 2))
    if safety_level == "elevated":
        intensity = max(intensity, 0.7)
    intensity = max(0.1, intensity)
    urgency = 1
    if sentiment == "negative":
        urgency = min(4, 1 + round(intensity * 3))
    if safety_level == "elevated":
        urgency = max(urgency, 4)
    needs: list[str] = []
    for e in primary:
        for need in lx.NEEDS.get(e, ()):
            if need not in needs:
                needs.append(need)
    style = (
        "emotional"
        if exclaim or intensity >= 0.7
        else ("questioning" if "?" in text or "？" in text else "plain")
    )
    return ListenerOutput(
        sentiment=sentiment,
        intensity=intensity,
        primary_emotions=primary,
        secondary_emotions=secondary,
        keywords=keywords[:6],
        topics=[t for t, _ in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))][:3],
        language_style=style,
        psychological_needs=needs[:4],
        urgency_level=urgency,
        support_type=lx.SUPPORT_TYPE.get(primary[0], "listening") if ranked else "listening",
        confidence_score=round(min(0.92, 0.5 + 0.1 * hits) if hits else 0.4, 2),
        processing_notes="offline lexicon engine",
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

_ADJ = {
    "悲伤": "难过",
    "孤独": "孤单",
    "焦虑": "焦虑不安",
    "压力": "压力很大",
    "疲惫": "累",
    "愤怒": "生气",
    "害怕": "害怕",
    "失落": "失落",
    "迷茫": "迷茫",
    "内疚": "自责",
    "开心": "开心",
    "兴奋": "兴奋",
    "感激": "感动",
    "自豪": "骄傲",
    "平静": "平静",
    "期待": "期待",
}
_TOPIC_PHRASE = {
    "工作": "工作上的事",
    "学业": "学习和考试的事",
    "家庭": "家里的事",
    "感情": "感情里的事",
    "人际关系": "和身边人之间的事",
    "健康": "身体和睡眠的事",
    "金钱": "钱的事",
    "未来": "对未来的打算",
    "休闲": "这段时光",
}
_GROUP = {
    "悲伤": "comfort",
    "失落": "comfort",
    "内疚": "comfort",
    "孤独": "lonely",
    "焦虑": "stress",
    "压力": "stress",
    "疲惫": "stress",
    "害怕": "fear",
    "愤怒": "anger",
    "迷茫": "lost",
    "开心": "joy",
    "兴奋": "joy",
    "自豪": "joy",
    "感激": "joy",
    "平静": "calm",
    "期待": "calm",
}
_OPENERS = {
    "comfort": ["抱抱你。", "鸭鸭在这儿呢，先给你一个软软的拥抱。", "谢谢你愿意告诉鸭鸭。"],
    "lonely": ["鸭鸭来陪你啦。", "嘿，此刻你不是一个人哦，鸭鸭在。", "谢谢你来找鸭鸭说话。"],
    "stress": ["辛苦啦。", "先停一停，和鸭鸭一起慢慢呼一口气。", "你已经撑了很久了吧。"],
    "fear": ["别怕，鸭鸭就在你身边。", "先深呼吸一下，鸭鸭陪着你。"],
    "anger": ["换作是鸭鸭，也会气得羽毛都竖起来！", "生气是很正常的反应。"],
    "lost": ["迷茫的时候停下来想一想，一点也不丢人。", "鸭鸭在听呢。"],
    "joy": ["哇，太棒了！", "鸭鸭要为你撒花啦！", "好消息！鸭鸭开心得扑棱翅膀～"],
    "calm": ["鸭鸭在听呢。", "谢谢你和鸭鸭分享。", "嗨，很高兴听你说这些。"],
}
_REFLECT = [
    "你说「{echo}」，听起来你现在真的很{adj}。",
    "「{echo}」——光是听你这么说，鸭鸭就能感觉到那份{adj}。",
    "听你说「{echo}」，{topic}一定让你觉得很{adj}吧，鸭鸭都接住啦。",
]
_REFLECT_JOY = [
    "你说「{echo}」，鸭鸭都能感受到你的{adj}！",
    "「{echo}」——这真的值得好好庆祝一下！",
]
_VALIDATE = {
    "comfort": ["难过的时候不用急着好起来，允许自己慢一点。", "有这样的感受一点也不奇怪，你已经很努力了。"],
    "lonely": ["孤单的感觉很真实，但它不代表你不值得被陪伴。", "想要有人陪，是再正常不过的需要。"],
    "stress": ["压力大的时候，能注意到自己的感受就已经很了不起了。", "你不需要一下子把所有事情都扛好。"],
    "fear": ["害怕是身体在努力保护你。", "不安的时候，先让自己待在安全、舒服的地方。"],
    "anger": ["你的生气背后，一定有在意的东西。", "先让情绪有个出口，不用急着评判自己。"],
    "lost": ["不知道方向的时候，先看清脚下的一小步就够了。", "迷茫常常出现在成长的路口。"],
    "joy": ["这是你努力的结果，值得好好享受这一刻。", "把这份开心存起来，以后累的时候拿出来看看。"],
    "calm": ["这样平平稳稳的时刻也很珍贵。", "谢谢你把日常分享给鸭鸭。"],
}
_QUESTIONS = {
    "comfort": ["愿意和鸭鸭多说说发生了什么吗？", "现在最让你难受的是哪一部分呢？"],
    "lonely": ["最近有没有哪一刻，让你觉得稍微被陪伴了一点？", "想和鸭鸭聊聊今天过得怎么样吗？"],
    "stress": ["现在最让你放不下的是哪一件事呢？", "如果只挑一件事先放一放，会是哪一件？"],
    "fear": ["现在你在一个安全的地方吗？", "是什么让你感到害怕呢？愿意说说吗？"],
    "anger": ["是哪一刻让你最生气呢？", "你希望对方怎样对待你呢？"],
    "lost": ["如果不考虑别人的期待，你自己最想要的是什么？", "最近有没有一件让你有一点点兴趣的事？"],
    "joy": ["当时的你是什么心情呀？", "你想怎么奖励一下自己呢？"],
    "calm": ["今天还有什么想和鸭鸭分享的吗？", "最近有什么小事让你觉得不错呢？"],
}
_CLOSERS = ["鸭鸭会一直陪着你哦～", "不管怎样，鸭鸭都在。", "我们慢慢来，好吗？", "鸭鸭抱抱你～"]
_CLOSERS_JOY = ["继续闪闪发光吧～", "鸭鸭为你骄傲！", "今天也要开开心心的哦～"]

_EN_OPEN = {
    "comfort": "I'm so sorry. Sending you a soft duck hug.",
    "lonely": "I'm right here with you.",
    "stress": "That sounds like a lot to carry.",
    "fear": "You're not alone - I'm here with you.",
    "anger": "That would make anyone angry.",
    "lost": "It's okay not to have it all figured out.",
    "joy": "That's wonderful!",
    "calm": "Thanks for sharing that with me.",
}


def _perspective(clause: str) -> str:
    clause = clause.replace("我们", "\0们").replace("我", "\1").replace("你", "我").replace("\1", "你")
    return clause.replace("\0们", "你们")


def echo_of(text: str, analysis: ListenerOutput) -> str:
    """The clause that carries the strongest feeling (or a topic), in the listener's words, trimmed."""
    clauses = [c.strip() for c in _CLAUSE.split(text) if c.strip()]
    if not clauses:
        return text.strip()[:24]
    marks = [k for k in analysis.keywords if k]
    best = clauses[0]
    best_score = -1
    for c in clauses:
        score = sum(
            2 if k in lx.EMOTION_WORDS.get(analysis.primary_emotions[0], {}) else 1 for k in marks if k in c
        )
        if score > best_score:
            best, best_score = c, score
    best = best.strip(" 　\"'“”")
    if best.isascii():
        if len(best) > 60:
            best = best[:60].rsplit(" ", 1)[0] + "…"
        return best
    if len(best) > 26:
        best = best[:24] + "…"
    return _perspective(best)


def compose_reply(turn: TurnState) -> DuckReply:
    a = turn.analysis or analyse(turn.message, safety_level=turn.safety_level)
    emo = a.primary_emotions[0]
    group = _GROUP.get(emo, "calm") if a.sentiment != "neutral" or emo in _GROUP else "calm"
    rng = _rng(turn.seed, "reply", turn.message)
    tip = tips().get(turn.tip.tip_id) if turn.tip else None
    panel = assets().get(turn.content.panel_id) if turn.content and turn.content.panel_id else None
    video = assets().get(turn.content.video_id) if turn.content and turn.content.video_id else None
    echo = echo_of(turn.message, a)
    if turn.english:
        parts = [_EN_OPEN.get(group, _EN_OPEN["calm"])]
        parts.append(f'You said "{echo}" - it sounds like you feel {lx.EMOTION_EN.get(emo, "this deeply")}.')
        if tip and turn.style != "brief":
            parts.append(
                f"Would you like to try {tip.title_en} with me? It takes about {tip.duration_minutes} min."
            )
        if panel:
            parts.append(f'I also found a little duck comic for you: "{panel.title}".')
        if turn.style != "brief":
            parts.append("Do you want to tell me more about it?")
        parts.append("I'm here with you.")
        if turn.resource_line:
            parts.append(turn.resource_line)
        return DuckReply(text=" ".join(parts))

    topic = _TOPIC_PHRASE.get(a.topics[0], "这些事") if a.topics else "这些事"
    adj = _ADJ.get(emo, "有很多感受")
    parts = [rng.choice(_OPENERS[group])]
    templates = _REFLECT_JOY if group == "joy" else _REFLECT
    if group == "calm" and a.sentiment == "neutral":
        parts.append(f"你说「{echo}」，鸭鸭认真听着呢。")
    else:
        parts.append(rng.choice(templates).format(echo=echo, adj=adj, topic=topic))
    if turn.style != "brief":
        parts.append(rng.choice(_VALIDATE[group]))
    if tip:
        if turn.style == "detailed":
            steps = "；".join(f"{i + 1}. {s}" for i, s in enumerate(tip.steps))
            parts.append(f"要不要和鸭鸭一起试试「{tip.title}」？大约 {tip.duration_minutes} 分钟：{steps}。")
        elif turn.style == "brief":
            parts.append(f"也可以试试「{tip.title}」。")
        else:
            parts.append(
                f"要不要和鸭鸭一起试试「{tip.title}」？只要大约 {tip.duration_minutes} 分钟，"
                f"第一步：{tip.steps[0]}。"
            )
    if panel and turn.style != "brief":
        line = f"鸭鸭还给你找了一幅小漫画「{panel.title}」"
        line += f"和一段小动画「{video.title}」，" if video else "，"
        parts.append(line + "希望它们能陪你一会儿。")
    if turn.style != "brief":
        parts.append(rng.choice(_QUESTIONS[group]))
    parts.append(rng.choice(_CLOSERS_JOY if group == "joy" else _CLOSERS))
    if turn.resource_line:
        parts.append(turn.resource_line)
    return DuckReply(text="".join(parts))


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
            f"这段时间「{_ADJ.get(dominant, dominant)}」出现得比较多，记得给自己留一点休息的时间"
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
