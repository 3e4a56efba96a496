# ruff: noqa: E501
"""Deterministic, Chinese-first crisis detector: curated patterns over normalised text + jieba context, then an
in-process n-gram model (app/safety/model.py) that can only raise a level.

Never calls an LLM and never waits on I/O: it is the gate in front of every agent.  Levels:
- ``crisis``: first-person suicidal intent or ideation (direct or indirect), self-harm, harm to others
  with intent, or someone threatening / abusing the person.  The crew does not run; a fixed reply with
  hotlines does.
- ``elevated``: distress, passive wishes to disappear, crisis talk about someone in the person's life,
  past episodes, negated statements.  The crew runs with a safety instruction and the reply ends with a
  resource line.
- ``none``: everything else, including hyperbole and idioms (累死了, 笑死我了, 救命这个蛋糕太好吃) and
  third-person news or fiction.

The result carries rule ids and categories only - never the text - so it can go into audit rows and logs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.core.segment import cut, ensure_ready
from app.safety import model
from app.safety.concepts import (
    CONCEPT_RULES,
    EN_MEANS,
    EN_PLACE2,
    EN_TIME2,
    ZH_MEANS,
    ZH_PLACE,
    ZH_TIME2,
    deep_normalise,
    mixed_view,
)

Level = Literal["none", "elevated", "crisis"]
_ORDER: dict[str, int] = {"none": 0, "elevated": 1, "crisis": 2}


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    level: Level
    category: str  # suicide | self_harm | harm_to_others | harm_from_others | distress
    negatable: bool = True  # "我不会自杀" / "I would never kill myself" lower it
    subject_sensitive: bool = True  # third-person subjects lower it (someone else's crisis, news)


@dataclass
class SafetyAssessment:
    level: Level = "none"
    categories: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    @property
    def is_crisis(self) -> bool:
        return self.level == "crisis"


def _r(
    rid: str,
    pattern: str,
    level: Level,
    category: str,
    *,
    negatable: bool = True,
    subject_sensitive: bool = True,
) -> Rule:
    return Rule(rid, re.compile(pattern), level, category, negatable, subject_sensitive)


# Hyperbole, idioms, games and prices: blanked out before any rule runs.
_NEUTRALISE = [
    re.compile(p)
    for p in (
        r"(?<!就这样)(?<!把自己)(?<!活活)(累|热|冷|饿|困|笑|气|烦|忙|吓|急|馋|美|帅|萌|可爱|无聊|丑|难吃|好吃|撑|渴|痛|疼|酸|懒|尴尬|羡慕|感动|"
        r"开心|高兴|爽|甜|辣|咸|闷|晒|挤|堵|穷|卷|吵|闲|虐|压|干|美得|累得|热得|笑得|气得|忙得|烦得|无聊得|笑到|累到|热到|困到|饿到|虐到)"
        r"(要|想)?(死|坏)(了|我了|我啦|我|人了|人|啦|掉了|算了)?",
        r"(想|想念)死(你|您|你们|他|她|宝贝|大家)(们)?(了|啦|啊|呀)",
        r"想你想(得)?(要)?死",
        r"死(机|线|党|磕|宅|忠|活不|鬼|对头|心眼|脑筋|记硬背|缠烂打|里逃生|不瞑目)",
        r"该死的(天气|电脑|手机|作业|闹钟|bug|网|地铁|公交|快递|代码)",
        r"(杀价|砍价|杀时间|秒杀|杀青|杀毒|杀菌|杀手锏|杀熟|杀疯了|杀出重围|杀鸡|杀鱼|杀虫|狼人杀|剧本杀|三国杀|"
        r"自杀式(袭击|炸弹|操作)?|跳楼价|跳楼大甩卖|跳楼机|上吊环|吊环|割韭菜|割草|割麦|杀了个回马枪|必杀技|击杀|团灭)",
        r"死了都要爱",
        r"(简直是|真的是|简直|真是|这是|快)要(了)?我的(老)?命",
        r"(考完|下班|放假|毕业|做完|写完|忙完|终于)(试|了)?(我)?(就)?(彻底|终于)?(解脱|解放|结束)(了|啦)|(这周|今天|工作|考试|假期|项目)(终于)?结束了",
        r"(?<=人生|生活)这个游戏",
        r"当场去世|原地去世(了)?(?=.{0,6}(哈哈|笑死|lol|😂))|不小心(把)?.{0,6}(割|划|烫|扎)|切菜|削(苹果|水果|皮)|(预防|干预|防止)自杀|自杀(预防|干预|热线|率|日)|世界预防自杀日",
        r"(手机|电脑|电池|植物|花|鱼|仓鼠|游戏里|角色)(.{0,3})死了",
        r"(dying|died|die) (of|from|with) (laugh\w*|embarrassment|boredom|cuteness|cringe|shame|secondhand \w+|second-hand \w+|envy|jealousy|excitement|happiness|heat|hunger|thirst|exhaustion|curiosity)",
        r"(will|gonna|going to|is going to|would) (literally )?kill me if i('m| am)? (late|fail|forget|don't|miss|break|lose|spill|eat|get|see|wear|touch)|\bkill me now\b(?=.{0,10}(lol|haha|😂))",
        r"\b(kill|strangle|murder|choke|end|smack) (you|u|him|her|them)\b.{0,8}\bif (you|u|he|she|they)\b|"
        r"\b(self[- ]?harm|sh|cutting)[- ]free\b|\b\w+ (years?|months?|days?|weeks?) clean\b|\bend (it|things) with (my|him|her|them)\b|"
        r"(?<!said )(?<!says )\bif\b(?:(?!said|says|told|threat).){0,40}\b(he'll|she'll|they'll|will|would|going to|gonna) (literally )?kill me\b|"
        r"to die for|killing it|kill(ing)? (some )?time|(is|are|'re|'s) killing me|dead tired|bored to death|"
        r"scared to death|die laughing|could (murder|kill) (a|an|for)|drop dead gorgeous|"
        r"dying to (see|try|know|go|"
        r"meet|hear|tell)|deadline|dead ?line|i'm dead (😂|lol|lmao)|lol i'm dead|killer (app|feature|deal)|"
        r"overkill|kill the (lights|engine|process)|kill -9|process killed",
        # "my dad is going to kill me, i dented the car": a scolding to come for a small misdeed
        r"\b(going to|will|would) (literally )?kill me\b(?=[ ,.!]{0,3}(i|when|if|because|cause|cuz|for)\b)(?!.{0,40}\b(gun|knife|said|says|threat\w*|hit|hits|beat|beats)\b)",
        # "i'm going to kill my brother, he spoiled the finale": a grudge over something small
        r"\b(going to|want to|will|could) (kill|murder|strangle|choke) (my|this|that) (\w+ ){0,2}(roommate|brother|sister|sibling|mom|dad|boss|cat|dog|friend|bf|gf|boyfriend|girlfriend|husband|wife|coworker|teacher|cousin)\b"
        r"(?=[ ,.!]{0,3}(he|she|they|it|for|because|cause|cuz)\b.{0,8}\b(spoiled|spoilt|ate|broke|took|stole|drank|used|finished|lost|told|forgot|left|keeps|always|just|wore|borrowed|spoiling|eating|taking))",
        r"(要|想)(杀了|掐死|弄死|打死|宰了|砍了)(我)?(的)?(室友|舍友|弟弟|弟|妹妹|妹|哥哥|哥|姐姐|姐|老公|老婆|同事|男朋友|女朋友|猫|狗|同桌)(?=.{0,3}(她|他|它)?.{0,2}(又|居然|竟然|把|偷|总是|老是|天天))",
        r"(虐|练|跑|学|忙|写|考|困|饿|累|热|冷|疼|痛|气|烦|馋|尬)(得|到)(我)?(真的)?(想死|要死|快死|要挂|快挂)(了)?",
        r"(跑完|练完|爬完|跑了|练了|骑了|游了).{0,10}(要挂了|快挂了|挂了)",
        r"\b(going to|will|gonna) die if (this|that|the|he|she|they|it|my|i don't get|i can't get|i do not get)\b",
        r"\b(rope ladder|jump rope|skipping rope|tow rope|climbing rope)\b|\bkill(ing)? myself laughing\b|\bwanted to die when (my|i|he|she|they|the|everyone)\b|\bend (this|that|his|her|their) (\w+'s )?(whole )?career\b",
        r"\bgoodbye (card|party|gift|lunch|speech|cake|present|message for (my )?(coworker|colleague|teacher|boss))\b|\b(coworker|colleague|teacher|classmate|boss)'s last day\b",
    )
]

# Crisis and distress patterns (normalised: NFKC, lower case).
RULES: tuple[Rule, ...] = (
    # --- suicidal intent / ideation (zh) ---
    _r(
        "zh.suicide.intent",
        r"(想|要|打算|准备|计划|考虑|决定|去|会|一直想|真想|好想)(过)?(要)?自杀",
        "crisis",
        "suicide",
    ),
    _r(
        "zh.suicide.want_die",
        r"(好|很|真|真的|就|只|特别|非常|是真的|一直|已经|又|突然)?想(去)?死(掉|了算了|了|一死)?"
        r"|不如死了|死了算了|死了就好了|死了也好|一死了之|去死算了|想一了百了|宁愿死",
        "crisis",
        "suicide",
    ),
    _r(
        "zh.suicide.not_live",
        r"不想(再)?活(了|下去|着)?|活不下去|活着(真)?没(有)?(什么)?(意思|意义|盼头)|活够了|"
        r"没有活下去的(理由|意义|必要|勇气)|不值得活",
        "crisis",
        "suicide",
        negatable=False,
    ),
    _r(
        "zh.suicide.end",
        r"结束(自己的?)?生命|结束自己|了结(自己|此生|生命)|结束这一切|一了百了|离开这个世界|告别这个世界|"
        r"从这个世界(上)?消失|永远(地)?离开(大家|你们|这里)",
        "crisis",
        "suicide",
    ),
    _r(
        "zh.suicide.not_wake",
        r"不想(再)?醒(来|过来)|(睡|睡着)(了)?(就)?(不要|别|再也不|永远不)(再)?醒|一睡不醒|希望(明天|早上)不要醒",
        "crisis",
        "suicide",
        negatable=False,
    ),
    _r(
        "zh.suicide.pills",
        r"(药|安眠药|药片).{0,4}(攒|存|囤)(够|好|齐|了)|(攒|存|囤)(了|够了|好了)?.{0,6}(安眠药|药片|一瓶药|很多药)|"
        r"(吞|吃)(了|掉)?.{0,3}(一整瓶|一瓶|整瓶|所有的?)(药|安眠药)|喝(了)?农药|服毒",
        "crisis",
        "suicide",
    ),
    _r(
        "zh.suicide.without_me",
        r"没有我.{0,6}(会|就|都)?(更好|更轻松|好过|开心)|我(消失|不在|死)了?.{0,8}(也)?(没人|不会有人|没有人)"
        r"(在乎|在意|发现|难过|伤心|记得)|我(死|走|不在)了(以后|之后)?(大家|你们|他们|家人|爸妈)?.{0,4}(会)?(更好|解脱|轻松)",
        "crisis",
        "suicide",
        negatable=False,
    ),
    _r(
        "zh.suicide.note",
        r"(写好|写了|准备好|留下)(了)?.{0,4}(遗书|遗言|告别信)|(遗书|遗言|告别信).{0,6}(写好|写完|准备好)|后事.{0,4}(安排好|交代好)",
        "crisis",
        "suicide",
    ),
    _r(
        "zh.suicide.method",
        r"(跳楼|跳河|跳江|跳桥|跳海|卧轨|烧炭|上吊|割腕|跳下去)|(天台|楼顶|桥上|江边|河边|窗台|阳台).{0,8}(跳|下去|结束)",
        "crisis",
        "suicide",
    ),
    # --- self-harm (zh) ---
    _r(
        "zh.self_harm",
        r"自残|割(自己|手腕|手臂|胳膊|大腿|伤自己)|划(自己|手臂|手腕|胳膊|伤自己)|伤害自己|(拿|用)(刀|刀片|小刀|玻璃).{0,4}(划|割)"
        r"|(烟头|打火机)烫自己|用头撞墙|拿头撞墙|打自己|掐自己|惩罚自己的身体",
        "crisis",
        "self_harm",
    ),
    # --- harm to others (zh) ---
    _r(
        "zh.harm_others.intent",
        r"我(要|会|准备|打算|已经决定)(去)?(杀了|杀死|弄死|砍死|捅死|砍|捅|杀)(他|她|他们|她们|人|你|全家|那个)",
        "crisis",
        "harm_to_others",
        subject_sensitive=False,
    ),
    _r(
        "zh.harm_others.wish",
        r"(想|真想|恨不得)(去)?(杀了|杀死|弄死|砍死|捅死|掐死)(他|她|他们|她们|你|那个)",
        "elevated",
        "harm_to_others",
        subject_sensitive=False,
    ),
    # --- harm from others (zh) ---
    _r(
        "zh.harm_from_others",
        r"(要|会|扬言|威胁|说要|说会|想)(要)?(杀了|杀死|弄死|打死|砍死|掐死|捅死)我(?!那个|这个|的|们|家那)|(被|遭到|遭受)(家暴|性侵|强奸|虐待|殴打|跟踪)|"
        r"家暴我|虐待我|性侵我|(跟踪|威胁)我.{0,10}(杀|弄死|打死|伤害)|(拿|用)刀.{0,6}(指着|对着|威胁)我",
        "crisis",
        "harm_from_others",
        negatable=False,
        subject_sensitive=False,
    ),
    _r(
        "zh.abuse",
        r"(他|她|爸|妈|爸爸|妈妈|老公|老婆|男朋友|女朋友|对象|继父|继母|有人|他们).{0,6}(又|一直|经常|总是|天天|每天)(打|揍|踢|掐)我",
        "elevated",
        "harm_from_others",
        negatable=False,
        subject_sensitive=False,
    ),
    # --- distress (zh) ---
    _r(
        "zh.distress",
        r"绝望|撑不下去|坚持不下去|熬不下去|崩溃|活(着|得)(好|太|真)累|好痛苦|太痛苦|很痛苦|想消失|"
        r"(没人|没有人|没有一个人)(在乎|关心|爱)我|(我|自己)是(个|一个)?(累赘|负担|废物)|拖累(大家|家人|所有人)|看不到(任何)?希望|"
        r"没有(任何)?希望|(我)?要死了|救救我|谁来救救我|不想存在|自杀|轻生|寻死",
        "elevated",
        "distress",
        negatable=True,
        subject_sensitive=True,
    ),
    # --- English ---
    _r(
        "en.suicide",
        r"\b(kill|killing|killed) (myself|himself|herself|themselves)\b|"
        r"\b(thinking about|thought about|considering|contemplating|planning|plan|want to commit|"
        r"going to commit|feel|"
        r"feeling|am|i'm|been) (suicide|suicidal)\b|\bend(ing)? (my|my own) life\b|\bend it all\b|"
        r"\b(want|wanted|wanna|going|plan|planning) to die\b|\bwish i (was|were) dead\b|\bbetter off dead\b|"
        r"\b(better off|happier|fine) without me\b|\btake my (own )?life\b|"
        r"\bno reason to (live|go on|keep going)\b|"
        r"\b(don'?t|do not) want to (live|be alive|be here|exist|wake up)\b|\bnot wake up\b|"
        r"\b(saved|saving|stockpiled|stockpiling|hoarded|hoarding|collected) (up )?.{0,15}"
        r"(pills|meds|sleeping pills)\b|"
        r"\bjump off (a|the) (bridge|building|roof)\b|\bwrote (a|my) (suicide )?note\b",
        "crisis",
        "suicide",
    ),
    _r(
        "en.self_harm",
        r"\b(hurt|hurting|cut|cutting|harm|harming|burn|burning) myself\b|\bself[- ]?harm\w*\b",
        "crisis",
        "self_harm",
    ),
    _r(
        "en.harm_others",
        r"\bi('m| am)? (going to|gonna|will) (kill|hurt|shoot|stab) (him|her|them|someone|people|everyone)\b",
        "crisis",
        "harm_to_others",
        subject_sensitive=False,
    ),
    _r(
        "en.harm_from_others",
        r"\b(threaten\w*|going to|gonna|wants? to|will) (to )?kill me\b|"
        r"\b(he|she|they|my \w+) (hits|beats|hurts|abuses|chokes) me\b|"
        r"\b(raped|sexually assaulted|being abused|being stalked)\b",
        "crisis",
        "harm_from_others",
        negatable=False,
        subject_sensitive=False,
    ),
    _r(
        "en.distress",
        r"\bhopeless\b|\bcan'?t (take|do) (it|this) anymore\b|\bcan'?t cope\b|\b(no ?one|nobody) cares\b|"
        r"\bsuicid(e|al)\b|\bi'?m a burden\b|\bwant to disappear\b|\bfalling apart\b|\bbreaking down\b|"
        r"\bworthless\b|\bcan'?t go on\b",
        "elevated",
        "distress",
    ),
)

RULES = RULES + tuple(
    Rule(rid, re.compile(pattern), level, category, negatable, sensitive)  # type: ignore[arg-type]
    for rid, pattern, level, category, negatable, sensitive in CONCEPT_RULES
)

_FIRST_PERSON = {"我", "俺", "咱", "本人", "自己", "我们", "i", "me", "my", "myself", "i'm", "im"}
_THIRD_PERSON = {
    "他", "她", "它", "他们", "她们", "朋友", "同学", "同事", "室友", "闺蜜", "哥们", "兄弟", "姐姐", "妹妹", "哥哥", "弟弟", "妈妈", "爸爸",
    "母亲", "父亲", "孩子", "儿子", "女儿", "老公", "老婆", "男朋友", "女朋友", "对象", "邻居", "网友", "学生", "男孩", "女孩", "男生", "女生",
    "有人", "别人", "有个人", "那个", "某人", "明星", "名人", "作家", "主角", "角色", "男主", "女主", "he", "she", "they", "friend",
    "brother", "sister", "mom", "dad", "someone", "student", "character", "people", "person", "roommate",
    "coworker", "colleague", "son", "daughter", "kid", "kids", "child", "husband", "wife", "partner",
    "boyfriend", "bf", "girlfriend", "gf", "cousin", "grandpa", "grandma", "grandmother", "grandfather",
    "uncle", "aunt", "neighbour", "neighbor", "classmate", "teacher", "boss", "bestie", "bff", "mum",
    "father", "mother", "parents", "ex", "stranger", "guy", "girl", "boy", "man", "woman", "stepdad",
    "stepmom", "nephew", "niece", "buddy", "patient", "client", "friends", "表妹", "表姐", "表哥", "表弟", "堂妹", "堂姐",
    "堂哥", "堂弟", "舍友", "舅舅", "叔叔", "阿姨", "姑姑", "爷爷", "奶奶", "外婆", "外公", "姥姥", "姥爷", "老爸", "老妈", "爸", "妈", "前任",
    "学长", "学姐", "学弟", "学妹", "老师", "老板", "领导", "病人", "患者", "客户", "网红", "老人", "小孩",
}  # fmt: skip
_KIN_AFTER_I = re.compile(
    r"^我(的)?(爸|妈|哥|姐|弟|妹|老公|老婆|男朋友|女朋友|朋友|同学|同事|室友|舍友|闺蜜|儿子|女儿|孩子|表|堂|舅|叔|姑|爷|奶|外婆|外公|家人)"
)
_NEGATIONS = (
    "不会",
    "不要",
    "不想",
    "没想",
    "没有想",
    "从没",
    "从来没",
    "从不",
    "绝不",
    "才不",
    "并不",
    "别",
    "不是",
    "没有",
    "没到",
)
_EN_NEGATIONS = re.compile(
    r"\b(never|not|don'?t|do not|won'?t|wouldn'?t|no longer|isn'?t|haven'?t|hasn'?t|didn'?t|wasn'?t)\b[^.!?]{0,20}$"
)
_PAST = re.compile(
    r"(以前|曾经|过去|小时候|那时候|那时|去年|前几年|当年|之前)|\b(used to|years ago|in the past|once(?! (my|the|i|he|she|they|everyone|it|this|we|you|all)\b))\b"
)
# Past episodes anywhere in the clause ("I overdosed in college", "三年前我试过割腕"); crisis only with a now-signal.
_PAST_WIDE = re.compile(
    r"(以前|曾经|(?<![睡晕昏死熬撑跳走])过去|小时候|那时候|那时|那年|那段|那阵子|去年|前几年|当年|之前|上次|[\d一二三四五六七八九十几两]+年前|(高|初)[一二三](那年|的时候)|"
    r"大学(的)?时|(有|那)一?段时间|试过|回想|住院|抢救|未遂|好久没(有)?|戒(掉|了)|上辈子)|\b(used to|years ago|in the past|once(?! (my|the|i|he|she|they|everyone|it|this|we|you|all)\b)|tried to|tried|attempted|survived|"
    r"since my|when i was|in college|in \d{4}|back in|last (year|spring|summer|fall|autumn|winter|month)|"
    r"recovered|clean for|glad i stayed)\b"
)
_NOW = re.compile(
    r"今晚|今天(又|还|就)|现在(就|正|在|还)|刚刚|刚才|昨晚|昨天晚上|今早|今天早上|又(割|划|想|吃|开始想|要)|还是想|还想|这次|马上|打算|准备|明天|\b(last night|this morning|earlier today|an hour ago|hours ago|minutes ago|tonight|tomorrow|going to|i will|i'll|plan to|right now|again|still (want|think|plan|have)|this time|now i('m| am)? (going|want|plan|ready))\b"
)
_NOT_AGAIN = re.compile(r"\b(not|never|won't|wouldn't)\b.{0,25}\bagain\b|(不会|不想|不要)再")
_SERIOUS = re.compile(
    r"\bi am serious\b|\bserious (though|tho)\b|认真|不是开玩笑|没开玩笑|说真的|\b(not a joke|no joke|not joking|for real|fr|seriously|i mean it|deadass)\b"
)
_JOKE_PRONE = ("ideation_direct", "ideation_passive", "euphemism", "suicide", "distress", "plan_time")
# A life that continues: trips, moves, plans, tools used for their purpose.  Lowers only the frames that share
# their words with everyday life (farewell, preparation, place, plan), never ideation, attempts or harm.
_BENIGN = re.compile(
    r"明天再聊|下次再聊|回头见|明天见|下周见|改天见|晚安|下(周|个月)去|去(上海|北京|外地|国外|旅行|旅游|出差|工作|上学|留学)|出差|旅行|旅游|搬家|"
    r"离开(这家|这个)?(公司|单位|学校|城市|家乡)|辞职|离职|跳槽|换工作|搬走|穿不下|断舍离|捐|图书馆|二手|闲鱼|卖掉|(下学期|明年|下次|开学|周一|下周|明天|回头|改天)见|切(西瓜|水果|菜|肉)|做饭|做菜|削(苹果|水果)|装修|修(水管|灯|屋顶|电脑)|攀岩|露营|登山|钓鱼|烧烤|婚纱照|拍照|考驾照|感冒了|发烧了|秋千|晾衣服|晒被子|看风景|看日出|看日落|给(奶奶|爷爷|外婆|外公|姥姥|姥爷|妈|爸|妈妈|爸爸|孩子|儿子|女儿|老人|家里人?)买|闭关|备考|一个月不上线|"
    r"\b(see you|see ya|talk (to you )?(tomorrow|later|soon)|catch you later|after the holidays|moving (to|out|house|abroad)|before i move|"
    r"new job|vacation|holiday|trip|camping|hiking|climbing|off-grid|fixing|repair\w*|gutters|cleaning the|painting|cooking|kitchen|recipe|"
    r"while i am away|until i am back|when i get back|fireworks|chef's knife|gun safe|hunting|textbooks|finished my degree|since i (finished|graduated|moved)|first baby|new baby|had a baby|estate planning|kitchen knife|garden\w*|spring cleaning|declutter\w*|outgrown|don't fit|start fresh|fresh start|new start|new city|new chapter|ready for (the|my|an|a)|swing|bbq|barbecue|sunset|sunrise|photos?|pictures?|selfies?|the view|flu|sick)\b"
)
# What undoes the life-goes-on frame: a harmless purpose given as a cover ("老板问干嘛用 我说晾衣服"), a trip with no
# return, passwords or a note left behind.
_NOT_BENIGN = re.compile(
    r"(然后|之后)(就)?(再也)?(不回来|不回去)了|\bnot coming back\b|\b(passwords?|suicide note|goodbye letter)\b|遗书|密码|(问|问我).{0,6}(干嘛|干什么|做什么|什么用|用来).{0,6}(我说|就说|骗)|\b(asked|asks)\b.{0,20}\b(what|why)\b.{0,30}\b(i said|told (him|her|them))\b"
)
_WRITER_ACTS = re.compile(r"\bi (am|will|'ll|'m) (going to|doing|do|end|ending|kill|jump)\b")
_BENIGN_PRONE = ("farewell", "preparation", "at_place", "plan_time", "euphemism")
_JOKE = re.compile(r"开玩笑的|开玩笑啦|开个玩笑|\b(jk|just kidding|not really|kidding)\b")
_MEDIA = re.compile(
    r"《|》|博物馆|展览|\b(museum|exhibit|exhibition)\b|这首歌|首歌|唱|短剧|班会|宣传|调查显示|密室|蹦极|跳水|跳伞|甩卖|结尾|那一幕|那幕|情节|剧情|\b(banger|slaps|that line|the line|arrested|was charged|police said|sing|singing|sang|band|survey|the report|report (says|finds|found)|reported|paper says|according to|researchers?|lyric\w*|karaoke|chorus|album|escape room|prop|coroner|crisis line|naloxone)\b|新闻|报道|电影|小说|剧里|剧中|电视剧|纪录片|动漫|漫画里|游戏里|书里|歌词|历史上|统计|研究|论文|课上|热搜|微博上|网上看到|"
    r"文章|案例|课本|讲座|游戏(?!账号|号|币|机|皮肤|装备)|这局|副本|关卡|歌里|唱的|诗里|剧本|角色|\b(news|game|boss|gameplay|episode|chapter|poem|fiction|story|script|quote|article|movie|film|novel|book|song|lyrics|study|statistics|character|show|series|documentary|class|lecture|podcast)\b"
)
_LAUGH = re.compile(r"哈哈|hhh|233|笑死|开玩笑的|😂|🤣|\b(lol|lmao|lmfao|haha\w*|jk|kidding|rofl)\b")
_CLAUSE_BREAK = re.compile(r"[。！？!?；;，,\n…~]|\.(?=\s)")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff]")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text).lower()
    text = deep_normalise(text)
    # remove spaces between CJK characters (people type 想 死 to dodge filters)
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]")
_NEUTRALISE_BY_SCRIPT = [
    (p, bool(_CJK.search(p.pattern)), bool(re.search(r"[a-z]{3}", p.pattern.replace("\\b", ""))))
    for p in _NEUTRALISE
]


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _clause_prefix(text: str, start: int) -> str:
    begin = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, start):
        begin = m.end()
    return text[begin:start]


def _clause(text: str, start: int, end: int) -> str:
    stop = _CLAUSE_BREAK.search(text, end)
    return _clause_prefix(text, start) + text[start : stop.start() if stop else len(text)]


_ZH_THIRD = sorted((w for w in _THIRD_PERSON if not w.isascii()), key=len, reverse=True)
_EN_THIRD = sorted((w for w in _THIRD_PERSON if w.isascii()), key=len, reverse=True)
_PERSON = re.compile(
    r"(?P<obj>[给对跟和替帮为向让叫把从](?:我的?)?(?:"
    + "|".join(_ZH_THIRD)
    + r")|(?:"
    + "|".join(_ZH_THIRD)
    + r")的(?!话))|(?P<kin>我的?(?:"
    + "|".join(w for w in _ZH_THIRD if len(w) > 1 or w in "爸妈")
    + r"))|(?P<third>"
    + "|".join(_ZH_THIRD)
    + r"|\b(?:"
    + "|".join(_EN_THIRD)
    + r")s?\b|\b\d+ ?(?:year|yr)s? ?old\b)|"
    r"(?P<first>我|俺|咱|本人|自己|\b(?:i|me|my|myself|i'm|im|i'll|i've|i'd)\b)"
)
_REPORTED = re.compile(
    r"(他|她|他们|她们|[^我]{1,3})(说|讲|发了|告诉我|跟我说)|\b(says|said|told me|texted|posted|keeps saying)\b|担心|好怕|我很怕|怎么办|\b(worried|scared for|what do i do|how do i help)\b"
)


def _subject(prefix: str) -> str:
    """'first', 'third' or 'none' - the last person mentioned before the keyword in its clause."""
    if not prefix.strip():
        return "none"
    found = list(_PERSON.finditer(prefix))
    people = [m for m in found if not m.group("obj")]  # "给我儿子留了字条": an object, not the subject
    if people:
        return "first" if people[-1].group("first") else "third"
    if found:
        return "none"
    for token in reversed(cut(prefix)):
        tok = token.strip().lower()
        if tok in _THIRD_PERSON or _KIN_AFTER_I.match(tok):
            return "third"
        if tok in _FIRST_PERSON or tok.startswith("我"):
            return "first"
        if tok in _THIRD_PERSON:
            return "third"
    return "none"


def _negated(prefix: str) -> bool:
    tail = prefix.rstrip()[-6:]
    if any(n in tail for n in _NEGATIONS) or tail.endswith(("不", "没", "别", "未")):
        return True
    return bool(_EN_NEGATIONS.search(prefix[-30:]))


def _media_prefix(prefix: str) -> bool:
    """A media/game frame before the keyword, unless the writer speaks of themself after it ("boss骂了我，我想死")."""
    if _REAL.search(prefix):
        return False
    frames = list(_MEDIA.finditer(prefix))
    if not frames:
        return False
    return _subject(prefix[frames[-1].end() :]) != "first"


def _assess_phrases(text: str) -> SafetyAssessment:
    """The rule layer over one message. Pure CPU, well under a millisecond after jieba is loaded."""
    return rule_view(text)[0]


def rule_view(text: str) -> tuple[SafetyAssessment, bool]:
    """The rule layer's assessment of one message, and whether a scope or tone step lowered a match.

    ``lowered`` is true when a rule matched but negation, person, media, past, a continuing life or laughter
    read it below the rule's own level ("我不会自杀", "my friend wants to die", "i want to die lol").
    """
    ensure_ready()
    norm = normalise(text)
    cjk, latin = bool(_CJK.search(norm)), bool(_LATIN.search(norm))
    for pattern, zh, en in _NEUTRALISE_BY_SCRIPT:
        if (zh and cjk) or (en and latin):
            norm = pattern.sub(_blank, norm)
    result, lowered = _run_rules(norm)
    mixed = mixed_view(norm)
    if mixed is not None:
        other, lowered_mixed = _run_rules(mixed)
        _merge(result, other)
        lowered = lowered or lowered_mixed
    return result, lowered


_REAL = re.compile(r"现实(的|里|中|生活)|不是游戏|\b(irl|in real life|not a game|for real)\b")
_QUOTED = re.compile(r'"[^"]{1,120}"|“[^”]{1,120}”|「[^」]{1,120}」|《[^》]{1,60}》')
_BUT = re.compile(r"但|不过|还好|\bbut\b")
_DEGREE = re.compile(r"(得|到)(我)?(真的)?$")


@dataclass(frozen=True)
class _Frame:
    """What the rule loop needs to know about the whole message, read once before any rule runs."""

    norm: str
    cjk: bool
    latin: bool
    media: bool  # a news/fiction/game/lyrics word anywhere
    laughing: bool
    joking: bool  # an explicit "just kidding"
    serious: bool  # "not a joke", 认真的
    benign: bool  # a life that continues: trips, moves, tools used for their purpose
    now: bool  # a now-signal outside "not ... again"
    reported: bool  # reported speech or worry about someone else


def _frame(norm: str) -> _Frame:
    cjk, latin = bool(_CJK.search(norm)), bool(_LATIN.search(norm))
    media = bool(_MEDIA.search(norm))
    if media:  # a quoted lyric or title next to a media word is not the writer speaking
        norm = _QUOTED.sub(_blank, norm)
    return _Frame(
        norm=norm,
        cjk=cjk,
        latin=latin,
        media=media,
        laughing=bool(_LAUGH.search(norm)),
        joking=bool(_JOKE.search(norm)),
        serious=bool(_SERIOUS.search(norm)),
        benign=bool(_BENIGN.search(norm)) and not _NOT_BENIGN.search(norm),
        now=bool(_NOW.search(_NOT_AGAIN.sub(" ", norm))),
        reported=bool(_REPORTED.search(norm)),
    )


def _run_rules(norm: str) -> tuple[SafetyAssessment, bool]:
    """Every rule over one normalised text; each match is scoped (negation, person, media, past, tone).

    Also says whether any match was read below its rule's level (see ``rule_view``).
    """
    frame = _frame(norm)
    result = SafetyAssessment()
    lowered = False
    for rule in RULES:
        if (rule.id.startswith("zh.") and not frame.cjk) or (rule.id.startswith("en.") and not frame.latin):
            continue  # a Chinese rule cannot match a message without Chinese characters, and vice versa
        for match in rule.pattern.finditer(frame.norm):
            level = _match_level(rule, match, frame)
            lowered = lowered or _ORDER[level] < _ORDER[rule.level]
            _record(result, rule, level)
    return result, lowered


def _record(result: SafetyAssessment, rule: Rule, level: Level) -> None:
    if _ORDER[level] > 0:
        if rule.category not in result.categories:
            result.categories.append(rule.category)
        result.rules.append(rule.id)
    if _ORDER[level] > _ORDER[result.level]:
        result.level = level


def _match_level(rule: Rule, match: re.Match[str], frame: _Frame) -> Level:
    """The level of one match: its scope first, then the reasons a crisis reading is lowered."""
    prefix = _clause_prefix(frame.norm, match.start())
    level = _scoped_level(rule, match, prefix, frame)
    if level != "crisis":
        return level
    return (
        _past_or_frame_lowered(rule, match, prefix, frame)
        or _tone_lowered(rule, match, prefix, frame)
        or level
    )


def _scoped_level(rule: Rule, match: re.Match[str], prefix: str, frame: _Frame) -> Level:
    """Negation, a media frame before the keyword, and the subject of the clause."""
    if rule.negatable and _negated(prefix):
        return _negated_level(rule, prefix)
    if not rule.subject_sensitive:
        return rule.level
    if _media_prefix(prefix) or _media_prefix(frame.norm[: match.start()]):
        return "none"  # "I read an article about suicide", "电影里的主角最后自杀了"
    level: Level = rule.level
    subject = _subject(prefix)
    if subject == "third" and _WRITER_ACTS.search(match.group(0)):
        # "when my parents leave for the weekend i'm going to do it": the act is the writer's
        subject = "first"
    if subject == "none" and frame.reported:
        subject = _subject(frame.norm[: match.start() - len(prefix)])  # "我表妹说她想跳楼，现在在顶楼"
    if subject == "third":
        level = "none" if frame.media else ("elevated" if level == "crisis" else level)
    elif subject == "none" and frame.media and _media_prefix(_clause(frame.norm, match.start(), match.end())):
        level = "none"
    if level == "crisis" and _PAST.search(prefix):
        level = "elevated"
    return level


def _negated_level(rule: Rule, prefix: str) -> Level:
    if rule.level == "elevated" or _PAST.search(prefix):
        return "none"
    # "我不会自杀的，放心" still deserves a gentle resource line; "从来没想过" does not
    return "none" if re.search(r"(从没|从来没|从不|never)", prefix) else "elevated"


def _past_or_frame_lowered(rule: Rule, match: re.Match[str], prefix: str, frame: _Frame) -> Level | None:
    """A crisis match told as the past, as news, or in a life that goes on; None when none applies."""
    if (
        rule.negatable
        and not frame.now
        and (
            _PAST_WIDE.search(_clause(frame.norm, match.start(), match.end()))
            or (
                rule.category in ("attempt_now", "self_harm") and _PAST_WIDE.search(_clause(frame.norm, 0, 0))
            )
        )
    ):
        return "elevated"  # a past episode told now ("I overdosed in college, still feel low")
    if not rule.subject_sensitive and _media_prefix(frame.norm[: match.start()]):
        return "none"  # "看到新闻说有个老人被家暴"
    if not rule.subject_sensitive and _PAST.search(prefix):
        return "elevated"  # "我室友以前被跟踪过"
    if frame.benign and rule.category in _BENIGN_PRONE:
        return "none"  # "跟大家说再见，下周去上海工作了", "bought a rope for rock climbing"
    return None


def _tone_lowered(rule: Rule, match: re.Match[str], prefix: str, frame: _Frame) -> Level | None:
    """Laughter, "just kidding" and degree complements lower a crisis match to elevated; None otherwise."""
    if frame.laughing and not frame.serious and rule.category in _JOKE_PRONE:
        return "elevated"  # "if i have to sit through another meeting i'll die lol"
    if frame.joking and not frame.serious and rule.category not in ("attempt_now", "harm_from_others"):
        return "elevated"  # "作业多到我想跳楼 哈哈 开玩笑的"
    if _DEGREE.search(prefix) and (frame.laughing or _BUT.search(frame.norm, match.end())):
        return "elevated"  # "开得我想死 lol", "气到想跳楼 哈哈"
    if frame.laughing and rule.category in ("harm_to_others", "harm_from_others"):
        return "elevated"  # "室友偷吃我零食 我要杀了他哈哈", "i'm going to kill him lol"
    return None


# A short follow-up that continues a plan already named in the context: a time, a count, a "for good", a place
# detail, "I'll jump".  Only used when the context alone is already crisis.
_FRAGMENT = re.compile(
    rf"^\W*(\w+\W+){{0,2}}(就|就在|在|定在|选在|then|at|on)?\s*({ZH_TIME2}|{EN_TIME2})(吧|了|就|晚上|night)?(\W+\w+){{0,2}}\W*$|"
    r"(够了|足够|for good|forever|enough|all of them|都吃|全吃|下去了|就跳|跳下去|跳了|动手|do it|i'll do it|i will do it|go through with it|"
    r"数(过|了)|\d+ ?(片|颗|粒)|\b\d{2,} (pills|tablets)\b|等.{0,6}(睡|走|出门|不在|水烧开)|家里没人|没人在家|(away|gone|out|not home|asleep) (this|tonight|tomorrow|all)|"
    r"水(好|很|太)冷|(好|很|太)高|风(好|很|太)大|(then|and) i('m| am) done|done with everything|我要下去|要走了|no one will (know|find|stop))"
)
# What a context must already hold for a bare fragment to complete a plan: a means, a place, or despair.
_CTX_CONCEPT = re.compile(
    rf"{ZH_MEANS}|{ZH_PLACE}|\b({EN_MEANS}|{EN_PLACE2})\b|考砸|绝望|撑不下去|活不下去|不想活|hopeless|can't take|can't do this|done with"
)
_AFFIRMATION = re.compile(
    r"^\s*((honestly|actually|i mean|well|um+|uh+|真的|其实|说实话|老实说)[\s,，.]*)?(yes|yeah|yep|yup|ya|y|maybe|probably|i guess|kind of|kinda|sort of|i think so|true|right|correct|"
    r"嗯+|恩+|是|是的|是啊|对|对的|对啊|对呀|没错|可能|也许|大概|应该是|算是|有|有的|有点|好像是|ok|okay)"
    r"[\s。.!！…~,，]*$"
)


def _merge(into: SafetyAssessment, other: SafetyAssessment) -> None:
    for cat in other.categories:
        if cat not in into.categories:
            into.categories.append(cat)
    for rid in other.rules:
        if rid not in into.rules:
            into.rules.append(rid)
    if _ORDER[other.level] > _ORDER[into.level]:
        into.level = other.level


def assess(text: str, *, context: Sequence[str] = (), after_crisis: bool = False) -> SafetyAssessment:
    """Classify a message, seeing the session's previous user messages (oldest first, up to 5 used).

    ``after_crisis``: the duck's previous reply was a crisis reply; a short affirmation is then crisis and
    anything else stays at least elevated.  Rule ids and categories only, never the text.
    """
    result, lowered = rule_view(text)
    _model_raise(result, text, lowered=lowered)
    recent = [c for c in context if c][-5:]
    if recent and result.level != "crisis":
        _apply_context(result, text, recent)
    return _after(result, text, after_crisis)


def _apply_context(result: SafetyAssessment, text: str, recent: list[str]) -> None:
    """The message read with the session's previous user messages (rules only, never the model)."""
    joined = _assess_phrases("。".join([*recent, text]))
    earlier: SafetyAssessment | None = None
    if joined.level == "crisis":
        earlier = _assess_phrases("。".join(recent))
        if earlier.level != "crisis":  # the crisis needs this message: a plan split across messages
            _merge(result, joined)
            result.rules.append("ctx.combined")
            return
    if only_laughing(text):
        earlier = earlier or _assess_phrases("。".join(recent))
        if earlier.level == "crisis":  # "我不想活了" then "哈哈": softening with a laugh, still crisis
            _merge(result, earlier)
            result.level = "crisis"
            result.rules.append("ctx.laugh_after_crisis")
            return
    fragment = len(text) <= 40 and _FRAGMENT.search(normalise(text))
    planned = joined.level == "crisis" or _CTX_CONCEPT.search(normalise("。".join(recent)))
    if fragment and planned and not _BENIGN.search(normalise("。".join([*recent, text]))):
        _merge(result, joined)  # the plan goes on: "tonight", "for good"
        result.level = "crisis"
        result.rules.append("ctx.continues")
        if not result.categories:
            result.categories.append("plan_time")


