"""Text normalisation shared by search, handles and hashtags."""

import re
import unicodedata

# "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD leaves it alone.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")
# Text that a spreadsheet would run as a formula (CSV injection), unless it is a plain number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?[0-9][0-9.,]*$")


def fold(text):
    """Lower-case ``text`` and strip Vietnamese (and other) diacritics.

    ``fold("Quách Beem") == "quach beem"``; ``fold("Hoa hậu vỉa hè") == "hoa hau via he"``.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_LETTER_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def search_document(*parts):
    """The folded text that accent-insensitive search matches against."""
    return " ".join(folded for folded in (fold(part) for part in parts if part) if folded)


def spreadsheet_safe(text):
    """``text`` as a spreadsheet cell: behind a ``'`` when a spreadsheet would run it as a formula."""
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text
