"""What an import did, per kind, and the progress line while it runs."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

LABELS = {
    "category": "chuyên mục",
    "tag": "thẻ",
    "article": "bài viết",
    "comment": "bình luận",
    "doc_type": "loại văn bản",
    "doc_issuer": "cơ quan ban hành",
    "doc_topic": "lĩnh vực",
    "doc_signer": "người ký",
    "doc_examiner": "cơ quan thẩm tra",
    "document": "văn bản",
    "page": "trang tĩnh",
    "banner_plan": "vị trí quảng cáo",
    "banner": "quảng cáo",
    "stats": "thống kê",
    "topic": "dòng sự kiện",
    "poll": "thăm dò ý kiến",
    "department": "bộ phận liên hệ",
    "contact_message": "thư liên hệ",
    "menu_item": "mục menu",
    "free_block": "khối nội dung tự do",
}


@dataclass
class Tally:
    read: int = 0  # rows read from the NukeViet table
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    counters: int = 0
    merged: int = 0  # of `created`: linked to a portal object of the same name or slug


@dataclass
class Progress:
    out: object = None
    verbosity: int = 1
    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    skips: list[tuple[str, int, str]] = field(default_factory=list)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)
    _progress: dict = field(default_factory=dict)
    # The rule for portal objects of the same name (README "Chuyển từ NukeViet").
    keep_apart: bool = False

    def read(self, kind: str, n: int) -> None:
        self.tallies[kind].read += n

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        setattr(self.tallies[kind], outcome, getattr(self.tallies[kind], outcome) + n)

    def skip(self, kind: str, nv_id: int, reason: str) -> None:
        self.add(kind, "skipped")
        self.skips.append((kind, nv_id, reason))
        if self.verbosity >= 2:
            self._line(f"bỏ qua {LABELS.get(kind, kind)} #{nv_id}: {reason}")

    def warn(self, kind: str, nv_id: int, message: str) -> None:
        self.warnings.append((kind, nv_id, message))
        if self.verbosity >= 2:
            self._line(f"lưu ý {LABELS.get(kind, kind)} #{nv_id}: {message}")

    # -- progress ---------------------------------------------------------------------

    def start(self, kind: str, total: int) -> None:
        self.read(kind, total)
        self._progress = {
            "kind": kind,
            "total": total,
            "done": 0,
            "t0": time.monotonic(),
            "shown": 0.0,
        }
        self._draw(force=True)

    def step(self, n: int) -> None:
        if self._progress:
            self._progress["done"] += n
            self._draw()

    def finish(self) -> None:
        if not self._progress:
            return
        self._draw(force=True, end=True)
        self._progress = {}

    def _tty(self) -> bool:
        stream = getattr(self.out, "_out", self.out)
        return bool(getattr(stream, "isatty", lambda: False)())

    def _draw(self, force=False, end=False) -> None:
        p = self._progress
        if self.verbosity < 1 or not p or self.out is None:
            return
        now = time.monotonic()
        tty = self._tty()
        if not force and (now - p["shown"] < (0.2 if tty else 10)):
            return
        p["shown"] = now
        label = LABELS.get(p["kind"], p["kind"])
        total, done = p["total"], p["done"]
        elapsed = now - p["t0"]
        if tty and total:
            width = 30
            filled = int(width * min(done, total) / total)
            bar = "#" * filled + "-" * (width - filled)
            line = f"\r{label:<18} [{bar}] {done}/{total} {elapsed:5.0f} s"
            self.out.write(line + ("\n" if end else ""), ending="")
            self.out.flush()
        elif end or not tty:
            self.out.write(f"{label}: {done}/{total or '?'} ({elapsed:.0f} s)")

    def _line(self, message: str) -> None:
        if self.out is None:
            return
        if self._progress and self._tty():
            self.out.write("\r" + " " * 78 + "\r", ending="")
        self.out.write(message)

    # -- summary ----------------------------------------------------------------------

    def summary_lines(self, list_limit: int = 50) -> list[str]:
        lines = ["Tổng kết:"]
        for kind, t in self.tallies.items():
            line = (
                f"  {LABELS.get(kind, kind)}: {t.read} đọc, {t.created} mới, "
                f"{t.updated} cập nhật, {t.unchanged} không đổi, {t.skipped} bỏ qua"
            )
            if t.merged:
                line += f" ({t.merged} mới gộp vào mục cùng tên/đường dẫn có sẵn trên cổng)"
            if t.counters:
                line += f"; {t.counters} bộ đếm cập nhật"
            lines.append(line)
        if self.keep_apart:
            lines.append(
                "Chuyên mục trùng tên hoặc đường dẫn với chuyên mục có sẵn được tạo riêng "
                "(--keep-apart); thẻ, loại văn bản, cơ quan và lĩnh vực có tên duy nhất nên "
                "vẫn dùng chung."
            )
        else:
            lines.append(
                "Chuyên mục, thẻ, loại văn bản, cơ quan và lĩnh vực trùng tên hoặc đường dẫn "
                "với mục có sẵn trên cổng được gộp vào mục đó (--keep-apart để tạo chuyên mục "
                "riêng)."
            )
        for title, items in (("Bỏ qua", self.skips), ("Lưu ý", self.warnings)):
            if not items:
                continue
            lines.append(f"{title} ({len(items)}):")
            shown = items if self.verbosity >= 2 else items[:list_limit]
            for kind, nv_id, reason in shown:
                lines.append(f"  {LABELS.get(kind, kind)} #{nv_id}: {reason}")
            if len(shown) < len(items):
                lines.append(f"  ... và {len(items) - len(shown)} mục nữa (xem hết với -v 2)")
        return lines
