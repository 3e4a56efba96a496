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
    "🪦": " 死 die ",
    "🧨": " 炸 bomb ",
    "🚆": " 火车 train ",
    "🚂": " 火车 train ",
}
_EMOJI_RE = re.compile("|".join(re.escape(k) for k in sorted(_EMOJI, key=len, reverse=True)))
# Homophones, pinyin, typos and internet euphemisms of the key words, rewritten to the plain word.
_SUBS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"紫砂|自鲨|自沙|子杀|紫杀|字杀|自刹|自殺|自s(?=[^a-z]|$)|zi ?sha|zi ?s(?=[^a-z]|$)", "自杀"),
        (r"想(si|sǐ|s4|s(?=[^a-z]|$)|4(?=[^0-9]|$)|鼠|屎|紫)", "想死"),
        (r"xiang ?si(?![a-z])|xs(?=了|$)", "想死"),
        (r"跳搂|跳娄|跳摟|跳lou|tiao ?lou", "跳楼"),
        (r"\bd[ .\-_*]i[ .\-_*]e\b", "die"),
        (r"(想|要|去)(zs|zisha|zi sha)\b", r"\1自杀"),
        (r"zi ?杀|自 ?sha\b|自 ?杀|z杀", "自杀"),
        (r"\bkil (myself|my self|me)\b", "kill myself"),
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
        (r"\btn\b|\btonite\b|\b2ni(gh)?te?\b", "tonight"),
        (r"\bwna\b|\bwnt to\b|\bwan(na)? to\b", "want to"),
        (r"\b(i|u) ?wan(t)? ?2\b", r"\1 want to"),
        (r"想(ss|sss|shi|死死)", "想死"),
        (r"\bdont\b", "don't"),
        (r"\bcant\b", "can't"),
        (r"\bwont\b", "won't"),
        (r"[’‘`]", "'"),
    )
)
_SPACED_LETTERS = re.compile(r"\b(?:[a-z][ .\-_*]){3,}[a-z]\b")
_CJK_PUNCT_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[\s.\-_*·•/|]+(?=[\u4e00-\u9fff])")
_CJK_RUN_GAP = re.compile(r"(?<=[\u4e00-\u9fff]{3})\s+(?=[\u4e00-\u9fff]{3})")
_REPEAT = re.compile(r"(.)\1{3,}")


# Leetspeak inside a word that also has letters ("d!e", "l1fe", "t0night", "su1cide"); pure numbers stay.
_LEET_WORD = re.compile(r"(?<![\w!@$])(?=[a-z0-9!@$]*[a-z])(?=[a-z0-9!@$]*[0-9!@$])[a-z0-9!@$]{2,}(?![\w@$])")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "!": "i", "@": "a", "$": "s"}
)
_KEEP_DIGITS = re.compile(
    r"^(\d+(am|pm|th|st|nd|rd|s|x|mg|ml|h|k|m|min|mins|yo|yrs?|f|d)|f\d{1,2}|\d[a-z]|mp3|mp4|4g|5g|3d|2d|b2b|h1n1|covid19|f1|a4)$"
)
_CJK_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])")


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    if _KEEP_DIGITS.match(word) or (word.endswith("!") and not re.search(r"[0-9@$]|!\w", word)):
        return word
    return word.translate(_LEET)


_SEG_WORDS = sorted(
    ("i", "want", "wanna", "to", "die", "kill", "myself", "end", "it", "my", "life", "suicide", "am", "going", "tonight",
     "all", "self", "harm", "cut", "me", "dead", "be", "gonna", "need", "just", "so", "please", "help"),
    key=len, reverse=True,
)  # fmt: skip


def _resegment(joined: str) -> str:
    """'iwanttodie' (from 'i w a n t t o d i e') back to words when it is made only of the gate's key words."""
    out: list[str] = []
    rest = joined
    while rest:
        word = next((w for w in _SEG_WORDS if rest.startswith(w)), None)
        if word is None:
            return joined
        out.append(word)
        rest = rest[len(word) :]
    return " ".join(out) if len(out) > 1 else joined


def _emoji_word(match: re.Match[str]) -> str:
    """An act emoji as words; next to Chinese only the Chinese word, so "割🔪手腕" reads as one phrase."""
    text, start, end = match.string, match.start(), match.end()
    near = text[max(0, start - 1) : start] + text[end : end + 1]
    words = _EMOJI[match.group(0)].split()
    if text[max(0, start - 1) : start] in ("割", "划", "吃", "吞", "喝", "用") and re.match(
        r"[\u4e00-\u9fff]", text[end : end + 1]
    ):
        return ""  # "割🔪手腕": the emoji repeats the verb's object
    if words and re.search(r"[\u4e00-\u9fff]", near):
        return words[0]
    return _EMOJI[match.group(0)]


def deep_normalise(text: str) -> str:
    """Applied after NFKC/lower-case/zero-width removal: script, emoji, spacing tricks and homophones."""
    text = text.translate(_TRAD)
    text = _EMOJI_RE.sub(_emoji_word, text)
    text = _CJK_RUN_GAP.sub("，", text)  # "我妈说别回来 我准备好了药": two long runs are two clauses
    text = _CJK_PUNCT_GAP.sub("", text)  # 想.死 / 自 杀 / 跳-楼
    text = _SPACED_LETTERS.sub(
        lambda m: _resegment(re.sub(r"[ .\-_*]", "", m.group(0))), text
    )  # s u i c i d e
    text = _REPEAT.sub(r"\1\1\1", text)
    text = _LEET_WORD.sub(_unleet, text)
    for pattern, repl in _SUBS:
        text = pattern.sub(repl, text)
    # "我想kill myself": a CJK character is a word character, so English \b rules need a space here
    return _CJK_LATIN.sub(" ", text)


# English key words inside a Chinese message, rewritten to Chinese so the Chinese rules read mixed messages.
_EN_TO_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bkill(ing)? myself\b|\bsuicide\b|\bsuicidal\b|\bunalive\b", "自杀"),
        (r"\bend (it|it all|everything|my life|this)\b", "结束这一切"),
        (r"\bi (really )?(want|wanna|need) to\b", "我想"),
        (r"\bi('m| am) going to\b|\bi will\b|\bi'll\b", "我要"),
        (r"\bi (plan|am planning|'m planning) to\b|\bplan to\b", "打算"),
        (r"\bi('m| am) (on|at|in|by)\b", "我在"),
        (r"\bright now\b|\bnow\b", "现在"),
        (r"\bdo it\b", "动手"),
        (r"\bdie\b|\bdead\b", "死"),
        (r"\bsleeping pills\b", "安眠药"),
        (r"\b(pills|meds|tablets|medication)\b", "药"),
        (r"\b(rope|noose)\b", "绳子"),
        (r"\b(blade|razor|knife)\b", "刀片"),
        (r"\bcharcoal\b", "炭"),
        (r"\bpesticide\b|\bpoison\b", "农药"),
        (r"\b(rooftop|roof)\b", "天台"),
        (r"\bbridge\b", "桥"),
        (r"\b(train station|platform)\b", "站台"),
        (r"\btonight\b", "今晚"),
        (r"\btomorrow\b", "明天"),
        (r"\bthis (friday|saturday|sunday|weekend)\b", "这周末"),
        (r"\bgoodbye letter\b|\bsuicide note\b|\bgoodbye note\b", "遗书"),
        (r"\b(goodbye|bye|farewell)\b", "再见"),
        (r"\blast (message|msg)\b", "最后一条消息"),
        (r"\bmy last day\b|\blast day\b", "最后一天"),
        (r"\bjust took\b|\btook\b|\bswallowed\b", "吃了"),
        (r"\bdrank\b", "喝了"),
        (r"\bbought\b", "买了"),
        (r"\bready\b", "准备好了"),
        (r"\bcut\b", "割"),
        (r"\bagain\b", "又"),
        (r"\bjump\b", "跳"),
        (r"\bforever\b", "永远"),
        (r"\bdisappear\b", "消失"),
        (r"\b(my )?(bf|boyfriend|husband)\b", "男朋友"),
        (r"\b(hits|hit|beats|beat) me\b", "打我"),
        (r"\blocked (the door|me in)\b", "把我锁在屋里"),
        (r"\bhappier\b|\bbetter off\b", "更好"),
        (r"\bi have\b|\bi've got\b", "我有"),
        (r"\bsorry\b", "对不起"),
    )
)
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_HAS_LATIN = re.compile(r"[a-z]{2,}")


