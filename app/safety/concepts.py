# ruff: noqa: E501
"""Concept layer of the crisis gate: normalisation plus rules over combinations of concepts.

A rule here is never a single phrase: it is a pattern built from concept lexicons (means, acts of acquiring or
taking, places and edges, time expressions, endings, farewell and burden frames) joined by short windows, so that
"我把攒的安眠药都拿出来了" and "I stockpiled my meds" are caught by the same rule as "攒了安眠药".  Negation,
person, media and past-tense scope are applied by the detector's loop (app/safety/detector.py).
"""

from __future__ import annotations

import re

# --- normalisation --------------------------------------------------------------------------------------------
# Traditional -> simplified for the characters the lexicons use (a whole-script converter is not needed: the gate
# only has to read its own key words; any character outside this table cannot be part of a key word).
_TRAD = str.maketrans(
    "殺樓藥燒結離開東書遺準備買這個們會沒經頂臺橋邊繩謝後別還時麼來說對嗎過讓為給愛壓幫處緊車軌氣電線點輕鬆擔負贅餘夠顆農劑蟲殘傷燙媽學師將當間種門問聽夢無發現動應該實樣裡裏從認話語錯難歡煤瓶罐刀劃割腕歲體內決斷終於壞裝窗陽頭腦見謂絕網輩醫場錢貓狗爺奶護欄懸崖跳遠囑託滅棄屍窒息槍帶條綁掛罷戰鬥劇遊戲聞報導統計說電視歌詞貼閨蜜備份頭暈吐割腕給跟蹤鎖嚇揍踢掐騷擾關門脅兇衝報復帳號註銷碼寫張筆記錄願們嗚",
    "杀楼药烧结离开东书遗准备买这个们会没经顶台桥边绳谢后别还时么来说对吗过让为给爱压帮处紧车轨气电线点轻松担负赘余够颗农剂虫残伤烫妈学师将当间种门问听梦无发现动应该实样里里从认话语错难欢煤瓶罐刀划割腕岁体内决断终于坏装窗阳头脑见谓绝网辈医场钱猫狗爷奶护栏悬崖跳远嘱托灭弃尸窒息枪带条绑挂罢战斗剧游戏闻报导统计说电视歌词贴闺蜜备份头晕吐割腕给跟踪锁吓揍踢掐骚扰关门胁凶冲报复帐号注销码写张笔记录愿们呜",
)
_EMOJI = {
    "💊": " 药 pills ",
    "🔪": " 刀 knife ",
    "🪢": " 绳子 rope ",
    "🩸": " 血 blood ",
    "⚰": " 死 die ",
    "⚰️": " 死 die ",
    "🔫": " 枪 gun ",
    "☠": " 死 die ",
    "💀": " ",  # 💀 is mostly "I'm dead (laughing)"
    "🌉": " 桥 bridge ",
    "🏢": " 楼 building ",
}
_EMOJI_RE = re.compile("|".join(re.escape(k) for k in sorted(_EMOJI, key=len, reverse=True)))
# Homophones, pinyin, typos and internet euphemisms of the key words, rewritten to the plain word.
_SUBS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"紫砂|自鲨|自沙|子杀|紫杀|字杀|自刹|自殺|自s(?=[^a-z]|$)|zi ?sha|zi ?s(?=[^a-z]|$)", "自杀"),
        (r"想(si|sǐ|s4|s(?=[^a-z]|$)|4(?=[^0-9]|$)|鼠|屎|紫)", "想死"),
        (r"xiang ?si(?![a-z])|xs(?=了|$)", "想死"),
        (r"跳搂|跳娄|跳lou|tiao ?lou", "跳楼"),
        (r"割碗|割晚|ge ?wan", "割腕"),
        (r"安眠要|安眠yao|按眠药", "安眠药"),
        (r"烧碳|shao ?tan", "烧炭"),
        (r"(不想|不要)(活|或)(了|下去)", r"不想活\3"),
        (r"(退出|下线|删号|注销|重开)(人生|地球|这个世界|此生)", "结束生命"),
        (r"(把自己|我自己)(鲨|噶|嘎|刀)了", "自杀"),
        (r"去世(自我)|自我去世|鲨了我自己|噶了自己", "自杀"),
        (r"\bkms\b|\bkys(elf)?\b(?= myself)", "kill myself"),
        (r"\bk[i1!|]ll?(ing)? ?(my ?self|myslef|mysef|meself|mself)\b", "kill myself"),
        (r"\bk[i1!]ll\b", "kill"),
        (r"\bunalive (myself|me)\b|\bunaliv(e|ing)\b", "kill myself"),
        (
            r"\bsewer ?slide\b|\bsu[i1!]c[i1!]d[e3]\b|\bsuicde\b|\bsucide\b|\bsuiside\b|\bsooicide\b|\bself[- ]?delete\b",
            "suicide",
        ),
        (r"\bctb\b|\bcatch the bus\b", "kill myself"),
        (r"\bd[i1!]e\b", "die"),
        (r"\bd3ad\b", "dead"),
        (r"\bwanna\b", "want to"),
        (r"\bgonna\b", "going to"),
        (r"\bi'?m\b", "i am"),
        (r"\bim\b(?= (going|so|done|just|a|on|at|standing|sitting|here))", "i am"),
        (r"\bdont\b", "don't"),
        (r"\bcant\b", "can't"),
        (r"\bwont\b", "won't"),
        (r"[’‘`]", "'"),
    )
)
_SPACED_LETTERS = re.compile(r"\b(?:[a-z][ .\-_*]){3,}[a-z]\b")
_CJK_PUNCT_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[\s.\-_*·•/|]+(?=[\u4e00-\u9fff])")
_REPEAT = re.compile(r"(.)\1{3,}")


