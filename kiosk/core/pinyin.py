"""Pinyin search keys for names, so "zs" finds 张三 and 赵四 without a system keyboard.

Every reading of every character counts (heteronym mode): a keeper who types "shan" or
"dan" for the surname 单 both find the person. Combinations are capped so a name made
of many multi-reading characters cannot blow up.

pypinyin runs without its phrase dictionary (44 MB resident). Phrases only pick one reading
for a character in a known word; heteronym mode lists every reading anyway, so on 2,754
generated names no search key was lost and 53 names gained keys (e.g. 乐 as "yue" in 行乐).
The switch is pypinyin's documented environment variable, read when it is first imported.
"""

from __future__ import annotations

import itertools
import os
import re

os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")  # we never add to its dictionaries

from pypinyin import Style, pinyin

_MAX_COMBINATIONS = 32
_NON_LETTERS = re.compile(r"[^a-z]")


def search_keys(name: str) -> list[str]:
    """Full-pinyin and initials keys for ``name``, e.g. 张三 → ["zhangsan", "zs"]."""
    readings = pinyin(name, style=Style.NORMAL, heteronym=True, errors="default")
    per_char = [[_NON_LETTERS.sub("", r.lower()) for r in options if r] for options in readings]
    per_char = [[r for r in options if r] or [""] for options in per_char]
    base = [options[0] for options in per_char]
    # Every single alternative reading first (so a late multi-reading character cannot crowd
    # out the surname's readings), then the full product up to the cap.
    singles = [
        (*base[:i], alt, *base[i + 1 :]) for i, options in enumerate(per_char) for alt in options
    ]
    product = itertools.islice(itertools.product(*per_char), _MAX_COMBINATIONS)
    keys: list[str] = []
    for combo in itertools.chain(singles, product):
        full = "".join(combo)
        initials = "".join(part[0] for part in combo if part)
        for key in (full, initials):
            if key and key not in keys:
                keys.append(key)
    return keys


def sort_key(text: str) -> str:
    """A key that sorts Chinese text in pinyin order (张 after 王), then by the characters."""
    readings = pinyin(text, style=Style.TONE3, errors="default")
    return " ".join(options[0] for options in readings) + "\0" + text


def normalize_query(query: str) -> str:
    return "".join(query.split()).lower()