def mixed_view(text: str) -> str | None:
    """For a normalised message mixing Chinese and English: the English key words in Chinese, else None."""
    if not (_HAS_CJK.search(text) and _HAS_LATIN.search(text)):
        return None
    out = text
    for pattern, repl in _EN_TO_ZH:
        out = pattern.sub(repl, out)
    out = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", out)
    return None if out == text else out


# --- concept lexicons -----------------------------------------------------------------------------------------
def _alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


ZH_DRUG = _alt(
    "安眠药", "药片", "药丸", "药", "褪黑素", "布洛芬", "扑热息痛", "对乙酰氨基酚", "阿普唑仑", "艾司唑仑",
    "氯硝西泮", "思诺思", "唑吡坦", "舍曲林", "百忧解", "降压药", "胰岛素", "止痛药", "感冒药", "抗抑郁药",
    "地西泮", "安定", "劳拉西泮", "氯硝", "佐匹克隆", "曲唑酮", "喹硫平", "奥氮平", "碳酸锂", "锂盐", "文拉法辛", "帕罗西汀",
    "氟西汀", "西酞普兰", "艾司西酞普兰", "度洛西汀", "米氮平", "丙戊酸", "拉莫三嗪", "吗啡", "芬太尼", "曲马多", "可待因",
    "降糖药", "地高辛", "华法林", "泰诺", "精神科的药", "处方药",
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
    "买(了|好|到|齐|的)", "攒(了|够|好|齐|下)", "存(了|够|好)", "囤(了|好|够)?", "准备(好)?了", "备好(了)?", "搞到(了)?",
    "弄到(了)?", "网上(买|订|下单)", "(拿|取)(到|出来)(了)?", "藏(了|好|在)", "绑好", "系好", "挂好", "磨好", "数好",
    "够了", "放在(枕头|床|抽屉|包)", "偷(了|到|出来|拿)", "已经(有|备|准备)", "就在(手边|身边|桌上|包里|抽屉)",
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
    "好多",
    "很多",
    "一堆",
    "一大把",
    "大量",
    "一大堆",
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
    "高架", "水库", "江堤", "栏杆外", "[一二三四五六七八九十几]{1,3}(楼|层)", "窗户外面?", "窗外",
)  # fmt: skip
ZH_EDGE = _alt(
    "跳", "往下(看|望)", "看下去", "下面", "边上", "边缘", "翻过", "翻出", "栏杆", "护栏", "一步", "脚下", "风很大",
    "好高", "很高", "站着", "坐着", "等车来", "火车", "列车", "水很(深|急|冷)", "风(好|很|太|特别)大", "好冷", "没人",
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
    r"my last (day|night)|the last (day|night)|go through with it|finally do it|check out (for good|permanently|of life)|it'?ll (all )?be over|"
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
    ("zh.attempt.ingest", f"{ZH_INGEST}.{{0,4}}{ZH_QTY}.{{0,4}}{ZH_MEANS}|{ZH_QTY}.{{0,3}}(片|颗|粒|瓶|盒)?.{{0,4}}{ZH_DRUG}.{{0,6}}{ZH_INGEST}|{ZH_INGEST}.{{0,3}}{ZH_POISON}|{ZH_POISON}.{{0,4}}{ZH_INGEST}|{ZH_DRUG}.{{0,4}}(全|都)(吃|吞|喝)", "crisis", "attempt_now", True, True),
    ("zh.attempt.now", "(刚(才|刚)?|已经|正在)(吃|吞|喝|割|划|跳|烧炭|上吊)|血.{0,4}(止不住|一直流|流了好多|流个不停)|(药|药片).{0,6}(吃|吞)完了|(割|划)(了|开)(手腕|动脉|血管)|头(好|很)?晕.{0,8}(药|吃了)|(炭|煤气).{0,6}(已经)?(点(着|上|了)|开(着|了))", "crisis", "attempt_now", True, True),
    ("en.attempt.ingest", rf"\b{EN_INGEST}\b.{{0,10}}\b{EN_QTY}\b.{{0,20}}\b{EN_MEANS}\b|\b{EN_INGEST} (some |the )?(bleach|poison|antifreeze|rat poison|pesticide)\b|\b(i|i've|i have|i just|just|i think i)( just)? (overdosed|od'?d)\b|\boverdos(ed|ing) on\b|\b(took|taken|taking|take) an overdose\b|\bod(ing)? on\b", "crisis", "attempt_now", True, True),
    ("en.attempt.now", r"\bjust (took|swallowed|cut|slit|jumped|overdosed)\b|\b(i am|i'm) bleeding\b|\bblood (won't|wont|doesn't) stop\b|\bcan't stop the bleeding\b|\bslit my wrists?\b|\bcut (too )?deep\b|\bnoose (is )?around my neck\b|\b(feel(ing)?|getting) (dizzy|sleepy|drowsy) from the pills\b|\bthe pills are (kicking in|working)\b", "crisis", "attempt_now", True, True),
    # -- at a place: place + edge / jump
    ("zh.place.edge", f"(站在|坐在|在|来到|到了|爬上|上了|走到|就在|现在在|人在).{{0,4}}{ZH_PLACE}.{{0,12}}{ZH_EDGE}|{ZH_PLACE}.{{0,6}}(上|边|外)?.{{0,8}}(跳下去|跳了|想跳|往下跳)", "crisis", "at_place", True, True),
    ("en.place.edge", rf"\b(i am|standing|sitting|here|at|on|by|near|made it to|went to|climbed)\b.{{0,12}}\b{EN_PLACE}\b.{{0,30}}\b{EN_EDGE}\b|\b(on|at) the {EN_PLACE} (right )?now\b", "crisis", "at_place", True, True),
    ("zh.place.now", f"(现在|已经|正)?(在|站在|坐在|爬到|爬上|到了)(老家的|学校的?)?.{{0,3}}({ZH_PLACE}|井边|塔吊|海边|湖边|楼顶|顶楼)(上面|上|边上|边)?(了|风|腿|往|走进|准备|下面|$|[ ,，。]|的边)|(腿|脚)(在|伸到?)(外面|栏杆外)|走进(湖|河|海|江)里|往(海|湖|河|江)里走", "crisis", "at_place", True, True),
    ("en.place.now", rf"\b(i am|i'm|sitting|standing|posting this) (on|at|in|from|by) (the |a |my )?(\w+ ){{0,3}}{EN_PLACE}\b(?! (party|bar|restaurant|cafe))|\b(climbed|legs are|sitting) over the (railing|edge|ledge|fence)\b|\bpockets (are )?full of (rocks|stones)\b|\b(in the woods|in the garage|in my car) with the (rope|gun|charcoal|hose)\b|\b\d+ floors up\b", "crisis", "at_place", True, True),
    ("en.attempt.took", rf"\btook (the|my|all|everything|all my|\d+( of)?( my)?)\b.{{0,25}}\b({EN_MEANS}|medicine cabinet|sertraline|prozac|lexapro|zoloft)\b.{{0,30}}\b(ago|with|already|just|now|vodka|alcohol|wine)\b|\bafter (taking )?the pills\b|\btook everything\b|\b(charcoal|coal) is lit\b", "crisis", "attempt_now", True, True),
    ("zh.attempt.took", f"({ZH_MEANS}).{{0,3}}(吃|吞|喝)下去了|(吃|吞|喝)下去了.{{0,8}}(晕|难受|想吐|别叫|救护车)|{ZH_INGEST}.{{0,8}}{ZH_DRUG}.{{0,3}}(全部|都|一整)|别叫救护车", "crisis", "attempt_now", True, True),
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
     "(累赘|负担|拖油瓶|多余的人?).{0,12}(不该|不应该|不配)(活|存在|出生)|(累赘|负担|拖油瓶).{0,10}(消失|死|不在|走了|离开)|活着(就)?是(个|一个)?(负担|累赘)", "crisis", "burden", False, False),
    ("en.burden", r"\b(better off|easier|happier|free|fine|relieved) .{0,20}\b(without me|if i (was|were) (gone|dead|not here)|when i am gone|if i wasn't here|if i disappeared)\b|"
     r"\b(burden|dead weight)\b.{0,40}\b(gone|die|dead|not here|disappear|without me|not (be )?around|exist)\b|\beveryone would be (better|happier)\b|\bjust a burden to (everyone|them|my)\b", "crisis", "burden", False, False),
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
    ("zh.direct", "要(去)?死(?!了|啦|的|人|掉了)|(想|要|准备|打算|决定)(去)?(自杀|寻死|轻生|了断|结束自己|跳楼|跳河|跳江|上吊|割腕|烧炭|卧轨)|(想|准备|打算|决定)(去)?死|不想活|活不下去|活够了|(我|自己).{0,2}(该|应该|还是)(去)?死|死了(算了|就好|也好|拉倒)", "crisis", "ideation_direct", True, True),
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


