"""The duck's voice for the offline engine: a reply built from the message's kind (greeting, thanks, goodbye,
a question about the duck, sharing something), its feeling and its topic, in the language it was written in.

Rules every template keeps (tests/unit/test_offline_quality.py checks them on a set of first messages):
the person's words are quoted verbatim or not at all (never with pronouns rewritten); a feeling is slotted in
as a whole predicate (``压力很大``, ``很难过``) or a noun where a noun belongs, never ``很`` + a noun;
tips and titles stand in their own sentence, quoted; every slot is filled from a closed table.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from app.agents import lexicon as lx
from app.agents.intent import Reading, read_message
from app.agents.libraries import Asset, Tip, assets, tips
from app.agents.schemas import DuckReply, ListenerOutput
from app.agents.state import TurnState

# ---------------------------------------------------------------- feelings and topics as words

#: a feeling as a whole predicate after 你 / 让你: 你压力很大, 让你很难过
FEEL = {
    "悲伤": "很难过",
    "孤独": "很孤单",
    "焦虑": "很焦虑",
    "压力": "压力很大",
    "疲惫": "很累",
    "愤怒": "很生气",
    "害怕": "很害怕",
    "失落": "很失落",
    "迷茫": "很迷茫",
    "内疚": "很自责",
    "开心": "很开心",
    "兴奋": "很兴奋",
    "感激": "很感动",
    "自豪": "很骄傲",
    "平静": "很平静",
    "期待": "很期待",
}
#: a mild feeling as a predicate: 你有点累
MILD = {
    "悲伤": "有点难过",
    "孤独": "有点孤单",
    "焦虑": "有点焦虑",
    "压力": "有点压力",
    "疲惫": "有点累",
    "愤怒": "有点生气",
    "害怕": "有点害怕",
    "失落": "有点失落",
    "迷茫": "有点迷茫",
    "内疚": "有点自责",
}
#: a feeling as a noun: 那份难过, 你的骄傲, 「焦虑」出现得比较多
NOUN = {
    "悲伤": "难过",
    "孤独": "孤单",
    "焦虑": "焦虑",
    "压力": "压力",
    "疲惫": "疲惫",
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
GROUP = {
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
    "期待": "joy",
}


@dataclass(frozen=True)
class Lines:
    """One language's sentences.  Keys: a group (comfort, stress, ...), a topic (工作, ...) or an emotion."""

    open: dict[str, list[str]]
    validate: dict[str, list[str]]
    topic_hard: dict[str, list[str]]  # empathy for a hard time with this topic
    topic_good: dict[str, list[str]]  # for good news about it
    joy: dict[str, list[str]]  # validation of a good feeling, by emotion
    ask: dict[str, list[str]]  # a question back, by topic or group
    close: list[str]
    close_joy: list[str]
    close_calm: list[str]
    social: dict[str, list[str]]  # greeting, thanks, farewell, about_duck, reassure and their parts


