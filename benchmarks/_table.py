"""The one table every benchmark prints: figure, ours, baseline, ours / baseline.

Each cell is the median over ``--repeat`` runs with the spread (min-max) beside it. The table
is printed and written to ``benchmarks/results/<date>-<name>.md`` with the sizes it was run at.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def arguments(description: str, sizes: str, repeat: int = 1) -> argparse.ArgumentParser:
    """The flags every benchmark takes: --sizes (posts, comma-separated) and --repeat."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default=sizes,
                        help=f"world sizes in posts, comma-separated (default {sizes})")
    parser.add_argument("--repeat", type=int, default=repeat,
                        help="runs per figure; the table shows the median and min-max")
    parser.add_argument("--workspaces", type=int, default=2,
                        help="client workspaces of the world (13 accounts each)")
    parser.add_argument("--out", default=None, help="results file (default: date-stamped)")
    return parser


def sizes(text: str) -> list[int]:
    """``"5000,100000"`` -> [5000, 100000]."""
    return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _cell(values: list[float], unit: str) -> str:
    if not values:
        return "-"
    text = f"{_number(statistics.median(values))} {unit}".strip()
    if len(values) > 1:
        text += f" ({_number(min(values))}-{_number(max(values))})"
    return text


@dataclass
class Row:
    """One figure: our values and the baseline's, over the repeats."""

    figure: str
    unit: str = ""
    ours: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)

    def ratio(self) -> str:
        if not self.ours or not self.baseline or statistics.median(self.baseline) == 0:
            return "-"
        return f"{statistics.median(self.ours) / statistics.median(self.baseline):,.3g}x"


@dataclass
class Table:
    """The rows of one benchmark run, in the order they were first added."""

    name: str
    baseline: str
    notes: list[str] = field(default_factory=list)
    rows: dict[str, Row] = field(default_factory=dict)

    def row(self, figure: str, unit: str = "") -> Row:
        """The row named ``figure`` (created on first use)."""
        return self.rows.setdefault(figure, Row(figure, unit))

    def render(self) -> str:
        header = ("figure", "ours", f"baseline ({self.baseline})", "ours / baseline")
        body = [(r.figure, _cell(r.ours, r.unit), _cell(r.baseline, r.unit), r.ratio())
                for r in self.rows.values()]
        widths = [max(len(line[i]) for line in [header, *body]) for i in range(4)]
        lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
                 for line in [header, *body]]
        lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)

    def publish(self, out: str | None = None) -> Path:
        """Print the table and write it (with the notes) to the results folder."""
        text = self.render()
        print("\n" + text)
        for note in self.notes:
            print(f"- {note}")
        path = Path(out) if out else RESULTS / f"{time.strftime('%Y-%m-%d')}-{self.name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {self.name} ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
                        f"{platform.node()}, Python {platform.python_version()})\n\n{text}\n\n"
                        + "".join(f"- {n}\n" for n in self.notes), encoding="utf-8")
        print(f"(written to {path})")
        return path
