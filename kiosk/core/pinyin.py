"""Pinyin search keys for names, so "zs" finds 张三 and 赵四 without a system keyboard.

Every reading of every character counts (heteronym mode): a keeper who types "shan" or
"dan" for the surname 单 both find the person. Combinations are capped so a name made
of many multi-reading characters cannot blow up.
"""

from __future__ import annotations

import itertools
import re

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


def normalize_query(query: str) -> str:
    return "".join(query.split()).lower()
