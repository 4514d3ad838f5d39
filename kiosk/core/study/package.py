"""The study package format: the manifest and quiz schema, the limits, and reading a package.

A package is a folder or a zip holding ``manifest.json``, ``body.md``, images, optional
audio/video and an optional ``quiz.json`` (format: ``docs/content-packages.md``). Checking
and unpacking one is ``importer.py``; where installed packages live, ``store.py``. Qt-free.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.images import MAX_PIXELS

log = logging.getLogger(__name__)

CATEGORIES = ("安全", "急救", "政策", "党建", "生活")
MANIFEST, BODY, QUIZ = "manifest.json", "body.md", "quiz.json"

IMAGE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".gif": "GIF"}
IMAGE_FORMATS = tuple(sorted(set(IMAGE_TYPES.values())))
AUDIO_TYPES = {".mp3", ".m4a", ".ogg", ".wav"}
VIDEO_TYPES = {".mp4", ".webm"}
ALLOWED_SUFFIXES = {".md", ".json", *IMAGE_TYPES, *AUDIO_TYPES, *VIDEO_TYPES}


@dataclass(frozen=True)
class Limits:
    """Size limits; a package over any of them is refused before it is unpacked."""

    package_bytes: int = 60 * 1024 * 1024
    file_bytes: int = 50 * 1024 * 1024  # audio/video
    image_bytes: int = 4 * 1024 * 1024
    text_bytes: int = 256 * 1024  # body.md, manifest.json, quiz.json
    image_pixels: int = MAX_PIXELS
    files: int = 200


DEFAULT_LIMITS = Limits()
_MD_LINK = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)")


def image_names(body: str) -> tuple[str, ...]:
    """The images a Markdown body shows (``![alt](path)``), each once, in order of appearance."""
    return tuple(dict.fromkeys(_MD_LINK.findall(body)))


class PackageError(ValueError):
    """The package is refused; the message says what is wrong, in one line."""


# -- the schema -------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Manifest(_Strict):
    format: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    version: int = Field(ge=1, le=1_000_000)
    title: str = Field(min_length=1, max_length=40)
    category: Literal["安全", "急救", "政策", "党建", "生活"]
    summary: str = Field(min_length=1, max_length=200)
    cover: str
    author: str = Field(min_length=1, max_length=100)
    source: str | None = Field(default=None, max_length=200)
    date: dt.date
    language: Literal["zh-CN"] = "zh-CN"
    audio: str | None = None
    video: str | None = None


class Question(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,20}$")
    kind: Literal["single", "multiple"]
    text: str = Field(min_length=1, max_length=200)
    options: list[str] = Field(min_length=2, max_length=6)
    answer: list[int] = Field(min_length=1)
    explanation: str = Field(min_length=1, max_length=200)

    @field_validator("options")
    @classmethod
    def _options(cls, options: list[str]) -> list[str]:
        if any(not o.strip() or len(o) > 80 for o in options):
            raise ValueError("every option needs 1-80 characters")
        if len(set(options)) != len(options):
            raise ValueError("options repeat")
        return options

    @model_validator(mode="after")
    def _answers(self) -> Question:
        if any(not 0 <= a < len(self.options) for a in self.answer):
            raise ValueError(f"question {self.id}: an answer index is not an option")
        if len(set(self.answer)) != len(self.answer):
            raise ValueError(f"question {self.id}: an answer repeats")
        if self.kind == "single" and len(self.answer) != 1:
            raise ValueError(f"question {self.id}: a single-choice question has one answer")
        return self


class Quiz(_Strict):
    questions: list[Question] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _unique_ids(self) -> Quiz:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids repeat")
        return self


# -- what an installed (or staged) package is -------------------------------------------------


@dataclass(frozen=True)
class Package:
    """A validated package folder."""

    root: Path
    manifest: Manifest
    quiz: Quiz | None
    sha256: str  # content digest: see ``content_digest``
    size: int

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> int:
        return self.manifest.version


@dataclass(frozen=True)
class InstallResult:
    package: Package
    action: Literal["installed", "upgraded", "unchanged"]
    previous_version: int | None = None


def read_text(path: Path, name: str, limits: Limits) -> str:
    data = path.read_bytes()
    if len(data) > limits.text_bytes:
        raise PackageError(f"{name} is larger than {limits.text_bytes // 1024} KB")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PackageError(f"{name} is not UTF-8 text (byte {e.start}); save it as UTF-8") from None


def read_json(path: Path, name: str, limits: Limits) -> object:
    text = read_text(path, name, limits)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise PackageError(f"{name} is not valid JSON: {e.msg} at line {e.lineno}") from None


def schema_error(name: str, error: ValidationError) -> PackageError:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top)"
    return PackageError(f"{name}: {where}: {first['msg']}")


# -- reading an installed package (for the reader) --------------------------------------------


@dataclass(frozen=True)
class MaterialContent:
    """What the reader shows: the manifest, the Markdown body, the quiz and the folder."""

    folder: Path
    manifest: Manifest
    body: str
    quiz: Quiz | None

    def file(self, rel: str | None) -> Path | None:
        return None if not rel else self.folder / rel


def load_content(folder: Path) -> MaterialContent:
    """Read an installed package (already validated at install; reads are cheap)."""
    limits = DEFAULT_LIMITS
    manifest = Manifest.model_validate(read_json(folder / MANIFEST, MANIFEST, limits))
    quiz = None
    if (folder / QUIZ).exists():
        quiz = Quiz.model_validate(read_json(folder / QUIZ, QUIZ, limits))
    return MaterialContent(folder, manifest, read_text(folder / BODY, BODY, limits), quiz)
