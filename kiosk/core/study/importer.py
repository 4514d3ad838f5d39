"""Importing a study package: strict validation of a folder, and unpacking a zip or folder.

Everything is checked on a staged copy (exactly what will be installed): names, sizes,
types, that every image decodes within the pixel limit, that media files are what their
names say. A package that fails any check is refused with a one-line ``PackageError``.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from kiosk.core.study.package import (
    ALLOWED_SUFFIXES,
    AUDIO_TYPES,
    BODY,
    DEFAULT_LIMITS,
    IMAGE_FORMATS,
    IMAGE_TYPES,
    MANIFEST,
    QUIZ,
    VIDEO_TYPES,
    Limits,
    Manifest,
    Package,
    PackageError,
    Quiz,
    image_names,
    read_json,
    read_text,
    schema_error,
)
from kiosk.images import BadImage, open_image

_NAME_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


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
        manifest = Manifest.model_validate(read_json(root / MANIFEST, MANIFEST, limits))
    except ValidationError as e:
        raise schema_error(MANIFEST, e) from None
    quiz = None
    if QUIZ in names:
        try:
            quiz = Quiz.model_validate(read_json(root / QUIZ, QUIZ, limits))
        except ValidationError as e:
            raise schema_error(QUIZ, e) from None
    body = read_text(root / BODY, BODY, limits)
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


def unpack(source: Path, dest: Path, limits: Limits) -> None:
    """Copy a package folder, or unpack a zip, into the empty folder ``dest``."""
    if source.is_dir():
        _copy_folder(source, dest, limits)
    elif zipfile.is_zipfile(source):
        _unzip(source, dest, limits)
    else:
        raise PackageError(f"{source.name} is neither a folder nor a zip file")


def starter_packages(resources: Path) -> list[Path]:
    """The starter library's package folders (``resources/materials/*/manifest.json``)."""
    return sorted(p.parent for p in resources.glob(f"*/{MANIFEST}"))
