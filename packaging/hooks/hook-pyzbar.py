# pyzbar's wheels for Windows carry libzbar and libiconv DLLs inside the package; collect them.
from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("pyzbar")
