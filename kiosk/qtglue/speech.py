"""A short chime and, where a Chinese voice exists, the greeting read aloud.

Both are optional: a kiosk without a sound card or speech engine just stays silent, and
tests build the window with ``Announcer(enabled=False)``. QtMultimedia and QtTextToSpeech
are imported only when the first greeting is prepared, off the path to the first paint.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl

if TYPE_CHECKING:
    import tempfile

log = logging.getLogger(__name__)


def write_chime(path: Path, rate: int = 22050) -> Path:
    """Two soft bell tones (E6 then C6), 0.6 s, written as a 16-bit mono WAV."""
    import math
    import struct
    import wave

    frames = bytearray()
    total = int(rate * 0.6)
    samples = [0.0] * total
    for freq, start, length in ((1318.5, 0.0, 0.35), (1046.5, 0.18, 0.42)):
        first = int(start * rate)
        for i in range(int(length * rate)):
            if first + i >= total:
                break
            t = i / rate
            samples[first + i] += 0.35 * math.sin(2 * math.pi * freq * t) * math.exp(-6 * t)
    for s in samples:
        frames += struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


class Announcer(QObject):
    """Plays the chime and speaks a line; every failure is logged once and then ignored."""

    def __init__(self, enabled: bool, speech: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.speech = speech
        self._effect: Any = None
        self._tts: Any = None
        self._prepared = False
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def prepare(self) -> None:
        """Load the sound and find a Chinese voice (call once the first screen is painted)."""
        if self._prepared or not self.enabled:
            return
        self._prepared = True
        try:
            import tempfile

            from PySide6.QtMultimedia import QSoundEffect

            self._tmp = tempfile.TemporaryDirectory(prefix="kiosk-chime-")
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(write_chime(Path(self._tmp.name) / "c.wav"))))
            effect.setVolume(0.6)
            self._effect = effect
        except Exception:
            log.info("no chime: audio unavailable", exc_info=True)
        if self.speech:
            self._tts = _chinese_voice(self)

    def announce(self, text: str) -> None:
        if not self.enabled:
            return
        self.prepare()
        if self._effect is not None:
            self._effect.play()
        if self._tts is not None and self.speech:
            self._tts.say(text)

    def close(self) -> None:
        if self._tts is not None:
            self._tts.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def _chinese_voice(parent: QObject) -> Any:
    try:
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return None
    try:
        engines = QTextToSpeech.availableEngines()
        for engine_name in engines:
            tts = QTextToSpeech(engine_name, parent)
            for locale in tts.availableLocales():
                if locale.language() == QLocale.Language.Chinese:
                    tts.setLocale(locale)
                    log.info("speaking greetings with %s (%s)", engine_name, locale.name())
                    return tts
            tts.deleteLater()
    except Exception:
        log.info("no speech engine", exc_info=True)
    log.info("no Chinese voice found; greetings are not spoken")
    return None
