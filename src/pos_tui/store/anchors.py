"""The anchor log: chain positions written outside the database (issue 15).

The signature chain catches an edited, forged or removed record, but not a chain cut
short at its end, nor yesterday's copy of the whole file put back: both are sound
chains, only shorter. So every Z also writes where the chain stood — its position and
a short fingerprint of its head — to places the database does not hold: the Z ticket,
and ``<db>.anchors``, a JSON Lines file beside the database (owner-only, only ever
appended to). ``verify`` checks the chain against every anchor it is given.

Each line carries a MAC under the shop's key, so a line edited by hand is named too.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.store.db import Store
from pos_tui.store.integrity import fingerprint, load_key, normalise_fingerprint


@dataclass(frozen=True)
class Anchor:
    seq: int  # position in the chain (signatures.id) of the Z's own signature
    fp: str  # fingerprint of that entry, hex without separators
    z: int | None = None  # the Z's number, when the anchor comes from a Z
    day: str = ""  # its business day
    source: str = ""  # "log" or "typed"

    def label(self) -> str:
        if self.z is not None:
            return _("Z n°{z} of {day}").format(z=self.z, day=self.day)
        return _("the anchor typed on the command line")


def anchor_path(store_or_path: Store | Path, store_id: int | None = None) -> Path:
    """The anchor log of one store (default: the till's): ``<db>.anchors`` for the first store (as a single
    shop always had), ``<db>.store<ID>.anchors`` for the others, since each store has its own chain."""
    if isinstance(store_or_path, Store):
        path = store_or_path.path
        store_id = store_or_path.store_id if store_id is None else store_id
    else:
        path = Path(store_or_path)
    if store_id is None or store_id == 1:
        return path.with_name(path.name + ".anchors")
    return path.with_name(f"{path.name}.store{int(store_id)}.anchors")


def _mac(key: bytes, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, b"pos-tui anchor\0" + payload, hashlib.sha256).hexdigest()[:32]


def z_anchor(store: Store, z_row: dict) -> Anchor | None:
    """The anchor of one Z: the chain entry that signs it."""
    entry = store.one("SELECT id, sig FROM signatures WHERE table_name = 'z_closings' AND record_id = ?",
                      (z_row["id"],))
    if entry is None:
        return None
    return Anchor(entry["id"], entry["sig"][:16], z_row["number"], z_row["business_day"])


def read_log(path: Path, key: bytes | None = None) -> tuple[list[Anchor], list[str]]:
    """The anchors of a log, and a problem for each line that is unreadable or whose MAC fails."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [_("anchor log {path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)]
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
            mac = fields.pop("mac")
            anchor = Anchor(int(fields["seq"]), normalise_fingerprint(fields["fp"]), int(fields["z"]),
                            str(fields["day"]), "log")
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(_("anchor log {path}, line {n}: not an anchor").format(path=path, n=n))
            continue
        if key is not None and not hmac.compare_digest(mac, _mac(key, fields)):
            problems.append(_("anchor log {path}, line {n}: altered (its MAC does not match)").format(path=path, n=n))
            continue
        anchors.append(anchor)
    return anchors, problems


TAIL_BYTES = 8192  # a few dozen anchor lines


def _last_logged_z(path: Path) -> int:
    """The number of the newest Z in the log. Lines are appended in Z order under the lock, so the last
    readable line holds it: only the end of the file is read (a Z must not cost more as years of anchors
    pile up; issue 17). Without a readable line there, the whole log is read."""
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - TAIL_BYTES))
        tail = handle.read().decode("utf-8", errors="replace").splitlines()
    if size > TAIL_BYTES:
        tail = tail[1:]  # the first line may be cut
    for line in reversed(tail):
        try:
            return max(int(json.loads(line)["z"]), 0)
        except (ValueError, KeyError, TypeError):
            continue
    anchors, _problems = read_log(path, None)
    return max((a.z for a in anchors if a.z is not None), default=0)


