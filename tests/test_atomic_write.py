"""Files are saved whole or not at all."""

from __future__ import annotations

import pytest

from lga_desktop.atomic_write import replacing, write_bytes
from lga_desktop.errors import UsageError


def test_a_file_is_replaced_only_when_it_is_complete(tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("the old report")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_text("half a new rep")
        raise RuntimeError("the disk filled up")
    assert target.read_text() == "the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]
    write_bytes(target, b"the new report")
    assert target.read_bytes() == b"the new report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_a_missing_folder_is_one_sentence(tmp_path):
    target = tmp_path / "not there" / "report.pdf"
    with pytest.raises(UsageError, match="the folder .*not there does not exist"):
        write_bytes(target, b"%PDF", what="The report")
    assert not (tmp_path / "not there").exists()


def test_a_file_system_refusal_is_one_sentence(tmp_path):
    target = tmp_path / "a folder"
    target.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(UsageError, match="The report could not be saved to .*a folder"):
        write_bytes(target, b"%PDF", what="The report")
    assert [p.name for p in tmp_path.iterdir()] == ["a folder"]
