# pyzbar finds libzbar through ctypes.util.find_library, which never looks inside the bundle.
# Point it at the copy PyInstaller collected, so the target machine needs no libzbar0.
import ctypes.util
import glob
import os
import sys

_bundle = getattr(sys, "_MEIPASS", "")
_original_find_library = ctypes.util.find_library


def _find_library(name):
    if name == "zbar" and _bundle:
        for pattern in ("libzbar.so*", "libzbar*.dylib", "libzbar*.dll"):
            hits = sorted(glob.glob(os.path.join(_bundle, pattern)))
            if hits:
                return hits[0]
    return _original_find_library(name)


ctypes.util.find_library = _find_library