def append_missing(store: Store) -> list[Anchor]:
    """Write an anchor for every Z newer than the log's last one (call after the Z committed).

    After the commit, so a crash can only leave an anchor out (the next Z writes it), never
    announce a Z that is not there. A lock on the log keeps two terminals from interleaving.
    """
    if str(store.path) == ":memory:":
        return []
    path = anchor_path(store)
    key = load_key(store)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    written: list[Anchor] = []
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        last = _last_logged_z(path)
        for row in store.query("SELECT id, number, business_day, closed_at FROM z_closings"
                               " WHERE store_id = ? AND number > ? ORDER BY number", (store.store_id, last)):
            anchor = z_anchor(store, row)
            if anchor is None:
                continue
            fields = {"z": anchor.z, "day": anchor.day, "seq": anchor.seq, "fp": anchor.fp,
                      "closed_at": row["closed_at"]}
            handle.write(json.dumps({**fields, "mac": _mac(key, fields)}, sort_keys=True) + "\n")
            written.append(anchor)
        handle.flush()
        os.fsync(handle.fileno())
    return written


def parse_typed(text: str) -> Anchor:
    """``SEQ:FINGERPRINT`` as printed on a Z (``345:3f2a-91bc-0d4e-77aa``); at least 8 hex digits."""
    seq, sep, fp = (text or "").strip().lstrip("#").partition(":")
    fp_hex = normalise_fingerprint(fp)
    if not sep or not seq.strip().isdigit() or len(fp_hex) < 8 or len(fp_hex) != len(
            "".join(ch for ch in fp if ch not in " -")):
        raise PosError("Not an anchor: {text!r} (use SEQ:FINGERPRINT as printed on the Z, e.g. 345:3f2a-91bc-0d4e-77aa).",
                       text=text)
    return Anchor(int(seq), fp_hex[:16], source="typed")


def check(store: Store, typed: list[Anchor] = (), log: bool = True, store_id: int | None = None) -> list[str]:
    """Problems found by comparing the chain with the anchor log and the typed anchors.

    A chain shorter than an anchor was cut (tail deleted) or put back from an older copy;
    an entry whose fingerprint differs was rewritten (or the file is an older copy that
    went on selling). A store with Z closings but no anchor log is named as well: the log
    may have been removed to hide a rollback.
    """
    problems: list[str] = []
    anchors = list(typed)
    # One store's chain (its log, its entries), or the whole table for typed anchors of an unnamed store.
    in_store = "" if store_id is None else f" AND store_id = {int(store_id)}"
    where_store = "" if store_id is None else f" WHERE store_id = {int(store_id)}"
    if log:
        path = anchor_path(store, store_id)
        key = load_key(store) if path.exists() else None
        found, problems = read_log(path, key)
        anchors += found
        if not path.exists() and store.scalar(f"SELECT 1 FROM z_closings{where_store} LIMIT 1"):
            problems.append(_("the anchor log {path} is missing although the store has Z closings: restore it "
                              "from your backup (a store older than the anchors gets its log at its next Z)"
                              ).format(path=path))
    if not anchors:
        return problems
    head = store.scalar(f"SELECT coalesce(max(id), 0) FROM signatures{where_store}")
    seen: set[tuple[int, str]] = set()
    for anchor in sorted(anchors, key=lambda a: a.seq):
        if (anchor.seq, anchor.fp) in seen:
            continue
        seen.add((anchor.seq, anchor.fp))
        if anchor.seq > head:
            problems.append(_("the chain stops at #{n}; {what} anchored #{m} (records were deleted from the end, "
                              "or an older copy of the database was put back)").format(
                n=head, what=anchor.label(), m=anchor.seq))
            continue
        sig = store.scalar(f"SELECT sig FROM signatures WHERE id = ?{in_store}", (anchor.seq,))
        if sig is None or not sig.startswith(anchor.fp):
            problems.append(_("chain entry #{m} is not the one {what} anchored ({fp}): the chain was rewritten, "
                              "or an older copy of the database was put back").format(
                m=anchor.seq, what=anchor.label(), fp=fingerprint(anchor.fp)))
    return problems