ZH = Lines(
    open={
        "comfort": ["抱抱你。", "鸭鸭在这儿呢，先给你一个软软的拥抱。", "谢谢你愿意告诉鸭鸭。"],
        "lonely": ["鸭鸭来陪你啦。", "嘿，此刻你不是一个人哦，鸭鸭在。", "谢谢你来找鸭鸭说话。"],
        "stress": ["辛苦啦。", "先停一停，和鸭鸭一起慢慢呼一口气。", "你已经撑了很久了吧。"],
        "fear": ["别怕，鸭鸭就在你身边。", "先深呼吸一下，鸭鸭陪着你。"],
        "anger": ["换作是鸭鸭，也会气得羽毛都竖起来！", "生气是很正常的反应。"],
        "lost": ["迷茫的时候停下来想一想，一点也不丢人。", "鸭鸭在听呢。"],
        "joy": ["哇，太棒了！", "鸭鸭要为你撒花啦！", "好消息！鸭鸭开心得扑棱翅膀～"],
        "calm": ["鸭鸭在听呢。", "谢谢你和鸭鸭分享。", "嗨，很高兴听你说这些。"],
        "mild": ["嗯嗯，鸭鸭在呢。", "鸭鸭陪你待一会儿。"],
    },
    validate={
        "comfort": [
            "难过的时候不用急着好起来，允许自己慢一点。",
            "有这样的感受一点也不奇怪，你已经很努力了。",
        ],
        "lonely": ["孤单的感觉很真实，但它不代表你不值得被陪伴。", "想要有人陪，是再正常不过的需要。"],
        "stress": ["压力大的时候，能注意到自己的感受就已经很了不起了。", "你不需要一下子把所有事情都扛好。"],
        "fear": ["害怕是身体在努力保护你。", "不安的时候，先让自己待在安全、舒服的地方。"],
        "anger": ["你的生气背后，一定有在意的东西。", "先让情绪有个出口，不用急着评判自己。"],
        "lost": ["不知道方向的时候，先看清脚下的一小步就够了。", "迷茫常常出现在成长的路口。"],
        "calm": ["这样平平稳稳的时刻也很珍贵。", "生活里的小事，鸭鸭也很爱听。"],
        "mild": ["这样的小情绪也值得被好好照顾。", "偶尔有这样的时候很正常。"],
    },
    topic_hard={
        "工作": ["工作上的事一件压着一件，换谁都会吃不消。", "在工作里受的累和委屈，常常没地方说。"],
        "学业": ["学习和考试的压力，常常比别人看到的更重。", "为学业这么上心，本身就说明你很在乎。"],
        "家庭": ["和家人之间的事，往往最牵动人心。", "越是亲近的人，带来的难过往往越深。"],
        "感情": ["感情里的事最难用道理想通，心里乱乱的很正常。", "正因为在乎，才会这么难受。"],
        "人际关系": [
            "和身边的人闹得不愉快，心里一定很不是滋味。",
            "人和人之间的摩擦，最容易在心里反复打转。",
        ],
        "健康": ["身体不舒服的时候，心情也很容易跟着往下掉。", "身体在难受的时候，更需要被好好照顾。"],
        "睡眠": ["睡不好的夜晚特别难熬，第二天整个人也会被拖累。", "夜里睡不着的时候，脑子常常停不下来。"],
        "金钱": ["钱的事很现实，为它发愁一点也不丢人。"],
        "未来": ["对未来没有把握的时候，心里发慌是很正常的。"],
    },
    topic_good={
        "工作": ["工作上的用心被看见了，真好！"],
        "学业": ["那么多认真学习的日子，终于有了回报。"],
        "休闲": ["能好好享受生活里的小美好，真好。"],
    },
    joy={
        "自豪": ["这是你努力的结果，值得好好享受这一刻。", "为自己骄傲一下吧，你值得。"],
        "开心": ["把这份开心存起来，以后累的时候拿出来看看。", "开心的时候，就好好地开心吧！"],
        "兴奋": ["光是听着，鸭鸭都跟着激动起来了！"],
        "期待": ["有盼头的日子，连空气都是甜的。"],
        "感激": ["能感受到别人的好，是一种很温柔的能力。"],
        "平静": ["这样平平稳稳的时刻也很珍贵。"],
    },
    ask={
        "工作": ["是工作里的哪一件事最让你放不下呢？", "今天下班后，有没有一点属于自己的时间？"],
        "学业": ["现在最让你担心的是哪一门、哪一件事呢？", "要不要和鸭鸭一起把要做的事拆得小一点？"],
        "家庭": ["愿意和鸭鸭说说家里发生了什么吗？", "这件事里，你最希望家人明白的是什么呢？"],
        "感情": ["现在心里最放不下的是哪一部分呢？", "愿意和鸭鸭多说说你们之间的事吗？"],
        "人际关系": ["那之后你们还有说过话吗？", "你心里最希望对方怎么做呢？"],
        "健康": ["现在身体好一点了吗？有没有好好休息？", "有人在身边照顾你吗？"],
        "睡眠": ["晚上躺下的时候，脑子里都在想些什么呢？", "睡不着的时候，你一般会做些什么？"],
        "comfort": ["愿意和鸭鸭多说说发生了什么吗？", "现在最让你难受的是哪一部分呢？"],
        "lonely": ["最近有没有哪一刻，让你觉得稍微被陪伴了一点？", "想和鸭鸭聊聊今天过得怎么样吗？"],
        "stress": ["现在最让你放不下的是哪一件事呢？", "如果只挑一件事先放一放，会是哪一件？"],
        "fear": ["现在你在一个安全的地方吗？", "是什么让你感到害怕呢？愿意说说吗？"],
        "anger": ["是哪一刻让你最生气呢？", "你希望对方怎样对待你呢？"],
        "lost": ["如果不考虑别人的期待，你自己最想要的是什么？", "最近有没有一件让你有一点点兴趣的事？"],
        "joy": ["当时的你是什么心情呀？", "你想怎么奖励一下自己呢？"],
        "calm": ["感觉怎么样？愿意和鸭鸭多说说吗？", "今天还有什么想和鸭鸭分享的吗？"],
        "mild": ["要不要和鸭鸭聊点轻松的？", "现在做点什么会让你舒服一点呢？"],
    },
    close=["鸭鸭会一直陪着你哦～", "不管怎样，鸭鸭都在。", "我们慢慢来，好吗？", "鸭鸭抱抱你～"],
    close_joy=["继续闪闪发光吧～", "鸭鸭为你高兴！", "今天也要开开心心的哦～"],
    close_calm=["鸭鸭在这儿陪着你～", "有什么想说的，随时告诉鸭鸭哦～"],
    social={
        "greeting": [
            "你好呀！鸭鸭在这儿呢。",
            "嗨～见到你真好，鸭鸭一直都在。",
            "你好你好！鸭鸭扑棱着翅膀来啦。",
        ],
        "greeting_morning": ["早上好呀！新的一天，鸭鸭陪着你。"],
        "greeting_evening": ["晚上好呀！辛苦了一天，来和鸭鸭歇一会儿吧。"],
        "greeting_ask": [
            "今天过得怎么样？有什么想说的，都可以慢慢告诉鸭鸭。",
            "最近心情怎么样呀？开心的、烦心的事都可以和鸭鸭聊聊。",
            "想聊点什么呢？哪怕只是今天吃了什么，鸭鸭也想听。",
        ],
        "greeted": ["你好呀。", "嗨，鸭鸭在。"],
        "thanks": [
            "不客气呀～能陪着你，鸭鸭也很开心。",
            "不用谢！鸭鸭很高兴能听你说话。",
            "也谢谢你愿意和鸭鸭聊天。",
        ],
        "thanks_better": ["听到你感觉好一点了，鸭鸭真为你高兴。"],
        "thanks_more": ["想聊的时候随时来找鸭鸭哦～", "还有什么想说的，鸭鸭都在。"],
        "farewell": ["拜拜～谢谢你今天来找鸭鸭。", "好呀，下次见！鸭鸭会在这里等你。"],
        "farewell_night": ["晚安～愿你今晚睡个好觉，做个软软的梦。", "晚安呀，鸭鸭给你盖好小被子。"],
        "farewell_more": ["想聊的时候随时回来哦～", "鸭鸭一直都在。"],
        "about_duck": ["我是心理鸭，你可以叫我鸭鸭，一只愿意听你说话的小黄鸭。"],
        "about_duck_real": ["鸭鸭不是真的鸭子，也不是真人，是一个专门陪你聊天的小程序。"],
        "about_duck_can": [
            "你可以和鸭鸭说说开心的事、烦心的事，鸭鸭会认真听；也可以陪你做做呼吸放松的小练习，"
            "或者给你找一幅温暖的小漫画。不过鸭鸭不是医生，如果你觉得撑不住，一定要找信任的人或专业的帮助。"
        ],
        "about_duck_ask": ["今天想从哪里聊起呢？", "最近过得怎么样呀？"],
        "reassure": [
            "一点也不会！你愿意来找鸭鸭说话，鸭鸭开心还来不及呢。",
            "当然不会呀，你说的每一句鸭鸭都愿意听。",
        ],
        "reassure_ask": [
            "会这样担心，是不是最近常常觉得自己给别人添麻烦了？",
            "愿意说说，是什么让你有这样的担心吗？",
        ],
    },
)

