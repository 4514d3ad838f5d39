"""Translation hooks for Qt-free code.

The core must not import Qt, yet every string a worker sees goes through Qt's translator.
Strings are marked with ``QT_TRANSLATE_NOOP(context, text)`` so ``pyside6-lupdate`` extracts
them, and rendered through a ``Translate`` callable: identity in the CLI, ``QCoreApplication
.translate`` in the UI.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


def untranslated(context: str, text: str) -> str:
    return text
