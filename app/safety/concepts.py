# ruff: noqa: E501
"""Concept layer of the crisis gate: normalisation plus rules over combinations of concepts.

A rule here is never a single phrase: it is a pattern built from concept lexicons (means, acts of acquiring or
taking, places and edges, time expressions, endings, farewell and burden frames) joined by short windows, so that
"我把攒的安眠药都拿出来了" and "I stockpiled my meds" are caught by the same rule as "攒了安眠药".  Negation,
person, media and past-tense scope are applied by the detector's loop (app/safety/detector.py).
"""

from __future__ import annotations

import re

import opencc

# --- normalisation --------------------------------------------------------------------------------------------
# Traditional -> simplified with OpenCC's t2s tables (phrase-aware, ~5 us a message), loaded once at import.
_T2S = opencc.OpenCC("t2s")
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
        (r"xiang ?(qu ?)?si(?![a-z])|xs(?=了|$)", "想死"),
        (r"\byao dou chi le\b|\byao (quan|dou) (chi|tun) (le|wan)\b", "药都吃了"),
        (r"\bzi ?can\b|(?<![a-z])zc(?=了|$|\s|[\u4e00-\u9fff])", "自残"),
        (r"\b(want to|wanna|going to|gonna|ready to|i) dei\b", r"\1 die"),
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
        (r"\bim\b(?! (?:a|an|the)\b)", "i am"),
        (r"\btn\b|\btonite\b|\b2ni(gh)?te?\b", "tonight"),
        (r"\bwna\b|\bwnt to\b|\bwan(na)? to\b", "want to"),
        (r"\b(i|u) ?wan(t)? ?2\b", r"\1 want to"),
        (r"想(ss|sss|shi|死死)", "想死"),
        # Cantonese written forms of the key words (死咗, 唔想活, 喺天台, 瞓咗, 食晒)
        (r"咗", "了"),
        (r"唔好", "别"),
        (r"(?<=[\u4e00-\u9fff])喇", "了"),
        (r"唔(?=想|要|会|使|好|再|想再)", "不"),
        (r"冇", "没"),
        (r"喺", "在"),
        (r"瞓", "睡"),
        (r"(?<=[药藥])食晒|食晒(?=[药藥])", "吃完"),
        (r"食(?=(晒|咗|了)?.{0,2}(药|藥))", "吃"),
        # pinyin initials and chat abbreviations of the key phrases
        (r"(?<![a-z])w?bxhl(?![a-z])", "我不想活了"),
        (r"(?<![a-z])zs(?=中|了|吧|$)", "自杀"),
        (
            r"(?<![a-z])sh'?(d|ing|ed)?(?![a-z'])(?= (again|tonight|today|last night|worst|bad|deep)|\s*(😞|😔|😢|😭)|\s*了)",
            "self-harm",
        ),
        (r"\bsi\b(?= (is|was|has been|getting|so|really) )", "suicidal thoughts"),
        (r"\bod'?d\b|\bod'?ed\b", "overdosed"),
        (r"\bw/o\b", "without"),
        (r"\bboutta\b|\babt to\b", "about to"),
        (r"\bfrfr\b|\bsrsly\b|\bsrs\b|\bdeadass\b", "seriously"),
        (r"\bkermit( sewerslide| suicide)?\b", "kill myself"),
        (r"\bsaid my byes\b", "said my goodbyes"),
        (r"\b2 stay\b", "to stay"),
        (r"\bw (life|living)\b", "with life"),
        (r"\basf\b", "as hell"),
        (r"\brn\b", "right now"),
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


# Key words with letters masked ("s*icide", "k**l", "su#cide"): a masked word is read as the key word whose other
# letters it shares, when exactly one key word of that length fits.
_MASK_KEYS = (
    "suicide",
    "suicidal",
    "kill",
    "killing",
    "myself",
    "die",
    "dead",
    "dying",
    "overdose",
    "cutting",
    "unalive",
)
_MASKED = re.compile(r"(?<![\w*#])(?=[a-z*#]*[*#])(?=[a-z*#]*[a-z])[a-z*#]{3,10}(?![\w*#])")


def _unmask(match: re.Match[str]) -> str:
    word = match.group(0)
    fits = [
        key
        for key in _MASK_KEYS
        if len(key) == len(word) and all(w in "*#" or w == k for w, k in zip(word, key, strict=True))
    ]
    return fits[0] if len(fits) == 1 else word