EN = Lines(
    open={
        "comfort": [
            "I'm so sorry you're going through this.",
            "Oh, that sounds really hard. Sending you a soft duck hug.",
        ],
        "lonely": ["I'm right here with you.", "You're not alone right now - I'm here."],
        "stress": ["That sounds like a lot to carry.", "Let's take a slow breath together first."],
        "fear": [
            "You're safe to tell me anything here.",
            "Let's take a slow breath together - I'm with you.",
        ],
        "anger": ["That would upset anyone.", "It makes sense that you're upset."],
        "lost": ["It's okay not to have it all figured out.", "I'm listening."],
        "joy": ["That's wonderful!", "Yay, that's great news!", "Oh, I love hearing this!"],
        "calm": ["Thanks for telling me.", "I'm listening.", "Nice to hear from you."],
        "mild": ["I hear you.", "Thanks for telling me how it's going."],
    },
    validate={
        "comfort": [
            "It's okay to take your time with feelings like this.",
            "Feeling this way makes complete sense.",
        ],
        "lonely": [
            "Wanting company is one of the most human things there is.",
            "Feeling lonely doesn't mean you aren't worth being with.",
        ],
        "stress": [
            "You don't have to carry all of it at once.",
            "Noticing how you feel under pressure already takes strength.",
        ],
        "fear": ["Fear is your body trying to protect you.", "It's okay to feel shaken."],
        "anger": ["Anger usually means something you care about was crossed.", "Your feelings make sense."],
        "lost": [
            "You don't need the whole map - just the next small step.",
            "Feeling lost often shows up right before growth.",
        ],
        "calm": ["Quiet, ordinary moments matter too.", "I like hearing about your day."],
        "mild": ["Little feelings like this deserve some care too.", "Days like this happen to everyone."],
    },
    topic_hard={
        "工作": [
            "Work can take so much out of a person.",
            "Days like that at work can really wear you down.",
        ],
        "学业": [
            "School pressure can pile up so fast.",
            "Exams and assignments can feel like they never stop.",
        ],
        "家庭": [
            "Things with family can hit especially close to home.",
            "When it's family, it's hard to just shake it off.",
        ],
        "感情": [
            "Matters of the heart can hurt in a way that's hard to explain.",
            "Caring about someone makes this hurt more.",
        ],
        "人际关系": ["Friction with people close to you can stay on your mind all day."],
        "健康": ["Feeling unwell makes everything else heavier."],
        "睡眠": ["When sleep won't come, the nights feel long and the days feel heavy."],
        "金钱": ["Money worries are real, and it makes sense they weigh on you."],
        "未来": ["Not knowing where things are going can feel unsettling."],
    },
    topic_good={
        "工作": ["Your hard work is being noticed - that's so good to hear."],
        "学业": ["All those hours of studying paid off."],
        "休闲": ["It's lovely to enjoy the little things."],
    },
    joy={
        "自豪": ["You worked for this - enjoy the moment.", "You should be proud of yourself."],
        "开心": ["Hold on to this good feeling.", "Moments like this are worth savouring."],
        "兴奋": ["Just hearing about it makes me excited too!"],
        "期待": ["Having something to look forward to is such a nice feeling."],
        "感激": ["Noticing the good in people is a lovely thing."],
        "平静": ["Quiet, ordinary moments matter too."],
    },
    ask={
        "工作": [
            "What part of work is weighing on you the most?",
            "Did you get any time for yourself after work?",
        ],
        "学业": [
            "What's the one thing on your study list that worries you most?",
            "Want to break the work into smaller steps together?",
        ],
        "家庭": [
            "Would you like to tell me what happened at home?",
            "What do you most wish your family understood?",
        ],
        "感情": [
            "What's been the hardest part for you?",
            "Would you like to tell me more about the two of you?",
        ],
        "人际关系": ["How are things between you two now?", "What would you like the other person to do?"],
        "健康": ["Have you been able to rest a bit?", "Is someone around to look after you?"],
        "睡眠": [
            "What's usually on your mind when you lie awake?",
            "What do you usually do when you can't sleep?",
        ],
        "comfort": [
            "Would you like to tell me more about what happened?",
            "What's the hardest part right now?",
        ],
        "lonely": [
            "When did you last feel a little less alone?",
            "Would you like to tell me how your day went?",
        ],
        "stress": [
            "What's the one thing weighing on you most right now?",
            "If you could set one thing aside for now, what would it be?",
        ],
        "fear": [
            "Are you somewhere safe right now?",
            "What is it that feels scary? Would you like to tell me?",
        ],
        "anger": ["What part of it upset you the most?", "How would you have wanted to be treated?"],
        "lost": [
            "If no one else's expectations mattered, what would you want?",
            "Is there one small thing you've felt curious about lately?",
        ],
        "joy": ["How did it feel in that moment?", "How are you going to celebrate?"],
        "calm": ["How has the rest of your day been?", "Anything else you'd like to share?"],
        "mild": ["What would make the rest of today a bit nicer?", "Want to chat about something light?"],
    },
    close=["I'm here with you.", "I'm here whenever you need me.", "I'm here, and we can take this slowly."],
    close_joy=["Keep shining!", "I'm so happy for you.", "Enjoy it!"],
    close_calm=["I'm here with you.", "I'm here whenever you want to chat."],
    social={
        "greeting": [
            "Hi! It's so nice to see you.",
            "Hey there! I'm here.",
            "Hello! Your duck friend is right here.",
        ],
        "greeting_morning": ["Good morning! A brand new day - I'm here with you."],
        "greeting_evening": ["Good evening! Come rest with me for a bit."],
        "greeting_ask": [
            "How are you feeling today?",
            "What's on your mind? Big or small, I'm happy to listen.",
            "How has your day been so far?",
        ],
        "greeted": ["Hi there.", "Hey, I'm here."],
        "thanks": [
            "You're very welcome.",
            "Anytime - I'm glad I could be here.",
            "Thank you for talking with me, too.",
        ],
        "thanks_better": ["I'm really glad it helped a little."],
        "thanks_more": ["Come back whenever you want to talk.", "I'm here whenever you need me."],
        "farewell": ["Bye for now - thanks for stopping by.", "See you soon! I'll be right here."],
        "farewell_night": ["Good night - I hope you sleep well.", "Sleep tight, and sweet duck dreams."],
        "farewell_more": ["Come back whenever you like.", "I'm here whenever you need me."],
        "about_duck": ["I'm Psych Duck, a little yellow duck who is here to listen."],
        "about_duck_real": [
            "I'm not a real duck or a person - I'm a small program made to keep you company."
        ],
        "about_duck_can": [
            "You can tell me about good things and hard things, and I'll listen. "
            "I can also walk you through a short calming exercise or find you a cozy duck comic. "
            "I'm not a doctor, though - if things feel like too much, "
            "please reach out to someone you trust or to a professional."
        ],
        "about_duck_ask": ["What would you like to talk about?", "How have you been lately?"],
        "reassure": ["Not at all! I'm really glad you're here.", "Never - I like hearing from you."],
        "reassure_ask": [
            "Has something made you worry that you're a bother to people?",
            "Would you like to tell me what made you worry about that?",
        ],
    },
)