def deep_normalise(text: str) -> str:
    """Applied after NFKC/lower-case/zero-width removal: script, emoji, spacing tricks and homophones."""
    text = text.translate(_TRAD)
    text = _EMOJI_RE.sub(lambda m: _EMOJI[m.group(0)], text)
    text = _CJK_PUNCT_GAP.sub("", text)  # 想.死 / 自 杀 / 跳-楼
    text = _SPACED_LETTERS.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), text)  # s u i c i d e
    text = _REPEAT.sub(r"\1\1\1", text)
    for pattern, repl in _SUBS:
        text = pattern.sub(repl, text)
    return text


# --- concept lexicons -----------------------------------------------------------------------------------------
def _alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


ZH_DRUG = _alt(
    "安眠药", "药片", "药丸", "药", "褪黑素", "布洛芬", "扑热息痛", "对乙酰氨基酚", "阿普唑仑", "艾司唑仑",
    "氯硝西泮", "思诺思", "唑吡坦", "舍曲林", "百忧解", "降压药", "胰岛素", "止痛药", "感冒药", "抗抑郁药",
)  # fmt: skip
ZH_POISON = _alt(
    "农药",
    "百草枯",
    "敌敌畏",
    "老鼠药",
    "鼠药",
    "杀虫剂",
    "除草剂",
    "氰化物",
    "毒药",
    "漂白剂",
    "洗洁精",
    "84消毒液",
)
ZH_OTHER_MEANS = _alt(
    "绳子", "绳", "麻绳", "刀片", "刀", "剃须刀", "美工刀", "水果刀", "炭", "木炭", "烧烤炭", "煤气", "燃气",
    "一氧化碳", "枪", "皮带", "围巾", "塑料袋", "氦气", "火盆",
)  # fmt: skip
ZH_MEANS = _alt(ZH_DRUG, ZH_POISON, ZH_OTHER_MEANS)
ZH_ACQUIRE = _alt(
    "买(了|好|到|齐)", "攒(了|够|好|齐|下)", "存(了|够|好)", "囤(了|好|够)?", "准备(好)?了", "备好(了)?", "搞到(了)?",
    "弄到(了)?", "网上(买|订|下单)", "(拿|取)(到|出来)(了)?", "藏(了|好|在)", "绑好", "系好", "挂好", "磨好", "数好",
    "够了", "放在(枕头|床|抽屉|包)", "已经(有|备|准备)", "就在(手边|身边|桌上|包里|抽屉)",
)  # fmt: skip
ZH_QTY = _alt(
    r"\d{2,}",
    "[二三四五六七八九]?十(几)?",
    "几十",
    "一百",
    "上百",
    "好几",
    "一整",
    "整",
    "所有",
    "全部",
    "一把",
    "一盒",
    "一瓶",
    "一板",
    "满满",
)
ZH_INGEST = _alt(
    "吃(了|下|掉|光|完)",
    "吞(了|下|掉|完)?",
    "喝(了|下|掉|完)",
    "服(了|下)",
    "灌(了|下)",
    "全吃",
    "都吃",
    "一口气吃",
)
ZH_PLACE = _alt(
    "天台", "楼顶", "顶楼", "屋顶", "桥上", "大桥", "桥边", "桥头", "江边", "河边", "海边", "湖边", "铁轨", "轨道边?",
    "站台", "窗台", "窗边", "窗户边", "阳台", "悬崖", "崖边", "高楼", r"\d{2,}楼", "[十二三]十?几?层", "楼上", "地铁站",
    "高架", "水库", "江堤", "栏杆外",
)  # fmt: skip
ZH_EDGE = _alt(
    "跳", "往下(看|望)", "看下去", "下面", "边上", "边缘", "翻过", "翻出", "栏杆", "护栏", "一步", "脚下", "风很大",
    "好高", "很高", "站着", "坐着", "等车来", "火车", "列车", "水很(深|急|冷)",
)  # fmt: skip
ZH_TIME = _alt(
    "今晚", "今天晚上", "今夜", "今天", "明天", "明晚", "后天", "周[一二三四五六日末]", "星期[一二三四五六日天]", "这周",
    "下周", "这个周末", "生日(那天)?", "考完", "(考试|期末|高考|中考)(之后|以后|后|结束|完)", "过年", "春节", "除夕",
    "月底", r"\d{1,2}号", r"\d{1,2}点", "凌晨", "天亮(之)?前", "毕业(之后|后|那天)", "等(他们|爸妈|家人)睡着", "年底",
    "发完工资", "过完(年|节|生日)", "(这个|下个)月",
)  # fmt: skip
ZH_ENDING = _alt(
    "结束(一切|自己|这一切|生命|掉自己)", "(做个?)?了断", "了结", "动手", "解脱", "去死", "离开这个?世界", "最后一(天|晚|次|夜)",
    "不会再醒", "永远离开", "结束生命", "自杀", "跳下去", "跳楼", "走(了|掉)(吧|算了)", "上路",
)  # fmt: skip
ZH_THIRD_ONLY = "(他|她|他们|她们|朋友|同学|室友)"