# --- composed concept families (second pass) -------------------------------------------------------------------
# Each family joins two or more concept classes; none of them is a single phrase.  The classes follow the
# taxonomy in docs/safety.md (C-SSRS: wish < ideation < method < intent < plan < preparation < attempt).
ZH_AGENT = _alt(
    "他", "她", "他们", "爸", "妈", "爸爸", "妈妈", "继父", "继母", "后爸", "后妈", "老公", "前夫", "丈夫", "男朋友", "男友",
    "前男友", "前任", "老婆", "同学", "同学们", "有人", "有个男的", "有个人", "那个人", "那个男的", "室友", "老板", "哥哥", "哥",
    "舅舅", "叔叔", "姐夫", "房东", "债主", "一群人", "几个人",
)  # fmt: skip
ZH_VICTIM_TARGET = _alt(
    "他",
    "她",
    "他们",
    "她们",
    "那个人",
    "那个",
    "前夫",
    "前妻",
    "前男友",
    "前女友",
    "老板",
    "主管",
    "同学",
    "老师",
    "全家",
    "一家",
    "所有人",
    "店",
    "家",
)
ZH_SERIOUS = _alt(
    "认真的", "我认真的", "不是开玩笑", "没开玩笑", "没在开玩笑", "说真的", "是真的", "真的", "现实的", "现实里", "彻底", "不下来",
    "不回来", "的那种", "准备好了", "想好了", "决定了", "这次是真的", "永远", "再也不",
)  # fmt: skip
ZH_EUPH = _alt(
    "原地去世", "原地消失", "升天", "归西", "嗝屁", "噶了", "挂了", "重开", "下线", "注销(账号|自己|我自己)?", "删号", "提前下班",
    "自挂东南枝", "(去)?见(太奶|太奶奶|太爷爷|太姥姥|祖宗|阎王|阎王爷|马克思|上帝|佛祖)", "(去|飞去)(天堂|另一个世界|那边)",
    "(结束|退出)(这个|这场)?副本", "(这辈子|人生|生活)(这个游戏)?.{0,8}不想玩了", "说拜拜", "吹吹风",
)  # fmt: skip
ZH_GONE = _alt(
    "不在了?", "走了", "早点走", "先走", "消失", "死了?", "离开(这个世界)?", "永远离开", "没了", "解脱", "自由了", "重新开始",
    "不会难过", "少吃点苦", "少受点罪", "就好了", "反而(能|会|更)", "就不用", "不用再", "轻松了", "省心",
)  # fmt: skip
ZH_BURDEN = _alt(
    "拖累", "负担", "包袱", "累赘", "多余", "添麻烦", "压垮", "医药费", "治病的钱", "花(了)?(那么多|很多|好多)?钱", "负能量", "连累",
    "拖油瓶", "拖后腿", "保险金", "保险(赔|理赔)", "害了", "毁了", "只会.{0,4}麻烦", "没用的人", "废物",
)  # fmt: skip
ZH_TIME2 = _alt(
    ZH_TIME[3:-1], "开学前", "开学那天", "周末", "家里没人的时候", "没人的时候", "等.{1,12}(之后|以后|那天|的时候|完|睡着)", "那天",
    "那一天", "过几天", "下个月", "元旦", "中秋", "清明", "圣诞", "纪念日", "忌日", "今年", "凌晨\\d", "半夜",
)  # fmt: skip
EN_SELF = r"\b(i|i'm|i am|i'll|i will|i've|i have|i'd|me|my|myself)\b"
EN_INTENT = r"(tried to|going to|want to|wanted to|ready to|about to|plan(ning)? to|decided to|need to|have to|will|'ll|thinking (of|about)|tempted to|trying to|would rather|'d rather|should just|might)"
EN_END = r"(overdose|commit suicide|suicide|die|end it|end (this|things|everything|it all|my life|myself)(?! (chapter|semester|year|job|relationship|project|call|meeting|conversation|game|season|week|streak))|kill myself|be gone|leave for good|leave this world|disappear( for good| forever)?|not be here|stop (living|existing|breathing)|take myself out|unalive|delete myself|become a ghost|sudoku myself|off myself|go to sleep forever|join (him|her|them) (in heaven|up there)?|be with (him|her|them) again)"
EN_FINAL = r"(for good|forever|for the last time|the forever one|irl|in real life|not a joke|no joke|for real|seriously|permanently|no coming back|never coming back|one way|tonight|tomorrow|this weekend|today)"
EN_TIME2 = (
    r"("
    + EN_TIME[1:-1]
    + r"|\d{1,2} ?(am|pm)|\d{1,2}:\d\d|tomorrow (morning|night|evening)|new years?|my birthday|this week|"
    r"the weekend|after (my|the) \w+( \w+)?|before anyone wakes up|when (no ?one|nobody)('s| is) (home|around|looking)|"
    r"once (they|everyone|my \w+)('re| are| is)? (asleep|gone|out)|the anniversary|at (dawn|night)|friday|saturday|sunday|monday)"
)
EN_PLACE2 = _alt(
    EN_PLACE[3:-1],
    "golden gate",
    "bridge",
    "roof of \\w+",
    "school roof",
    "parking (garage|structure)",
    "quarry",
    "dam",
    "subway",
    "station",
    "highway",
    "motorway",
    "freeway",
)

