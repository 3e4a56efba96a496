"""The incremental JSON string-field decoder that turns a model's streamed JSON answer into reply text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.agents.jsontext import StringFieldDecoder


def _feed_all(pieces: list[str], field: str = "text") -> tuple[str, StringFieldDecoder]:
    decoder = StringFieldDecoder(field)
    return "".join(decoder.feed(p) for p in pieces), decoder


def _split(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(c, len(text)) for c in cuts})
    out, last = [], 0
    for p in points:
        out.append(text[last:p])
        last = p
    out.append(text[last:])
    return out


def test_plain_object_one_char_at_a_time() -> None:
    doc = json.dumps({"text": "鸭鸭听到了，谢谢你。"}, ensure_ascii=False)
    got, decoder = _feed_all(list(doc))
    assert got == "鸭鸭听到了，谢谢你。"
    assert decoder.done


def test_escapes_split_across_pieces() -> None:
    # \n, \", \\ and a \u escape whose digits arrive in three pieces, and a surrogate pair split in two
    pieces = ['{"te', 'xt": "a\\', 'nb\\"c\\\\ \\u4', "e2", "d \\ud83e", "\\udd86", ' end"}']
    got, _ = _feed_all(pieces)
    assert got == 'a\nb"c\\ 中 \U0001f986 end'


def test_only_the_outer_text_field_after_a_fence() -> None:
    doc = '```json\n{"note": "text", "inner": {"text": "no"}, "list": ["text"], "n": 1, "text": "yes"}\n```'
    got, decoder = _feed_all(_split(doc, [3, 9, 20, 41, 60]))
    assert got == "yes"
    assert decoder.done


def test_nothing_after_the_field_closes() -> None:
    doc = '{"text": "first", "text": "second"}'
    got, _ = _feed_all([doc])
    assert got == "first"


def test_a_non_string_value_is_not_the_reply() -> None:
    got, decoder = _feed_all(['{"text": 12, "other": "x"}'])
    assert got == ""
    assert not decoder.done


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=60),
    extra=st.dictionaries(st.text(max_size=5).filter(lambda k: k != "text"), st.text(max_size=8), max_size=3),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=12),
    ascii_only=st.booleans(),
    first=st.booleans(),
)
def test_any_split_decodes_like_json(
    text: str, extra: dict[str, str], cuts: list[int], ascii_only: bool, first: bool
) -> None:
    obj = {"text": text, **extra} if first else {**extra, "text": text}
    doc = json.dumps(obj, ensure_ascii=ascii_only)
    got, decoder = _feed_all(_split(doc, cuts))
    assert got == json.loads(doc)["text"]
    assert decoder.done