EN_MEANS = _alt(
    "pills", "tablets", "meds", "medication", "sleeping pills", "painkillers", "tylenol", "paracetamol",
    "acetaminophen", "ibuprofen", "advil", "xanax", "oxy\\w*", "opioids", "fentanyl", "insulin", "antidepressants",
    "rope", "noose", "belt", "cord", "razors?", "razor blades?", "blades?", "knife", "knives", "gun", "pistol",
    "rifle", "shotgun", "firearm", "bullets?", "charcoal", "bleach", "antifreeze", "poison", "rat poison",
    "pesticide", "weed killer", "helium", "exhaust", "carbon monoxide",
)  # fmt: skip
EN_ACQUIRE = (
    r"(bought|buying|purchased|ordered|saved( up)?|saving( up)?|stockpil\w*|hoard\w*|collected|collecting|"
    r"stashed|hid|hidden|counted|lined up|loaded|tied|sharpened|picked up|got (myself )?(a|the|some|enough)|"
    r"have (a|the|enough|all|my|\d+)|set up|prepared)"
)
EN_QTY = r"(\d{2,}|all( of)?( my| the)?|the (whole|entire) (bottle|box|pack)|a (whole|full) (bottle|box)|a handful of|a bottle of|every|twenty|thirty|forty|fifty|a hundred|a bunch of|way too many)"
EN_INGEST = r"(took|taken|swallowed|downed|ate|drank|have taken|just took|popped)"
EN_PLACE = _alt(
    "roof", "rooftop", "bridge", "ledge", "tracks", "railway", "train tracks", "platform", "cliff", "balcony",
    "window", "top floor", "parking garage", "overpass", "river", "lake", "pier", "edge", "tower", "building",
)  # fmt: skip
EN_EDGE = r"(jump|jumping|edge|ledge|looking down|down there|below|fall|railing|over the|one step|the drop|the train|high up|how high|so high|water is)"
EN_TIME = (
    r"(tonight|today|tomorrow( night)?|this (friday|saturday|sunday|monday|tuesday|wednesday|thursday|weekend|week|"
    r"evening)|on (friday|saturday|sunday|monday|tuesday|wednesday|thursday)|after (the |my )?(exams?|finals|"
    r"graduation|christmas|the funeral|my birthday|the holidays|new year|everyone (is |goes to )?(asleep|sleep))|"
    r"on my birthday|next week|by (friday|saturday|sunday|monday)|at midnight|before (dawn|morning|sunrise)|"
    r"when (everyone|they)('s| is| are)? (asleep|gone|out))"
)
EN_ENDING = (
    r"(end (it|this|everything|things|my life|it all)|kill myself|suicide|be gone|be dead|won't be (here|around|alive)|"
    r"my last (day|night)|the last (day|night)|go through with it|finally do it|check out|it'?ll (all )?be over|"
    r"say (my )?goodbyes?|jump|take (all )?(the |my )?pills|not wake up|disappear for good)"
)


