"""The demo data files themselves: one per source article, and every record names its source."""

import pytest

from demo.facts import DATA_FILES
from demo.loader import read

SOURCE_KEYS = {"url", "description", "states", "inferred"}


def test_one_file_per_source_article():
    articles = [article for path in DATA_FILES for article in read(path)[0]["articles"]]

    assert sorted(name[:3] for name in articles) == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: path.name)
def test_every_record_names_its_source(path):
    file_source, records = read(path)

    assert file_source.get("url") or file_source.get("description"), f"{path.name} names no article"
    assert records
    for where, record in records:
        source = record.get("source") or {}
        assert source.get("url") or source.get("description"), f"{where} names no source"
        assert set(source) <= SOURCE_KEYS, f"{where}: unknown source keys {set(source) - SOURCE_KEYS}"
        assert isinstance(source.get("states", ""), str), where
        inferred = source.get("inferred", {})
        # field -> reason; that the fields exist is checked on the loaded rows (test_load_demo.py).
        assert isinstance(inferred, dict), f"{where}: inferred maps fields to reasons"
        assert all(isinstance(reason, str) and reason.strip() for reason in inferred.values()), where
        assert "inferences" not in record.get("fields", {}), f"{where}: inferences go under source.inferred"
        fields = record.get("fields", {})
        if source.get("url"):
            # What is stored cites the same URL as the record.
            assert fields.get("source_url") == source["url"], where
        else:
            # No URL: the stored row carries the description, in source_note or (models without one) in its notes.
            stored = f"{fields.get('source_note', '')} {fields.get('notes', '')}"
            assert source["description"] in stored, where
            assert not fields.get("source_url"), where
