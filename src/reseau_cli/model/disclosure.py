"""Small counts suppressed before any figure is shown, so a report can go to a funder.

Primary suppression: every count from 1 to ``min_count`` - 1 is hidden (shown « < K »);
zero is shown, as it tells nothing about anyone.
Complementary suppression: where a total is shown with its parts, one hidden part could
be recomputed (total minus the others), so one more part is hidden, the smallest, until
no group of a total and its parts has exactly one hidden part. A figure derived from
counts (a share, a median, a sum of days) is hidden with any count it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    table: str
    key: str
    value: float | None  # None: suppressed (or nothing to compute it from)
    unit: str  # count | days | percent | persons
    suppressed: bool


@dataclass
class Sheet:
    """Figures as they are added, then published with ``cells``."""

    min_count: int
    counts: dict[str, int] = field(default_factory=dict)
    tables: dict[str, list[str]] = field(default_factory=dict)  # table -> keys in order
    groups: list[tuple[str, list[str]]] = field(default_factory=list)
    derived: dict[str, tuple[float | None, str, list[str]]] = field(default_factory=dict)

    def count(self, table: str, key: str, value: int) -> str:
        full = f"{table}.{key}"
        self.counts[full] = value
        self.tables.setdefault(table, []).append(full)
        return full

    def hidden(self, key: str, value: int) -> str:
        """A count shown nowhere but implied by the others (total minus the shown parts):
        it takes part in complementary suppression."""
        full = f"_hidden.{key}"
        self.counts[full] = value
        return full

    def group(self, total: str, parts: list[str]) -> None:
        """``total`` is the sum of ``parts`` (so one hidden part could be recomputed)."""
        self.groups.append((total, parts))

    def figure(self, table: str, key: str, value: float | None, unit: str, deps: list[str]) -> None:
        """A derived figure: hidden whenever one of the counts ``deps`` is."""
        full = f"{table}.{key}"
        self.derived[full] = (value, unit, deps)
        self.tables.setdefault(table, []).append(full)

    def suppressed(self) -> set[str]:
        hidden = {k for k, v in self.counts.items() if 0 < v < self.min_count}
        changed = True
        while changed:
            changed = False
            for total, parts in self.groups:
                if total in hidden:
                    continue
                open_parts = [p for p in parts if p not in hidden]
                if len(parts) - len(open_parts) != 1:
                    continue
                if open_parts:
                    smallest = min(open_parts, key=lambda p: (self.counts[p], parts.index(p)))
                    hidden.add(smallest)
                else:
                    hidden.add(total)
                changed = True
        return hidden

    def cells(self) -> list[Cell]:
        hidden = self.suppressed()
        out = []
        for table, keys in self.tables.items():
            for full in keys:
                key = full.split(".", 1)[1]
                if full in self.counts:
                    gone = full in hidden
                    value = None if gone else float(self.counts[full])
                    out.append(Cell(table, key, value, "count", gone))
                else:
                    value, unit, deps = self.derived[full]
                    gone = any(d in hidden for d in deps)
                    out.append(Cell(table, key, None if gone else value, unit, gone))
        return out