def _c(pattern: str) -> str:
    return pattern


# (rule id, pattern, level, category, negatable, subject_sensitive)
CONCEPT_RULES: tuple[tuple[str, str, str, str, bool, bool], ...] = (
    # -- preparation: means + acquiring / having ready (zh, en)
    ("zh.prep.means_acquire", f"{ZH_ACQUIRE}.{{0,8}}{ZH_MEANS}|{ZH_MEANS}.{{0,6}}{ZH_ACQUIRE}", "crisis", "preparation", True, True),
    ("zh.prep.enough", f"{ZH_MEANS}.{{0,6}}(够|足够)(了|多了)?|(足够|够)(的)?.{{0,4}}{ZH_MEANS}.{{0,4}}(了|用)", "crisis", "preparation", True, True),
    ("zh.prep.rope", "绳(子)?.{0,6}(套|结|挂|绑|系)(好|上|在)|(挂|系|绑)(好|在).{0,6}(横梁|吊扇|门框|衣柜|栏杆)|(门|窗)(缝|户).{0,4}(封好|封死|胶带)|炭(盆|火).{0,4}(点|烧)", "crisis", "preparation", False, True),
    ("en.prep.means_acquire", rf"\b{EN_ACQUIRE}\b.{{0,25}}\b{EN_MEANS}\b|\b{EN_MEANS}\b.{{0,25}}\b(ready|saved|hidden|stashed|in my (bag|drawer|pocket|car)|under my (bed|pillow)|loaded)\b|\benough {EN_MEANS}", "crisis", "preparation", True, True),
    ("en.prep.noose", r"\b(tied|made|tying|making) (a|the) (noose|knot)\b|\bnoose\b|\b(sealed|taped) (the )?(door|windows?|vents?)\b|\bcar (is )?running in the garage\b", "crisis", "preparation", False, True),
    # -- attempt now: ingestion with quantity, poison, bleeding
    ("zh.attempt.ingest", f"{ZH_INGEST}.{{0,4}}{ZH_QTY}.{{0,4}}{ZH_MEANS}|{ZH_QTY}.{{0,3}}(片|颗|粒|瓶|盒)?.{{0,4}}{ZH_DRUG}.{{0,6}}{ZH_INGEST}|{ZH_INGEST}.{{0,3}}{ZH_POISON}|{ZH_POISON}.{{0,4}}{ZH_INGEST}|{ZH_DRUG}.{{0,4}}(全|都)(吃|吞|喝)", "crisis", "attempt_now", True, False),
    ("zh.attempt.now", "(刚(才|刚)?|已经|正在)(吃|吞|喝|割|划|跳|烧炭|上吊)|血.{0,4}(止不住|一直流|流了好多|流个不停)|(药|药片).{0,6}(吃|吞)完了|(割|划)(了|开)(手腕|动脉|血管)|头(好|很)?晕.{0,8}(药|吃了)|(炭|煤气).{0,6}(已经)?(点(着|上|了)|开(着|了))", "crisis", "attempt_now", False, False),
    ("en.attempt.ingest", rf"\b{EN_INGEST}\b.{{0,10}}\b{EN_QTY}\b.{{0,20}}\b{EN_MEANS}\b|\b{EN_INGEST} (some |the )?(bleach|poison|antifreeze|rat poison|pesticide)\b|\boverdos(e|ed|ing)\b|\bod'?d\b|\bod(ing)? on\b", "crisis", "attempt_now", True, False),
    ("en.attempt.now", r"\bjust (took|swallowed|cut|slit|jumped|overdosed)\b|\b(i am|i'm) bleeding\b|\bblood (won't|wont|doesn't) stop\b|\bcan't stop the bleeding\b|\bslit my wrists?\b|\bcut (too )?deep\b|\bnoose (is )?around my neck\b|\b(feel(ing)?|getting) (dizzy|sleepy|drowsy) from the pills\b|\bthe pills are (kicking in|working)\b", "crisis", "attempt_now", False, False),
    # -- at a place: place + edge / jump
    ("zh.place.edge", f"(站在|坐在|在|来到|到了|爬上|上了|走到|就在|现在在|人在).{{0,4}}{ZH_PLACE}.{{0,12}}{ZH_EDGE}|{ZH_PLACE}.{{0,6}}(上|边|外)?.{{0,8}}(跳下去|跳了|想跳|往下跳)", "crisis", "at_place", True, True),
    ("en.place.edge", rf"\b(i am|standing|sitting|here|at|on|by|near|made it to|went to|climbed)\b.{{0,12}}\b{EN_PLACE}\b.{{0,30}}\b{EN_EDGE}\b|\b(on|at) the {EN_PLACE} (right )?now\b", "crisis", "at_place", True, True),
    ("zh.place.now", f"(现在|已经|正)?(在|站在|坐在|爬到|爬上|到了)(老家的|学校的?)?.{{0,3}}({ZH_PLACE}|井边|塔吊|海边|湖边|楼顶|顶楼)(上面|上|边上|边)?(了|风|腿|往|走进|准备|下面|$|[ ,，。]|的边)|(腿|脚)(在|伸到?)(外面|栏杆外)|走进(湖|河|海|江)里|往(海|湖|河|江)里走", "crisis", "at_place", True, True),
    ("en.place.now", rf"\b(i am|i'm|sitting|standing|posting this) (on|at|in|from|by) (the |a |my )?(\w+ )?{EN_PLACE}\b(?! (party|bar|restaurant|cafe))|\b(climbed|legs are|sitting) over the (railing|edge|ledge|fence)\b|\bpockets (are )?full of (rocks|stones)\b|\b(in the woods|in the garage|in my car) with the (rope|gun|charcoal|hose)\b|\b\d+ floors up\b", "crisis", "at_place", True, True),
    ("en.attempt.took", rf"\btook (the|my|all|everything|all my|\d+( of)?( my)?)\b.{{0,25}}\b({EN_MEANS}|medicine cabinet|sertraline|prozac|lexapro|zoloft)\b.{{0,30}}\b(ago|with|already|just|now|vodka|alcohol|wine)\b|\bafter (taking )?the pills\b|\btook everything\b|\b(charcoal|coal) is lit\b", "crisis", "attempt_now", True, False),
    ("zh.attempt.took", f"({ZH_MEANS}).{{0,3}}(吃|吞|喝)下去了|(吃|吞|喝)下去了.{{0,8}}(晕|难受|想吐|别叫|救护车)|{ZH_INGEST}.{{0,8}}{ZH_DRUG}.{{0,3}}(全部|都|一整)|别叫救护车", "crisis", "attempt_now", True, False),
    # -- plan: time + ending, means + time + use
    ("zh.plan.time_end", f"{ZH_TIME}.{{0,10}}{ZH_ENDING}|{ZH_ENDING}.{{0,4}}(就在|定在|选在|就是){ZH_TIME}", "crisis", "plan_time", True, True),
    ("zh.plan.means_time", f"{ZH_MEANS}.{{0,40}}{ZH_TIME}.{{0,8}}(用|吃|吞|喝|点|挂|动手|试)|{ZH_TIME}.{{0,8}}(就)?(用|吃|吞|喝)(它|掉|光|完|下去)", "crisis", "plan_time", True, True),
    ("en.plan.time_end", rf"\b{EN_TIME}\b.{{0,30}}\b{EN_ENDING}\b|\b{EN_ENDING}\b.{{0,20}}\b{EN_TIME}\b", "crisis", "plan_time", True, True),
    ("en.plan.means_time", rf"\b{EN_MEANS}\b.{{0,60}}\b{EN_TIME}\b.{{0,20}}\b(use|take|swallow|do it)\b|\b{EN_TIME}\b.{{0,20}}\b(i'll|i will|going to) (use|take|swallow) (it|them|all)\b", "crisis", "plan_time", True, True),
    # -- farewell with finality
    ("zh.farewell", "(再见|永别)了?.{0,4}(大家|所有人|世界|各位|妈妈|爸爸|朋友们|这个世界)|这是我?最后(一条|一次)(消息|留言|说话|跟你)|下辈子(再见|见|再做)|"
     "(把|将).{0,8}(猫|狗|宠物|东西|遗物|存款|积蓄|游戏账号|衣服|书|电脑).{0,6}(送给|留给|交给|托付|都给|分给)|(替我|帮我)(照顾|养)(好)?(我的)?(猫|狗|爸妈|家人|妈妈|弟弟|妹妹)|"
     "以后(就)?不用(再)?(担心|管|操心)我了|(密码|银行卡).{0,8}(写在|留在|放在)|谢谢你们.{0,10}(这些年|一直以来|所有)|(对不起|原谅我).{0,10}(先走|离开|不能再陪)|"
     "(写|写好|写完|留)(了)?.{0,4}(遗书|遗言|告别信)|后事", "crisis", "farewell", True, True),
    ("en.farewell", r"\b(goodbye|bye) (everyone|all|world|forever|for good|for the last time)\b|\bthis is (my )?goodbye\b|\bmy (final|last) (message|goodbye|post|words)\b|"
     r"\byou won't (see|hear from) me again\b|\b(take care of|look after) my (cat|dog|pets?|kids|brother|sister|mom|family)\b|\b(giving|gave|give) away (my|all my|everything)\b|"
     r"\b(wrote|writing|written|left) (a|my) (note|letter|will|goodbye)\b|\bsuicide note\b|\bmy passwords? (are|is) (in|on|under)\b|\bdon't blame yourselves?\b|\bremember me\b|\bforgive me for (what|leaving)\b|"
     r"\bsorry for (everything|leaving)\b.{0,30}\b(goodbye|love you|last)\b|\bi('ve| have) (put|got) my affairs in order\b", "crisis", "farewell", True, True),
    # -- burden framed with not being here
    ("zh.burden", "(没有|没了|少了)我.{0,8}(会|就|都|反而)?(更好|更轻松|轻松|好过|解脱|省心|开心|过得好)|我(走|死|不在|消失)(了)?.{0,8}(大家|你们|他们|家人|爸妈|家里)?.{0,4}(会)?(更好|轻松|解脱|省心|少个负担|不用再)|"
     "(累赘|负担|拖油瓶|多余的人?).{0,12}(不该|不应该|不配)(活|存在|出生)|(累赘|负担|拖油瓶).{0,10}(消失|死|不在|走了|离开)|活着(就)?是(个|一个)?(负担|累赘)", "crisis", "burden", False, True),
    ("en.burden", r"\b(better off|easier|happier|free|fine|relieved) .{0,20}\b(without me|if i (was|were) (gone|dead|not here)|when i am gone|if i wasn't here|if i disappeared)\b|"
     r"\b(burden|dead weight)\b.{0,40}\b(gone|die|dead|not here|disappear|without me|not (be )?around|exist)\b|\beveryone would be (better|happier)\b|\bjust a burden to (everyone|them|my)\b", "crisis", "burden", False, True),
    # -- passive ideation
    ("zh.passive", "不想(再)?醒|希望.{0,4}(消失|不存在|死掉|出车祸|得绝症|被车撞|睡过去)|要是.{0,4}(死了|不存在|没出生)(就好|该多好)|没出生(就好|多好)|不想存在|永远(地)?消失|永远睡(下去|过去)|"
     "想(就这样)?(睡过去|消失掉?)(再也|永远|不醒)|活着(好|太|真)?(没意思|没意义|累)(.{0,6})(不如|还不如|想)|不如(死|走)(了|掉)|(被车撞|出意外)(死)?(也)?(挺好|就好|算了)|想一了百了|(想|要)(去)?(天堂|另一个世界)(找|陪)", "crisis", "ideation_passive", False, True),
    ("en.passive", r"\bwish i (was|were|had)n'?t (been )?(born|alive|here|exist\w*)\b|\bwish i (could )?(just )?(disappear|die|stop existing|sleep forever|not exist)\b|\bhope i (don't|never|do not) wake up\b|"
     r"\b(don't|do not) want to (wake up|exist|be alive|be here anymore|live anymore)\b|\bdisappear (forever|for good)\b|\bwouldn't mind (if )?(dying|a car|i died|not waking)\b|\bhope (a|the) (car|bus|truck|train) hits me\b|"
     r"\b(no point|no reason) (in )?(living|to live|being alive|going on)\b|\bi should (just )?(die|not exist|be dead)\b|\bwant(ed)? (it|everything|life) to (end|be over)\b|\bready to (go|die|leave this world)\b|\bnot want to be here anymore\b|\btired of (living|being alive|existing)\b", "crisis", "ideation_passive", False, True),
    ("en.passive.wish", r"\b(sleep forever|(never|not|didn't|don't) wake up( again)?|being dead|wouldn'?t mind dying|something (would )?kills? me|(car|bus|truck|train) would (just )?hit me|gone for good|plane (went|goes) down|cut again)\b", "crisis", "ideation_passive", True, True),
    ("zh.passive.wish", "(一觉|睡).{0,3}(就)?不醒|(明天|早上)?别(再)?醒|没出生(过)?|彻底消失|死了也(挺|蛮|很)?好|(得个?|得了)绝症就好|不想跑|(飞机|车).{0,6}(掉下来|撞).{0,8}我", "crisis", "ideation_passive", True, True),
    # -- direct ideation
    ("en.direct", r"\b(want|wanting|going|plan|planning|ready|decided|about|trying|tempted) to (die|end it|end my life|kill myself|take my (own )?life)\b|\bkill myself\b|\bsuicid(e|al)\b.{0,20}\b(again|tonight|now|thoughts|plan)\b|"
     r"\bend my (own )?life\b|\btake my (own )?life\b|\b(life|living) (isn't|is not|ain't) worth (it|living)\b|\bdone with (life|living|being alive)\b|\bcommit suicide\b|\bthinking (about|of) (ending|killing|suicide|dying)\b", "crisis", "ideation_direct", True, True),
    ("zh.direct", "(想|要|准备|打算|决定)(去)?(自杀|寻死|轻生|死|了断|结束自己|跳楼|跳河|跳江|上吊|割腕|烧炭|卧轨)|不想活|活不下去|活够了|(我|自己).{0,2}(该|应该|还是)(去)?死|死了(算了|就好|也好|拉倒)", "crisis", "ideation_direct", True, True),
    ("zh.method_ask", f"(多少|几)(片|颗|粒|盒|瓶).{{0,6}}({ZH_DRUG}|{ZH_POISON})?.{{0,6}}(会|能|才|可以)?(死|致死|没命|醒不过来)|(怎么|如何|哪种|什么)(死|自杀|方式|方法).{{0,8}}(不痛|不疼|最快|最轻松|无痛|没痛苦)|(烧炭|上吊|割腕|跳楼|跳河).{{0,6}}(要多久|多久|疼不疼|痛不痛|会不会死|几楼|多高)|几楼.{{0,4}}(跳|摔).{{0,4}}(死|没命)|(哪|哪座|哪个)(座)?(桥|楼).{{0,6}}(跳|最高)", "crisis", "method", False, False),
    ("en.method_ask", rf"\bhow (many|much) {EN_MEANS}\b.{{0,30}}\b(kill|die|fatal|lethal|to die|overdose|enough)\b|\b(lethal|fatal) dose\b|\bpainless(est)? way to (die|go|end)\b|\b(quickest|fastest|easiest|best) way to (die|end it|kill myself)\b|\bhow (high|tall|far)\b.{{0,30}}\b(jump|fall)\b.{{0,20}}\b(die|kill|survive|fatal)\b|\bwhich bridge\b|\bhow long does it take to (die|bleed out|suffocate)\b|\bhow to (hang|kill|unalive) (myself|yourself)\b", "crisis", "method", False, False),
    # -- self-harm episodes and urges with action
    ("zh.self_harm.act", "(又|忍不住|控制不住|刚|今天|昨晚|还是)(去)?(割|划|烫|掐|咬|抓|撞)(了|伤)?(自己|手|胳膊|大腿|手腕|手臂)|(手|胳膊|大腿|手腕|手臂)(上)?.{0,4}(划|割)(了|出)|(新的|好多|一道道)(伤口|伤痕|划痕)|刀片.{0,6}(划|割|藏)|用(烟头|打火机|开水).{0,4}烫|想(看到)?(流血|见血)", "crisis", "self_harm", True, True),
    ("en.self_harm.act", r"\b(cut|cutting|burned|burning|hit|hitting|scratch\w*|carv\w*|punch\w*) (myself|my (arms?|wrists?|thighs?|legs?|skin))\b|\b(relapsed|relapse) (on|into)? ?(self[- ]harm|cutting)\b|\burge to (cut|hurt myself|self[- ]harm)\b|\bfresh (cuts|scars|wounds)\b|\bwant to (see )?(bleed|blood)\b", "crisis", "self_harm", True, True),
    # -- harm to others with means or plan
    ("zh.harm_others.means", f"({ZH_OTHER_MEANS}|斧头|锤子|汽油|毒药|老鼠药).{{0,12}}(杀|砍|捅|弄死|报复|放火|烧死|毒死|泼)(了|死)?(他|她|他们|老板|全家|那个|同学|老师)|(杀|砍|捅|弄死|报复|毒死)(了)?(他|她|他们|老板|全家|那个人|同学|老师).{{0,12}}({ZH_ACQUIRE}|{ZH_TIME}|{ZH_OTHER_MEANS})|同归于尽|报复社会|(让|要)(他们|他|她)(都|全)?(去)?(死|陪葬|付出代价)", "crisis", "harm_to_others", False, False),
    ("en.harm_others.means", rf"\b(kill|shoot|stab|hurt|poison|murder)\b (him|her|them|my \w+|everyone|people|the \w+|all of them)\b.{{0,40}}\b({EN_MEANS}|tonight|tomorrow|bought|loaded|ready|plan|when)\b|\b(bought|loaded|have|got)\b (a|my|the|his|dad's) (gun|knife|rifle|shotgun)\b.{{0,40}}\b(him|her|them|kill|pay|school|work)\b|\bmake them (all )?pay\b|\bshoot up (the|my) (school|office|work)\b", "crisis", "harm_to_others", False, False),
    # -- a method word alone (often a euphemism or homophone rewritten above): when in doubt, crisis
    ("any.bare_method", r"^[\W_]*(我?(想|要)?(自杀|跳楼|割腕|烧炭|上吊|卧轨|kill myself|suicide))[\W_]*$", "crisis", "euphemism", True, False),
    # -- harm from others now
    ("zh.harm_from", "(他|她|他们|爸|妈|爸爸|妈妈|继父|老公|男朋友|有人).{0,6}(在|又|正在|一直)?(打|揍|踢|掐|锁|关|跟踪|威胁)(我|着我)|(被|让)(他|她|人|爸|妈)?(锁|关|绑|困)(在|起来)|不让我(出门|出去|走|离开)|(他|她|有人).{0,4}(在|就在|守在)(门外|门口|楼下|外面)|我(好|很)?(害怕|怕).{0,6}(他|她).{0,6}(回来|打|杀|找到)|(躲|藏)在(厕所|卫生间|衣柜|房间).{0,10}(他|她|不敢)|(他|她).{0,6}(拿着?|带着?)(刀|枪|棍)", "crisis", "harm_from_others", False, False),
    ("en.harm_from", r"\b(he|she|they|my (dad|mom|father|mother|stepdad|husband|boyfriend|partner|brother|ex))\b.{0,10}\b(is|are|keeps?|just)?\s?(hitting|beating|choking|hurting|hit|beat|choked|locked|following|threatening|threatened)\b.{0,6}\bme\b|\blocked me in\b|\bwon't let me (leave|out|go)\b|"
     r"\b(he|she|they)('s| is| are) (outside|at) (my|the) (door|house|window)\b|\b(he|she|they) (has|have|got) a (gun|knife)\b|\bhiding (in|from)\b.{0,20}\b(him|her|them|bathroom|closet)\b|\bscared (he|she|they)('ll| will)\b|\bbeing (abused|beaten|followed|stalked|hurt)\b", "crisis", "harm_from_others", False, False),
)  # fmt: skip