COMPOSED_RULES: tuple[tuple[str, str, str, str, bool, bool], ...] = (
    # -- ideation: a decision or wish to stop living; asking oneself how to die
    ("zh.c.decide", "(决定|想好|打算|准备|下定决心|已经决定)(了)?.{0,4}(不活|去死|死|离开这个世界|结束|了断|走了|走)(?!(路|吧去|去|回|出|开|进|掉作业|这|那|公司|学校|家|了?(作业|工作|项目|考试|会议|比赛|课|任务|活动|关系)))", "crisis", "ideation_direct", True, True),
    ("zh.c.how_die", "(想|查|搜|研究|琢磨|在想|一直想|知道)(一下)?.{0,4}(怎么|如何|怎样|用什么|哪种方式)(才能)?(去)?(死|自杀|结束(自己|生命)|了断|走得)(?!的)", "crisis", "method", False, True),
    ("zh.c.euph", f"{ZH_EUPH}.{{0,14}}{ZH_SERIOUS}|(想|要|准备|打算|决定|今晚|明天|我)(就)?.{{0,4}}{ZH_EUPH}(了|吧|算了|$|[ 。，,！!])|自挂东南枝|跟这个世界(说)?(拜拜|再见|告别|说再见)", "crisis", "euphemism", True, True),
    ("zh.c.place_stay", f"({ZH_PLACE}|吹吹风|吹风).{{0,12}}(不下来|不回来|不打算下来|不想下来|不想下去)", "crisis", "at_place", True, True),
    ("zh.c.jump_down", "(刚|刚才|刚刚|已经)(从)?.{0,8}(跳下(来|去)|跳了)|(跳|摔)下来.{0,6}(动不了|腿断|站不起来|好多血|流血)", "crisis", "attempt_now", True, True),
    # -- method questions: a way of dying asked about
    ("zh.c.method_q", "(从|在)?(\\d+|[一二三四五六七八九十几]+)(楼|层).{0,6}(跳|摔|掉)(下来|下去)?.{0,8}(会|能|就|直接)?.{0,4}(死|没命|没了|摔死)|(不吃不喝|不吃饭|饿|绝食|电击|溺水|淹|割颈动脉|颈动脉|动脉|煤气|一氧化碳|烧炭|上吊|割腕|跳河|卧轨|农药|百草枯|安眠药|药).{0,14}(多少|多久|几|会不会|能不能|是不是|怎么|哪|要|快|更快|最快|伏).{0,10}(死|没命|没了|断气|致死|快|窒息|有效|没有痛苦|不痛|醒不过来)", "crisis", "method", False, True),
    # -- plan: a time joined with ending, going, not being here; a death date
    ("zh.c.plan", f"{ZH_TIME2}(?:(?!作业|工作|考试|会议|项目|比赛|课|任务|活动|假期).){{0,14}}(我)?(就|会|要|打算|准备)?(要)?(结束|了断|不在了|动手|去死|做了断|走)(?!(路|去|回|出|进|开|啦|亲戚|一趟|了去|人了|掉作业|完|这个|那个|了?(作业|工作|项目|考试|会议|比赛|课|任务|活动|假期|关系|合作|营业)|.{{0,5}}(去|回|到|出差|旅|上班|上学|搬|飞|车|票)))|死期|(最后|生命的最后)一(周|天|晚|个月)|this is my last", "crisis", "plan_time", True, True),
    ("zh.c.plan_do", f"({ZH_TIME2}|家里没人|没人在家).{{0,10}}(就)?(做|动手|行动)(吧|了)?($|[ 。，,！!])", "crisis", "plan_time", True, True),
    # -- preparation: means collected, checked, placed; a place scouted
    ("zh.c.prep", f"{ZH_MEANS}.{{0,10}}(收集|凑齐|凑够|攒|囤|存|集中)|(收集|凑齐|攒|囤|集中)(到一起|起来|了)?.{{0,10}}{ZH_MEANS}|{ZH_MEANS}.{{0,6}}(有|攒了|存了)?(一共|总共|有|攒了|存了|收集了|凑了)(\\d{{2,}}|[二三四五六七八九]?十|几十|上百|一百|好几十)多?(片|颗|粒|瓶|盒)|(炭|炭盆|火盆|绳子|刀片|农药|安眠药|煤气罐).{{0,6}}(放在|放到|藏在|挂在|准备在)(卧室|房间|车里|床头|床下|衣柜|浴室|厕所|后备箱)|(煤气阀|煤气|燃气|阀门).{{0,8}}(看过|检查过|研究过|知道怎么)|(天台|楼顶|顶楼)的?门.{{0,6}}(没锁|开着|钥匙)|(踩好点|踩点|打听好)|(伏特加|白酒|酒).{{0,10}}(所有的?|全部的?|一整瓶)?(药|安眠药)", "crisis", "preparation", True, True),
    # -- burden: being a cost or weight joined with being gone
    ("zh.c.burden", f"{ZH_BURDEN}.{{0,24}}{ZH_GONE}|(我|要是我|如果我)(不在|走|死|消失|离开)(了)?.{{0,14}}(他们|她|他|家里|大家|项目|团队|爸妈|老公|孩子|儿女|男朋友|女朋友)?.{{0,6}}(就|能|会|也不会|反而)?.{{0,4}}(自由|重新开始|少吃点苦|不会难过|能成|好了|轻松|解脱|不用|省|还债|更好)|没有我(这个)?.{{0,8}}(可以|就能|会更|就会)", "crisis", "burden", False, False),
    # -- farewell: letters, goodbyes, belongings, finality
    ("zh.c.farewell", "(写|留|录)(了|好)?.{0,6}(封信|字条|纸条|视频|信|遗言)(.{0,10})(每个人|给(我)?(儿子|女儿|妈|爸|妹|弟|哥|姐|老公|老婆|孩子|家人)|告诉|不是.{0,3}错|以后)|(跟|和|对)(所有人|大家|每个人|家人|朋友).{0,4}(都)?(说|道)(了)?(再见|拜拜|永别|告别)|永别|(以后|再也)不会再?(来)?(烦|打扰|麻烦)(你|你们|大家)|(这是|是)?最后一次.{0,8}(陪|聊|谢谢|说话|找你)|(谢谢|感谢).{0,12}最后一次|(密码|存款|银行卡|卡号).{0,12}(写给|告诉|留给|交给|发给)|(送人|送给别人|送掉|分给别人)(了)?.{0,12}(用不上|不需要|以后)|(以后|反正)(也)?用不上(了)?|(猫|狗|狗狗|猫咪|宠物|鱼)的?.{0,10}(照顾方法|写在|贴在|交代|托付|留给|拜托)|(收拾|整理|安排)(得|好)?.{0,8}(不想|不要|不给)(给)?(别人|任何人|家里|你们)?添麻烦|(删|注销)(了|掉)?.{0,4}(所有|全部)?的?.{0,4}(账号|社交|微博|朋友圈).{0,10}(告别|再见|永别|世界|以后)", "crisis", "farewell", True, True),
    # -- harm from others: threats on life, locked in, pushed, beaten now
    ("zh.c.harm_from", f"{ZH_AGENT}.{{0,4}}(说|扬言|威胁|放话)(.{{0,12}})(杀了?|弄死|打死|砍死|要了?)(我|我的命|我全家|我家人|我爸妈|我孩子)|(杀了|弄死|打死)我(全家|家人|爸妈|孩子)|{ZH_AGENT}.{{0,6}}(把我)?(反锁|锁)(在)?.{{0,6}}(家|屋|房间|里)|(把我|将我)(推下|推倒|按在|掐住|勒住|关在|锁在)|(把我)?堵在.{{0,8}}(打|揍|踢)|(威胁|要挟).{{0,12}}(发出去|曝光|公开|杀|弄死|我)|(没|不)让我(出门|出去|走|报警|吃饭|睡觉)|(他|她)(拿|抢|收)(走)?了我的?(手机|钥匙|证件|护照)", "crisis", "harm_from_others", False, False),
    # -- harm to others: intent with means, time, plan, or fear of acting
    ("zh.c.harm_to2", "我(就)?(要|会|准备|打算|想|非要)?(把|拿|用|带着?).{0,10}(杀了|砍了|劈|捅|烧了|弄死|毒死|炸了|杀光)", "crisis", "harm_to_others", False, False),
    ("zh.c.self_harm2", "(割|划|烫|扎)(了|伤了|破了)(几|好几|一)?(下|刀|道)?(我的?)?(手|手腕|手臂|胳膊|大腿|腿|肚子|自己)", "crisis", "self_harm", True, True),
    ("en.c.plan2", r"\b(tomorrow|tonight|today)\b.{0,20}\b(before (anyone|everyone|they|my \w+) (wakes?|gets?) up|when (everyone|they|my \w+)('s| is| are)? (asleep|gone|out))\b", "crisis", "plan_time", True, True),
    ("zh.c.method_q2", f"(自杀|上吊|割腕|烧炭|跳楼|跳河|跳江|卧轨|服毒|开煤气|吞药|吃药).{{0,12}}(多久|多少|几(楼|层|片|颗|分钟|天)|怎么(弄|做|才)|哪(种|个|里)|会不会|能不能|是不是|疼不疼|痛不痛)|(吃|吞|服)多少(片|颗|粒|瓶|盒)?.{{0,10}}(睡过去|不醒|不会(再)?醒|醒不来|醒不过来|死|没命|致死)|{ZH_DRUG}.{{0,6}}(吃|吞)多少.{{0,10}}(睡过去|不醒|醒不过来|死|没命)", "crisis", "method", False, True),
    ("en.c.method_q2", r"\b(can you|could you|can i|is it possible to|how (easy|hard) is it to|would it be possible to) (overdose|od|die|bleed out|suffocate)\b.{0,50}\bi (have|got|keep|bought)\b|\b(have|got) (some|enough|a bottle|a box|\d+)\b.{0,40}\b(can you|could you|would it|is it enough to) (overdose|od|die|kill)\b", "crisis", "method", False, True),
    ("zh.c.plan_act", f"(打算|准备|决定|计划)(在)?.{{0,6}}(动手|了断|去死|结束自己|结束这一切|结束生命)|(动手|了断|去死|结束自己|结束这一切|结束生命).{{0,8}}{ZH_TIME2}", "crisis", "plan_time", True, True),
    ("zh.c.have_means", "我(已经)?(有|弄到|搞到|找到|买到)(了)?(一|一根|一条|一瓶|一包|一把|几)?.{0,2}(绳子|刀片|农药|百草枯|炭|木炭|安眠药|氰化物|老鼠药|枪)(了|在)", "crisis", "preparation", True, True),
    ("zh.c.passive2", "(一直|永远|就这样)睡(下去|过去)|一觉睡过去|(别|不要|不用)(再)?叫醒我|(想|希望|只想|好想)(就这样|能|可以)?(彻底|永远)?消失(?!几天|一会|一下|一段|在人群|在.{0,4}(里|中))|唯一的(出路|解脱|办法)(就是|是)?.{0,4}(死|离开|结束|消失)|满脑子(都是)?(死|自杀|想死|怎么死)|(死|自杀|结束自己)(是|就是)?(唯一的|最好的)(出路|解脱|办法)", "crisis", "ideation_passive", True, True),
    ("en.c.passive2", r"\b(won't|wouldn't|will not) wake up\b|\bif i (just )?(wasn't|weren't|was not|were not|was no longer) (alive|around|here|born|in the picture)\b|\bif i (just )?(died|disappeared|was gone|were gone|was dead|were dead|didn't exist|stopped existing)\b|\b(don't|do not|wouldn't|won't) (have|need) to be (here|alive|around)( anymore)?\b|\b(no|don't see the|what's the|lost the|see no) point (in|of) (being alive|living|life|going on|existing|staying alive)\b|\b(only|best|last) (way out|option|answer|solution|escape)\b.{0,30}\b(suicide|dying|death|die|end it|kill)|\b(suicide|dying|death|killing myself|ending it|kill myself)\b.{0,30}\b((the )?(only|best|last) (way out|option|answer|solution|escape)|all i (can )?think about|on my mind)\b|\b(can't stop|keep) thinking about (suicide|dying|killing myself|ending it|death|ending my life)\b", "crisis", "ideation_passive", True, True),
    ("en.c.method_q3", r"\b(high|tall|far|deep|strong|much|many|long)\b.{0,12}\benough\b.{0,25}\b(to )?(not survive|die|kill (me|you|myself)|be fatal|end it|not wake up|to be sure)\b|\bhow (many|much) .{0,25}\b(to not wake up|never wake up|not wake up)\b", "crisis", "method", False, True),
    ("en.c.prep2", r"\b(looked up|checked|researched|found out|googled)\b.{0,25}\b(train (schedule|times)|how (high|tall|deep)|the tide|which bridge|lethal|fatal)\b|\bpicked (a|the) (spot|place|bridge|building|tree|cliff)\b", "crisis", "preparation", True, True),
    ("zh.c.farewell2", "(再见|永别|拜拜)了?.{0,12}(谢谢|感谢|对不起|照顾好|保重)|(谢谢|感谢).{0,8}(这些年|一直以来|这辈子).{0,12}(对我的好|照顾|陪伴|陪我)|(看到|读到|发现)(这|这些|它|的时候|时).{0,10}我(应该)?(已经)?(走了|不在了|死了|离开了)|(信|遗书|字条|纸条).{0,6}(放在|留在|压在).{0,10}(你们|看到|的时候)", "crisis", "farewell", True, True),
    ("en.c.farewell2", r"\b(the )?last time you('ll| will) (ever )?(hear from|see|talk to) me\b|\bby the time you (read|see|find) this\b|\bwrote (everyone|each of them|all of them|each of you) (a )?(letters?|notes?)\b|\btell (my \w+|them|everyone|her|him) (i'm sorry|i am sorry|i love|that i love|goodbye)\b", "crisis", "farewell", True, True),
    ("en.c.abuse", r"\b(touches|touched|touching|molest\w*|groped|gropes|fondles?) me\b|\b(he'll|she'll|they'll|he will|she will|they will) (hurt|kill|beat) (me|us|my \w+) if i (tell|leave|call|say|talk)\b|\b(tonight|now|right now)('s| is)? the night\b.{0,40}\b(made up my mind|decided|ready|goodbye|no going back)\b", "crisis", "harm_from_others", False, False),
    ("zh.c.abuse", "(他|她|叔叔|舅舅|继父|后爸|老师|哥哥|姐夫|爷爷|姥爷|外公|教练).{0,8}(摸我|碰我|亲我|脱我|强迫我)|不(许|让)我告诉(别人|妈妈|爸爸|任何人|老师)", "crisis", "harm_from_others", False, False),
    ("zh.c.passive3", "死(了)?(反而|才|就|也)?(是|算)(一种)?(解脱|解放|轻松)|希望.{0,4}(不要|别|不再|永远不)(再)?醒|(想|要|打算|准备)(就这样|把自己)?(饿|冻|淹|摔|撞|毒|烧|吊|勒)死(自己)?", "crisis", "ideation_passive", True, True),
    ("zh.c.method_q4", f"(哪种|什么|哪个|哪一种)({ZH_MEANS}|方法|方式|死法|楼|桥).{{0,6}}(最快|最有效|最不痛|不痛苦|最稳|最高|能死|会死|没痛苦)", "crisis", "method", False, True),
    ("zh.c.farewell3", "最后一次(上线|登录|发言|发消息|来这里|跟你们说话)|(大家|各位|你们)(都)?(要)?(好好)?保重", "crisis", "farewell", True, True),
    ("en.c.self_method", r"\b(hang|drown|shoot|stab|poison|gas|suffocate|starve|electrocute|strangle|throw|hurl|drive) myself\b|\b(jump|step|walk|throw myself|lie down) (in front of|under) (a|the) (train|bus|car|truck|subway|tube)\b|\bwalk into traffic\b|\b(planned|planning|figured out|worked out|decided) (how|when|where) (i'm|i am|i'll|i will|to) (going to )?(do it|die|end it|kill myself)\b|\b(lethal|fatal|deadly) (amount|dosage|quantity|number)\b|\b(thinking (about|of)|considering|tempted to|tempted by) jump(ing)?\b", "crisis", "method", True, True),
    ("zh.c.passive4", "(不该|不应该|不配)(出生|活着|存在|来到这个世界)|(得个?病|得了病|出个?意外|出车祸|被车撞).{0,6}(直接)?(走掉|死掉|没了|走了|死了)(就好|也好|算了|多好)|直接走掉|走掉就好|永远(地)?(睡着|睡下去|睡过去|不醒)|一直睡着(不醒)?|(自杀|轻生|想死|寻死|死)的?(这个)?(念头|想法)(.{0,4})(每天|一直|越来越|又|还在|好强|很强|挥之不去|冒出来)|(另一个世界|天堂|那边|地下)(去)?(找|见|陪)|(去)?(见|找|陪)(我的?)?(爷爷|奶奶|外婆|外公|妈妈|爸爸|姥姥|姥爷|他|她)(了)?.{0,8}(另一个世界|天堂|那边|地下)", "crisis", "ideation_passive", True, True),
    ("zh.c.prep2", "(查好|看好|选好|找好|踩好|看准)(了)?.{0,8}(桥|楼|天台|地方|位置|楼顶|河|江|铁轨|湖|悬崖)|(选好|定好|挑好|想好)(了)?(日子|时间|那天|地方|方式|死法)|(遗书|遗言|告别信)(?!.{0,3}(是|这个词|的意思))|(在|到)(了)?" + ZH_PLACE + ".{0,4}(站|坐|待|蹲|徘徊)(了|着)", "crisis", "preparation", True, True),
    ("zh.c.attempt2", "(试|尝试)(了|过)(一下|一次)?.{0,6}(没成功|失败了|没死)|没(成功|死成)|(拿|用)(圆规|刀片|美工刀|剪刀|玻璃|烟头|针|小刀|刀|剃须刀|打火机).{0,6}(扎|划|割|烫|抓|刮|戳)", "crisis", "self_harm", True, True),
    ("zh.c.abuse2", "(继父|后爸|叔叔|舅舅|哥哥|爸爸|爸|姐夫|他).{0,6}(进我房间|爬上我的床|上我的床|摸我|脱我衣服)|(他|她|他们).{0,4}(要了?|要)我的命", "crisis", "harm_from_others", False, False),
    ("en.c.passive3", r"\b(don't|do not|dont) (think i |really |even )?(want|wanna) to (be here|be alive|live|exist|wake up)( anymore)?\b|\bif i (never|didn't|don't|did not) (woke|wake) up\b|\b(think(ing)? about|want|wish|dream(ing)? (of|about)|fantasi[sz](e|ing) about) (just )?(not existing|not being alive|being dead|dying|disappearing forever|ceasing to exist)\b|\b(have|got) (a|the) plan\b.{0,20}\b(means|pills|rope|gun|way|date)\b|\bplan and the means\b|\b(goodbye|suicide) (letters?|notes?|videos?)\b|\bgarage\b.{0,30}\b(engine|car) (is )?running\b|\b(engine|car) (is )?running\b.{0,30}\bgarage\b|\b(yeet|yeeting|launch|launching|throw|throwing|toss|tossing) myself (off|from|into|in front)\b|\b(log(ging)? ?(off|out)|sign(ing)? off|go(ing)? offline|sleep|rest)\b.{0,10}\b(permanently|for good|forever)\b", "crisis", "ideation_passive", False, True),
    ("en.c.burden2", r"\bdragging (them|everyone|you|my \w+) down\b.{0,30}\b(without me|if i|gone)\b|\b(better (life|lives)|easier (life|lives))\b.{0,30}\bwithout me\b|\bwithout me dragging\b", "crisis", "burden", False, False),
    ("zh.c.direct2", "(想|准备|打算|决定|要|只想|好想)(直接|早点|赶紧|干脆|就这样|快点|现在就|马上|立刻|偷偷|真的)(去)?(死|自杀|跳楼|跳河|上吊|割腕|烧炭|了断)|(让|叫|命令)我(去)?(死|自杀|跳下去|杀了自己)|(老伴|老婆|老公|妈妈|爸爸|妻子|丈夫|孩子).{0,3}(走了|去世了|不在了|没了).{0,20}(想|要)?(早点|也)?(去)?(找|陪)(他|她|她们|他们)|这辈子(对不起|就这样吧|就到这)|下辈子(再|还)|(别|不要|不用)(再)?(找我|等我)了?|(药|药片|安眠药).{0,8}(倒|拿|放|握)在(手心|手里|手上)|(窗户|窗|阳台|栏杆)外(面|边)?.{0,3}(坐|站)|(等.{1,12}睡(着)?)(了)?.{0,6}(就)?(吃药|吞药|动手|走|跳|割)|(绳子|绳).{0,4}(挂起来|吊起来|把自己挂)|把自己(挂|吊)(起来|上去)|(去)?当天使|变成(天使|星星)|(撑|活|熬)不(到|过)(过年|明天|下周|下个月|这个冬天|冬天|春天|生日|那一天|今晚)|差(一)?点(就)?(跳|割|吃|动手|下去)|这个世界(不需要|容不下|没有)我(的位置)?", "crisis", "ideation_direct", True, True),
    ("en.c.direct2", r"\b(right moment|right time|chance|courage|the nerve|guts) to (end it|do it|die|kill myself|go through with it)\b|\b(don't|do not|dont) (want|wanna) to (keep living|go on living|continue living|carry on|keep going)\b|\b(imagining|imagine|thinking about|picturing|fantasi[sz]ing about|keep seeing myself) (driving|crashing|swerving|jumping|stepping|walking|falling) (my car |the car )?(off|into|in front|from)\b|\b(won't|don't think i'll|do not think i will|not going to) make it (through|to) (the night|tomorrow|the weekend|christmas|morning)\b|\bwindowsill\b|\bwindow ledge\b|\b\d+(st|nd|rd|th) floor\b.{0,20}\b(window|ledge|edge|balcony|roof|jump)\b|\b(how deep|where)\b.{0,30}\b(cut|slice|slit)\b.{0,20}\b(artery|vein|bleed|die)\b|\b(world|earth|life) has no (place|room) for me\b|\bno place for me in (this|the) world\b|\bnot (bother )?wak(e|ing) up\b|\b(become|becoming|turn into) (an angel|a star)\b|\bstar in the sky\b|\bjoin the angels\b|\blife\b.{0,30}\bready to be done\b|\bready to be done with (life|living|it all|everything)\b|\balmost (jumped|did it|went through with it|ended it)\b|\b(don't|do not) (look|come looking) for me\b|\b(don't|do not) try to (find|save|stop) me\b|\b(given|gave|giving) away (my|all my) (stuff|things|belongings|possessions)\b|\b(pills|meds|tablets)\b.{0,12}\bin my hand\b|\b(voice|voices)\b.{0,20}\b(tell|telling|told) me to (die|kill myself|end it|jump|end my life)\b", "crisis", "ideation_direct", True, True),
    ("zh.c.harm_to", f"(我|今晚|明天|明早)(就)?(要|会|准备|打算|想)?(去)?(放火|纵火|烧了|劈|砍|捅|杀了?|毒死|泼|撞死|炸)(了)?.{{0,8}}{ZH_VICTIM_TARGET}|(付出代价|血债血偿|会后悔|不会放过|好看|陪葬|偿命).{{0,20}}(刀|斧头|汽油|硫酸|工具|东西|准备|等他|等她|带了|名单|住哪|今晚|明天|停车场)|(刀|斧头|汽油|硫酸|工具|东西).{{0,12}}(准备|买好|带了|放门口).{{0,12}}(他|她|前夫|前男友|那个)|(水杯|饭|茶|水|杯子|饮料|汤)里.{{0,2}}(加|放|下)了?.{{0,2}}(东西|药|毒)|(带|拿|揣)(了|着)?(刀|斧头|汽油|东西|工具|枪).{{0,10}}(去|到|进)(学校|公司|他家|她家|单位)|(怕|担心)我(会|真的会)(动手|伤害|掐|打死|弄死|控制不住)|名单.{{0,4}}(写好|列好)|(报复|杀).{{0,6}}(所有|那些).{{0,10}}(人|同学)", "crisis", "harm_to_others", False, False),
    # -- self-harm: tools, verbs and marks on the body, again and on purpose
    ("zh.c.self_harm", "(又|忍不住|控制不住|今天|昨晚|刚才|停不下来|故意)(.{0,6})(割|划|扎|烫|抓|咬|掐|戳|刮|撞)(了|出|伤|破)|用(圆规|刀片|美工刀|剪刀|指甲|玻璃|烟头|针|小刀|刀|剃须刀|打火机|冰块).{0,8}(扎|划|割|烫|抓|刮|戳|压|冻)|(抓|划|割|扎|咬|掐)得?.{0,3}(全是血|出血|流血|见血|血肉模糊)|(冻|烫|掐|压)(到|得)(发紫|起泡|出血|淤青|破皮)|(戒|停)了.{0,6}(又|还是)(割|划|伤)", "crisis", "self_harm", True, True),
    # -- mixed: the Chinese view of a mixed message with a first-person intent
    # -- English
    ("en.c.intent_end", rf"(?:{EN_SELF}.{{0,12}}|^\s*){EN_INTENT}\s(just |finally |really |seriously )?{EN_END}\b", "crisis", "ideation_direct", True, True),
    ("en.c.done", r"\b(done|finished|through) (with )?(living|being alive|life|it all)\b|\b(done|through) with everything\b|\bdone living\b|\blast (day|night|week|month) (alive|on (this )?earth|of my life)\b|\bthis is (the|my) (end|last (day|night|week))\b|\b(won't|will not|not going to) be (here|around|alive) (much longer|tomorrow|next week|anymore|by)\b|\bi can'?t (go on|keep going|do this) anymore\b.{0,40}\b(end|die|gone|over)\b", "crisis", "ideation_direct", True, True),
    ("en.c.euph", r"\b(sudoku|delete|uninstall|erase|yeet|alt ?\+? ?f4|log ?out of|despawn|off|end)\b (myself|my ?self|my life|me irl)\b|\b(going to|want to|about to|gonna|will) rope\b|\brope (tonight|myself|today)\b|\bcheck(ing)? out (for good|permanently|of life|early)\b|\bbecome a ghost\b|\b(taking|take) the (exit|easy way out|long walk)\b|\bthe forever (one|sleep|nap)\b|\bkms\b|\bunalive\b|\b(die|disappear|end it|kill myself|go|leave)\b.{0,25}\b(not a joke|no joke|for real|i'm serious|i am serious|seriously)\b", "crisis", "euphemism", True, True),
    ("en.c.plan", rf"\b{EN_TIME2}\b.{{0,40}}\b(that's the plan|that's when|i'm done|i am done|ending it|end it|do it|doing it|be gone|be dead|the day|go through with it|i'll go|it ends|done living)\b|\b(ending it|end it|do it|doing it|go through with it|kill myself|done living|be gone)\b.{{0,30}}\b{EN_TIME2}\b|\b(picked|chose|chosen|set|decided on) (a|the) (date|day|time|night)\b(?!.{{0,20}}(wedding|party|trip|interview|meeting|dinner|exam|move|launch))|\bplanning it for\b|\bmy (last|final) (week|day|night) alive\b", "crisis", "plan_time", True, True),
    ("en.c.prep", rf"\b(collected|gathered|saved|stockpiled|hoarded|counted) (every|all( of)? the|all my|\d+)\b.{{0,15}}\b(pills?|tablets|meds)\b|\b(filled|refilled) (all )?my prescriptions\b|\b(full|big) (supply|stash)\b|\bstash of\b.{{0,15}}\b(is|big|enough)\b|\b(took|taken) the (blade|razor) (from|out of)\b|\bone way ticket\b|\bi know which (cliff|bridge|building|spot|train|tracks|tree|beam)\b|\bhose\b.{{0,20}}\b(car|exhaust|attach)\b|\b{EN_MEANS}\b.{{0,25}}\b(came today|arrived|delivered|hid|hidden|ready|in my car|in the car|in my bag|big enough)\b|\b(ordered|bought)\b.{{0,15}}\b(came|arrived) today\b.{{0,0}}|\b(there's|there is|i have|i've got) (like )?\d{{2,}}\b.{{0,10}}\b(pills|tablets)\b", "crisis", "preparation", True, True),
    ("en.c.burden", r"\b(burden|weight on|dead weight|holding \w+( \w+)? back|ruin(ed|ing)?|carry me|bills|insurance|costing|cost (them|my)|drain on|spend all their money|tired of me|sick of me|waste of (space|money|oxygen)|better off|easier|kinder|happier)\b.{0,60}\b(if i (was|were) (gone|dead|not here|not around)|if i (disappeared|died|wasn't here|weren't here)|not be here|take myself out|out of the picture|leaving for good|if i died|rather die|start over if|without me|i want to go|i should go|be gone|disappear|free of me|rid of me)\b|\b(life insurance|insurance money|insurance payout)\b.{0,30}\b(help|pay|them|kids|family|more than)\b", "crisis", "burden", False, False),
    ("en.c.farewell", r"\b(say|said|saying) (my )?goodbyes?\b.{0,40}\b(before i go|calm|everyone|last)\b|\bsaid my goodbyes\b|\bbefore i go\b|\b(wrote|recorded|made|left|written) (a |the )?(letters?|videos?|notes?|messages?)\b.{0,30}\b(for|to) (everyone|my \w+|whoever|after|each)\b|\bfor after\b|\bfor whoever finds\b|\b(changed|updated) (my )?(life insurance|beneficiary|will)\b|\b(deleted|deactivated) (all )?my accounts\b|\bif you (don't|do not|never) hear from me\b|\bthank you for everything\b.{0,40}\b(goodbye|bye|last|hear from me|again|forever)\b|\bpaid (off )?all my debts\b|\bleft (the|my) keys\b|\b(gave|giving) (my|all my) (cat|dog|stuff|things|clothes|plants|games|guitar)\b.{0,20}\b(away|to)\b|\bwon't need (it|them|these|this) (anymore|where i'm going)\b|\bwhere i'm going\b", "crisis", "farewell", True, True),
    ("en.c.harm_from", r"\b(he|she|they|my (dad|mom|father|mother|stepdad|stepmom|husband|wife|boyfriend|girlfriend|partner|brother|ex|uncle))\b.{0,45}\b(he'll|she'll|they'll|will|going to|gonna|would) kill (me|us|my (family|kids|mom|dad|baby|children))\b|\b(not|won't let me) (leaving|leave|get out) alive\b|\bpushed me (down|off|into|against)\b|\b(took|has|taken) my (phone|keys|car keys|passport)\b|\blocked (me )?in (my|the|a) (room|house|basement|bathroom|car)\b|\bscared to go home\b|\bthis time (he|she)('ll| will)\b|\b(he|she)('s| is)? (got|has|holding) a (knife|gun)\b.{0,30}\b(me|says|said|tonight)\b|\b(strangled|choked|punched|kicked) me\b|\bthreaten\w* to (post|share|leak|send) (my|me)\b|\bthreaten\w* to (kill|hurt) (me|us|my)\b|\bknows (where i live|my school|my address)\b", "crisis", "harm_from_others", False, False),
    ("en.c.harm_to", r"\b(i('m| am)? (going to|gonna|will|want to|about to)|i'll|tonight i|today i)\b.{0,10}\b(strangle|run (him|her|them) over|stab|shoot|poison|burn down|set fire to|beat|hurt|kill|murder|choke|smother)\b.{0,25}\b(him|her|them|my \w+|his|their|everyone|in (his|her) sleep|i think i will)\b|\b(can't stop|keep) thinking about (hurting|killing|harming|shaking|smothering|drowning) (my |the )?(baby|kid|child|son|daughter|wife|husband|him|her|them)\b|\brun (him|her|them) over\b|\b(tonight|today|tomorrow) (she|he|they) (pays|pay|will pay|will regret)\b|\b(will|going to|gonna) regret it\b|\b(gun|knife|rifle|pistol)('s| is)? in my (backpack|bag|car|lap|pocket|jacket)\b|\bknife in my lap\b|\bwaiting outside (his|her|their) (house|work|office|school|place)\b|\bfollowing (him|her|them) for (days|weeks)\b.{0,30}\b(do it|today|tonight)\b|\bwalking into the (office|school)\b.{0,15}\b(at|with)\b", "crisis", "harm_to_others", False, False),
    ("en.c.method_q", r"\b(how (long|many|much|fast|quickly)|what('s| is) the (fastest|quickest|easiest|best|least painful|surest)|does .{0,20}\bhurt|where do you|how do (people|you|i)|is it painful|would .{0,25}\bkill me|can .{0,20}\bkill (me|you)|what time do)\b.{0,40}\b(die|death|to death|kill (themselves|yourself|myself|me)|drown|starve|bleed out|hang|overdose|suffocate|fatal|lethal|until i die|freight trains?|for me)\b|\b(drown|drowning|starv\w+|bleed(ing)? out|hanging|gas|freight trains?)\b.{0,40}\b(hurt|how long|fastest|quickest|painless|for me|until i die)\b", "crisis", "method", False, True),
    ("en.c.self_harm", r"\b(been|keep|kept|started|start) (cutting|burning|hurting|scratching|hitting|carving)\b|\bused (a|my) (razor|blade|knife|lighter|compass|scissors)\b.{0,20}\b(on|to) my\b|\b(bit|bite|biting|scratched|punched|hit|cut|carved|burned|burnt)\b.{0,25}\b(until|till|til) (it|they|i) (bled|bleed|bruised|burned)\b|\bcarv(ed|ing) into my\b|\bpicking at (the|my) (wounds|scabs|cuts)\b|\bknuckles (are )?(split|bleeding|bloody)\b|\bcutting (every|each) (night|day)\b|\b(relapsed|clean for \w+ (days|weeks|months))\b.{0,30}\b(cut|cutting|blade|razor|hurt myself)\b", "crisis", "self_harm", True, True),
    ("en.c.place", rf"\b(on|at|by) (the )?{EN_PLACE2}\b.{{0,20}}\b(right now|now|tonight)\b|\b(want|going|planning|ready|about) to jump\b(?! (rope|on|in |into the pool|start|the queue|ship|ahead|at |up|around|for|out of bed|the gun))|\bjump off (the |a )?(school |hospital |office )?(roof|building|bridge|cliff|balcony|overpass|parking garage)\b", "crisis", "at_place", True, True),
    ("en.c.passive", r"\bwish i (wasn't|weren't|was not|were not) (here|alive|around|born)\b|\b(don't|do not) want to be (here|alive|around) anymore\b|\bcan'?t go on( like this| living)?\b(?! (without|with))|\bcan'?t live with (it|this) anymore\b|\bwant (to sleep|to go to sleep) and (never|not) wake up\b|\b(rather|prefer to) be dead\b|\bwant it (all )?to be over\b", "crisis", "ideation_passive", True, True),
    ("mixed.c.emoji", r"\b(pills|knife|rope|blade|gun)( pills| knife| rope)*\b.{0,20}\b(all of them|all|me|myself|and me)\b.{0,10}\b(tonight|today|now)\b|(药|刀|绳子).{0,6}(全部|都|一下|在手上).{0,10}(今晚|睡过去|想划|划)|(今晚|今天).{0,6}(吃|吞).{0,4}(药|安眠药).{0,6}(全部|所有|都)|(洗澡|晚上).{0,8}刀.{0,4}一下|(吃|吞)(很多|好多|一堆|一大把|很多很多)(的)?(安眠药|药)", "crisis", "obfuscated", True, True),
)  # fmt: skip

CONCEPT_RULES = CONCEPT_RULES + COMPOSED_RULES
