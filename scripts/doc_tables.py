"""Generate the docs' tables from the code: parameters, recorded columns, KPIs.

Each table sits in a doc between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED:
name -->``. ``python scripts/doc_tables.py`` rewrites them; ``--check`` exits 1 (naming the stale
table) when a doc differs from the code — the test suite runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from sim.kpis import FIGURES
from sim.params import GROUPS, specs
from sim.recorder import SERIES

ROOT = Path(__file__).resolve().parent.parent


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parameters_table() -> str:
    """Every parameter by theme: name, default, allowed values, unit, meaning."""
    titles = dict(GROUPS)
    lines = []
    for group, title in titles.items():
        lines += [f"**{title}**", "", "| parameter | default | allowed | unit | meaning |",
                  "|---|---|---|---|---|"]
        for s in specs():
            if s.group != group:
                continue
            if s.kind == "choice":
                allowed = ", ".join(f"`{c}`" for c in s.choices or ())
            elif s.kind == "bool":
                allowed = "true, false"
            else:
                allowed = f"{_fmt(s.minimum)} – {_fmt(s.maximum)}"
            lines.append(f"| `{s.name}` | {_fmt(s.default)} | {allowed} | {s.unit} | "
                         f"{s.description} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def columns_table() -> str:
    """Every recorded column: name, unit, meaning."""
    lines = ["| column | unit | meaning |", "|---|---|---|"]
    lines += [f"| `{s.name}` | {s.unit} | {s.meaning} |" for s in SERIES]
    return "\n".join(lines) + "\n"


def kpis_table() -> str:
    """Every KPI: key, unit, meaning."""
    lines = ["| key | unit | meaning |", "|---|---|---|"]
    for f in FIGURES:
        lines.append(f"| `{f.name}` | {f.unit} | {f.label} |")
    return "\n".join(lines) + "\n"


TABLES: dict[str, tuple[str, Callable[[], str]]] = {
    "parameters": ("docs/model.md", parameters_table),
    "columns": ("docs/api.md", columns_table),
    "kpis": ("docs/model.md", kpis_table),
}


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- BEGIN GENERATED: {name} -->\n)(.*?)(<!-- END GENERATED: {name} -->)",
                      re.DOTALL)


def stale() -> list[str]:
    """Names of the tables whose doc differs from the code (or lacks its markers)."""
    out = []
    for name, (doc, make) in TABLES.items():
        m = _pattern(name).search((ROOT / doc).read_text(encoding="utf-8"))
        if m is None or m.group(2) != make():
            out.append(f"{name} ({doc})")
    return out


def write() -> None:
    """Rewrite every generated table in place."""
    for name, (doc, make) in TABLES.items():
        path = ROOT / doc
        text = path.read_text(encoding="utf-8")
        new, n = _pattern(name).subn(lambda m, make=make: m.group(1) + make() + m.group(3), text)
        if n != 1:
            sys.exit(f"{doc}: markers for table '{name}' are missing")
        path.write_text(new, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = ap.parse_args()
    if args.check:
        bad = stale()
        if bad:
            print("stale generated tables: " + ", ".join(bad)
                  + " — run `python scripts/doc_tables.py`", file=sys.stderr)
            return 1
        return 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
