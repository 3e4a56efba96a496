"""Incremental decoding of one string field of a JSON object that arrives in pieces (a model's streamed
answer to "output only JSON: {"text": ...}"): the field's decoded characters come out as soon as their
bytes are in, so the reply can be shown while the model is still writing it.

Only the first occurrence of the field as a key of the outermost object counts; anything before the object
(a Markdown fence, a sentence) and every other key or value is skipped. The decoder never guesses: an
escape sequence split across pieces waits for its remaining characters, a surrogate pair for its second half.
Whether the whole answer is valid is decided later, by the schema (``validate_answer``).
"""

from __future__ import annotations

_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class StringFieldDecoder:
    """Feed pieces of a JSON text; get back the newly decoded characters of ``field``'s string value."""

    def __init__(self, field: str = "text") -> None:
        self.field = field
        self.done = False  # the field's closing quote was read
        self._depth = 0
        self._in_string = False
        self._escape: str | None = None  # None: no escape pending; "" after the backslash; "uXX.." for \u
        self._high: int | None = None  # a high surrogate waiting for its low half
        self._key_position = False  # the next string at depth 1 is a key
        self._string_is_key = False
        self._string_is_target = False
        self._key: list[str] = []
        self._last_key: str | None = None
        self._expect_value = False  # the target key and its colon were read

    def feed(self, piece: str) -> str:
        out: list[str] = []
        for ch in piece:
            if self.done:
                break
            if self._in_string:
                self._string_char(ch, out)
            else:
                self._structure_char(ch)
        return "".join(out)

    def _emit(self, text: str, out: list[str]) -> None:
        if self._string_is_target:
            out.append(text)
        elif self._string_is_key:
            self._key.append(text)

    def _code_point(self, code: int, out: list[str]) -> None:
        if 0xD800 <= code <= 0xDBFF:
            if self._high is not None:
                self._emit("\ufffd", out)
            self._high = code
            return
        if 0xDC00 <= code <= 0xDFFF:
            if self._high is None:
                self._emit("\ufffd", out)
            else:
                self._emit(chr(0x10000 + ((self._high - 0xD800) << 10) + (code - 0xDC00)), out)
                self._high = None
            return
        self._flush_high(out)
        self._emit(chr(code), out)

    def _flush_high(self, out: list[str]) -> None:
        if self._high is not None:
            self._emit("\ufffd", out)  # a lone high surrogate, as Python's json would not decode either
            self._high = None

    def _string_char(self, ch: str, out: list[str]) -> None:
        if self._escape is not None:
            if self._escape == "":
                if ch == "u":
                    self._escape = "u"
                    return
                self._escape = None
                self._flush_high(out)
                self._emit(_SIMPLE_ESCAPES.get(ch, ch), out)
                return
            self._escape += ch
            if len(self._escape) == 5:  # u + 4 hex digits
                digits, self._escape = self._escape[1:], None
                try:
                    self._code_point(int(digits, 16), out)
                except ValueError:
                    self._flush_high(out)
                    self._emit("\ufffd", out)
            return
        if ch == "\\":
            self._escape = ""
            return
        if ch == '"':
            self._flush_high(out)
            self._in_string = False
            if self._string_is_target:
                self.done = True
            elif self._string_is_key:
                self._last_key = "".join(self._key)
            return
        self._flush_high(out)
        self._emit(ch, out)

    def _structure_char(self, ch: str) -> None:
        if ch in " \t\r\n":
            return
        if ch == '"':
            self._in_string = True
            self._string_is_key = self._depth == 1 and self._key_position
            self._string_is_target = self._depth == 1 and self._expect_value and not self._string_is_key
            self._key_position = False
            self._expect_value = False
            self._key = []
            return
        if ch in "{[":
            self._depth += 1
            self._key_position = self._depth == 1 and ch == "{"
            self._expect_value = False
            return
        if ch in "}]":
            self._depth = max(0, self._depth - 1)
            return
        if ch == ",":
            self._key_position = self._depth == 1
            return
        if ch == ":":
            self._expect_value = self._depth == 1 and self._last_key == self.field
            self._last_key = None
            return
        self._expect_value = False  # a number, true/false/null or stray text
        self._key_position = False