def deep_normalise(text: str) -> str:
    """Applied after NFKC/lower-case/zero-width removal: script, emoji, spacing tricks and homophones."""
    text = _MASKED.sub(_unmask, _T2S.convert(text))
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
        (r"\bcut\b|\bcutting\b", "割"),
        (r"\boverdose(d)?\b|\bod'?d\b", "吃了一整瓶药"),
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
     "(累赘|负担|拖油瓶|多余的人?).{0,12}(不该|不应该|不配)(活|存在|出生)|(累赘|负担|拖油瓶).{0,10}(消失|死|不在|走了|离开|我走)|我(死|走|不在)了.{0,4}(大家|你们|家里|他们)(就|都|会)(好|好了|轻松)|活着(就)?是(个|一个)?(负担|累赘)", "crisis", "burden", False, False),
    ("en.burden", r"\b(better off|easier|happier|free|fine|relieved) .{0,20}\b(without me|if i (was|were) (gone|dead|not here)|when i am gone|if i wasn't here|if i disappeared)\b|"
     r"\b(burden|dead weight)\b.{0,40}\b(gone|die|dead|not here|disappear|without me|not (be )?around|exist)\b|\beveryone would be (better|happier)\b|\bjust a burden to (everyone|them|my)\b", "crisis", "burden", False, False),
    # -- passive ideation
    ("zh.passive", "不想(再)?醒|希望.{0,4}(消失|不存在|死掉|出车祸|得绝症|被车撞|睡过去)|要是.{0,4}(死了|不存在|没出生)(就好|该多好)|没出生(就好|多好)|不想存在|永远(地)?消失|永远睡(下去|过去)|"
     "想(就这样)?(睡过去|消失掉?)(再也|永远|不醒)|活着(好|太|真)?(没意思|没意义|累)(.{0,6})(不如|还不如|想(?!过|到))|不如(死|走)(了|掉)|(被车撞|出意外)(死)?(也)?(挺好|就好|算了)|想一了百了|(想|要)(去)?(天堂|另一个世界)(找|陪)", "crisis", "ideation_passive", False, True),
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

# Situations: what is happening or has just happened, told without a death word.  Each joins two concepts
# (a means and a hand/now/place, a weapon and a door, a belonging and a hand-over, a height and a measure).
EN_DRUG_NAMES = _alt(
    "lithium", "sertraline", "zoloft", "prozac", "fluoxetine", "lexapro", "escitalopram", "citalopram", "seroquel",
    "quetiapine", "olanzapine", "amitriptyline", "trazodone", "benadryl", "diphenhydramine", "melatonin", "ambien",
    "zolpidem", "klonopin", "clonazepam", "valium", "diazepam", "ativan", "lorazepam", "percocet", "vicodin",
    "oxycodone", "hydrocodone", "morphine", "codeine", "tramadol", "aspirin", "nyquil", "venlafaxine", "effexor",
    "wellbutrin", "bupropion", "lamotrigine", "gabapentin", "propranolol", "insulin", "sleeping (pills|tablets)",
)  # fmt: skip
EN_ALL_MEANS = _alt(EN_MEANS, EN_DRUG_NAMES)
EN_WEAPON = r"(knife|knives|gun|pistol|rifle|shotgun|bat|baseball bat|hammer|axe|machete|crowbar|gasoline|petrol|lighter)"
EN_AGGRESSOR = r"(he|she|they|someone|somebody|a (man|guy|stranger)|my (ex|dad|father|stepdad|mom|mother|stepmom|husband|wife|boyfriend|girlfriend|partner|brother|uncle|mom's boyfriend)|his|her)"
ZH_WEAPON = "(刀|菜刀|水果刀|斧头|棍子|铁棍|棒球棍|枪|汽油|锤子|砖头|剪刀|皮带)"
ZH_AGGRESSOR = "(他|她|他们|那几个人|那个人|有人|爸爸|爸|妈妈|妈|继父|后爸|老公|前夫|男朋友|前男友|哥哥|叔叔)"