# A laugh, a "just kidding" or a laughing emoji and nothing else: after a crisis message this is softening, not
# a retraction (people in crisis often laugh it off to see how the other side reacts), so it stays crisis.
_LAUGH_TOKEN = re.compile(
    r"哈{2,}|呵{2,}|嘿嘿+|嘻嘻+|h{3,}|23{2,}|😂|🤣|😅|🙃|😆|😹|开玩笑(的|啦|而已)?|开个玩笑|说着玩(的)?|逗你(的|玩)?|"
    r"\b(lo+l+|lmf?a+o+|ha(ha)+h?|he(he)+|rofl|jk|jking|just kidding|kidding|just joking|joking)\b"
)


def only_laughing(text: str) -> bool:
    """True for a message that is only laughter / "jk" (and punctuation or emoji): "lol", "哈哈哈", "😂", "jk"."""
    norm = normalise(text)
    return bool(_LAUGH_TOKEN.search(norm)) and not re.search(r"\w", _LAUGH_TOKEN.sub(" ", norm))


def training_view(text: str) -> model.RuleView:
    found, lowered = rule_view(text)
    return model.RuleView(norm=normalise(text), level=found.level, lowered=lowered)


def crisis_model() -> model.CrisisModel | None:
    """The learned layer, trained once per process from the dev corpus (None if it cannot be trained)."""
    return model.load(training_view)


