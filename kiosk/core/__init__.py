"""Qt-free domain rules: badges, check-in, roster search, figures. Plain Python, no PySide6."""