SITUATION_RULES: tuple[tuple[str, str, str, str, bool, bool], ...] = (
    # -- means in hand, now (self-harm or attempt under way)
    ("en.s.means_in_hand", r"\b(blade|razor|knife|rope|noose|pills|gun|pistol)s?\b('s| is| are)? (in my hand|in my hands|against my (skin|wrist|arm|neck|throat|head))\b|\b(holding|with) (the|a|my) (razor|blade|noose)\b.{0,30}\b(now|right now|bath|bathtub|tub|bathroom|water)\b|\b(bath|bathtub|tub)\b.{0,30}\b(razor|blade)\b", "crisis", "self_harm", True, True),
    ("zh.s.means_in_hand", "(刀片|剃须刀|美工刀|安眠药|绳子).{0,4}(就)?(在|握在|拿在|抵在|贴在)(我)?(手里|手上|手腕上|脖子上)|刀.{0,2}(抵在|贴在)(我的?)?(手腕|脖子)|(浴缸|浴室|厕所).{0,10}(刀片|剃须刀|美工刀)", "crisis", "self_harm", True, True),
    # -- ingestion said another way; an empty box; a failed attempt and another try
    ("en.s.ingest", rf"\b(took|taken|swallowed|downed|finished|ate|popped|chugged)\b.{{0,20}}\b(all|whole|entire|every|rest of)\b.{{0,20}}\b{EN_ALL_MEANS}\b|\b(took|swallowed|downed|popped) (all|every one of) (my|the|her|his)\b.{{0,12}}\b{EN_DRUG_NAMES}\b|\b(pill|med|medicine|prescription) (bottle|box|pack)('s| is)? (empty|empty now)\b", "crisis", "attempt_now", True, True),
    ("zh.s.ingest", "(药盒|药瓶|药板|整瓶药|一盒药).{0,4}(已经)?(空了|见底了|吃光了).{0,8}(躺|等|睡|晕|难受|想吐)|(刚刚|刚才|已经|我)\\s?overdose", "crisis", "attempt_now", True, True),
    ("en.s.failed", r"\b(rope|noose|belt|cord)\b.{0,12}\b(snapped|broke)\b|\b(didn't|did not) work\b.{0,30}\b(still here|still alive|try (again|something else)|next time)\b|\b(still alive|still here)\b.{0,20}\b(try (again|something else)|next time it)\b", "crisis", "attempt_now", True, True),
    ("zh.s.failed", "(绳子|绳|皮带).{0,3}断了|(还活着|没死成|没死).{0,12}(再试|再来一次|下次)", "crisis", "attempt_now", True, True),
    ("en.s.gas", r"\b(gas|stove|oven)\b.{0,20}\b(is on|turned on|left on|running|open)\b.{0,30}\b(haven't lit|not lit|didn't light|windows? (are |is )?(closed|shut)|sealed)\b", "crisis", "attempt_now", True, True),
    ("zh.s.gas", "(煤气|燃气|天然气).{0,6}(打开|开着|开了|拧开).{0,12}(没点|不点火|窗户(都)?关|门窗|一家人|一起走)", "crisis", "attempt_now", True, True),
    # -- danger at the door: an aggressor, a weapon, now
    ("en.s.threat_now", rf"\b{EN_AGGRESSOR}\b('s| is| are)?.{{0,40}}\bwith (a|an|his|her|the) {EN_WEAPON}\b|\b{EN_AGGRESSOR}\b.{{0,30}}\b(poured|holding|has|got) (a |the )?{EN_WEAPON}\b.{{0,40}}\b(me|door|room|house|around|living room|coming)\b|\b(trying to|going to) (get|break) (in|into)\b.{{0,30}}\b(bedroom|room|door|house|bathroom)\b|\b(door|lock)\b.{{0,10}}\b(splitting|breaking|giving way)\b|\b(following|followed) me for\b.{{0,30}}\b(still|scared|behind)\b|\bfinish me off\b", "crisis", "harm_from_others", False, False),
    ("zh.s.threat_now", f"{ZH_AGGRESSOR}.{{0,6}}(拿|拿着|拿著|提着|握着|举着|拿了|带着)(了)?.{{0,2}}{ZH_WEAPON}.{{0,12}}(站在|在|堵在|守在|冲|追|砸|对着|我好怕|害怕|躲|门口|门外|房门|楼下)|(在门外|在门口|在楼下).{{0,10}}(拿着|with).{{0,4}}{ZH_WEAPON}|(堵在|守在|等在)(我家)?(楼下|门口|门外|学校门口).{{0,12}}(砍|杀|打死|弄死|揍)我|(说要|扬言要?|要来)(砍|杀|弄死|捅)(死)?我|扬言要?打死我|(我)?(躲|藏)在(衣柜|柜子|厕所|床底下?|卫生间).{{0,10}}(刀|打我|别出声|不敢出)|(拿刀|拿了刀|拿着刀).{{0,12}}(我)?(躲|藏)", "crisis", "harm_from_others", False, False),
    # -- harm to others with means ready
    ("en.s.harm_to", rf"\b{EN_WEAPON}\b.{{0,60}}\b(are|is|will be)? ?(going to|will) (pay|regret|be sorry)\b|\b(going to|will) (pay|regret)\b.{{0,40}}\b(gun|pistol|rifle|shotgun)\b|\btak(e|ing) (my|the) (kids|children|baby|son|daughter|family) with me\b", "crisis", "harm_to_others", False, False),
    ("zh.s.harm_to", "带(着|上)?(孩子|儿子|女儿|全家|一家人|老婆|老公).{0,4}(一起)?(走|死|去死|离开这个世界)|一家人一起(走(了|吧)?$|去死|死)", "crisis", "harm_to_others", False, True),
    # -- method: heights, trains and doses measured for oneself
    ("en.s.method", r"\bhow (many|much) (mg|milligrams?|grams?|pills|tablets)\b.{0,50}\b(enough|lethal|fatal|to die|kill|weighs|weigh)\b|\bwhat floor\b.{0,40}\b(certain|sure|die|fatal|survive|enough)\b|\b(looked up|looking up|googled|researching|checked) how (tall|high|deep|far down)\b|\bhow (tall|high) (the|that|this) (bridge|building|cliff|tower|roof|overpass) is\b|\bhow (many|long|much)\b.{0,25}\b(pass out|lose consciousness|unconscious)\b|\bpainless (ways?|methods?|way out|way to go)\b|\b(train|express) (timetable|schedule)\b.{0,60}\b(doesn't stop|does not stop|won't stop|fast|express)\b|\b(express|freight train) that (doesn't|does not|won't) stop\b", "crisis", "method", False, False),
    ("zh.s.method", "(查了|搜了|量了|看了).{0,8}(桥|楼|天台|楼顶|悬崖|大桥).{0,10}(离水面|离地面|有多高|多少米|多高)|(桥|楼|天台|楼顶|悬崖).{0,6}(离水面|离地面).{0,8}(多少米|多高|够)|(铁轨|轨道|站台).{0,12}(去看过|看过了|踩过点|踩点|人最少)|(火车|列车).{0,6}(不停|几点经过)|(吃什么|哪种|什么)药.{0,12}(走|死|睡过去|离开).{0,6}不(会)?(太)?(痛苦|疼|痛)", "crisis", "method", False, False),
    # -- preparation: a poison checked, pills bought around the questions, the place chosen, affairs in order
    ("zh.s.prep", "(敌敌畏|百草枯|氰化物|毒药|老鼠药).{0,12}(去看过|看过了|藏(好|在)|拿(到|出来)|准备好)|(跑了|去了)(几|[二三四五六七八九两]|好几)家药店.{0,16}(安眠药|一盒|每家)|(不会被问|不被发现|不让人发现|没人会问).{0,10}(药|安眠药)|(药|安眠药).{0,20}(不会被问|不被发现)|(桥|楼顶|天台|悬崖|铁轨|那个?(悬崖|桥|楼)).{0,8}(已经)?(查好|看好|选好|踩好点|找好)了|(可以|能)(安心|放心|安安心心)(地)?(走|离开)了|东西(都|全)(处理|送人|送掉|分掉|清理)(掉|完|好)?了", "crisis", "preparation", True, True),
    ("en.s.prep", r"\bpharmac(y|ies|ist)\b.{0,40}\b(didn't|did not|doesn't|won't) ask\b|\b(didn't|did not) ask (any )?questions\b.{0,40}\b(boxes|bottles|packs|pills)\b|\bi (have|got|bought) (three|four|five|six|several|a few|\d+) (boxes|bottles|packs|packets)\b|\bexhaust\b.{0,60}\bhose\b|\bhose that fits\b|\beverything (is|'s) in order\b|\bpaid off (all )?my debts\b|\b(no one|nobody) (will|would|'ll) (miss|notice) me\b|\bthe plan is (ready|set|in place)\b|\b(rope|noose|gun|charcoal|hose|pills)\b.{0,30}\b(driving|heading|going) (out )?(to|into) (the )?(woods|forest|lake|river|bridge|cliff|mountains)\b", "crisis", "preparation", True, True),
    # -- at the place: over the railing, on the edge, not going back
    ("zh.s.place", f"(翻到|翻过|翻出|爬到|爬出|坐到)(了)?.{{0,6}}(栏杆|护栏|窗户|窗台|阳台)(的)?(外面|外边|外)|只要(一)?松手|一松手就|(水库|江边|河边|海边|湖边|江堤|桥).{{0,24}}(想下去|走下去|跳下去)|{ZH_PLACE}.{{0,24}}跳下去|把自己交给(水|大海|江水|河水|江|河|海)", "crisis", "at_place", True, True),
    ("en.s.place", r"\bon the (edge|ledge|railing) of (the|a|my) (\w+ ){0,2}(roof|building|bridge|garage|cliff|balcony|overpass|tower|dam)\b|\b(closer to|near|at) the edge\b.{0,20}\b(this time|tonight|now)\b|\b(i am )?not (going|coming) back (down|home|up)\b", "crisis", "at_place", True, True),
    # -- farewell: a hand-over of belongings or pets, a message scheduled, a sorry for after
    ("zh.s.farewell", "(钱|存款|积蓄|账号|支付宝|微信|猫|狗|游戏号).{0,20}(反正|以后)(我)?(也|都)?(用不上|用不着)了|以后(就)?(麻烦|拜托|靠)(你|她|他|你们).{0,4}(照顾|照看|养)|(如果|要是).{0,10}(没回|不回|联系不上|没消息).{0,8}(别等|不用等|别找|不用找)|(帮我|替我)(告诉|跟).{0,8}不是(她|他|你|你们|他们)的错|(舍不得|留恋).{0,12}(世界|人间|你们|大家).{0,10}(要走了|得走了|该走了)|定时(发送|发出).{0,12}凌晨|(存款|钱|积蓄).{0,6}(全|都)?转给.{0,20}(对不起|用不上|备注)|(照片|聊天记录|账号).{0,4}(都|全)删了.{0,12}(只留|最后)", "crisis", "farewell", True, True),
    ("en.s.farewell", r"\bschedul(ed|e|ing) (an? )?(email|message|text|post)s?\b.{0,40}\b(explain|everything|goodbye|sorry|after|tomorrow|morning)\b|\bit explains everything\b|\bthe last message i('m| am)? (sending|send|will send|write)\b|\b(fed|hugged|kissed|called|walked|pet|petted|visited) (my|the) \w+ one last time\b|\bwrote the note\b|\bleft (my |all my )?(passwords?|bank details|pin)\b|\bleft\b.{0,20}\b(a letter|a note|letters|notes) (for|to)\b|\btell (my \w+|them|her|him|everyone) (it|this) (wasn't|was not|isn't|is not) (her|his|their|your) fault\b|\byou were a good (duck|friend)\b", "crisis", "farewell", True, True),
    # -- ideation said as a date with the end, or as the only way out
    ("zh.s.end", "这是我(的)?最后一(个)?(周末|天|晚|夜|个月|个生日|个春节|个冬天)了|(明天|以后)的太阳.{0,6}(不看|看不到|见不到|不会再)|把自己(结束|了结|解决)(掉)?|(今晚|今天|明天).{0,4}(就)?去投胎|(想|要|准备|打算|好想)(去)?(找|见)太奶|(想|要|准备|打算)(把自己)?结束掉|(真的)?寄了.{0,10}(没有以后|别回我|再见)|(死|自杀|结束自己|结束生命).{0,8}(是)?(唯一的?)(出路|办法|解脱)", "crisis", "ideation_direct", True, True),
    ("en.s.end", r"\b(suicide|dying|death|ending it|killing myself|to die)\b.{0,30}\bonly (way out|option|solution|answer|choice)\b|\bonly way out\b|\b(don't|do not) deserve to (keep )?(breathing|live|be alive|exist)\b|\b(won't|will not|never) (have to|need to) (deal with|worry about|put up with|take care of|look after|see|hear from) me\b|\bsix feet under\b|\b(go|going to|want to|about to) (see|join|be with) (grandpa|grandma|my (late |dead )?\w+)\b.{0,40}\b(passed|died|heaven|soon)\b|\bd-?day\b.{0,25}\b(ready|prepared)\b", "crisis", "ideation_direct", True, True),
    # -- self-harm: where the blade went, relapse, nails and pins
    ("zh.s.self_harm", "(没地方|没有地方)(下刀|划|割)|(划|割)在(了)?(大腿|手臂|手腕|胳膊|腿|肚子)|(抠|抓|掐)(出|到|得)(血|流血)|(割|划|自残)(又|又一次)(开始|犯)了|(又|还是|忍不住|今天|昨晚|刚才|一直)(在)?自残|自残(了|完)", "crisis", "self_harm", True, True),
    ("en.s.self_harm", r"\bcarv(ed|ing)\b.{0,20}\binto my\b|\brelapsed\b.{0,50}\b(clean|arm|wrist|thigh|legs?|cuts?|scars?|blade|razor)\b|\bwith a (safety pin|pin|compass|paperclip|needle)\b.{0,15}\b(tonight|today|again|into|my (arm|leg|wrist|skin))\b", "crisis", "self_harm", True, True),
    # -- added after the 2026-12-04 blind batch (batch 4): the same concepts, other words
    ("zh.s.more", "自杀中|正在自杀|(一次性|一口气)(全|都)?(吞|吃|喝)(了|掉|下去)?.{0,6}(药|安眠药|农药)|(药|安眠药).{0,30}(一次性|一口气)(全|都)?(吞|吃|喝)|(打算|准备|要|想|就这样)把自己(活活)?(饿|冻|渴)死|(就|只)剩(下)?最后一件事|(试|用).{0,10}差(一)?点(就)?(成了|成功|断气|没气)|差(一)?点(就)?(断气|没气)|脖子上(还)?有(勒|印)|(药|安眠药|农药).{0,8}(吃|吞|喝)了(好多|很多|一堆|一整)(?!天|次|年|个月|遍|顿|碗)|(对不起|原谅我).{0,8}我(先)?走了.{0,8}(好好的|好好活|保重|照顾好|别难过)|(地铁|列车|火车|站台|进站|楼|边).{0,12}(往前|往下)(迈|跨)一步|(站在|在)黄线(外面|外)|(希望|盼着|祈祷).{0,6}(有辆车|车|卡车).{0,6}(撞(上来|死我|过来))|(刀|斧头|棍子|枪)(我)?(已经)?带(着|上|好)了?.{0,12}(跑不了|找他|找她|等他|等她|去找)|(下线|退网)了.{0,12}(不会再上|再也不上|账号送)|自杀(这)?两个字", "crisis", "ideation_direct", True, True),
    ("en.s.more", r"^\W*(just )?overdosed\W*$|\bno reason (to|2) (stay|keep going|be here|live|go on)\b|\b(tried|attempted) with (a|the|my) (belt|rope|cord|scarf|bag)\b|\balmost blacked out\b|\b(mark|marks|bruise|bruises) on my neck\b|\bone thing left\b|\bi just want to fade (out|away)\b|\b(haven't|have not) eaten in \w+ days\b.{0,30}\b(not going to|won't|don't plan to)\b|\bbringing (the|a|my) (bat|knife|gun|rifle)\b|\b(gave|giving) (away )?my accounts\b|\b(this|it) (isn't|is not|wasn't|was not) your fault\b.{0,25}\blove you\b|\b(heart|breathing) (just )?stops in my sleep\b|\bwithout a parachute\b|\blong walk off a short pier\b|\b(actually|honestly) i('m| am) not joking\b|\bdisappearing is the (obvious|only|best) (answer|option|choice)\b", "crisis", "ideation_direct", True, True),
    ("en.s.more_harm", r"\b(he|she|they)('ll| will) (shoot|stab|kill) me if i\b|\b(pointing|aiming|holding) (a|the|his|her) (knife|gun|rifle|pistol) at me\b", "crisis", "harm_from_others", False, False),
    ("zh.s.more_harm", "(抄起|拿起|举起)(了)?.{0,4}(酒瓶|刀|菜刀|椅子|棍子|凳子).{0,6}(要)?(打|砍|砸)我|我把自己锁在(厕所|卫生间|房间|屋里).{0,8}(他|她|怕|打|哭)", "crisis", "harm_from_others", False, False),
)  # fmt: skip

CONCEPT_RULES = CONCEPT_RULES + COMPOSED_RULES + SITUATION_RULES
