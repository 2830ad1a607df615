"""Accent folding used by search_text, and so by accent-insensitive search."""

import unicodedata

import pytest

from kolregistry.text import fold, search_document


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Quách Beem", "quach beem"),
        ("Hoa hậu vỉa hè", "hoa hau via he"),
        ("Đồng", "dong"),
        ("đường", "duong"),
        ("Bản Sắc Việt", "ban sac viet"),
        ("  Thời   khắc\tkhó quên ", "thoi khac kho quen"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_vietnamese_accents_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_fold_treats_composed_and_decomposed_input_alike():
    composed = unicodedata.normalize("NFC", "Quách Beem")
    decomposed = unicodedata.normalize("NFD", "Quách Beem")
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "quach beem"


def test_search_document_joins_folded_parts_and_skips_empty_ones():
    assert search_document("Hoa hậu vỉa hè", "", None, "Miss Sidewalk") == "hoa hau via he miss sidewalk"
