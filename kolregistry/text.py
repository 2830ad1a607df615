"""Text normalisation shared by search, handles and hashtags."""

import re
import unicodedata

# "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD leaves it alone.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


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
