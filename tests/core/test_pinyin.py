"""Search keys cover every reading of every character, without pypinyin's phrase data."""

from __future__ import annotations

import subprocess
import sys

from kiosk.core.pinyin import normalize_query, search_keys


def test_every_reading_of_a_heteronym_gives_keys() -> None:
    keys = search_keys("单雄")
    for key in ("danxiong", "shanxiong", "chanxiong", "dx", "sx"):
        assert key in keys
    keys = search_keys("曾乐")
    for key in ("zengle", "cengle", "zengyue", "zy", "cl"):
        assert key in keys


def test_plain_names_and_odd_input() -> None:
    assert search_keys("张三")[:2] == ["zhangsan", "zs"]
    assert normalize_query(" Z s ") == "zs"


def test_the_phrase_dictionary_is_not_loaded() -> None:
    code = (
        "import sys, kiosk.core.pinyin as p; p.search_keys('曾经')\n"
        "from pypinyin.constants import PHRASES_DICT\n"
        "print(len(PHRASES_DICT), 'pypinyin.phrases_dict' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]
