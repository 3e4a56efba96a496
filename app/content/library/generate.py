# ruff: noqa: E501  (SVG path data: long string literals are clearer unsplit)
"""Regenerate the starter library: SVG duck comic panels, animated SVG "videos" and index.yaml.

Everything here was drawn (as code) for this project.  Run: ``python -m app.content.library.generate``.
The "videos" are short looping animated SVGs (SMIL), not video files: ``format: image/svg+xml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent

# id, title, caption, tags, emotion scores, expression, prop, background
PANELS: list[dict[str, Any]] = [
    {
        "id": "panel_celebrate_01",
        "title": "鸭鸭撒花庆祝",
        "caption": "你做到啦！撒花～",
        "tags": ["庆祝", "成就", "开心"],
        "emotions": {"开心": 0.95, "自豪": 0.85, "兴奋": 0.8},
        "face": "joy",
        "prop": "confetti",
        "bg": "#FFF4D6",
    },
    {
        "id": "panel_sunny_01",
        "title": "晒太阳的鸭鸭",
        "caption": "今天的阳光刚刚好",
        "tags": ["阳光", "快乐", "轻松"],
        "emotions": {"开心": 0.85, "平静": 0.7, "感激": 0.5},
        "face": "smile",
        "prop": "sun",
        "bg": "#E8F6FF",
    },
    {
        "id": "panel_trophy_01",
        "title": "举起小奖杯",
        "caption": "给努力的你颁个奖",
        "tags": ["成就", "肯定", "自豪"],
        "emotions": {"自豪": 0.95, "开心": 0.75},
        "face": "joy",
        "prop": "trophy",
        "bg": "#FFF0E0",
    },
    {
        "id": "panel_excited_01",
        "title": "蹦蹦跳跳的鸭鸭",
        "caption": "好期待！心扑通扑通",
        "tags": ["兴奋", "期待"],
        "emotions": {"兴奋": 0.95, "期待": 0.8, "开心": 0.6},
        "face": "wow",
        "prop": "stars",
        "bg": "#F3E8FF",
    },
    {
        "id": "panel_thanks_01",
        "title": "送你一朵小花",
        "caption": "谢谢你，也谢谢自己",
        "tags": ["感恩", "温暖"],
        "emotions": {"感激": 0.95, "开心": 0.6, "平静": 0.5},
        "face": "smile",
        "prop": "flower",
        "bg": "#FFEFF3",
    },
    {
        "id": "panel_calm_01",
        "title": "湖面上的鸭鸭",
        "caption": "慢慢来，一切都来得及",
        "tags": ["平静", "放松", "湖"],
        "emotions": {"平静": 0.95, "焦虑": 0.5, "压力": 0.5},
        "face": "closed",
        "prop": "lake",
        "bg": "#E6F7F2",
    },
    {
        "id": "panel_hope_01",
        "title": "看星星的鸭鸭",
        "caption": "明天也值得期待",
        "tags": ["期待", "希望", "星星"],
        "emotions": {"期待": 0.9, "迷茫": 0.6, "失落": 0.5},
        "face": "smile",
        "prop": "moon",
        "bg": "#1F2A4D",
    },
    {
        "id": "panel_comfort_01",
        "title": "温暖的拥抱",
        "caption": "抱抱你，难过也没关系",
        "tags": ["安慰", "拥抱", "温暖"],
        "emotions": {"悲伤": 0.95, "失落": 0.8, "孤独": 0.7, "内疚": 0.5},
        "face": "soft",
        "prop": "heart",
        "bg": "#FFE9E3",
    },
    {
        "id": "panel_rain_01",
        "title": "一起撑伞",
        "caption": "雨会停的，我陪你等",
        "tags": ["陪伴", "雨天", "安慰"],
        "emotions": {"悲伤": 0.85, "孤独": 0.8, "失落": 0.7},
        "face": "soft",
        "prop": "umbrella",
        "bg": "#DDE7F0",
    },
    {
        "id": "panel_lonely_01",
        "title": "给你留了个位置",
        "caption": "你不是一个人",
        "tags": ["陪伴", "孤独", "朋友"],
        "emotions": {"孤独": 0.95, "悲伤": 0.6},
        "face": "smile",
        "prop": "bench",
        "bg": "#FDF3E1",
    },
    {
        "id": "panel_anxious_01",
        "title": "深呼吸的鸭鸭",
        "caption": "吸气…呼气…慢一点",
        "tags": ["呼吸", "放松", "焦虑"],
        "emotions": {"焦虑": 0.95, "害怕": 0.7, "压力": 0.7},
        "face": "closed",
        "prop": "breath",
        "bg": "#E9F5FF",
    },
    {
        "id": "panel_stress_01",
        "title": "放下重担",
        "caption": "先把担子放下歇一歇",
        "tags": ["减压", "休息", "压力"],
        "emotions": {"压力": 0.95, "疲惫": 0.75, "焦虑": 0.6},
        "face": "tired",
        "prop": "box",
        "bg": "#F2EEE6",
    },
    {
        "id": "panel_tired_01",
        "title": "盖好小被子",
        "caption": "累了就好好睡一觉",
        "tags": ["休息", "睡觉", "照顾自己"],
        "emotions": {"疲惫": 0.95, "压力": 0.6, "平静": 0.5},
        "face": "sleep",
        "prop": "blanket",
        "bg": "#E8E4F7",
    },
    {
        "id": "panel_tea_01",
        "title": "一杯热可可",
        "caption": "先喝口热的暖暖身子",
        "tags": ["休息", "温暖", "照顾自己"],
        "emotions": {"疲惫": 0.8, "悲伤": 0.6, "平静": 0.7, "孤独": 0.5},
        "face": "smile",
        "prop": "cup",
        "bg": "#FBEBDD",
    },
    {
        "id": "panel_angry_01",
        "title": "气鼓鼓的鸭鸭",
        "caption": "生气很正常，先让它出来透透气",
        "tags": ["愤怒", "接纳", "情绪"],
        "emotions": {"愤怒": 0.95, "压力": 0.5},
        "face": "angry",
        "prop": "steam",
        "bg": "#FFE4DC",
    },
    {
        "id": "panel_scared_01",
        "title": "小夜灯",
        "caption": "我帮你把灯留着",
        "tags": ["安全感", "害怕", "夜晚"],
        "emotions": {"害怕": 0.95, "焦虑": 0.7, "孤独": 0.5},
        "face": "worried",
        "prop": "lamp",
        "bg": "#27304F",
    },
    {
        "id": "panel_down_01",
        "title": "小云朵也会飘走",
        "caption": "失望的时候，允许自己低落一下",
        "tags": ["失落", "接纳", "鼓励"],
        "emotions": {"失落": 0.95, "悲伤": 0.7},
        "face": "worried",
        "prop": "cloud",
        "bg": "#E7EDF3",
    },
    {
        "id": "panel_lost_01",
        "title": "拿着地图的鸭鸭",
        "caption": "迷路的时候，先看看脚下这一步",
        "tags": ["迷茫", "方向", "探索"],
        "emotions": {"迷茫": 0.95, "焦虑": 0.5, "期待": 0.4},
        "face": "wow",
        "prop": "map",
        "bg": "#EEF5E6",
    },
    {
        "id": "panel_guilt_01",
        "title": "原谅自己",
        "caption": "犯错的你，也值得被温柔对待",
        "tags": ["自我关怀", "原谅", "内疚"],
        "emotions": {"内疚": 0.95, "失落": 0.6, "悲伤": 0.5},
        "face": "soft",
        "prop": "heart",
        "bg": "#FFF0F5",
    },
    {
        "id": "panel_hello_01",
        "title": "鸭鸭挥挥手",
        "caption": "你好呀，今天过得怎么样？",
        "tags": ["问候", "陪伴"],
        "emotions": {"平静": 0.6, "开心": 0.6, "孤独": 0.4},
        "face": "smile",
        "prop": "wave",
        "bg": "#FFF8E1",
    },
]

VIDEOS: list[dict[str, Any]] = [
    {
        "id": "video_breathing_01",
        "title": "跟着鸭鸭呼吸（4-7-8）",
        "duration": 19,
        "tags": ["呼吸", "放松", "焦虑"],
        "emotions": {"焦虑": 0.95, "压力": 0.85, "害怕": 0.7, "愤怒": 0.6},
        "anim": "breath",
        "bg": "#E9F5FF",
    },
    {
        "id": "video_dance_01",
        "title": "鸭鸭开心小舞蹈",
        "duration": 4,
        "tags": ["庆祝", "开心", "舞蹈"],
        "emotions": {"开心": 0.95, "兴奋": 0.9, "自豪": 0.7},
        "anim": "dance",
        "bg": "#FFF4D6",
    },
    {
        "id": "video_rain_01",
        "title": "雨过天晴",
        "duration": 12,
        "tags": ["希望", "安慰", "雨天"],
        "emotions": {"悲伤": 0.85, "失落": 0.85, "迷茫": 0.6, "期待": 0.6},
        "anim": "rain",
        "bg": "#DDE7F0",
    },
    {
        "id": "video_hearts_01",
        "title": "飘来的小爱心",
        "duration": 8,
        "tags": ["陪伴", "温暖", "爱"],
        "emotions": {"孤独": 0.9, "悲伤": 0.7, "内疚": 0.6, "感激": 0.6},
        "anim": "hearts",
        "bg": "#FFE9E3",
    },
    {
        "id": "video_night_01",
        "title": "晚安，小星星",
        "duration": 10,
        "tags": ["睡眠", "休息", "夜晚"],
        "emotions": {"疲惫": 0.9, "害怕": 0.6, "平静": 0.8, "焦虑": 0.5},
        "anim": "night",
        "bg": "#1F2A4D",
    },
]

FACES = {
    "joy": '<path d="M182 128 q8 -10 16 0" {s}/><path d="M222 128 q8 -10 16 0" {s}/>',
    "smile": '<circle cx="190" cy="128" r="6" fill="#3A2E2A"/><circle cx="230" cy="128" r="6" fill="#3A2E2A"/>',
    "closed": '<path d="M182 128 q8 6 16 0" {s}/><path d="M222 128 q8 6 16 0" {s}/>',
    "sleep": '<path d="M182 130 h16" {s}/><path d="M222 130 h16" {s}/>',
    "soft": '<path d="M182 126 q8 8 16 0" {s}/><path d="M222 126 q8 8 16 0" {s}/>',
    "tired": '<path d="M182 126 h16" {s}/><path d="M222 126 h16" {s}/><circle cx="190" cy="132" r="4" fill="#3A2E2A"/>'
    '<circle cx="230" cy="132" r="4" fill="#3A2E2A"/>',
    "wow": '<circle cx="190" cy="126" r="8" fill="#fff" stroke="#3A2E2A" stroke-width="3"/><circle cx="190" cy="127" '
    'r="4" fill="#3A2E2A"/><circle cx="230" cy="126" r="8" fill="#fff" stroke="#3A2E2A" stroke-width="3"/>'
    '<circle cx="230" cy="127" r="4" fill="#3A2E2A"/>',
    "angry": '<path d="M180 118 l18 8" {s}/><path d="M240 118 l-18 8" {s}/><circle cx="190" cy="131" r="5" '
    'fill="#3A2E2A"/><circle cx="230" cy="131" r="5" fill="#3A2E2A"/>',
    "worried": '<path d="M182 118 l14 -5" {s}/><path d="M238 118 l-14 -5" {s}/><circle cx="190" cy="130" r="5" '
    'fill="#3A2E2A"/><circle cx="230" cy="130" r="5" fill="#3A2E2A"/>',
}
STROKE = 'fill="none" stroke="#3A2E2A" stroke-width="4" stroke-linecap="round"'

PROPS = {
    "confetti": "".join(
        f'<rect x="{x}" y="{y}" width="10" height="6" fill="{c}" transform="rotate({r} {x} {y})"/>'
        for x, y, c, r in [
            (60, 40, "#FF8A80", 20),
            (120, 70, "#80D8FF", -30),
            (300, 50, "#B9F6CA", 45),
            (350, 90, "#FFD180", 10),
            (90, 110, "#EA80FC", 60),
            (330, 140, "#FF8A80", -20),
        ]
    ),
    "sun": '<circle cx="340" cy="60" r="30" fill="#FFD54F"/>'
    + "".join(
        f'<path d="M340 60 l{dx} {dy}" stroke="#FFD54F" stroke-width="4"/>'
        for dx, dy in [(0, -48), (0, 48), (-48, 0), (48, 0), (34, 34), (-34, -34), (34, -34), (-34, 34)]
    ),
    "trophy": '<path d="M300 120 h50 v20 q0 30 -25 34 q-25 -4 -25 -34 z" fill="#FFC107"/><rect x="318" y="172" '
    'width="14" height="18" fill="#FFA000"/><rect x="305" y="190" width="40" height="10" rx="3" fill="#8D6E63"/>',
    "stars": "".join(
        f'<path d="M{x} {y} l6 14 l15 1 l-12 9 l4 15 l-13 -8 l-13 8 l4 -15 l-12 -9 l15 -1 z" fill="#FFD54F"/>'
        for x, y in [(70, 50), (330, 40), (350, 130)]
    ),
    "flower": '<circle cx="330" cy="150" r="10" fill="#FFEB3B"/>'
    + "".join(
        f'<circle cx="{330 + dx}" cy="{150 + dy}" r="10" fill="#F48FB1"/>'
        for dx, dy in [(0, -16), (0, 16), (-16, 0), (16, 0)]
    )
    + '<path d="M330 166 v50" stroke="#66BB6A" stroke-width="4"/>',
    "lake": '<ellipse cx="210" cy="250" rx="190" ry="22" fill="#81D4FA" opacity="0.7"/>',
    "moon": '<path d="M340 40 a30 30 0 1 0 20 50 a24 24 0 1 1 -20 -50 z" fill="#FFF59D"/>'
    + "".join(
        f'<circle cx="{x}" cy="{y}" r="2.5" fill="#FFF"/>'
        for x, y in [(60, 40), (110, 80), (280, 30), (380, 120), (40, 150), (300, 100)]
    ),
    "heart": '<path d="M330 110 c-20 -30 -60 -5 -30 25 l30 28 l30 -28 c30 -30 -10 -55 -30 -25 z" fill="#FF6F7D"/>',
    "umbrella": '<path d="M110 90 q100 -80 200 0 z" fill="#7E57C2"/><path d="M210 90 v60" stroke="#5E35B1" '
    'stroke-width="5"/>'
    + "".join(
        f'<path d="M{x} {y} l-4 12" stroke="#64B5F6" stroke-width="3"/>'
        for x, y in [(50, 40), (80, 120), (350, 60), (370, 140), (40, 190), (380, 200)]
    ),
    "bench": '<rect x="40" y="205" width="340" height="12" rx="4" fill="#A1887F"/><rect x="60" y="217" width="10" '
    'height="40" fill="#8D6E63"/><rect x="350" y="217" width="10" height="40" fill="#8D6E63"/>'
    '<circle cx="330" cy="185" r="20" fill="none" stroke="#FFB74D" stroke-width="4" stroke-dasharray="6 6"/>',
    "breath": '<circle cx="210" cy="150" r="120" fill="none" stroke="#90CAF9" stroke-width="4" '
    'stroke-dasharray="10 10"/>',
    "box": '<rect x="300" y="190" width="70" height="50" rx="6" fill="#BCAAA4"/><path d="M300 205 h70" '
    'stroke="#8D6E63" stroke-width="3"/>',
    "blanket": '<path d="M80 190 q130 -40 260 0 v60 h-260 z" fill="#9FA8DA"/><text x="320" y="70" font-size="28" '
    'fill="#5C6BC0">z z</text>',
    "cup": '<rect x="305" y="160" width="50" height="55" rx="8" fill="#FFFFFF" stroke="#8D6E63" stroke-width="4"/>'
    '<path d="M355 175 q20 5 0 25" fill="none" stroke="#8D6E63" stroke-width="4"/><path d="M320 150 q5 -12 0 -24 '
    'M340 150 q5 -12 0 -24" fill="none" stroke="#BDBDBD" stroke-width="3"/>',
    "steam": '<path d="M150 60 q10 -20 0 -40 M210 55 q10 -20 0 -40 M270 60 q10 -20 0 -40" fill="none" '
    'stroke="#EF9A9A" stroke-width="5" stroke-linecap="round"/>',
    "lamp": '<circle cx="340" cy="120" r="26" fill="#FFE082" opacity="0.9"/><rect x="334" y="146" width="12" '
    'height="60" fill="#BCAAA4"/><circle cx="340" cy="120" r="50" fill="#FFE082" opacity="0.25"/>',
    "cloud": '<path d="M300 90 a20 20 0 0 1 38 -8 a16 16 0 0 1 28 14 a14 14 0 0 1 -6 26 h-58 a16 16 0 0 1 -2 -32 z" '
    'fill="#B0BEC5"/>',
    "map": '<path d="M290 150 l30 -10 l30 10 l30 -10 v60 l-30 10 l-30 -10 l-30 10 z" fill="#FFF3C4" '
    'stroke="#A1887F" stroke-width="3"/><path d="M305 175 q20 -20 40 0 t30 -5" fill="none" stroke="#E57373" '
    'stroke-width="3" stroke-dasharray="5 4"/>',
    "wave": '<path d="M300 130 q20 -30 10 -50" fill="none" stroke="#FFB300" stroke-width="10" '
    'stroke-linecap="round"/>',
}


def duck(face: str) -> str:
    eyes = FACES[face].replace("{s}", STROKE)
    return (
        '<ellipse cx="210" cy="205" rx="95" ry="60" fill="#FFD54F"/>'
        '<path d="M120 190 q-30 -10 -25 25 q20 5 35 -5 z" fill="#FFCA28"/>'
        '<circle cx="210" cy="130" r="55" fill="#FFE082"/>'
        f"{eyes}"
        '<path d="M196 146 q14 -8 28 0 q-14 14 -28 0 z" fill="#FF8F00"/>'
        '<circle cx="172" cy="148" r="8" fill="#FFAB91" opacity="0.8"/>'
        '<circle cx="248" cy="148" r="8" fill="#FFAB91" opacity="0.8"/>'
    )


def svg(body: str, bg: str, caption: str, title: str) -> str:
    dark = bg.startswith("#1") or bg.startswith("#2")
    color = "#FFFFFF" if dark else "#5D4037"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 320" width="420" height="320" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        f'<rect width="420" height="320" rx="18" fill="{bg}"/>{body}'
        f'<text x="210" y="300" text-anchor="middle" font-family="sans-serif" font-size="20" fill="{color}">'
        f"{caption}</text></svg>\n"
    )


def animated(anim: str, bg: str, title: str, duration: int) -> str:
    d = f"{duration}s"
    if anim == "breath":  # 4 s in, 7 s hold, 8 s out
        body = (
            '<circle cx="210" cy="150" r="60" fill="#BBDEFB"><animate attributeName="r" values="60;120;120;60" '
            f'keyTimes="0;0.21;0.58;1" dur="{d}" repeatCount="indefinite"/></circle>' + duck("closed")
        )
        caption = "吸气 4 · 停 7 · 呼气 8"
    elif anim == "dance":
        body = (
            f'<g><animateTransform attributeName="transform" type="rotate" values="-8 210 200;8 210 200;-8 210 200" '
            f'dur="{d}" repeatCount="indefinite"/>{duck("joy")}</g>' + PROPS["confetti"]
        )
        caption = "一起摇摆吧！"
    elif anim == "rain":
        drops = "".join(
            f'<path d="M{x} 20 l-4 14" stroke="#64B5F6" stroke-width="3"><animate attributeName="opacity" '
            f'values="1;1;0;0" dur="{d}" repeatCount="indefinite"/><animateTransform attributeName="transform" '
            f'type="translate" values="0 0;0 200" dur="1.2s" repeatCount="indefinite"/></path>'
            for x in (60, 120, 180, 260, 320, 380)
        )
        sun = (
            '<circle cx="340" cy="60" r="30" fill="#FFD54F" opacity="0"><animate attributeName="opacity" '
            f'values="0;0;1;1" dur="{d}" repeatCount="indefinite"/></circle>'
        )
        body = drops + sun + duck("soft")
        caption = "雨会停，太阳会出来"
    elif anim == "hearts":
        body = duck("smile") + "".join(
            f'<path d="M{x} 200 c-10 -15 -30 -3 -15 12 l15 14 l15 -14 c15 -15 -5 -27 -15 -12 z" fill="#FF6F7D">'
            f'<animateTransform attributeName="transform" type="translate" values="0 0;0 -180" dur="{d}" '
            f'begin="{i * 2}s" repeatCount="indefinite"/></path>'
            for i, x in enumerate((80, 150, 280, 350))
        )
        caption = "送你好多小爱心"
    else:  # night
        stars = "".join(
            f'<circle cx="{x}" cy="{y}" r="3" fill="#FFF"><animate attributeName="opacity" values="0.2;1;0.2" '
            f'dur="{2 + i % 3}s" repeatCount="indefinite"/></circle>'
            for i, (x, y) in enumerate([(60, 40), (110, 80), (280, 30), (380, 120), (40, 150), (300, 100)])
        )
        body = stars + PROPS["moon"] + duck("sleep") + PROPS["blanket"]
        caption = "晚安，好好休息"
    return svg(body, bg, caption, title)


def build() -> dict[str, Any]:
    (HERE / "panels").mkdir(exist_ok=True)
    (HERE / "videos").mkdir(exist_ok=True)
    items: list[dict[str, Any]] = []
    for p in PANELS:
        body = (
            PROPS[p["prop"]] + duck(p["face"])
            if p["prop"] not in ("blanket",)
            else duck(p["face"]) + PROPS[p["prop"]]
        )
        (HERE / "panels" / f"{p['id']}.svg").write_text(svg(body, p["bg"], p["caption"], p["title"]), "utf-8")
        items.append(
            {
                "id": p["id"],
                "kind": "panel",
                "title": p["title"],
                "description": p["caption"],
                "url": f"/panels/{p['id']}.svg",
                "format": "image/svg+xml",
                "tags": p["tags"],
                "emotion_scores": p["emotions"],
            }
        )
    for v in VIDEOS:
        text = animated(v["anim"], v["bg"], v["title"], v["duration"])
        (HERE / "videos" / f"{v['id']}.svg").write_text(text, "utf-8")
        items.append(
            {
                "id": v["id"],
                "kind": "video",
                "title": v["title"],
                "description": "循环动画（动画 SVG，不是视频文件）",
                "url": f"/videos/{v['id']}.svg",
                "format": "image/svg+xml",
                "duration_seconds": v["duration"],
                "tags": v["tags"],
                "emotion_scores": v["emotions"],
            }
        )
    index = {
        "version": 1,
        "note": "Starter library drawn for 心理鸭. 'video' items are looping animated SVGs, not video files.",
        "items": items,
    }
    (HERE / "index.yaml").write_text(yaml.safe_dump(index, allow_unicode=True, sort_keys=False), "utf-8")
    return index


if __name__ == "__main__":
    idx = build()
    print(f"{len(idx['items'])} items written to {HERE}")
