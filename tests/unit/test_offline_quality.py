"""Reply quality of the offline engine on everyday first messages (tests/data/offline/first_messages_*.tsv).

Every reply, held-out rows included, must be free of the defects a person notices at once: their words quoted
back with pronouns swapped, template glitches (很压力, 。。, a {slot}, a tip title pasted mid-sentence), the
wrong language, an empty or one-size-fits-all answer, a greeting or thanks answered as if it were a story.
The emotion label must be plausible: every tuning row, and at least 80 % of the held-out rows
(never tuned on).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.agents.crew import offline_now
from app.agents.libraries import assets, tips
from app.agents.offline import analyse
from app.agents.state import TurnState

DATA = Path(__file__).resolve().parents[1] / "data" / "offline"
HELD_OUT_MIN_ACCURACY = 0.8
SOCIAL = {"greeting", "thanks", "farewell", "question"}


@dataclass(frozen=True)
class Row:
    lang: str
    text: str
    emotions: frozenset[str]
    intent: str
    split: str


def _rows(lang: str) -> list[Row]:
    lines = (DATA / f"first_messages_{lang}.tsv").read_text(encoding="utf-8").splitlines()
    body = [ln for ln in lines if ln and not ln.startswith("#")][1:]
    rows = []
    for ln in body:
        text, emotions, intent, split = ln.split("\t")
        rows.append(Row(lang, text, frozenset(emotions.split("|")), intent, split))
    return rows


ROWS = _rows("zh") + _rows("en")
TITLES = {t.title for t in tips().values()} | {t.title_en for t in tips().values()}
TITLES |= {a.title for a in assets().values()}


def _reply(row: Row, seed: int = 3, locale: str | None = None) -> str:
    turn = TurnState(message=row.text, locale=locale or ("zh-CN" if row.lang == "zh" else "en-US"), seed=seed)
    offline_now(turn)
    assert turn.reply is not None
    return turn.reply.text


REPLIES = {(r.lang, r.text): _reply(r) for r in ROWS}


def _quotes(reply: str) -> list[str]:
    return re.findall(r"「([^」]*)」", reply) + re.findall(r'"([^"]*)"', reply)


def defects(row: Row, reply: str) -> list[str]:
    """What is wrong with a reply, as a person would put it."""
    found = []
    if len(reply.strip()) < 8:
        found.append("empty reply")
    for q in _quotes(reply):
        if q not in row.text and q not in TITLES:
            found.append(f"quote is not the person's words: {q!r}")
    if re.search(r"[{}]", reply):
        found.append("template slot left in")
    if re.search(r"[。！？!?，,；;：:]{2,}", reply.replace("?”", "”").replace("！」", "」")):
        found.append("duplicated punctuation")
    if re.search(r"很(?:压力|有很多感受|孤独感|悲伤感)|很很|真的真的", reply):
        found.append("很 + a noun")
    unquoted = re.sub(r'"[^"]*"', '""', reply).replace("Psych Duck", "the duck")
    if re.search(r"[a-z,] (?!I\b|I'm\b|I've\b|I'll\b|I'd\b)[A-Z]", unquoted):
        found.append("capitalised word mid-sentence")
    cjk = len(re.findall(r"[\u4e00-\u9fff]", reply))
    if row.lang == "zh" and cjk < 8:
        found.append("not Chinese")
    if row.lang == "en" and cjk:
        found.append("Chinese in an English reply")
    sentences = [s for s in re.split(r"(?<=[。！？!?～.])\s*", reply) if len(s) > 4]
    if len(sentences) != len(set(sentences)):
        found.append("a sentence said twice")
    if row.intent in SOCIAL and _quotes(reply) and any(q in row.text for q in _quotes(reply)):
        found.append("a greeting / thanks / question answered by quoting it back")
    if row.intent == "thanks" and not re.search(
        r"不客气|不用谢|也谢谢你|welcome|anytime|thank you", reply, re.I
    ):
        found.append("thanks not acknowledged")
    if row.intent == "greeting" and not re.search(
        r"你好|嗨|早上好|晚上好|hi\b|hello|hey|good morning", reply, re.I
    ):
        found.append("greeting not returned")
    return found


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.lang}-{r.split}-{i}" for i, r in enumerate(ROWS)])
def test_reply_has_no_visible_defect(row: Row) -> None:
    reply = REPLIES[(row.lang, row.text)]
    assert defects(row, reply) == [], reply


def test_the_set_is_big_and_varied_enough() -> None:
    for lang in ("zh", "en"):
        rows = [r for r in ROWS if r.lang == lang]
        assert len(rows) >= 50
        assert len([r for r in rows if r.split == "heldout"]) >= 25
        assert {"greeting", "thanks", "vent", "good_news", "question", "smalltalk", "farewell"} <= {
            r.intent for r in rows
        }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_replies_differ_from_message_to_message(lang: str) -> None:
    rows = [r for r in ROWS if r.lang == lang]
    replies = [REPLIES[(r.lang, r.text)] for r in rows]
    sharing = [REPLIES[(r.lang, r.text)] for r in rows if r.intent not in SOCIAL]
    assert len(set(sharing)) == len(sharing)  # someone telling the duck something gets their own answer
    assert len(set(replies)) >= 0.85 * len(replies)  # two "hi"s may get the same friendly hello
    firsts = Counter(re.split(r"(?<=[。！？!?.])\s*", r)[0] for r in replies)
    assert firsts.most_common(1)[0][1] <= len(replies) // 4, firsts.most_common(3)


@pytest.mark.parametrize("row", [r for r in ROWS if r.split == "tune"], ids=lambda r: r.text)
def test_emotion_label_is_plausible_on_tuning_rows(row: Row) -> None:
    a = analyse(row.text)
    assert a.primary_emotions[0] in row.emotions, a


def accuracy(lang: str, split: str) -> tuple[int, int]:
    rows = [r for r in ROWS if r.lang == lang and r.split == split]
    return sum(analyse(r.text).primary_emotions[0] in r.emotions for r in rows), len(rows)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_emotion_label_is_plausible_on_held_out_rows(lang: str) -> None:
    right, total = accuracy(lang, "heldout")
    assert right / total >= HELD_OUT_MIN_ACCURACY, (right, total)


@pytest.mark.parametrize(
    ("text", "locale"), [("I had a rough day at work", "zh-CN"), ("今天加班好累", "en-US")]
)
def test_reply_follows_the_message_language_not_the_account_locale(text: str, locale: str) -> None:
    row = Row("en" if text.isascii() else "zh", text, frozenset(), "vent", "extra")
    assert defects(row, _reply(row, locale=locale)) == []
