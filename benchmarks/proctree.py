"""Memory of a process and its descendants, read from /proc (Linux).

RSS counts a page in every process that maps it, so the RSS of a zygote and of the sandboxes it
forked adds the shared torch pages several times; PSS (proportional set size, from
``/proc/PID/smaps_rollup``) divides each shared page between its users and adds up to what the
tree really holds. Both are reported.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may contain spaces and parentheses: fields follow the last ')'.
        rest = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(rest[1]), []).append(int(entry))
    return children


def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    tree = _children_map()
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, []))
    return found


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def rollup(pid: int) -> dict[str, int]:
    """Rss, Pss, Private (clean + dirty) and Shared in bytes, from smaps_rollup (0 if gone)."""
    values: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) >= 3 and parts[-1] == "kB":
                    values[parts[0].rstrip(":")] = int(parts[1]) * 1024
    except OSError:
        return {"Rss": 0, "Pss": 0, "Private": 0, "Shared": 0}
    private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    shared = values.get("Shared_Clean", 0) + values.get("Shared_Dirty", 0)
    return {
        "Rss": values.get("Rss", 0),
        "Pss": values.get("Pss", 0),
        "Private": private,
        "Shared": shared,
    }


def status_kb(pid: int, key: str) -> int:
    """A field of /proc/PID/status in kB (VmRSS, VmHWM, ...), 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class TreePeak:
    peak_rss: int = 0
    peak_pss: int = 0
    peak_processes: int = 0
    max_single_rss: int = 0
    samples: int = 0
    per_pid_rss: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, float]:
        return {
            "peak_tree_rss_mb": round(self.peak_rss / MB, 1),
            "peak_tree_pss_mb": round(self.peak_pss / MB, 1),
            "peak_processes": self.peak_processes,
            "max_single_rss_mb": round(self.max_single_rss / MB, 1),
            "samples": self.samples,
        }


class TreeSampler:
    """Polls a process tree in a thread and keeps the peaks (RSS every tick, PSS every ``pss_every``)."""

    def __init__(self, root: int, interval: float = 0.1, pss_every: int = 3) -> None:
        self.root = root
        self.interval = interval
        self.pss_every = pss_every
        self.peak = TreePeak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        tick = 0
        while not self._stop.is_set():
            pids = descendants(self.root)
            rss = {pid: rss_bytes(pid) for pid in pids}
            rss = {pid: value for pid, value in rss.items() if value}
            peak = self.peak
            peak.samples += 1
            peak.peak_rss = max(peak.peak_rss, sum(rss.values()))
            peak.peak_processes = max(peak.peak_processes, len(rss))
            for pid, value in rss.items():
                peak.per_pid_rss[pid] = max(peak.per_pid_rss.get(pid, 0), value)
                peak.max_single_rss = max(peak.max_single_rss, value)
            if tick % self.pss_every == 0:
                peak.peak_pss = max(peak.peak_pss, sum(rollup(pid)["Pss"] for pid in rss))
            tick += 1
            self._stop.wait(self.interval)

    def stop(self) -> TreePeak:
        self._stop.set()
        self._thread.join(timeout=5)
        return self.peak