_CLAUSE = re.compile(r"[。！？!?；;，,\n…~～]+|\.(?:\s|$)")
_BETTER = re.compile(r"好多了|好点了|好一点|舒服多了|helped|better", re.IGNORECASE)
_NIGHT = re.compile(r"晚安|睡了|good ?night|sleep", re.IGNORECASE)
_MORNING = re.compile(r"早上好|早安|早呀|早啊|good morning", re.IGNORECASE)
_EVENING = re.compile(r"晚上好|good evening", re.IGNORECASE)
_REAL = re.compile(r"真的|真人|机器人|ai|real|bot|robot|human|person", re.IGNORECASE)
_STEP_END = "。；;，,.!！?？ "


def rng_for(seed: int, *parts: str) -> random.Random:
    digest = hashlib.sha256("|".join([str(seed), *parts]).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - variety, not security


def echo_of(text: str, analysis: ListenerOutput) -> str | None:
    """The clause that carries the strongest feeling (or a topic), verbatim - or None when it should not be
    quoted (it speaks to the duck, or is too long to quote whole: a quote is never cut or rewritten)."""
    clauses = [c.strip(" 　\"'“”") for c in _CLAUSE.split(text) if c.strip(" 　\"'“”")]
    if not clauses:
        return None
    feeling = lx.EMOTION_WORDS.get(analysis.primary_emotions[0], {})
    best, best_score = clauses[0], -1.0
    for c in clauses:
        score = float(sum(3 if k in feeling else 1 for k in analysis.keywords if k and k in c))
        rest = c
        for k in analysis.keywords:
            rest = rest.replace(k, "") if k in feeling else rest
        if len(clauses) > 1 and len(re.sub(r"[好很太超真有点非常特别]", "", rest)) < 2:
            score -= 1.5  # only the feeling word (好期待): the other clause says what it is about
        if score > best_score:
            best, best_score = c, score
    if best_score <= 0 and len(clauses) > 1:
        return None
    if not 3 <= len(best) <= 20 or re.search(r"你|鸭鸭|您", best):
        return None
    return best


def _one(rng: random.Random, options: list[str]) -> str:
    return rng.choice(options)


def _social_zh_en(lines: Lines, reading: Reading, text: str, rng: random.Random) -> list[str]:
    """A reply to a greeting, thanks, a goodbye, a question about the duck or a worry about being a bother."""
    s = lines.social
    if reading.intent == "greeting":
        first = (
            "greeting_morning"
            if _MORNING.search(text)
            else "greeting_evening"
            if _EVENING.search(text)
            else "greeting"
        )
        return [_one(rng, s[first]), _one(rng, s["greeting_ask"])]
    if reading.intent == "thanks":
        parts = [_one(rng, s["thanks"])]
        if _BETTER.search(text):
            parts.append(_one(rng, s["thanks_better"]))
        return [*parts, _one(rng, s["thanks_more"])]
    if reading.intent == "farewell":
        first = "farewell_night" if _NIGHT.search(text) else "farewell"
        return [_one(rng, s[first]), _one(rng, s["farewell_more"])]
    if reading.intent == "about_duck":
        parts = [_one(rng, s["about_duck"])]
        if _REAL.search(text):
            parts.append(_one(rng, s["about_duck_real"]))
        return [*parts, _one(rng, s["about_duck_can"]), _one(rng, s["about_duck_ask"])]
    return [_one(rng, s["reassure"]), _one(rng, s["reassure_ask"]), _one(rng, lines.close)]


@dataclass(frozen=True)
class _Ctx:
    """What one reply is about."""

    emotion: str
    group: str
    topic: str | None
    negative: bool
    strong: bool
    mild: bool
    tip: Tip | None
    panel: Asset | None
    video: Asset | None
    style: str


def _context(turn: TurnState, a: ListenerOutput) -> _Ctx:
    emo = a.primary_emotions[0] if a.primary_emotions[0] in GROUP else "平静"
    if a.sentiment == "neutral" and emo not in lx.POSITIVE:
        emo = "平静"
    content = turn.content
    return _Ctx(
        emotion=emo,
        group=GROUP[emo],
        topic=next((t for t in a.topics if t in ZH.topic_hard or t in ZH.topic_good), None),
        negative=a.sentiment == "negative",
        strong=a.intensity >= 0.7,
        mild=a.sentiment == "negative" and a.intensity < 0.3,
        tip=tips().get(turn.tip.tip_id) if turn.tip else None,
        panel=assets().get(content.panel_id) if content and content.panel_id else None,
        video=assets().get(content.video_id) if content and content.video_id else None,
        style=turn.style,
    )


def _reflect_zh(c: _Ctx, echo: str | None, rng: random.Random) -> str:
    feel = FEEL[c.emotion]
    if c.negative and c.strong:
        feel = "真的" + feel
    elif c.mild:
        feel = MILD.get(c.emotion, feel)
    if c.group == "calm":
        return f"你说「{echo}」，鸭鸭认真听着呢。" if echo else ""
    if c.group == "joy":
        if echo:
            return _one(
                rng,
                [
                    f"你说「{echo}」，鸭鸭都能感受到你的{NOUN[c.emotion]}！",
                    f"「{echo}」——这真的值得好好庆祝一下！",
                ],
            )
        return f"鸭鸭都能感受到你的{NOUN[c.emotion]}！"
    if echo:
        return _one(
            rng,
            [
                f"你说「{echo}」，听起来你现在{feel}。",
                f"「{echo}」——光是听你这么说，鸭鸭就能感觉到那份{NOUN[c.emotion]}。",
                f"听你说「{echo}」，鸭鸭知道你现在{feel}。",
            ],
        )
    return _one(rng, [f"听起来你现在{feel}。", f"鸭鸭能感觉到你现在{feel}。"])


def _validation(lines: Lines, c: _Ctx, rng: random.Random) -> str:
    if c.mild:
        return _one(rng, lines.validate["mild"])
    if c.negative and c.topic in lines.topic_hard:
        return _one(rng, lines.topic_hard[c.topic])
    # good news about work or study; a good time off (an achievement there is still an achievement)
    good_topic = (c.group == "joy" and c.topic in {"工作", "学业"}) or (
        c.topic == "休闲" and c.emotion != "自豪"
    )
    if not c.negative and c.group in {"joy", "calm"} and good_topic and c.topic in lines.topic_good:
        return _one(rng, lines.topic_good[c.topic])
    if c.group == "joy":
        return _one(rng, lines.joy.get(c.emotion, lines.joy["开心"]))
    return _one(rng, lines.validate[c.group])


def _question(lines: Lines, c: _Ctx, rng: random.Random) -> str:
    if c.mild:
        return _one(rng, lines.ask["mild"])
    if c.negative and c.topic in lines.ask:
        return _one(rng, lines.ask[c.topic])
    return _one(rng, lines.ask[c.group])


def _closer(lines: Lines, c: _Ctx, rng: random.Random) -> str:
    if c.group == "joy":
        return _one(rng, lines.close_joy)
    return _one(rng, lines.close_calm if c.group == "calm" or c.mild else lines.close)


def _tip_zh(tip: Tip, style: str) -> str:
    steps = [s.rstrip(_STEP_END) for s in tip.steps]
    if style == "detailed":
        listed = "；".join(f"{i + 1}. {s}" for i, s in enumerate(steps))
        return f"要不要和鸭鸭一起试试「{tip.title}」？大约 {tip.duration_minutes} 分钟：{listed}。"
    if style == "brief":
        return f"也可以试试「{tip.title}」。"
    return f"要不要和鸭鸭一起试试「{tip.title}」？只要大约 {tip.duration_minutes} 分钟，第一步：{steps[0]}。"


def _share_zh(turn: TurnState, a: ListenerOutput, reading: Reading, rng: random.Random) -> list[str]:
    c = _context(turn, a)
    parts = [_one(rng, ZH.social["greeted"])] if reading.greeted else []
    parts += [
        _one(rng, ZH.open["mild" if c.mild else c.group]),
        _reflect_zh(c, echo_of(turn.message, a), rng),
    ]
    if c.style != "brief":
        parts.append(_validation(ZH, c, rng))
    if c.tip:
        parts.append(_tip_zh(c.tip, c.style))
    if c.panel and c.style != "brief":
        line = f"鸭鸭还给你找了一幅小漫画「{c.panel.title}」"
        line += f"和一段小动画「{c.video.title}」，" if c.video else "，"
        parts.append(line + "希望它们能陪你一会儿。")
    if c.style != "brief":
        parts.append(_question(ZH, c, rng))
    parts.append(_closer(ZH, c, rng))
    return parts


def _reflect_en(c: _Ctx, rng: random.Random) -> str | None:
    adj = lx.EMOTION_EN[c.emotion]
    if c.group == "calm":
        return None
    if c.group == "joy":
        return _one(rng, [f"You sound really {adj}!", f"I can hear how {adj} you are!"])
    adj = f"really {adj}" if c.strong else f"a little {adj}" if c.mild else adj
    return _one(rng, [f"It sounds like you're feeling {adj}.", f"I can hear that you're feeling {adj}."])


def _tip_en(tip: Tip, style: str) -> str:
    if style == "brief":
        return f'If you like, there\'s a short exercise called "{tip.title_en}".'
    return (
        f'Would you like to try a short exercise with me? It\'s called "{tip.title_en}" and takes about '
        f"{tip.duration_minutes} minutes."
    )


def _share_en(turn: TurnState, a: ListenerOutput, reading: Reading, rng: random.Random) -> list[str]:
    c = _context(turn, a)
    parts = [_one(rng, EN.social["greeted"])] if reading.greeted else []
    parts.append(_one(rng, EN.open["mild" if c.mild else c.group]))
    reflection = _reflect_en(c, rng)
    if reflection:
        parts.append(reflection)
    if c.style != "brief":
        parts.append(_validation(EN, c, rng))
    if c.tip:
        parts.append(_tip_en(c.tip, c.style))
    if c.panel and c.style != "brief":
        extra = " and a short video" if c.video else ""
        where = "they are" if c.video else "it is"
        parts.append(f"I also picked a little duck comic{extra} for you - {where} just below.")
    if c.style != "brief":
        parts.append(_question(EN, c, rng))
    parts.append(_closer(EN, c, rng))
    return parts


def compose_reply(turn: TurnState, analysis: ListenerOutput) -> DuckReply:
    """The duck's reply to the turn's message, in the language the message is written in."""
    reading = read_message(turn.message, fallback_language="en" if turn.english else "zh")
    rng = rng_for(turn.seed, "reply", turn.message)
    social = reading.intent != "share" and not (
        analysis.sentiment == "negative" and reading.intent != "reassure"
    )
    english = reading.language == "en"
    if social:
        parts = _social_zh_en(EN if english else ZH, reading, turn.message, rng)
    elif english:
        parts = _share_en(turn, analysis, reading, rng)
    else:
        parts = _share_zh(turn, analysis, reading, rng)
    if turn.resource_line:
        parts.append(turn.resource_line)
    return DuckReply(text=(" " if english else "").join(p for p in parts if p))
