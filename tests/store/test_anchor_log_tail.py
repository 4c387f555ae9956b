"""The anchor log's newest Z is read from the end of the file (issue 17: a Z must not re-read years of
anchors), and still found when the end is damaged."""

from __future__ import annotations

import json

from pos_tui.store import anchors


def _line(z: int) -> str:
    return json.dumps({"z": z, "day": f"2026-01-{z % 28 + 1:02d}", "seq": 10 * z, "fp": "ab" * 8,
                       "closed_at": "x", "mac": "0" * 32}, sort_keys=True) + "\n"


def test_last_z_comes_from_the_end_of_a_long_log(tmp_path, monkeypatch):
    log = tmp_path / "shop.db.anchors"
    log.write_text("".join(_line(z) for z in range(1, 2001)))
    monkeypatch.setattr(anchors, "read_log", lambda *a, **k: (_ for _ in ()).throw(AssertionError("full read")))
    assert anchors._last_logged_z(log) == 2000


def test_a_torn_last_line_falls_back_to_the_line_before(tmp_path):
    log = tmp_path / "shop.db.anchors"
    log.write_text("".join(_line(z) for z in range(1, 300)) + _line(300)[:25])
    assert anchors._last_logged_z(log) == 299


def test_no_readable_line_at_the_end_reads_the_whole_log(tmp_path, monkeypatch):
    monkeypatch.setattr(anchors, "TAIL_BYTES", 64)
    log = tmp_path / "shop.db.anchors"
    log.write_text(_line(7) + "garbage " * 40 + "\n")
    assert anchors._last_logged_z(log) == 7
    log.write_text("")
    assert anchors._last_logged_z(log) == 0
