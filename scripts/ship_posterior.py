"""Ship a finished calibration: its posterior, report and figures into the repository, and its
report into ``docs/calibration.md``.

    nice sim calibrate calibration/default.toml --out calibration/runs/default
    python scripts/ship_posterior.py calibration/runs/default

copies ``posterior.parquet`` to ``calibration/posteriors/NAME.parquet`` (what ``sim run
--uncertainty posterior`` and the app read), the report (Markdown, HTML, SVG and PNG figures,
CSV tables), the predictive checks and the provenance to ``calibration/posteriors/NAME/``, and
replaces the part of ``docs/calibration.md`` between ``<!-- calibration report -->`` and
``<!-- end calibration report -->`` with the report's Markdown (figures linked).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "calibration.md"
START, END = "<!-- calibration report -->", "<!-- end calibration report -->"


def ship(folder: Path) -> Path:
    run = json.loads((folder / "run.json").read_text())
    name = run["name"]
    dest = ROOT / "calibration" / "posteriors"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / "posterior.parquet", dest / f"{name}.parquet")
    extra = dest / name
    if extra.exists():
        shutil.rmtree(extra)
    shutil.copytree(folder / "report", extra)
    for f in ("predictive.parquet", "provenance.json"):
        shutil.copyfile(folder / f, extra / f)
    (extra / "report.html").unlink(missing_ok=True)  # figures embedded: large; SVG/PNG stay
    md = (extra / "report.md").read_text()
    rel = f"../calibration/posteriors/{name}"
    figures = "\n".join(f"![{stem}]({rel}/{stem}.png)" for stem in
                        ("thresholds", "marginals", "pairs", "checks")
                        if (extra / f"{stem}.png").exists())
    block = f"{START}\n{md}\n#### Figures (SVG beside each PNG)\n\n{figures}\n{END}"
    doc = DOC.read_text()
    if START in doc:
        doc = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, doc,
                     flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(doc)
    return dest / f"{name}.parquet"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/ship_posterior.py CALIBRATION_OUTPUT_FOLDER")
    print(f"wrote {ship(Path(sys.argv[1]))} and {DOC}")
