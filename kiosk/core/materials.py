"""Study content packages: the format, strict validation, and atomic install on disk.

A package is a folder or a zip holding ``manifest.json``, ``body.md``, images, optional
audio/video and an optional ``quiz.json`` (format: ``docs/content-packages.md``). Import
copies it into a staging folder inside ``<data dir>/materials/``, validates the staged copy
(exactly what will be installed), then swaps it in with one ``rename``. A package is either
fully installed or not at all. Qt-free; the catalogue rows are written by ``core/study.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.images import MAX_PIXELS, BadImage, open_image

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
_NAME_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
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


def _read_text(path: Path, name: str, limits: Limits) -> str:
    data = path.read_bytes()
    if len(data) > limits.text_bytes:
        raise PackageError(f"{name} is larger than {limits.text_bytes // 1024} KB")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PackageError(f"{name} is not UTF-8 text (byte {e.start}); save it as UTF-8") from None


def _read_json(path: Path, name: str, limits: Limits) -> object:
    text = _read_text(path, name, limits)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise PackageError(f"{name} is not valid JSON: {e.msg} at line {e.lineno}") from None


def _schema_error(name: str, error: ValidationError) -> PackageError:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top)"
    return PackageError(f"{name}: {where}: {first['msg']}")


def _check_relpath(text: str, what: str) -> PurePosixPath:
    """A safe relative path inside the package: ASCII parts, no '..', no absolute paths."""
    if "\\" in text or text.startswith("/") or ":" in text:
        raise PackageError(f"{what} {text!r} is not a relative path inside the package")
    rel = PurePosixPath(text)
    if not rel.parts or any(p in ("", ".", "..") for p in rel.parts):
        raise PackageError(f"{what} {text!r} leaves the package folder")
    if any(not _NAME_PART.match(p) for p in rel.parts) or len(rel.parts) > 4:
        raise PackageError(
            f"{what} {text!r}: file names may use only letters, digits, '.', '-' and '_'"
        )
    return rel


def _check_media(path: Path, suffix: str) -> None:
    with path.open("rb") as f:
        head = f.read(16)
    ok = {
        ".mp3": head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
        ".m4a": head[4:8] == b"ftyp",
        ".mp4": head[4:8] == b"ftyp",
        ".ogg": head.startswith(b"OggS"),
        ".wav": head.startswith(b"RIFF") and head[8:12] == b"WAVE",
        ".webm": head.startswith(b"\x1a\x45\xdf\xa3"),
    }[suffix]
    if not ok:
        raise PackageError(f"{path.name} is not a {suffix[1:]} file")


def _check_image(path: Path, rel: str, limits: Limits) -> None:
    """Decoded in full (a truncated file fails), within the pixel limit (a bomb fails first)."""
    expected = IMAGE_TYPES[path.suffix.lower()]
    try:
        with open_image(path, formats=IMAGE_FORMATS, max_pixels=limits.image_pixels) as im:
            if im.format != expected:
                raise PackageError(f"{rel} is a {im.format} image, not {expected}")
    except BadImage as e:
        raise PackageError(f"{rel}: bad image: {e}") from None


def _walk(root: Path) -> list[tuple[str, Path]]:
    """Every file under ``root`` as (relative posix path, path); refuses links and oddities."""
    files: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            full = Path(dirpath) / name
            mode = full.lstat().st_mode
            rel = full.relative_to(root).as_posix()
            if stat.S_ISLNK(mode):
                raise PackageError(f"{rel} is a symbolic link; packages may not contain links")
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise PackageError(f"{rel} is not a regular file")
            if stat.S_ISREG(mode):
                files.append((rel, full))
    return sorted(files)


def content_digest(root: Path) -> tuple[str, int]:
    """sha256 over the sorted (path, file sha256) list, and the total size in bytes.

    Independent of zip compression and file times, so the same content has the same digest
    whether it came as a folder, a zip, or through sync.
    """
    outer = hashlib.sha256()
    total = 0
    for rel, path in _walk(root):
        inner = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 16), b""):
                inner.update(chunk)
                total += len(chunk)
        outer.update(f"{rel}\0{inner.hexdigest()}\n".encode())
    return outer.hexdigest(), total


def validate_folder(root: Path, limits: Limits = DEFAULT_LIMITS) -> Package:
    """Check a package folder completely; return it, or raise PackageError."""
    files = _walk(root)
    if len(files) > limits.files:
        raise PackageError(f"too many files ({len(files)}; at most {limits.files})")
    names = {rel for rel, _ in files}
    for required in (MANIFEST, BODY):
        if required not in names:
            raise PackageError(f"{required} is missing")
    total = 0
    for rel, path in files:
        _check_relpath(rel, "file")
        suffix = path.suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise PackageError(f"{rel}: files of type {suffix or '(none)'} are not allowed")
        if suffix in (".md", ".json") and rel not in (MANIFEST, BODY, QUIZ):
            raise PackageError(f"{rel}: only {MANIFEST}, {BODY} and {QUIZ} may be text files")
        size = path.stat().st_size
        total += size
        cap = limits.image_bytes if suffix in IMAGE_TYPES else limits.file_bytes
        if suffix in (".md", ".json"):
            cap = limits.text_bytes
        if size > cap:
            raise PackageError(f"{rel} is too large ({size} bytes; at most {cap})")
    if total > limits.package_bytes:
        raise PackageError(f"the package is too large ({total} bytes)")

    try:
        manifest = Manifest.model_validate(_read_json(root / MANIFEST, MANIFEST, limits))
    except ValidationError as e:
        raise _schema_error(MANIFEST, e) from None
    quiz = None
    if QUIZ in names:
        try:
            quiz = Quiz.model_validate(_read_json(root / QUIZ, QUIZ, limits))
        except ValidationError as e:
            raise _schema_error(QUIZ, e) from None
    body = _read_text(root / BODY, BODY, limits)
    if not body.strip():
        raise PackageError(f"{BODY} is empty")

    referenced = {manifest.cover: "cover"}
    if manifest.audio:
        referenced[manifest.audio] = "audio"
    if manifest.video:
        referenced[manifest.video] = "video"
    for link in image_names(body):
        referenced.setdefault(link, "image")
    for ref, kind in referenced.items():
        rel = _check_relpath(ref, f"{kind} in the package")
        if rel.as_posix() not in names:
            raise PackageError(f"{kind} {ref!r} is named but not in the package")
        suffix = rel.suffix.lower()
        wanted = {"cover": IMAGE_TYPES, "image": IMAGE_TYPES}.get(kind)
        wanted = wanted or (AUDIO_TYPES if kind == "audio" else VIDEO_TYPES)
        if suffix not in wanted:
            raise PackageError(f"{kind} {ref!r} has the wrong file type")
    for rel, path in files:
        suffix = path.suffix.lower()
        if suffix in IMAGE_TYPES:
            _check_image(path, rel, limits)
        elif suffix in AUDIO_TYPES | VIDEO_TYPES:
            _check_media(path, suffix)
    digest, size = content_digest(root)
    return Package(root, manifest, quiz, digest, size)


# -- unpacking into a staging folder ----------------------------------------------------------


def _copy_capped(src, dst: Path, cap: int, name: str) -> int:
    written = 0
    with dst.open("xb") as out:
        while chunk := src.read(1 << 16):
            written += len(chunk)
            if written > cap:
                raise PackageError(f"{name} is larger than it claims (over {cap} bytes)")
            out.write(chunk)
    return written


def _unzip(archive: Path, dest: Path, limits: Limits) -> None:
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise PackageError(f"{archive.name} is not a readable zip file ({e})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.files * 2:
            raise PackageError(f"the zip holds too many entries ({len(infos)})")
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise PackageError("the zip holds the same name twice")
        # One top-level folder holding manifest.json is unwrapped.
        prefix = ""
        tops = {n.split("/", 1)[0] for n in names}
        if MANIFEST not in names and len(tops) == 1 and f"{next(iter(tops))}/{MANIFEST}" in names:
            prefix = next(iter(tops)) + "/"
        total = 0
        for info in infos:
            name = info.filename
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise PackageError(f"{name} is a symbolic link; packages may not contain links")
            if info.flag_bits & 0x1:
                raise PackageError(f"{name} is encrypted")
            inner = name[len(prefix) :] if name.startswith(prefix) else name
            if info.is_dir():
                if inner.strip("/"):
                    _check_relpath(inner.rstrip("/"), "zip entry")
                continue
            rel = _check_relpath(inner, "zip entry")  # refuses '..', absolute and odd names
            total += info.file_size
            if info.file_size > limits.file_bytes or total > limits.package_bytes:
                raise PackageError(f"{name} is too large ({info.file_size} bytes)")
            target = dest.joinpath(*rel.parts)
            if not target.resolve().is_relative_to(dest.resolve()):
                raise PackageError(f"zip entry {name!r} leaves the package folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src:
                    _copy_capped(src, target, limits.file_bytes, name)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise PackageError(f"{name} cannot be unpacked ({e})") from None


def _copy_folder(src: Path, dest: Path, limits: Limits) -> None:
    files = _walk(src)  # refuses links before anything is copied
    if len(files) > limits.files:
        raise PackageError(f"too many files ({len(files)}; at most {limits.files})")
    for rel, path in files:
        _check_relpath(rel, "file")
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with path.open("rb") as f:
            _copy_capped(f, target, limits.file_bytes, rel)


class MaterialStore:
    """The ``materials`` folder: staging, the atomic swap, removal and crash clean-up."""

    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.root = root
        self.limits = limits

    def folder(self, material_id: str) -> Path:
        return self.root / material_id

    def stage(self, source: Path) -> Package:
        """Unpack/copy ``source`` into a fresh staging folder and validate it there."""
        if not source.exists():
            raise PackageError(f"{source} does not exist")
        if source.is_symlink():
            raise PackageError(f"{source} is a symbolic link")
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".staging-{uuid.uuid4().hex}"
        staging.mkdir()
        try:
            if source.is_dir():
                _copy_folder(source, staging, self.limits)
            elif zipfile.is_zipfile(source):
                _unzip(source, staging, self.limits)
            else:
                raise PackageError(f"{source.name} is neither a folder nor a zip file")
            return validate_folder(staging, self.limits)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def discard(self, package: Package) -> None:
        shutil.rmtree(package.root, ignore_errors=True)

    def swap_in(self, package: Package) -> Path | None:
        """Move a staged package into place; returns the set-aside old folder, if any."""
        target = self.folder(package.id)
        old = None
        if target.exists():
            old = self.root / f".old-{package.id}-{uuid.uuid4().hex[:8]}"
            os.replace(target, old)
        try:
            os.replace(package.root, target)
        except OSError:
            if old is not None:
                os.replace(old, target)
            raise
        _fsync_dir(self.root)
        return old

    def undo_swap(self, material_id: str, old: Path | None, staged: Path) -> None:
        """The catalogue write failed: put the previous folder back."""
        target = self.folder(material_id)
        if target.exists():
            os.replace(target, staged)
            shutil.rmtree(staged, ignore_errors=True)
        if old is not None:
            os.replace(old, target)
        _fsync_dir(self.root)

    def remove(self, material_id: str) -> None:
        target = self.folder(material_id)
        if target.exists():
            trash = self.root / f".old-{material_id}-{uuid.uuid4().hex[:8]}"
            os.replace(target, trash)
            _fsync_dir(self.root)
            shutil.rmtree(trash, ignore_errors=True)

    def recover(self) -> None:
        """After a crash: drop staging folders, restore a set-aside folder whose swap died."""
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry.name.startswith(".staging-"):
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(".old-"):
                material_id = entry.name[len(".old-") :].rsplit("-", 1)[0]
                if not self.folder(material_id).exists():
                    os.replace(entry, self.folder(material_id))
                    log.warning("restored material %s after an interrupted install", material_id)
                else:
                    shutil.rmtree(entry, ignore_errors=True)

    def installed_manifest(self, material_id: str) -> Manifest | None:
        try:
            return Manifest.model_validate_json(
                (self.folder(material_id) / MANIFEST).read_text(encoding="utf-8")
            )
        except (OSError, ValidationError):
            return None


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    manifest = Manifest.model_validate(_read_json(folder / MANIFEST, MANIFEST, limits))
    quiz = None
    if (folder / QUIZ).exists():
        quiz = Quiz.model_validate(_read_json(folder / QUIZ, QUIZ, limits))
    return MaterialContent(folder, manifest, _read_text(folder / BODY, BODY, limits), quiz)


def starter_packages(resources: Path) -> list[Path]:
    """The starter library's package folders (``resources/materials/*/manifest.json``)."""
    return sorted(p.parent for p in resources.glob(f"*/{MANIFEST}"))
