"""What kind of message this is, before what it feels: a greeting, thanks, goodbye, a question about the duck,
a worry about being a bother - or the person sharing something.  And which language to answer in.

Social messages get their own kind of reply (a greeting is greeted, thanks are received), never the
"you said ..." reflection meant for someone telling the duck how they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Intent = Literal["greeting", "thanks", "farewell", "about_duck", "reassure", "share"]
SOCIAL: frozenset[str] = frozenset({"greeting", "thanks", "farewell", "about_duck"})

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def language_of(text: str, fallback: str = "zh") -> str:
    """``zh`` or ``en``: the script the message is written in (some English words in Chinese stay zh)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk == 0 and latin == 0:
        return fallback
    return "zh" if cjk * 3 >= latin else "en"


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


# parts of a message that carry no content of their own once a greeting / thanks / goodbye is recognised
_ZH_FILLER = _rx(
    r"鸭鸭|小鸭子?|鸭子|你好呀|我又来啦|我又来了|我来啦|我来了|又见面了|好久不见|是我",
    r"[呀啊呢吗哦啦嘛哈嗯噢喔耶咯]+",
)
_EN_FILLER = _rx(
    r"\b(?:duck|ducky|little duck|buddy|friend|there|again|it'?s me|me again|you|are|so much|a lot|lol)\b",
)
_PUNCT = re.compile(r"[\s，。！？!?,.~～…、；;:：\-—'\"“”‘’()（）]+")

_PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "greeting": (
        _rx(
            r"(?:你好|您好)(?=$|[鸭呀啊哇，,！!。~～\s])|嗨|哈喽|哈啰|嘿|hello|hi|在吗|在不在|早上好|早安|中午好|下午好|晚上好|早呀|早啊"
        ),
        _rx(r"\b(?:hi|hello|hey|hiya|yo|howdy|good (?:morning|afternoon|evening)|are you there|you there)\b"),
    ),
    "thanks": (
        _rx(r"谢谢|多谢|感谢|谢啦|谢了|感恩|辛苦你了"),
        _rx(r"\b(?:thanks|thank you|thank u|thx|ty|appreciate (?:it|you))\b"),
    ),
    "farewell": (
        _rx(r"晚安|拜拜|再见|明天再聊|下次再聊|改天再聊|回头聊|先走了|我去睡了"),
        _rx(
            r"\b(?:bye|goodbye|good night|goodnight|see you|see ya|gotta go)\b",
            r"\btalk (?:to you )?(?:tomorrow|later|soon)\b",
        ),
    ),
    "about_duck": (
        _rx(
            r"你是谁|你叫什么|你是(?:真的|真)?(?:鸭子|机器人|ai|人工智能|真人|人)|你能(?:帮我)?做(?:些)?什么",
            r"你会(?:做)?什么|你可以(?:帮我)?做什么",
        ),
        _rx(
            r"\b(?:who are you|what are you|what can you do|what do you do|how do you work)\b",
            r"\bare you (?:a |an )?(?:real|bot|robot|ai|human|person|duck)\b",
        ),
    ),
    "reassure": (
        _rx(
            r"(?:觉得|嫌)我(?:很|太|好)?(?:烦|啰嗦|麻烦|讨厌|多余)|打扰你|吵你|烦你|麻烦你|我是不是(?:很|太)?(?:烦|啰嗦)|会不会烦"
        ),
        _rx(
            r"\b(?:i'?m|am i|i am) (?:so |too |being )?(?:annoying|a burden|too much|bothering you)\b",
            r"\bsorry (?:for|to) bother",
            r"\bam i bothering you\b",
        ),
    ),
}
# what is left of the message after the social phrase for it to count as only that (not a thank-you + a story)
_ZH_THANKS_REST = _rx(
    r"你|陪我(?:聊天|说话|聊聊)?|听我(?:说)?(?:这些|说话)?|一直在|在这里|在|我|感觉好多了|好多了|好点了|今天|的|了|这些"
)
_EN_THANKS_REST = _rx(
    r"\b(?:for|listening|to|me|being|here|always|chatting|with|talking|that|it|actually|helped|help|really|i|feel|better|now|much)\b"
)
_ZH_FAREWELL_REST = _rx(r"明天|再聊|下次|我|睡了|去睡|先|了")
_EN_FAREWELL_REST = _rx(r"\b(?:talk|tomorrow|later|soon|i|will|i'll|for now|now|night)\b")


@dataclass(frozen=True)
class Reading:
    intent: Intent
    language: str
    greeted: bool  # the message opened with a greeting (also when it goes on to share something)


def _only(text: str, found: re.Pattern[str], *rest: re.Pattern[str]) -> bool:
    left = found.sub(" ", text)
    for pattern in rest:
        left = pattern.sub(" ", left)
    return not _PUNCT.sub("", left)


def read_message(text: str, *, fallback_language: str = "zh") -> Reading:
    lang = language_of(text, fallback_language)
    idx = 0 if lang == "zh" else 1
    filler = _ZH_FILLER if lang == "zh" else _EN_FILLER
    pat = {name: pair[idx] for name, pair in _PATTERNS.items()}
    greeted = bool(pat["greeting"].search(text[:12] if lang == "zh" else text[:24]))
    if pat["reassure"].search(text):
        return Reading("reassure", lang, greeted)
    if pat["about_duck"].search(text) and len(text) <= 40:
        return Reading("about_duck", lang, greeted)
    thanks_rest = _ZH_THANKS_REST if lang == "zh" else _EN_THANKS_REST
    if pat["thanks"].search(text) and _only(text, pat["thanks"], thanks_rest, pat["greeting"], filler):
        return Reading("thanks", lang, greeted)
    farewell_rest = _ZH_FAREWELL_REST if lang == "zh" else _EN_FAREWELL_REST
    if pat["farewell"].search(text) and _only(text, pat["farewell"], farewell_rest, pat["thanks"], filler):
        return Reading("farewell", lang, greeted)
    if greeted and _only(text, pat["greeting"], filler):
        return Reading("greeting", lang, greeted)
    return Reading("share", lang, greeted)