def _model_raise(result: SafetyAssessment, text: str, *, lowered: bool) -> None:
    """After the rules: the learned layer may raise ``none``/``elevated``, never lower anything.

    A message the rules read as negated, someone else's, past, media or a joke ("lowered") is raised to at
    most elevated; ``model.RAISE_TO_CRISIS`` says whether the model may raise to crisis at all.
    """
    if result.level == "crisis":
        return
    learned = crisis_model()
    norm = normalise(text)
    if learned is None or model.word_chars(norm) < model.MIN_WORD_CHARS:
        return
    score = learned.score(norm)
    level: Level = "none"
    if (
        score >= learned.info.crisis_threshold
        and model.RAISE_TO_CRISIS
        and model.Policy().allows(result.level, lowered, norm)
    ):
        level = "crisis"
    elif score >= learned.info.elevated_threshold:
        level = "elevated"
    if _ORDER[level] > _ORDER[result.level]:
        result.level = level
        result.rules.append(model.RULE_ID)
        if model.CATEGORY not in result.categories:
            result.categories.append(model.CATEGORY)


def _after(result: SafetyAssessment, text: str, after_crisis: bool) -> SafetyAssessment:
    if after_crisis:
        if only_laughing(text):
            result.level = "crisis"
            result.rules.append("ctx.laugh_after_crisis")
        elif _AFFIRMATION.match(normalise(text)):
            result.level = "crisis"
            result.rules.append("ctx.affirm_after_crisis")
            if "ideation_direct" not in result.categories:
                result.categories.append("ideation_direct")
        elif result.level == "none":
            result.level = "elevated"
            result.rules.append("ctx.after_crisis")
    return result
