"""The bad-input corpus: everything a person or a file can hand the program that it must refuse
clearly (or, for valid input that used to crash, run).

Each :class:`Case` sets up files in an empty folder, then calls the command line
(``sim_cli.main.main``) or the Python API in-process and records an :class:`Outcome`: the exit
code, what was printed, whether an exception escaped (a traceback), and whether any file that
was there before changed (bytes, mode, symlink target) or a new one appeared.

``tests/badinput/test_corpus.py`` asserts every case; ``python -m tests.badinput.count`` runs
each case in its own process (with a time and memory limit) and counts the outcomes, so the
same corpus measures the code before and after a fix.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Exit code of an interrupted command (128 + SIGINT).
INTERRUPTED = 130

GOOD_SCENARIO = 'title = "A test scenario"\n[parameters]\nmonths = 12\n'
GOOD_SWEEP = (
    'name = "s"\ndesign = "grid"\nmaster_seed = 1\noutput = "{tmp}/out"\n'
    '[fixed]\nmonths = 12\nn_institutions = 10\n'
    '[vary.dialogue_effort]\nlevels = [0.2, 0.8]\n'
)


@dataclass(frozen=True)
class Case:
    """One bad (or once-crashing valid) input.

    Attributes:
        id: Short unique name.
        surface: ``cli``, ``scenario`` (a scenario file), ``sweep`` (a sweep file),
            ``calibration`` (a calibration file) or ``api``.
        argv: Command-line arguments (``{tmp}`` is the case's folder), for CLI-run cases.
        call: For API cases: a function of the case's folder that calls the API.
        setup: Creates the files the case needs in its folder.
        code: Expected exit code: 2 refused, 0 must run, 130 interrupted. API cases: 2 means
            a ``sim.errors.SimInputError`` is raised.
        expect: Fragments the message must contain (case-insensitive): what is wrong and what
            is allowed.
        interrupt_after: Send Ctrl-C (SIGINT) this many seconds after start (runs the
            ``sim`` command in a subprocess).
        during: A context manager factory wrapped around the in-process call (e.g. one that
            presses Ctrl-C in the middle of writing a file).
        owner: Who fixes it when not this corpus' owner (counted, not asserted here).
        stdout: Run ``sim`` in a subprocess with its standard output on ``"full"`` (the
            device /dev/full: no space left) or ``"closed"`` (a pipe whose reader takes one
            line and closes it, as ``| head -1``).
    """

    id: str
    surface: str
    argv: tuple[str, ...] = ()
    call: Callable[[Path], Any] | None = None
    setup: Callable[[Path], None] | None = None
    code: int = 2
    expect: tuple[str, ...] = ()
    interrupt_after: float | None = None
    during: Callable[[], contextlib.AbstractContextManager[Any]] | None = None
    owner: str = ""
    stdout: str | None = None


@dataclass
class Outcome:
    """What happened when a case ran."""

    code: int | None  # None: an exception escaped
    out: str = ""
    err: str = ""
    exception: str = ""  # "TypeError: ..." when one escaped
    changed: list[str] = field(default_factory=list)  # files changed, replaced or added
    seconds: float = 0.0

    @property
    def message(self) -> str:
        return self.err if self.err.strip() else self.exception


# --- set-up helpers ---------------------------------------------------------------------------

def files(**named: bytes | str) -> Callable[[Path], None]:
    """Create files (``name=content``; ``__`` in a name is a ``/``)."""
    def make(tmp: Path) -> None:
        for name, content in named.items():
            path = tmp / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode() if isinstance(content, str) else content
            path.write_bytes(data.replace(b"{tmp}", str(tmp).encode()))
            path.chmod(0o644)
    return make


def chain(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        for step in steps:
            step(tmp)
    return make


def folder(name: str) -> Callable[[Path], None]:
    return lambda tmp: (tmp / name).mkdir(parents=True)


def hardlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda tmp: os.link(tmp / target, tmp / name)


def fifo(name: str) -> Callable[[Path], None]:
    return lambda tmp: os.mkfifo(tmp / name)


def symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda tmp: (tmp / name).symlink_to(tmp / target)


def scenario_with(params: str) -> Callable[[Path], None]:
    return files(**{"s.toml": f'title = "T"\n[parameters]\nmonths = 12\n{params}\n'})


def sweep_with(fixed: str) -> Callable[[Path], None]:
    text = ('name = "s"\ndesign = "grid"\nmaster_seed = 1\noutput = "{tmp}/out"\n'
            f'[fixed]\nmonths = 12\n{fixed}\n[vary.dialogue_effort]\nlevels = [0.2, 0.8]\n')
    return files(**{"w.toml": text})


def sweep_file(top: str = "", tables: str = "", design: str = "grid",
               vary: str = "[vary.dialogue_effort]\nlevels = [0.2, 0.8]\n",
               **more: bytes | str) -> Callable[[Path], None]:
    """A sweep file ``w.toml`` (plus ``more`` files): ``top`` keys, then ``vary``, ``tables``."""
    text = (f'name = "s"\ndesign = "{design}"\nmaster_seed = 1\noutput = "{{tmp}}/out"\n{top}'
            f'[fixed]\nmonths = 12\nn_institutions = 10\n{vary}{tables}')
    return files(**{"w.toml": text}, **more)


CHECK = ("sweep", "{tmp}/w.toml", "--check")
SERIAL = ("sweep", "{tmp}/w.toml", "--executor", "serial", "--no-progress")
POINTS = ('[sampler]\nfile = "p.csv"\n')
TWO = "[vary.dialogue_effort]\nrange = [0.1, 0.9]\n[vary.initial_trust]\nrange = [0.2, 0.8]\n"
STRATEGY = ("[cases.strategy]\ntimid = { dialogue_effort = 0.1 }\n"
            "bold = { dialogue_effort = 0.9 }\n")


def posterior_file(name: str = "post.parquet", extra: str = "",
                   weights: tuple[float, ...] = (0.2, 0.8)) -> Callable[[Path], None]:
    """A posterior (as ``sim calibrate`` writes one) over ``initial_trust`` (plus a column
    ``extra``, for a posterior of another model)."""
    def make(tmp: Path) -> None:
        import numpy as np
        import pandas as pd

        from sim_calibrate.posterior import write_posterior

        particles = pd.DataFrame({"initial_trust": [0.4, 0.6]})
        if extra:
            particles[extra] = [1.0, 2.0]
        write_posterior(tmp / name, particles, np.array(weights), {"calibration": "c"})
    return make


def posterior_sweep(sampler: str = 'n = 3\nposterior = "post.parquet"\n',
                    **more: bytes | str) -> Callable[[Path], None]:
    """A sweep file of design ``posterior`` with ``[sampler]`` keys ``sampler``."""
    return sweep_file(design="posterior", tables=f"[sampler]\n{sampler}", **more)


CAL_CHECK = ("calibrate", "{tmp}/c.toml", "--check")
CAL_TARGET = ('statistic = "year_mean_over_potential"\ncolumn = "realised_gain"\n'
              "year = 2011\n")


def calibration_file(prior: str = ('[priors.progress_ratio]\nrange = [0.85, 0.95]\n'
                                   'why = "Wright"\n'),
                     target: str = CAL_TARGET, scenario: str = "oesc_payroll",
                     observed: str = "range = [0.2, 0.69]\n", tolerance: str = "0.1",
                     use: str = "fit", extra: str = "", seed: str = "1"
                     ) -> Callable[[Path], None]:
    """A calibration file ``c.toml`` with one prior and one target (parts replaceable)."""
    text = (f'name = "c"\nseed = {seed}\n[abc]\npopulation_size = 10\ngenerations = 1\n'
            f'{extra}{prior}[[targets]]\nname = "t"\nscenario = "{scenario}"\n{target}'
            f'{observed}tolerance = {tolerance}\nsource = "RR 15/2012"\nuse = "{use}"\n')
    return files(**{"c.toml": text})


def sweep_results(tmp: Path) -> None:
    """A finished tiny sweep in ``tmp/out`` (two points, one run each)."""
    from sim_cli.main import main

    files(**{"w.toml": GOOD_SWEEP})(tmp)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["sweep", str(tmp / "w.toml"), "--executor", "serial", "--no-progress"])
    assert code == 0, "the tiny sweep of the analyze cases did not run"
    (tmp / "w.toml").unlink()


def sweep_ran(*argv: str) -> Callable[[Path], None]:
    """Run ``sim sweep {tmp}/w.toml`` (serially) on the files set up before; keep them all."""
    def make(tmp: Path) -> None:
        from sim_cli.main import main

        args = [a.replace("{tmp}", str(tmp)) for a in argv]
        with contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            code = main(["sweep", str(tmp / "w.toml"), "--executor", "serial", "--no-progress",
                         *args])
        assert code == 0, "the set-up sweep did not run"
    return make


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace text in a file set up before."""
    def make(tmp: Path) -> None:
        path = tmp / name
        path.write_text(path.read_text().replace(old, new))
    return make


def damage(rel: str, how: str) -> Callable[[Path], None]:
    """Damage a result file: ``rel`` is a glob under the case folder (its first match);
    ``how``: ``truncate`` (half the bytes), ``empty``, ``delete``, ``binary``, ``fifo`` (a
    named pipe in its place: a reader that opens it waits for ever) or ``link`` (a symbolic
    link in its place, to a file of someone else's beside the folder)."""
    def make(tmp: Path) -> None:
        import shutil

        path = sorted(tmp.glob(rel))[0]
        if how in ("fifo", "link"):
            path.unlink()
            if how == "fifo":
                os.mkfifo(path)
            else:
                (tmp / "someone-elses.txt").write_text("keep me\n")
                path.symlink_to(tmp / "someone-elses.txt")
        elif how == "delete":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        elif how == "truncate":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        else:
            path.write_bytes(b"" if how == "empty" else BINARY)
    return make


def rot(rel: str, column: str | None = None) -> Callable[[Path], None]:
    """Flip bytes in the middle of a Parquet file's ``column`` (default: its largest column
    chunk; ``rel``: a glob, its first match), leaving its footer whole: bit rot, or a copy
    damaged on the way."""
    def make(tmp: Path) -> None:
        import pyarrow.parquet as pq

        path = sorted(tmp.glob(rel))[0]
        group = pq.ParquetFile(path).metadata.row_group(0)
        chunks = [group.column(i) for i in range(group.num_columns)]
        chunk = (next(c for c in chunks if c.path_in_schema == column) if column else
                 max(chunks, key=lambda c: c.total_compressed_size))
        middle = chunk.data_page_offset + chunk.total_compressed_size // 2
        data = bytearray(path.read_bytes())
        for i in range(middle - 8, middle + 8):
            data[i] ^= 0xFF
        path.write_bytes(bytes(data))
    return make


def foreign_part(clash: bool = False) -> Callable[[Path], None]:
    """A Parquet file another program put into ``out/runs/``: other key columns, or (``clash``)
    a copy of a stored run whose ``seed`` column holds text."""
    def make(tmp: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        target = tmp / "out" / "runs" / "part-zzz-foreign.parquet"
        if not clash:
            pq.write_table(pa.table({"run_id": [1, 2], "x": [0.5, 0.6]}), target)
            return
        table = pq.read_table(sorted((tmp / "out" / "runs").glob("part-*.parquet"))[0])
        table = table.slice(0, 1)
        i = table.schema.get_field_index("seed")
        pq.write_table(table.set_column(i, "seed", pa.array(["7"])), target)
    return make


@contextlib.contextmanager
def dask_connect_timeout() -> Any:
    """Dask's connect timeout at 1 s instead of 30 (the case measures the message, not the
    wait)."""
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        yield


def nested(depth: int) -> bytes:
    return b'title = "T"\nx = ' + b"[" * depth + b"]" * depth + b"\n"


UTF16 = GOOD_SCENARIO.encode("utf-16")
LATIN1 = 'title = "Århus kommune, økonomi"\n'.encode("latin-1")
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
BOM = b"\xef\xbb\xbf" + GOOD_SCENARIO.encode()


def _api(**kwargs: Any) -> Callable[[Path], Any]:
    def call(tmp: Path) -> Any:
        from sim import run

        return run(**kwargs)
    return call


def _api_scenario(name: str, **kwargs: Any) -> Callable[[Path], Any]:
    def call(tmp: Path) -> Any:
        from sim import run

        return run(str(tmp / name) if name else name, **kwargs)
    return call


def _small() -> Any:
    from sim.params import make_params

    return make_params({"months": 12, "n_institutions": 10})


def _constructed(**values: Any) -> Any:
    """A Params made around validation (``model_construct``) with ``values``."""
    from sim.params import Params

    return Params.model_construct(**{**_small().model_dump(), **values})


def _simulate(params: Callable[[], Any] = _small, seed: Any = 1, **kw: Any
              ) -> Callable[[Path], Any]:
    def call(tmp: Path) -> Any:
        from sim.runner import simulate

        return simulate(params(), seed, **kw)
    return call


def _compare(seeds: Any, b: Callable[[], Any] = _small) -> Callable[[Path], Any]:
    def call(tmp: Path) -> Any:
        from sim_cli.compare import compare

        return compare(_small(), b(), seeds)
    return call


def _seeds(master: Any, n: Any) -> Callable[[Path], Any]:
    def call(tmp: Path) -> Any:
        from sim.seeds import replication_seeds

        return replication_seeds(master, n)
    return call


def _model(params: Callable[[], Any] = _small, rng: Any = 1, **kw: Any
           ) -> Callable[[Path], Any]:
    def call(tmp: Path) -> Any:
        from sim.model import SharedServiceModel

        return SharedServiceModel(params(), rng=rng, **kw)
    return call


@contextlib.contextmanager
def ctrl_c_while_writing() -> Any:
    """Ctrl-C in the middle of writing a CSV or PNG: half the bytes are out, then
    KeyboardInterrupt (as if the user pressed Ctrl-C at that moment)."""
    import pandas as pd
    from matplotlib.figure import Figure

    def half_then_interrupt(path: Any) -> None:
        Path(path).write_bytes(b"month,year\n1,2012.0\n")
        raise KeyboardInterrupt

    saved = pd.DataFrame.to_csv, Figure.savefig
    pd.DataFrame.to_csv = lambda self, path, *a, **k: half_then_interrupt(path)
    Figure.savefig = lambda self, path, *a, **k: half_then_interrupt(path)
    try:
        yield
    finally:
        pd.DataFrame.to_csv, Figure.savefig = saved


@contextlib.contextmanager
def without_mpi4py() -> Any:
    """Hide mpi4py, as on a machine that never installed it (CI installs it for the MPI
    sweep test, so the case cannot rely on its absence)."""
    import sys

    names = ("mpi4py", "mpi4py.futures")
    saved = {name: sys.modules.get(name, _ABSENT) for name in names}
    for name in names:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is _ABSENT:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


_ABSENT = object()


def _institutions(name: str) -> Callable[[Path], Any]:
    """Read ``tmp/name`` as an institutions file (``sim.institutions``)."""
    def call(tmp: Path) -> Any:
        from sim.institutions import read_institutions

        return read_institutions(tmp / name)
    return call


def workbook(name: str, sheets: dict[str, list[list[Any]]]) -> Callable[[Path], None]:
    """Write an .xlsx workbook with these sheets (rows of cells) as ``tmp/name``."""
    def make(tmp: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(tmp / name)
    return make


def _inst(text: str | bytes, name: str = "i.csv", **kw: Any) -> dict[str, Any]:
    """An institutions-file case's setup and call (a CSV with ``text``)."""
    return {"setup": files(**{name: text}), "call": _institutions(name), **kw}


def _inst_cli(text: str | bytes, *argv: str, name: str = "i.csv", **kw: Any) -> dict[str, Any]:
    """A command-line case: ``sim run --institutions`` on a file holding ``text``."""
    return {"argv": _run("--institutions", f"{{tmp}}/{name}", *argv),
            "setup": files(**{name: text}), **kw}


def _inst_scenario(text: str | bytes, value: str = '"data/i.csv"', **kw: Any) -> dict[str, Any]:
    """A scenario-file case: ``institutions = VALUE`` (relative to the scenario file) naming a
    file that holds ``text``."""
    scenario = f'title = "T"\ninstitutions = {value}\n[parameters]\nmonths = 12\n'
    return {"argv": ("run", "--scenario", "{tmp}/s.toml"),
            "setup": files(**{"s.toml": scenario, "data__i.csv": text}), **kw}


def _run(*args: str) -> tuple[str, ...]:
    return ("run", "--months", "12", *args)


def _sets(*pairs: str) -> tuple[str, ...]:
    out: list[str] = []
    for p in pairs:
        out += ["--set", p]
    return tuple(out)


WHOLE = "whole number"
ONE_LINE_NUM = "number from"

CASES: list[Case] = [
    # --- valid input that crashed -------------------------------------------------------------
    Case("valid-two-institutions-small-world", "cli", _run(*_sets("n_institutions=2")), code=0),
    Case("valid-two-institutions-clustered", "cli",
         _run(*_sets("n_institutions=2", "network=clustered")), code=0),
    Case("valid-clustered-within-1e-17", "cli",
         _run(*_sets("network=clustered", "network_within_group=1e-17")), code=0),
    Case("valid-clustered-within-almost-1", "cli",
         _run(*_sets("network=clustered", "network_within_group=0.9999999999999999")), code=0),
    Case("valid-small-world-degree-1-full-rewiring", "cli",
         _run(*_sets("n_institutions=400", "network_degree=1", "network_rewiring=1")), code=0),
    Case("valid-complete-5000", "cli",
         ("run", "--months", "2", *_sets("n_institutions=5000", "network=complete")), code=0),
    Case("valid-bom-scenario", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": BOM}), code=0),
    Case("valid-bom-sweep", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=files(**{"w.toml": b"\xef\xbb\xbf" + GOOD_SWEEP.encode()}), code=0),

    # --- files overwritten --------------------------------------------------------------------
    # two outputs that are one file (a link, a hard link, the same name): refused before work
    Case("out-and-plot-one-file-by-link", "cli",
         _run("--out", "{tmp}/a.csv", "--plot", "{tmp}/a.png", "--force"),
         setup=chain(files(**{"a.csv": "keep me\n"}), symlink("a.png", "a.csv")),
         expect=("--out", "--plot", "same file")),
    Case("out-and-plot-one-file-by-hard-link", "cli",
         _run("--out", "{tmp}/a.csv", "--plot", "{tmp}/a.png", "--force"),
         setup=chain(files(**{"a.csv": "keep me\n"}), hardlink("a.png", "a.csv")),
         expect=("--out", "--plot", "same file")),
    Case("out-and-plot-one-new-file-by-link", "cli",
         _run("--out", "{tmp}/a.csv", "--plot", "{tmp}/a.png", "--force"),
         setup=symlink("a.png", "a.csv"), expect=("same file",)),
    # an analysis written into the sweep's data
    Case("analyze-out-into-runs", "sweep",
         ("analyze", "{tmp}/out", "--out", "{tmp}/out/runs", "--force"),
         setup=sweep_results, expect=("--out", "runs/", "sweep's data")),
    Case("analyze-out-into-series-subfolder", "sweep",
         ("analyze", "{tmp}/out", "--out", "{tmp}/out/series/x", "--force"),
         setup=sweep_results, expect=("--out", "series/")),
    Case("analyze-out-is-the-sweep-folder", "sweep",
         ("analyze", "{tmp}/out", "--out", "{tmp}/out", "--force"),
         setup=sweep_results, expect=("--out", "the sweep's folder")),
    # an option given twice keeps neither
    Case("run-seed-twice", "cli", _run("--seed", "1", "--seed", "2"),
         expect=("--seed", "twice", "once")),
    Case("run-months-twice", "cli", _run("--months", "12", "--months", "24"),
         expect=("--months", "twice")),
    Case("run-out-twice", "cli", _run("--out", "{tmp}/a.csv", "--out", "{tmp}/b.csv"),
         expect=("--out", "twice")),
    Case("run-scenario-twice", "cli", _run("--scenario", "default", "--scenario", "workshop"),
         expect=("--scenario", "twice")),
    Case("compare-seeds-twice", "cli",
         ("compare", "--vs-set", "dialogue_effort=0.9", "--seeds", "2", "--seeds", "3"),
         expect=("--seeds", "twice")),
    Case("sweep-workers-twice", "sweep",
         ("sweep", "{tmp}/w.toml", "--workers", "1", "--workers", "2", "--check"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--workers", "twice")),
    # numbers typed as Python would read them but a person did not mean
    Case("sweep-workers-arabic-indic-digit", "sweep",
         ("sweep", "{tmp}/w.toml", "--workers", "\u0662", "--check"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--workers", "whole number")),
    Case("sweep-workers-underscore", "sweep",
         ("sweep", "{tmp}/w.toml", "--workers", "1_0", "--check"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--workers", "whole number")),
    Case("sweep-batch-size-power", "sweep",
         ("sweep", "{tmp}/w.toml", "--batch-size", "10^30", "--check"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--batch-size", "whole number")),
    Case("sweep-batch-size-huge", "sweep",
         ("sweep", "{tmp}/w.toml", "--batch-size", "1" + "0" * 30, "--check"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--batch-size", "1,000,000")),
    Case("compare-seeds-arabic-indic", "cli",
         ("compare", "--vs-set", "dialogue_effort=0.9", "--seeds", "\u0663"),
         expect=("--seeds", "whole number")),
    Case("run-seed-underscore", "cli", _run("--seed", "1_0"), expect=("--seed", "whole number")),
    Case("sweep-output-empty", "sweep", ("sweep", "{tmp}/w.toml", "--output", "", "--check"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--output", "empty")),
    Case("out-csv-exists", "cli", _run("--out", "{tmp}/a.csv"),
         setup=files(**{"a.csv": "keep me\n"}), expect=("a.csv", "exists", "--force")),
    Case("out-parquet-exists", "cli", _run("--out", "{tmp}/a.parquet"),
         setup=files(**{"a.parquet": b"PAR1 keep me"}), expect=("a.parquet", "exists", "--force")),
    Case("plot-exists", "cli", _run("--plot", "{tmp}/a.png"),
         setup=files(**{"a.png": b"\x89PNG keep me"}), expect=("a.png", "exists", "--force")),
    Case("out-symlink", "cli", _run("--out", "{tmp}/link.csv"),
         setup=chain(files(**{"real.csv": "keep me\n"}), symlink("link.csv", "real.csv")),
         expect=("link.csv", "exists", "--force")),
    Case("out-dangling-symlink", "cli", _run("--out", "{tmp}/link.csv"),
         setup=symlink("link.csv", "nowhere.csv"), expect=("link.csv", "symbolic link")),
    Case("out-ok-then-plot-folder", "cli",
         _run("--out", "{tmp}/a.csv", "--plot", "{tmp}/pics.png"),
         setup=folder("pics.png"), expect=("pics.png", "folder")),
    Case("out-exists-then-plot-folder", "cli",
         _run("--out", "{tmp}/a.csv", "--plot", "{tmp}/pics.png"),
         setup=chain(files(**{"a.csv": "keep me\n"}), folder("pics.png")),
         expect=("a.csv", "exists", "--force")),
    Case("out-and-plot-exist-with-bad-plot-folder", "cli",
         _run("--out", "{tmp}/a.csv", "--plot", "{tmp}/nope/p.png", "--force"),
         setup=files(**{"a.csv": "keep me\n"}), expect=("nope", "does not exist")),
    Case("analyze-out-report-exists", "sweep", ("analyze", "{tmp}/out", "--out", "{tmp}/rep"),
         setup=chain(sweep_results, files(**{"rep__report.html": "<p>my notes</p>"})),
         expect=("rep", "exists", "--force")),
    Case("analyze-default-folder-exists", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, files(**{"out__analysis__report.html": "<p>mine</p>"})),
         expect=("analysis", "exists", "--force")),
    Case("analyze-out-is-a-file", "sweep", ("analyze", "{tmp}/out", "--out", "{tmp}/rep"),
         setup=chain(sweep_results, files(rep="a file")), expect=("rep", "not a folder")),

    # --- --out / --plot targets that cannot be written --------------------------------------
    Case("out-is-a-folder", "cli", _run("--out", "{tmp}/d.csv"), setup=folder("d.csv"),
         expect=("d.csv", "folder")),
    Case("out-parent-is-a-file", "cli", _run("--out", "{tmp}/f/x.csv"),
         setup=files(f="a file"), expect=("f", "not a folder")),
    Case("out-read-only-place", "cli", _run("--out", "/proc/sim-series.csv"),
         expect=("/proc", "cannot write")),
    Case("out-parent-missing", "cli", _run("--out", "{tmp}/no/such/x.csv"),
         expect=("does not exist",)),
    Case("out-wrong-suffix", "cli", _run("--out", "{tmp}/x.xlsx"), expect=(".parquet", ".csv")),
    Case("out-empty", "cli", _run("--out", ""), expect=("--out", ".csv")),
    Case("plot-wrong-suffix", "cli", _run("--plot", "{tmp}/x.jpg"), expect=("--plot", ".png")),
    Case("plot-parent-is-a-file", "cli", _run("--plot", "{tmp}/f/x.png"),
         setup=files(f="a file"), expect=("f", "not a folder")),

    # --- types coerced: --set ----------------------------------------------------------------
    Case("set-int-true", "cli", _run(*_sets("n_institutions=true")),
         expect=("n_institutions", WHOLE)),
    Case("set-int-decimal", "cli", _run(*_sets("n_institutions=12.5")),
         expect=("n_institutions", WHOLE)),
    Case("set-int-exponent-huge", "cli", _run(*_sets("n_institutions=1e308")),
         expect=("n_institutions", WHOLE)),
    Case("set-float-huge", "cli", _run(*_sets("dialogue_effort=1e308")),
         expect=("dialogue_effort", "from 0 to 1")),
    Case("set-float-nan", "cli", _run(*_sets("dialogue_effort=nan")),
         expect=("dialogue_effort", "finite", "from 0 to 1")),
    Case("set-float-inf", "cli", _run(*_sets("dialogue_effort=inf")),
         expect=("dialogue_effort", "finite", "from 0 to 1")),
    Case("set-float-text", "cli", _run(*_sets("dialogue_effort=high")),
         expect=("dialogue_effort", "from 0 to 1")),
    Case("set-float-true", "cli", _run(*_sets("dialogue_effort=true")),
         expect=("dialogue_effort", "from 0 to 1")),
    Case("set-bool-no", "cli", _run(*_sets("rule_changes=no")),
         expect=("rule_changes", "true or false")),
    Case("set-bool-zero", "cli", _run(*_sets("rule_changes=0")),
         expect=("rule_changes", "true or false")),
    Case("set-bool-one", "cli", _run(*_sets("rule_changes=1")),
         expect=("rule_changes", "true or false")),
    Case("set-choice-unknown", "cli", _run(*_sets("network=ring")),
         expect=("network", "small_world")),
    Case("set-upper-case-name", "cli", _run(*_sets("DIALOGUE_EFFORT=0.9")),
         expect=("DIALOGUE_EFFORT", "did you mean 'dialogue_effort'")),
    Case("set-misspelt-name", "cli", _run(*_sets("dialog_effort=0.9")),
         expect=("dialog_effort", "did you mean 'dialogue_effort'")),
    Case("set-no-equals", "cli", _run(*_sets("n_waves")), expect=("n_waves", "name=value")),
    Case("set-empty-name", "cli", _run(*_sets("=5")), expect=("name=value",)),
    Case("set-empty-value", "cli", _run(*_sets("dialogue_effort=")),
         expect=("dialogue_effort", "from 0 to 1")),
    Case("set-out-of-range", "cli", _run(*_sets("dialogue_effort=3")),
         expect=("dialogue_effort", "from 0 to 1")),
    Case("set-int-below-range", "cli", _run(*_sets("n_institutions=0")),
         expect=("n_institutions", "from 1 to 5000")),
    Case("set-inconsistent-source", "cli", _run(*_sets("institution_source=dk_municipalities_2012")),
         expect=("n_institutions", "98")),

    # --- options ------------------------------------------------------------------------------
    Case("seed-negative", "cli", _run("--seed", "-1"), expect=("--seed", "-1", WHOLE)),
    Case("seed-decimal", "cli", _run("--seed", "1.5"), expect=("--seed", WHOLE)),
    Case("seed-text", "cli", _run("--seed", "abc"), expect=("--seed", WHOLE)),
    Case("months-zero", "cli", ("run", "--months", "0"), expect=("months", "from 1 to 600")),
    Case("months-too-many", "cli", ("run", "--months", "601"), expect=("months", "from 1 to 600")),
    Case("months-decimal", "cli", ("run", "--months", "1e3"), expect=("--months", WHOLE)),
    Case("months-set-and-option", "cli",
         ("run", "--months", "12", *_sets("months=10000000")), expect=("months", "600")),
    Case("months-set-valid-and-option", "cli",
         ("run", "--months", "12", *_sets("months=24")), expect=("--months", "--set months")),
    Case("scenario-empty", "cli", ("run", "--scenario", ""), expect=("scenario", "empty")),
    Case("scenario-folder", "cli", ("run", "--scenario", "{tmp}/d.toml"),
         setup=folder("d.toml"), expect=("d.toml", "folder")),
    Case("scenario-folder-no-suffix", "cli", ("run", "--scenario", "{tmp}"),
         expect=("folder",)),
    Case("scenario-dev-null", "cli", ("run", "--scenario", "/dev/null"),
         expect=("/dev/null", "not a regular file")),
    Case("scenario-fifo", "cli", ("run", "--scenario", "{tmp}/pipe.toml"),
         setup=fifo("pipe.toml"), expect=("pipe.toml", "not a regular file")),
    Case("scenario-missing", "cli", ("run", "--scenario", "{tmp}/missing.toml"),
         expect=("missing.toml", "does not exist")),
    Case("scenario-misspelt", "cli", ("run", "--scenario", "defalt"),
         expect=("defalt", "did you mean 'default'")),
    Case("compare-seeds-huge", "cli", ("compare", "--vs-set", "rollout=big_bang",
                                       "--seeds", "1000000000"),
         expect=("--seeds", "1000000000", "from 1 to")),
    Case("compare-seeds-zero", "cli", ("compare", "--vs-set", "rollout=big_bang",
                                       "--seeds", "0"), expect=("--seeds", "from 1 to")),
    Case("compare-seed-negative", "cli", ("compare", "--vs-set", "rollout=big_bang",
                                          "--seed", "-1"), expect=("--seed", WHOLE)),
    Case("compare-vs-months", "cli", ("compare", "--vs-set", "months=24", "--seeds", "2"),
         expect=("months", "horizon", "--months")),
    Case("compare-vs-scenario-months", "cli",
         ("compare", "--vs-scenario", "{tmp}/s.toml", "--seeds", "2"),
         setup=files(**{"s.toml": GOOD_SCENARIO}), expect=("horizon", "--months")),
    Case("compare-set-bool-no", "cli", ("compare", "--vs-set", "rule_changes=no"),
         expect=("rule_changes", "true or false")),
    Case("compare-same-policy", "cli", ("compare", "--seeds", "2"),
         expect=("same policy", "--vs-set")),
    Case("compare-set-months-and-option", "cli",
         ("compare", "--vs-set", "rollout=big_bang", "--months", "12",
          *_sets("months=10000000")), expect=("months", "600")),
    Case("compare-vs-scenario-empty", "cli", ("compare", "--vs-scenario", ""),
         expect=("scenario", "empty")),

    # --- scenario files ---------------------------------------------------------------------
    Case("file-int-true", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("n_institutions = true"), expect=("n_institutions", WHOLE)),
    Case("file-float-text", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with('dialogue_effort = "0.9"'),
         expect=("dialogue_effort", "from 0 to 1")),
    Case("file-bool-text", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with('rule_changes = "no"'), expect=("rule_changes", "true or false")),
    Case("file-bool-zero", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("rule_changes = 0"), expect=("rule_changes", "true or false")),
    Case("file-int-as-float", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("n_waves = 3.0"), expect=("n_waves", WHOLE)),
    Case("file-float-nan", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("dialogue_effort = nan"),
         expect=("dialogue_effort", "finite", "from 0 to 1")),
    Case("file-float-inf", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("dialogue_effort = -inf"),
         expect=("dialogue_effort", "finite", "from 0 to 1")),
    Case("file-int-huge", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("n_institutions = 1e308"), expect=("n_institutions", WHOLE)),
    Case("file-choice-number", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("network = 3"), expect=("network", "small_world")),
    Case("file-upper-case-name", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=scenario_with("DIALOGUE_EFFORT = 0.5"),
         expect=("DIALOGUE_EFFORT", "did you mean 'dialogue_effort'")),
    Case("file-utf16", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": UTF16}), expect=("s.toml", "UTF-16", "UTF-8")),
    Case("file-latin1", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": LATIN1}), expect=("s.toml", "not UTF-8", "UTF-8")),
    Case("file-binary", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": BINARY}), expect=("s.toml", "not a text file")),
    Case("file-nested-arrays", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": nested(100_000)}), expect=("s.toml", "nested")),
    Case("file-nested-tables", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": b"x = " + b"{a = " * 50_000 + b"1" + b"}" * 50_000}),
         expect=("s.toml", "nested")),
    Case("file-bad-toml", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": "title = \n"}), expect=("s.toml", "TOML")),
    Case("file-empty", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": ""}), expect=("s.toml", "title")),
    Case("file-unknown-key", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\nparams = 1\n'}),
         expect=("params", "did you mean 'parameters'")),
    Case("file-parameters-not-table", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\nparameters = [1]\n'}),
         expect=("parameters", "table")),
    Case("file-seed-negative", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\nseed = -1\n'}), expect=("seed", "≥ 0")),
    Case("file-seed-bool", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\nseed = true\n'}), expect=("seed", "≥ 0")),
    Case("file-title-number", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": "title = 5\n"}), expect=("title", "text")),

    # --- sweep files ------------------------------------------------------------------------
    Case("sweep-utf16", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=files(**{"w.toml": GOOD_SWEEP.encode("utf-16")}),
         expect=("w.toml", "UTF-16", "UTF-8")),
    Case("sweep-latin1", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=files(**{"w.toml": LATIN1}), expect=("w.toml", "not UTF-8")),
    Case("sweep-binary", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=files(**{"w.toml": BINARY}), expect=("w.toml", "not a text file")),
    Case("sweep-nested", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=files(**{"w.toml": nested(100_000)}), expect=("w.toml", "nested")),
    Case("sweep-folder", "sweep", ("sweep", "{tmp}/d.toml", "--check"),
         setup=folder("d.toml"), expect=("d.toml", "folder")),
    Case("sweep-fixed-int-true", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=sweep_with("n_institutions = true"), expect=("n_institutions", WHOLE)),
    Case("sweep-fixed-float-text", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=sweep_with('task_split_clarity = "0.9"'),
         expect=("task_split_clarity", "from 0 to 1")),
    Case("sweep-fixed-bool-text", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=sweep_with('rule_changes = "no"'), expect=("rule_changes", "true or false")),
    Case("sweep-fixed-nan", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=sweep_with("task_split_clarity = nan"),
         expect=("task_split_clarity", "finite")),
    Case("sweep-fixed-upper-case", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=sweep_with("TASK_SPLIT_CLARITY = 0.5"),
         expect=("TASK_SPLIT_CLARITY", "did you mean 'task_split_clarity'")),
    Case("sweep-points-latin1", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=files(**{
             "w.toml": 'name = "s"\ndesign = "points"\nmaster_seed = 1\n'
                       '[sampler]\nfile = "p.csv"\n',
             "p.csv": "scenario_note,dialogue_effort\nÅrhus,0.5\n".encode("latin-1")}),
         expect=("p.csv", "not UTF-8")),
    Case("sweep-points-bool-text", "sweep", ("sweep", "{tmp}/w.toml", "--check"),
         setup=files(**{
             "w.toml": 'name = "s"\ndesign = "points"\nmaster_seed = 1\n'
                       '[sampler]\nfile = "p.csv"\n',
             "p.csv": "rule_changes\nno\n"}),
         expect=("rule_changes", "true or false")),
    Case("sweep-workers-negative", "sweep", ("sweep", "{tmp}/w.toml", "--workers", "-2"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--workers",)),
    Case("sweep-workers-zero", "sweep", ("sweep", "{tmp}/w.toml", "--workers", "0"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--workers",)),
    Case("sweep-batch-size-zero", "sweep", ("sweep", "{tmp}/w.toml", "--batch-size", "0"),
         setup=files(**{"w.toml": GOOD_SWEEP}), expect=("--batch-size",)),

    # --- sweep files: strict types, keys that do not apply -------------------------------------
    Case("sweep-range-text", "sweep", CHECK,
         setup=sweep_file(vary='[vary.dialogue_effort]\nrange = ["0.1", "0.9"]\nsteps = 3\n'),
         expect=("[vary.dialogue_effort] range", "'0.1'", "a number")),
    Case("sweep-range-bool", "sweep", CHECK,
         setup=sweep_file(vary="[vary.dialogue_effort]\nrange = [false, true]\nsteps = 3\n"),
         expect=("[vary.dialogue_effort] range", "false", "a number")),
    Case("sweep-range-int-parameter-decimal-ends", "sweep", CHECK,
         setup=sweep_file(vary="[vary.n_waves]\nrange = [1.5, 4.5]\nsteps = 3\n"),
         expect=("[vary.n_waves]", "whole-number")),
    Case("sweep-replications-text", "sweep", CHECK, setup=sweep_file('replications = "3"\n'),
         expect=("replications", "'3'", WHOLE)),
    Case("sweep-replications-float", "sweep", CHECK, setup=sweep_file("replications = 2.0\n"),
         expect=("replications", "2.0", WHOLE)),
    Case("sweep-replications-bool", "sweep", CHECK, setup=sweep_file("replications = true\n"),
         expect=("replications", "true", WHOLE)),
    Case("sweep-master-seed-float", "sweep", CHECK,
         setup=files(**{"w.toml": GOOD_SWEEP.replace("master_seed = 1", "master_seed = 7.0")}),
         expect=("master_seed", "7.0", WHOLE)),
    Case("sweep-execution-workers-text", "sweep", CHECK,
         setup=sweep_file(tables='[execution]\nworkers = "2"\n'),
         expect=("[execution] workers", WHOLE)),
    Case("sweep-steps-float", "sweep", CHECK,
         setup=sweep_file(vary="[vary.dialogue_effort]\nrange = [0.1, 0.9]\nsteps = 3.0\n"),
         expect=("[vary.dialogue_effort] steps", WHOLE)),
    Case("sweep-level-whole-number-as-float", "sweep", CHECK,
         setup=sweep_file(vary="[vary.n_waves]\nlevels = [2, 3.0]\n"),
         expect=("[vary.n_waves]", "3.0", WHOLE)),
    Case("sweep-second-order-text", "sweep", CHECK,
         setup=sweep_file(design="sobol", vary=TWO,
                          tables='[sampler]\nn = 4\nsecond_order = "yes"\n'),
         expect=("[sampler] second_order", "'yes'", "true or false")),
    Case("sweep-scramble-zero", "sweep", CHECK,
         setup=sweep_file(design="sobol", vary=TWO, tables="[sampler]\nn = 4\nscramble = 0\n"),
         expect=("[sampler] scramble", "0", "true or false")),
    Case("sweep-conf-level-text", "sweep", CHECK,
         setup=sweep_file(tables='[analysis]\nconf_level = "0.9"\n'),
         expect=("[analysis] conf_level", "a number")),
    Case("sweep-unknown-key-in-table", "sweep", CHECK,
         setup=sweep_file(design="sobol", vary=TWO, tables="[sampler]\nn = 4\nscrambel = true\n"),
         expect=("[sampler]", "scrambel", "did you mean 'scramble'")),
    Case("sweep-mode-on-uniform", "sweep", CHECK,
         setup=sweep_file(design="lhs", tables="[sampler]\nn = 4\n",
                          vary="[vary.dialogue_effort]\nrange = [0.1, 0.9]\nmode = 0.5\n"),
         expect=("[vary.dialogue_effort]", "'mode'", "triangular")),
    Case("sweep-mean-sd-on-grid", "sweep", CHECK,
         setup=sweep_file(vary="[vary.dialogue_effort]\nlevels = [0.2]\nmean = 0.5\nsd = 0.1\n"),
         expect=("[vary.dialogue_effort]", "'mean'", "truncnormal")),
    Case("sweep-sampler-n-on-grid", "sweep", CHECK, setup=sweep_file(tables="[sampler]\nn = 8\n"),
         expect=("[sampler] n", "'lhs' or 'sobol'", "not 'grid'")),
    Case("sweep-trajectories-on-sobol", "sweep", CHECK,
         setup=sweep_file(design="sobol", vary=TWO, tables="[sampler]\nn = 4\ntrajectories = 5\n"),
         expect=("[sampler] trajectories", "'morris'")),
    Case("sweep-keep-every-without-series", "sweep", CHECK,
         setup=sweep_file(tables="[keep]\nevery = 3\n"), expect=("[keep] every", "series")),
    Case("sweep-keep-series-twice", "sweep", SERIAL,
         setup=sweep_file(tables='[keep]\nseries = ["share_served", "share_served"]\n'),
         expect=("[keep] series", "share_served", "twice")),
    Case("sweep-base-scenario-broken-story", "sweep", CHECK,
         setup=sweep_file('scenario = "b.toml"\n', **{
             "b.toml": 'title = "B"\n[[story]]\nat = 0\ncaption = "x"\n'}),
         expect=("b.toml", "story pause 1", "'at'", "month")),
    Case("sweep-points-duplicate-column", "sweep", CHECK,
         setup=sweep_file(design="points", vary="", tables=POINTS,
                          **{"p.csv": "dialogue_effort,dialogue_effort\n0.2,0.8\n"}),
         expect=("p.csv", "dialogue_effort", "twice")),
    Case("sweep-points-long-row", "sweep", CHECK,
         setup=sweep_file(design="points", vary="", tables=POINTS,
                          **{"p.csv": "dialogue_effort\n0.2,0.8\n"}),
         expect=("p.csv", "line 2", "2 values", "1 column")),
    Case("sweep-points-short-row", "sweep", CHECK,
         setup=sweep_file(design="points", vary="", tables=POINTS,
                          **{"p.csv": "dialogue_effort,initial_trust\n0.2\n"}),
         expect=("p.csv", "line 2", "1 value", "2 columns")),
    Case("sweep-points-fifo", "sweep", CHECK,
         setup=chain(sweep_file(design="points", vary="", tables=POINTS), fifo("p.csv")),
         expect=("p.csv", "not a regular file")),
    Case("scenario-story-month-zero", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\n[[story]]\nat = 0\ncaption = "Go"\n'}),
         expect=("s.toml", "story pause 1", "'at' = 0", "month 1")),
    Case("scenario-story-no-caption", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\n[[story]]\nat = "dip"\n'}),
         expect=("s.toml", "story pause 1", "caption")),
    Case("scenario-story-unknown-key", "scenario", ("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\n[[story]]\nat = "dip"\ncaption = "x"\n'
                                  'captoin_da = "y"\n'}),
         expect=("s.toml", "captoin_da", "did you mean 'caption_da'")),

    # --- sweep files: policies crossed with any design, replications guidance (issue 22) ------
    Case("sweep-policies-x-lhs-valid", "sweep", CHECK, code=0,
         setup=sweep_file(design="lhs", tables="[sampler]\nn = 4\n" + STRATEGY,
                          vary="[vary.initial_trust]\nrange = [0.2, 0.8]\n"),
         expect=("design 'lhs'", "8 points")),
    Case("sweep-policies-x-points-valid", "sweep", CHECK, code=0,
         setup=sweep_file(design="points", vary="", tables=POINTS + STRATEGY,
                          **{"p.csv": "initial_trust\n0.3\n0.6\n"}),
         expect=("design 'points'", "4 points")),
    Case("sweep-policy-sets-a-sampled-parameter", "sweep", CHECK,
         setup=sweep_file(design="lhs", tables="[sampler]\nn = 4\n" + STRATEGY,
                          vary="[vary.dialogue_effort]\nrange = [0.2, 0.8]\n"),
         expect=("[cases.strategy]", "dialogue_effort", "also in [vary]")),
    Case("sweep-points-column-set-by-a-policy", "sweep", CHECK,
         setup=sweep_file(design="points", vary="", tables=POINTS + STRATEGY,
                          **{"p.csv": "dialogue_effort\n0.3\n"}),
         expect=("p.csv", "dialogue_effort", "[cases.strategy]", "one place")),
    Case("sweep-precision-zero", "sweep", CHECK,
         setup=sweep_file("replications = 2\n", tables="[analysis]\nprecision = { trust_end = 0 }\n"),
         expect=("[analysis] precision.trust_end", "0", "above 0")),
    Case("sweep-precision-text", "sweep", CHECK,
         setup=sweep_file("replications = 2\n",
                          tables='[analysis]\nprecision = { trust_end = "0.1" }\n'),
         expect=("[analysis] precision.trust_end", "a number")),
    Case("sweep-precision-nan", "sweep", CHECK,
         setup=sweep_file("replications = 2\n",
                          tables="[analysis]\nprecision = { trust_end = nan }\n"),
         expect=("[analysis] precision.trust_end", "finite")),
    Case("sweep-precision-unknown-kpi", "sweep", CHECK,
         setup=sweep_file("replications = 2\n",
                          tables="[analysis]\nprecision = { trust_ende = 0.1 }\n"),
         expect=("[analysis] precision", "trust_ende", "did you mean 'trust_end'")),
    Case("sweep-precision-not-a-table", "sweep", CHECK,
         setup=sweep_file("replications = 2\n", tables="[analysis]\nprecision = 0.05\n"),
         expect=("[analysis] precision", "a table")),
    Case("sweep-precision-one-replication", "sweep", CHECK,
         setup=sweep_file(tables="[analysis]\nprecision = { trust_end = 0.1 }\n"),
         expect=("[analysis] precision", "at least 2 replications")),

    # --- design posterior: draws from a calibration's posterior ------------------------------
    Case("sweep-posterior-not-shipped", "sweep", CHECK,
         setup=posterior_sweep('n = 3\nposterior = "nonesuch"\n'),
         expect=("[sampler] posterior", "'nonesuch' is not shipped", "default")),
    Case("sweep-posterior-missing-file", "sweep", CHECK, setup=posterior_sweep(),
         expect=("[sampler] posterior", "post.parquet", "does not exist")),
    Case("sweep-posterior-not-parquet", "sweep", CHECK,
         setup=posterior_sweep(**{"post.parquet": "initial_trust,weight\n0.5,1\n"}),
         expect=("[sampler] posterior", "cannot be read as parquet")),
    Case("sweep-posterior-unknown-parameter", "sweep", CHECK,
         setup=chain(posterior_sweep(), posterior_file(extra="charisma")),
         expect=("[sampler] posterior", "unknown parameter 'charisma'")),
    Case("sweep-posterior-no-draws", "sweep", CHECK,
         setup=chain(posterior_sweep('n = 0\nposterior = "post.parquet"\n'), posterior_file()),
         expect=("[sampler] n", "at least 1")),
    Case("sweep-posterior-absurd-draws", "sweep", CHECK,
         setup=chain(posterior_sweep('n = 5000000\nposterior = "post.parquet"\n'),
                     posterior_file()),
         expect=("[sampler] n", "1 to 100,000")),
    Case("sweep-posterior-on-a-grid", "sweep", CHECK,
         setup=sweep_file(tables='[sampler]\nposterior = "default"\n'),
         expect=("[sampler] posterior", "applies to design 'posterior'")),

    # --- result folders: whose sweep, damaged or foreign, failed starts ------------------------
    Case("sweep-resume-points-file-edited", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(design="points", vary="", tables=POINTS,
                                **{"p.csv": "dialogue_effort\n0.2\n0.8\n"}),
                     sweep_ran(), edit("p.csv", "0.8", "0.7")),
         expect=("points file", "--extend")),
    Case("sweep-resume-base-scenario-edited", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file('scenario = "b.toml"\n',
                                **{"b.toml": 'title = "B"\n[parameters]\ninitial_trust = 0.5\n'}),
                     sweep_ran(), edit("b.toml", "0.5", "0.6")),
         expect=("base scenario", "--extend")),
    Case("sweep-resume-posterior-edited", "sweep", (*SERIAL, "--resume"),
         setup=chain(posterior_sweep(), posterior_file(), sweep_ran(),
                     posterior_file(weights=(0.5, 0.5))),
         expect=("posterior post.parquet", "then", "--extend")),
    Case("sweep-resume-into-foreign-log", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(), files(**{"out__log.jsonl": '{"level": "info", "msg": "up"}\n'})),
         expect=("log.jsonl", "not a sweep event", "another output folder")),
    Case("sweep-resume-binary-log", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(), files(**{"out__log.jsonl": BINARY})),
         expect=("log.jsonl", "damaged")),
    Case("sweep-into-foreign-log-without-resume", "sweep", SERIAL,
         setup=chain(sweep_file(), files(**{"out__log.jsonl": "[1, 2, 3]\n"})),
         expect=("log.jsonl", "not a sweep event")),
    Case("sweep-mpi-missing-leaves-no-folder", "sweep", ("sweep", "{tmp}/w.toml", "--executor",
                                                         "mpi"),
         setup=sweep_file(), during=without_mpi4py, expect=("mpi4py",)),
    Case("sweep-dask-bad-scheduler-address", "sweep",
         ("sweep", "{tmp}/w.toml", "--executor", "dask", "--scheduler", "nowhere"),
         setup=sweep_file(), expect=("--scheduler", "nowhere", "tcp://host:8786")),

    # --- the file system's and the terminal's answers -------------------------------------------
    Case("out-name-too-long", "cli", _run("--out", "{tmp}/" + "a" * 300 + ".csv"),
         expect=("--out", "too long", "255")),
    Case("plot-name-too-long", "cli", _run("--plot", "{tmp}/" + "p" * 300 + ".png"),
         expect=("--plot", "too long")),
    Case("out-symlink-loop-force", "cli", _run("--out", "{tmp}/loop.csv", "--force"),
         setup=symlink("loop.csv", "loop.csv"), expect=("loop.csv", "loop of symbolic links")),
    Case("out-symlink-loop", "cli", _run("--out", "{tmp}/loop.csv"),
         setup=symlink("loop.csv", "loop.csv"), expect=("loop.csv", "symbolic link")),
    Case("stdout-full-run", "cli", _run(), stdout="full",
         expect=("standard output", "no space")),
    Case("stdout-full-params", "cli", ("params",), stdout="full",
         expect=("standard output", "no space")),
    Case("stdout-full-scenarios", "cli", ("scenarios", "-v"), stdout="full",
         expect=("standard output", "no space")),
    Case("stdout-closed-params", "cli", ("params",), stdout="closed", code=0),
    Case("stdout-closed-scenarios", "cli", ("scenarios", "-v"), stdout="closed", code=0),
    Case("sweep-output-under-proc", "sweep", SERIAL,
         setup=files(**{"w.toml": GOOD_SWEEP.replace("{tmp}/out", "/proc/sim-sweep-out")}),
         expect=("/proc", "output folder", "allowed")),
    Case("sweep-output-through-a-file", "sweep", SERIAL,
         setup=files(**{"w.toml": GOOD_SWEEP.replace("{tmp}/out", "{tmp}/f/out"),
                        "f": "a file"}),
         expect=("f", "not a folder")),
    Case("sweep-output-name-too-long", "sweep", SERIAL,
         setup=files(**{"w.toml": GOOD_SWEEP.replace("{tmp}/out", "{tmp}/" + "o" * 300)}),
         expect=("too long",)),
    Case("sweep-output-option-is-a-file", "sweep", (*SERIAL, "--output", "{tmp}/f"),
         setup=chain(sweep_file(), files(f="a file")), expect=("f", "not a folder")),
    Case("sweep-output-folder-not-writable", "sweep", (*SERIAL, "--output",
                                                        "/sys/kernel/sim-sweep-out"),
         setup=sweep_file(), expect=("/sys/kernel", "cannot write", "allowed")),
    Case("sweep-output-existing-folder-not-writable", "sweep", (*SERIAL, "--output",
                                                                 "/sys/kernel"),
         setup=sweep_file(), expect=("/sys/kernel", "cannot write", "allowed")),
    Case("analyze-out-not-writable", "sweep", ("analyze", "{tmp}/out", "--out",
                                               "/sys/kernel/sim-analysis"),
         setup=sweep_results, expect=("/sys/kernel", "cannot write", "allowed")),
    Case("sweep-dask-unreachable-scheduler", "sweep",
         ("sweep", "{tmp}/w.toml", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"),
         setup=sweep_file(), during=dask_connect_timeout,
         expect=("--scheduler", "127.0.0.1:9", "cannot connect")),

    # --- a name is not a path ---------------------------------------------------------------------
    Case("valid-shipped-name-beside-folder", "scenario", ("run", "--scenario", "default",
                                                          "--months", "12"),
         setup=folder("default"), code=0),
    Case("valid-shipped-name-beside-file", "scenario", ("run", "--scenario", "workshop",
                                                        "--months", "12"),
         setup=files(workshop="not a scenario"), code=0),
    Case("valid-sweep-shipped-name-beside-folder", "sweep", CHECK,
         setup=chain(sweep_file('scenario = "workshop"\n'), folder("workshop")), code=0),
    Case("valid-compare-shipped-name-beside-file", "scenario",
         ("compare", "--scenario", "default", "--vs-scenario", "workshop", "--seeds", "1",
          "--months", "12"),
         setup=files(workshop="x", default="y"), code=0),

    # --- damaged result folders -------------------------------------------------------------------
    Case("analyze-truncated-runs-part", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/runs/part-*.parquet", "truncate")),
         expect=("runs/part-", "damaged", "--repair")),
    Case("analyze-empty-runs-part", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/runs/part-*.parquet", "empty")),
         expect=("runs/part-", "empty file", "--repair")),
    Case("analyze-truncated-series-part", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_file(tables='[keep]\nseries = ["share_served"]\n'), sweep_ran(),
                     damage("out/series/part-*.parquet", "truncate")),
         expect=("series/part-", "damaged", "--repair")),
    Case("analyze-binary-log", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/log.jsonl", "binary")),
         expect=("log.jsonl", "damaged")),
    Case("analyze-spec-copy-deleted", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/specs/*.toml", "delete")),
         expect=("specs", "missing", "--resume")),
    Case("analyze-spec-copy-binary", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/specs/*.toml", "binary")),
         expect=("specs", "not a valid sweep file")),
    Case("analyze-design-deleted", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/designs/*", "delete")),
         expect=("designs", "missing", "--resume")),
    Case("analyze-design-chunk-truncated", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/designs/*/points-*.parquet", "truncate")),
         expect=("designs", "damaged", "--repair")),
    Case("analyze-folder-with-foreign-log", "sweep", ("analyze", "{tmp}/out"),
         setup=files(**{"out__log.jsonl": '{"ts": 1, "msg": "hello"}\n'}),
         expect=("log.jsonl", "not a sweep event")),
    Case("sweep-resume-over-truncated-part", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(), sweep_ran(),
                     damage("out/runs/part-*.parquet", "truncate")),
         expect=("runs/part-", "damaged", "--resume --repair")),
    Case("sweep-extend-over-empty-part", "sweep", (*SERIAL, "--extend"),
         setup=chain(sweep_file(), sweep_ran(), damage("out/runs/part-*.parquet", "empty"),
                     edit("w.toml", "[0.2, 0.8]", "[0.2, 0.5, 0.8]")),
         expect=("runs/part-", "empty file", "--repair")),
    Case("analyze-foreign-runs-part", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, foreign_part()),
         expect=("runs/part-zzz-foreign.parquet", "not a part this program wrote", "--repair")),
    Case("analyze-clashing-runs-part", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, foreign_part(clash=True)),
         expect=("runs/part-zzz-foreign.parquet", "do not match", "seed", "--repair")),
    Case("analyze-rotten-runs-part", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, rot("out/runs/part-*.parquet")),
         expect=("runs/part-", "damaged", "--repair")),
    Case("analyze-rotten-series-part", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_file(tables='[keep]\nseries = "all"\n'), sweep_ran(),
                     rot("out/series/part-*.parquet", column="run_id")),
         expect=("series/part-", "damaged", "--repair")),
    Case("analyze-spec-copy-fifo", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/specs/*.toml", "fifo")),
         expect=("specs/", "not a regular file", "--repair")),
    Case("analyze-runs-part-fifo", "sweep", ("analyze", "{tmp}/out"),
         setup=chain(sweep_results, damage("out/runs/part-*.parquet", "fifo")),
         expect=("runs/part-", "not a regular file", "--repair")),
    Case("sweep-resume-lock-file-is-a-link", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(), sweep_ran(), damage("out/.lock", "link")),
         expect=(".lock", "not a regular file", "not made by this program")),
    Case("sweep-resume-lock-file-is-a-fifo", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(), sweep_ran(), damage("out/.lock", "fifo")),
         expect=(".lock", "not a regular file")),
    Case("sweep-resume-over-foreign-part", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(), sweep_ran(), foreign_part()),
         expect=("runs/part-zzz-foreign.parquet", "not a part this program wrote",
                 "--resume --repair")),
    Case("sweep-resume-sweep-file-edited", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file(), sweep_ran(), edit("w.toml", "[0.2, 0.8]", "[0.2, 0.7]")),
         expect=("changed version", "--extend")),
    Case("sweep-resume-one-of-two-base-scenarios-edited", "sweep", (*SERIAL, "--resume"),
         setup=chain(sweep_file('scenario = ["b.toml", "c.toml"]\n', **{
             "b.toml": 'title = "B"\n[parameters]\ninitial_trust = 0.5\n',
             "c.toml": 'title = "C"\n[parameters]\ninitial_trust = 0.6\n'}),
             sweep_ran(), edit("c.toml", "0.6", "0.7")),
         expect=("base scenario", "--extend")),
    Case("interrupt-while-analysing", "sweep", ("analyze", "{tmp}/out"),
         setup=sweep_results, during=ctrl_c_while_writing, code=INTERRUPTED,
         expect=("interrupted",)),
    Case("interrupt-while-replacing-analysis", "sweep", ("analyze", "{tmp}/out", "--force"),
         setup=chain(sweep_results, files(**{"out__analysis__summary.csv": "old,analysis\n"})),
         during=ctrl_c_while_writing, code=INTERRUPTED, expect=("interrupted",)),
    Case("sweep-check-grid-of-1e20-points", "sweep", CHECK,
         setup=sweep_file(vary="".join(
             f"[vary.{n}]\nrange = [0.0, 0.5]\nsteps = 100000\n"
             for n in ("dialogue_effort", "initial_trust", "task_split_clarity",
                       "peer_influence"))),
         expect=("1e+20", "more than any sweep", "allowed")),

    # --- the Python API -----------------------------------------------------------------------
    Case("api-months-true", "api", call=_api(months=True), expect=("months", WHOLE)),
    Case("api-months-float", "api", call=_api(months=12.0), expect=("months", WHOLE)),
    Case("api-months-zero", "api", call=_api(months=0), expect=("months", "from 1 to 600")),
    Case("api-seed-true", "api", call=_api(seed=True, months=12), expect=("seed", WHOLE)),
    Case("api-seed-list", "api", call=_api(seed=[1, 2], months=12), expect=("seed", WHOLE)),
    Case("api-seed-negative", "api", call=_api(seed=-1, months=12), expect=("seed", WHOLE)),
    Case("api-seed-text", "api", call=_api(seed="7", months=12), expect=("seed", WHOLE)),
    Case("api-seed-float", "api", call=_api(seed=1.5, months=12), expect=("seed", WHOLE)),
    Case("api-overrides-list", "api",
         call=_api(overrides=[("dialogue_effort", 0.5)], months=12),
         expect=("overrides", "mapping")),
    Case("api-overrides-text", "api", call=_api(overrides="dialogue_effort=0.5", months=12),
         expect=("overrides", "mapping")),
    Case("api-int-true", "api", call=_api(overrides={"n_institutions": True}, months=12),
         expect=("n_institutions", WHOLE)),
    Case("api-float-text", "api", call=_api(overrides={"dialogue_effort": "0.9"}, months=12),
         expect=("dialogue_effort", "from 0 to 1")),
    Case("api-bool-zero", "api", call=_api(overrides={"rule_changes": 0}, months=12),
         expect=("rule_changes", "true or false")),
    Case("api-bool-text", "api", call=_api(overrides={"rule_changes": "no"}, months=12),
         expect=("rule_changes", "true or false")),
    Case("api-float-nan", "api",
         call=_api(overrides={"dialogue_effort": float("nan")}, months=12),
         expect=("dialogue_effort", "finite")),
    Case("api-int-huge", "api", call=_api(overrides={"n_institutions": 10**400}, months=12),
         expect=("n_institutions", "from 1 to 5000")),
    Case("api-name-not-text", "api", call=_api(overrides={1: 2}, months=12),
         expect=("names", "text")),
    Case("api-upper-case-name", "api",
         call=_api(overrides={"DIALOGUE_EFFORT": 0.5}, months=12),
         expect=("DIALOGUE_EFFORT", "did you mean 'dialogue_effort'")),
    Case("api-scenario-none", "api", call=_api(scenario=None, months=12),
         expect=("scenario", "name")),
    Case("api-scenario-number", "api", call=_api(scenario=5, months=12),
         expect=("scenario", "name")),
    Case("api-scenario-empty", "api", call=_api(scenario="", months=12),
         expect=("scenario", "empty")),
    Case("api-scenario-folder", "api", call=_api_scenario("d.toml", months=12),
         setup=folder("d.toml"), expect=("d.toml", "folder")),
    Case("api-scenario-utf16", "api", call=_api_scenario("s.toml", months=12),
         setup=files(**{"s.toml": UTF16}), expect=("s.toml", "UTF-16")),

    # --- the Python API below sim.run ---------------------------------------------------------
    Case("api-simulate-params-dict", "api", call=_simulate(lambda: {"months": 12}),
         expect=("params", "sim.params.Params")),
    Case("api-simulate-seed-negative", "api", call=_simulate(seed=-1),
         expect=("seed = -1", WHOLE)),
    Case("api-simulate-seed-float", "api", call=_simulate(seed=1.5), expect=("seed", WHOLE)),
    Case("api-simulate-seed-true", "api", call=_simulate(seed=True), expect=("seed", WHOLE)),
    Case("api-simulate-constructed-zero-months", "api",
         call=_simulate(lambda: _constructed(months=0)), expect=("months", "from 1 to 600")),
    Case("api-simulate-constructed-no-institutions", "api",
         call=_simulate(lambda: _constructed(n_institutions=0)),
         expect=("n_institutions", "from 1 to 5000")),
    Case("api-simulate-record-text", "api", call=_simulate(record="share_served"),
         expect=("record", "list of column names")),
    Case("api-simulate-record-unknown", "api", call=_simulate(record=["share_servd"]),
         expect=("share_servd", "did you mean 'share_served'")),
    Case("api-compare-no-seeds", "api", call=_compare([]), expect=("seeds", "1 to")),
    Case("api-compare-seed-negative", "api", call=_compare([1, -1]),
         expect=("seeds[1] = -1", WHOLE)),
    Case("api-compare-seeds-number", "api", call=_compare(5), expect=("seeds", "list of seeds")),
    Case("api-compare-horizons-differ", "api",
         call=_compare([1], b=lambda: _constructed(months=24)),
         expect=("horizon", "24 months")),
    Case("api-replication-seeds-master-negative", "api", call=_seeds(-1, 3),
         expect=("master = -1", WHOLE)),
    Case("api-replication-seeds-n-negative", "api", call=_seeds(1, -1),
         expect=("n = -1", WHOLE)),
    Case("api-replication-seeds-n-float", "api", call=_seeds(1, 2.0), expect=("n = 2.0", WHOLE)),
    Case("api-model-rng-negative", "api", call=_model(rng=-1), expect=("rng = -1", WHOLE)),
    Case("api-model-rng-text", "api", call=_model(rng="7"), expect=("rng", WHOLE)),
    Case("api-model-params-dict", "api", call=_model(lambda: {"months": 12}),
         expect=("params", "sim.params.Params")),

    # --- Ctrl-C -------------------------------------------------------------------------------
    Case("interrupt-while-writing-out", "cli", _run("--out", "{tmp}/a.csv"),
         during=ctrl_c_while_writing, code=INTERRUPTED, expect=("interrupted",)),
    Case("interrupt-while-writing-plot", "cli", _run("--plot", "{tmp}/a.png"),
         during=ctrl_c_while_writing, code=INTERRUPTED, expect=("interrupted",)),
    Case("interrupt-while-replacing-out", "cli", _run("--out", "{tmp}/a.csv", "--force"),
         setup=files(**{"a.csv": "keep me\n"}), during=ctrl_c_while_writing,
         code=INTERRUPTED, expect=("interrupted",)),
    Case("interrupt-while-loading", "cli", ("compare", "--vs-set", "rollout=big_bang",
                                            "--seeds", "5000"),
         code=INTERRUPTED, interrupt_after=0.5, expect=("interrupted",)),
    Case("interrupt-compare", "cli", ("compare", "--vs-set", "rollout=big_bang", "--seeds",
                                      "5000"),
         code=INTERRUPTED, interrupt_after=6.0, expect=("interrupted",)),
    # --- calibration files (sim calibrate FILE --check) ---------------------------------------
    Case("calibration-unknown-kpi", "calibration", CAL_CHECK,
         setup=calibration_file(target='statistic = "kpi"\nkpi = "brake_even_month"\n'),
         expect=("c.toml", "unknown KPI 'brake_even_month'", "break_even_month")),
    Case("calibration-unknown-parameter", "calibration", CAL_CHECK,
         setup=calibration_file(prior="[priors.progres_ratio]\nrange = [0.85, 0.95]\n"
                                      'why = "Wright"\n'),
         expect=("[priors.progres_ratio]", "unknown parameter", "progress_ratio")),
    Case("calibration-prior-outside-allowed", "calibration", CAL_CHECK,
         setup=calibration_file(prior='[priors.progress_ratio]\nrange = [0.85, 1.5]\n'
                                      'why = "Wright"\n'),
         expect=("[priors.progress_ratio] range", "outside what", "allowed: within")),
    Case("calibration-prior-reversed", "calibration", CAL_CHECK,
         setup=calibration_file(prior='[priors.progress_ratio]\nrange = [0.95, 0.85]\n'
                                      'why = "Wright"\n'),
         expect=("[priors.progress_ratio] range", "low < high")),
    Case("calibration-prior-without-reason", "calibration", CAL_CHECK,
         setup=calibration_file(prior='[priors.progress_ratio]\nrange = [0.85, 0.95]\n'),
         expect=("[priors.progress_ratio]", "'why' is missing")),
    Case("calibration-empty-targets", "calibration", CAL_CHECK,
         setup=files(**{"c.toml": 'name = "c"\nseed = 1\ntargets = []\n[abc]\n'
                                  'population_size = 10\ngenerations = 1\n'
                                  '[priors.progress_ratio]\nrange = [0.85, 0.95]\n'
                                  'why = "Wright"\n'}),
         expect=("targets", "is empty", "at least one")),
    Case("calibration-only-held-out", "calibration", CAL_CHECK,
         setup=calibration_file(use="check"), expect=("no target with use", "fit")),
    Case("calibration-unknown-statistic", "calibration", CAL_CHECK,
         setup=calibration_file(target='statistic = "year_means"\ncolumn = "realised_gain"\n'
                                       "year = 2011\n"),
         expect=("unknown statistic 'year_means'", "year_mean")),
    Case("calibration-statistic-missing-argument", "calibration", CAL_CHECK,
         setup=calibration_file(target='statistic = "year_mean"\ncolumn = "realised_gain"\n'),
         expect=("needs 'year'", "allowed: column, year")),
    Case("calibration-statistic-extra-argument", "calibration", CAL_CHECK,
         setup=calibration_file(target='statistic = "break_even_years"\nyear = 2011\n'),
         expect=("year", "is not used by statistic")),
    Case("calibration-unknown-column", "calibration", CAL_CHECK,
         setup=calibration_file(target='statistic = "year_mean"\ncolumn = "realized_gain"\n'
                                       "year = 2011\n"),
         expect=("unknown column 'realized_gain'", "realised_gain")),
    Case("calibration-unknown-scenario", "calibration", CAL_CHECK,
         setup=calibration_file(scenario="oesc"), expect=("unknown scenario 'oesc'",)),
    Case("calibration-observed-and-range", "calibration", CAL_CHECK,
         setup=calibration_file(observed="observed = 0.5\nrange = [0.2, 0.69]\n"),
         expect=("exactly one of 'observed'",)),
    Case("calibration-tolerance-zero", "calibration", CAL_CHECK,
         setup=calibration_file(tolerance="0"), expect=("tolerance", "above 0")),
    Case("calibration-use-unknown", "calibration", CAL_CHECK,
         setup=calibration_file(use="fitted"), expect=("use", "'fit' or 'check'")),
    Case("calibration-unknown-key", "calibration", CAL_CHECK,
         setup=calibration_file(extra="generation = 3\n"),
         expect=("[abc]", "unknown key 'generation'", "generations")),
    Case("calibration-unknown-kernel", "calibration", CAL_CHECK,
         setup=calibration_file(extra='kernel = "gaussian"\n'),
         expect=("kernel", "per_parameter", "joint")),
    Case("calibration-seed-text", "calibration", CAL_CHECK,
         setup=calibration_file(seed='"1"'), expect=("seed", "whole number")),
    Case("calibration-bad-set", "calibration", CAL_CHECK,
         setup=calibration_file(target='statistic = "year_mean"\ncolumn = "realised_gain"\n'
                                       'year = 2011\nset = { golive_dip = 2.0 }\n'),
         expect=("set", "golive_dip", "allowed")),
    Case("calibration-missing-file", "calibration", CAL_CHECK,
         expect=("calibration file", "does not exist")),
    Case("calibration-out-is-file", "calibration",
         ("calibrate", "{tmp}/c.toml", "--out", "{tmp}/o.txt", "--executor", "serial"),
         setup=chain(calibration_file(), files(**{"o.txt": "keep me\n"})),
         expect=("--out", "is a file", "allowed: a folder")),
    Case("calibration-scheduler-without-dask", "calibration",
         ("calibrate", "{tmp}/c.toml", "--scheduler", "tcp://localhost:1"),
         setup=calibration_file(), expect=("--scheduler", "dask")),
    # --- institutions files (sim.institutions): one line naming file, row, column ----------
    Case("inst-valid-minimal", "api", **_inst("name,fte\nA,10\nB,2.5\n"), code=0),
    Case("inst-valid-bom-and-crlf", "api", **_inst(b"\xef\xbb\xbfName,FTE\r\nA,10\r\n"),
         code=0),
    Case("inst-valid-xlsx", "api", setup=workbook("i.xlsx", {"x": [["name", "fte"], ["A", 3]]}),
         call=_institutions("i.xlsx"), code=0),
    Case("inst-misspelt-column", "api", **_inst("name,ftee\nA,1\n"),
         expect=("i.csv", "row 1", "ftee", "did you mean 'fte'")),
    Case("inst-missing-fte", "api", **_inst("name,group\nA,X\n"),
         expect=("i.csv", "'fte' is missing")),
    Case("inst-missing-name", "api", **_inst("fte\n1\n"), expect=("'name' is missing",)),
    Case("inst-column-twice", "api", **_inst("name,fte,FTE\nA,1,2\n"),
         expect=("'fte' appears twice",)),
    Case("inst-empty-file", "api", **_inst(""), expect=("i.csv", "empty")),
    Case("inst-header-only", "api", **_inst("name,fte\n"), expect=("no institutions",)),
    Case("inst-blank-lines-only", "api", **_inst("\n\n,,\n"), expect=("empty",)),
    Case("inst-empty-fte", "api", **_inst("name,fte\nA,\n"),
         expect=("row 2", "column 'fte'", "empty")),
    Case("inst-zero-fte", "api", **_inst("name,fte\nA,0\n"),
         expect=("row 2", "'fte'", "above 0")),
    Case("inst-negative-fte", "api", **_inst("name,fte\nA,1\nB,-3\n"),
         expect=("row 3", "'-3'", "above 0")),
    Case("inst-text-fte", "api", **_inst("name,fte\nA,ten\n"),
         expect=("row 2", "'ten' is not a number")),
    Case("inst-decimal-comma", "api", **_inst('name,fte\nA,"1,5"\n'),
         expect=("decimal comma", "1.5")),
    Case("inst-thousands-separator", "api", **_inst('name,fte\nA,"1 000"\n'),
         expect=("not a number",)),
    Case("inst-semicolons", "api", **_inst("name;fte\nA;1,5\n"),
         expect=("separated by ';'", "','")),
    Case("inst-infinite-fte", "api", **_inst("name,fte\nA,inf\n"), expect=("not a number",)),
    Case("inst-nan-fte", "api", **_inst("name,fte\nA,nan\n"), expect=("not a number",)),
    Case("inst-huge-fte", "api", **_inst("name,fte\nA,1e9\n"), expect=("above 0",)),
    Case("inst-empty-name", "api", **_inst("name,fte\n,1\n"),
         expect=("row 2", "'name'", "empty")),
    Case("inst-duplicate-name", "api", **_inst("name,fte\nTax agency,1\ntax  agency,2\n"),
         expect=("row 3", "also in row 2", "each name once")),
    Case("inst-long-name", "api", **_inst("name,fte\n" + "N" * 300 + ",1\n"),
         expect=("longer than 200",)),
    Case("inst-wave-zero", "api", **_inst("name,fte,wave\nA,1,0\n"),
         expect=("'wave'", "1 to 60")),
    Case("inst-wave-61", "api", **_inst("name,fte,wave\nA,1,61\n"), expect=("1 to 60",)),
    Case("inst-wave-fraction", "api", **_inst("name,fte,wave\nA,1,1.5\n"),
         expect=("whole number",)),
    Case("inst-wave-gap", "api", **_inst("name,fte,wave\nA,1,1\nB,1,3\n"),
         expect=("wave 2", "without a gap")),
    Case("inst-wave-some-empty", "api", **_inst("name,fte,wave\nA,1,1\nB,1,\n"),
         expect=("row 3", "'wave'", "in every row, or none")),
    Case("inst-trust-above-one", "api", **_inst("name,fte,initial_trust\nA,1,1.2\n"),
         expect=("'initial_trust'", "0 to 1")),
    Case("inst-control-percent", "api", **_inst("name,fte,control_need\nA,1,40%\n"),
         expect=("'40%' is not a number", "0 to 1")),
    Case("inst-cost-zero", "api", **_inst("name,fte,cost_per_fte\nA,1,0\n"),
         expect=("'cost_per_fte'", "above 0")),
    Case("inst-value-without-column", "api", **_inst("name,fte\nA,1,extra\n"),
         expect=("row 2", "without a name")),
    Case("inst-not-utf8", "api", **_inst("name,fte\nK\xf8ge,1\n".encode("latin-1")),
         expect=("not UTF-8",)),
    Case("inst-binary", "api", **_inst(b"name,fte\n\x00\x01\x02,1\n"), expect=("binary",)),
    Case("inst-unclosed-quote", "api", **_inst('name,fte\n"A,1\n'),
         expect=("well-formed CSV",)),
    Case("inst-too-many-rows", "api",
         **_inst("name,fte\n" + "".join(f"I{i},1\n" for i in range(5001))),
         expect=("more than 5,000",)),
    Case("inst-hundred-thousand-rows", "api",
         **_inst("name,fte\n" + "".join(f"I{i},1\n" for i in range(100_000))),
         expect=("more than 5,000",)),
    Case("inst-wrong-suffix", "api", **_inst("name,fte\nA,1\n", name="i.txt"),
         expect=(".csv or .xlsx",)),
    Case("inst-missing-file", "api", call=_institutions("nowhere.csv"),
         expect=("no such file",)),
    Case("inst-folder", "api", setup=folder("d.csv"), call=_institutions("d.csv"),
         expect=("no such file",)),
    Case("inst-xlsx-not-a-workbook", "api", **_inst("name,fte\nA,1\n", name="i.xlsx"),
         expect=("not an Excel workbook",)),
    Case("inst-xlsx-several-sheets", "api",
         setup=workbook("i.xlsx", {"Ark1": [["name", "fte"], ["A", 1]], "Ark2": [["x"]]}),
         call=_institutions("i.xlsx"), expect=("2 sheets", "Ark1", "'institutions'")),
    Case("inst-xlsx-several-sheets-one-named", "api",
         setup=workbook("i.xlsx", {"Notes": [["x"]],
                                   "Institutions": [["name", "fte"], ["A", 1]]}),
         call=_institutions("i.xlsx"), code=0),
    Case("inst-xlsx-text-in-number-column", "api",
         setup=workbook("i.xlsx", {"s": [["name", "fte"], ["A", "many"]]}),
         call=_institutions("i.xlsx"), expect=("row 2", "'many' is not a number")),
    Case("inst-xlsx-boolean-fte", "api",
         setup=workbook("i.xlsx", {"s": [["name", "fte"], ["A", True]]}),
         call=_institutions("i.xlsx"), expect=("True is not a number",)),
    Case("inst-xlsx-number-header", "api",
         setup=workbook("i.xlsx", {"s": [["name", 2024], ["A", 1]]}),
         call=_institutions("i.xlsx"), expect=("row 1", "not a column name")),
    Case("inst-xlsx-empty-sheet", "api", setup=workbook("i.xlsx", {"s": []}),
         call=_institutions("i.xlsx"), expect=("empty",)),
    # --- institutions files on the command line and in scenario files ----------------------
    Case("inst-cli-valid", "cli", **_inst_cli("name,fte,group,wave\nA,10,X,1\nB,2.5,Y,2\n"),
         code=0),
    Case("inst-cli-misspelt-column", "cli", **_inst_cli("name,staff\nA,1\n"),
         expect=("i.csv", "row 1", "staff", "allowed")),
    Case("inst-cli-negative-fte", "cli", **_inst_cli("name,fte\nA,-1\n"),
         expect=("i.csv", "row 2", "'fte'", "above 0")),
    Case("inst-cli-decimal-comma", "cli", **_inst_cli('name,fte\nA,"2,5"\n'),
         expect=("decimal comma", "2.5")),
    Case("inst-cli-duplicate-name", "cli", **_inst_cli("name,fte\nA,1\na,2\n"),
         expect=("row 3", "each name once")),
    Case("inst-cli-wave-61", "cli", **_inst_cli("name,fte,wave\nA,1,61\n"),
         expect=("'wave'", "1 to 60")),
    Case("inst-cli-empty", "cli", **_inst_cli(""), expect=("i.csv", "empty")),
    Case("inst-cli-header-only", "cli", **_inst_cli("name,fte\n"), expect=("no institutions",)),
    Case("inst-cli-semicolons", "cli", **_inst_cli("name;fte\nA;1\n"), expect=("';'",)),
    Case("inst-cli-not-utf8", "cli", **_inst_cli("name,fte\n\xc6r\xf8,1\n".encode("latin-1")),
         expect=("not UTF-8",)),
    Case("inst-cli-wrong-suffix", "cli", **_inst_cli("name,fte\nA,1\n", name="i.ods"),
         expect=(".csv or .xlsx",)),
    Case("inst-cli-missing-file", "cli", _run("--institutions", "{tmp}/nowhere.csv"),
         expect=("nowhere.csv", "no such file")),
    Case("inst-cli-folder", "cli", _run("--institutions", "{tmp}/d.csv"), setup=folder("d.csv"),
         expect=("no such file",)),
    Case("inst-cli-xlsx-two-sheets", "cli", _run("--institutions", "{tmp}/i.xlsx"),
         setup=workbook("i.xlsx", {"Ark1": [["name", "fte"], ["A", 1]], "Ark2": [["x"]]}),
         expect=("2 sheets", "'institutions'")),
    Case("inst-cli-too-many-rows", "cli",
         **_inst_cli("name,fte\n" + "".join(f"I{i},1\n" for i in range(5001))),
         expect=("more than 5,000",)),
    Case("inst-cli-set-fixed-count", "cli",
         **_inst_cli("name,fte\nA,1\nB,2\n", "--set", "n_institutions=5"),
         expect=("n_institutions", "fixed by the institutions file", "i.csv", "leave it out")),
    Case("inst-cli-set-fixed-waves", "cli",
         **_inst_cli("name,fte,wave\nA,1,1\nB,2,2\n", "--set", "n_waves=4"),
         expect=("n_waves", "fixed by the institutions file", "to 2")),
    Case("inst-cli-set-fixed-staff", "cli",
         **_inst_cli("name,fte\nA,1\n", "--set", "baseline_fte_total=1000"),
         expect=("baseline_fte_total", "fixed by the institutions file")),
    Case("inst-cli-with-posterior", "cli",
         **_inst_cli("name,fte\nA,1\n", "--uncertainty", "posterior"),
         expect=("--uncertainty posterior", "institutions file", "allowed")),
    Case("inst-cli-with-seeds-band", "cli",
         **_inst_cli("name,fte\nA,1\n", "--uncertainty", "seeds"),
         expect=("--uncertainty seeds", "institutions file", "allowed")),
    Case("inst-cli-compare-bad-file", "cli",
         ("compare", "--months", "12", "--seeds", "2", "--vs-set", "dialogue_effort=1",
          "--institutions", "{tmp}/i.csv"),
         setup=files(**{"i.csv": "name,fte\nA,ten\n"}), expect=("row 2", "'ten'")),
    Case("inst-cli-compare-valid", "cli",
         ("compare", "--months", "12", "--seeds", "2", "--vs-set", "dialogue_effort=1",
          "--institutions", "{tmp}/i.csv"),
         setup=files(**{"i.csv": "name,fte\nA,1\nB,3\n"}), code=0),
    Case("inst-cli-staff-above-model", "cli",
         **_inst_cli("name,fte\nA,900000\nB,200000\n"),
         expect=("i.csv", "staff add up to 1,100,000", "1 to 1,000,000 FTE in all")),
    Case("inst-cli-staff-below-one", "cli", **_inst_cli("name,fte\nA,0.25\nB,0.5\n"),
         expect=("i.csv", "staff add up to 0.75", "1 to 1,000,000 FTE in all")),
    Case("inst-cli-too-many-groups", "cli",
         **_inst_cli("name,group,fte\n" + "".join(f"I{i},G{i},1\n" for i in range(101))),
         expect=("i.csv", "groups number 101", "1 to 100 groups in all")),
    Case("inst-cli-compare-vs-bad-file", "cli",
         ("compare", "--months", "12", "--seeds", "2", "--vs-institutions", "{tmp}/b.csv"),
         setup=files(**{"b.csv": "name,fte,wave\nA,1,2\n"}),
         expect=("b.csv", "no institution is in wave 1", "without a gap")),
    Case("inst-scenario-valid", "scenario", **_inst_scenario("name,fte\nA,1\nB,3\n"), code=0),
    Case("inst-scenario-misspelt-column", "scenario", **_inst_scenario("nam,fte\nA,1\n"),
         expect=("s.toml", "line 2", "i.csv", "row 1", "did you mean 'name'")),
    Case("inst-scenario-zero-fte", "scenario", **_inst_scenario("name,fte\nA,0\n"),
         expect=("s.toml", "i.csv", "row 2", "above 0")),
    Case("inst-scenario-text-trust", "scenario",
         **_inst_scenario("name,fte,initial_trust\nA,1,high\n"),
         expect=("'initial_trust'", "'high' is not a number", "0 to 1")),
    Case("inst-scenario-wave-gap", "scenario",
         **_inst_scenario("name,fte,wave\nA,1,1\nB,1,4\n"), expect=("without a gap",)),
    Case("inst-scenario-missing-file", "scenario", **_inst_scenario("", '"other.csv"'),
         expect=("s.toml", "line 2", "other.csv", "no such file")),
    Case("inst-scenario-not-text", "scenario", **_inst_scenario("", "5"),
         expect=("'institutions' = 5", "allowed", ".csv or .xlsx")),
    Case("inst-scenario-empty-text", "scenario", **_inst_scenario("", '""'),
         expect=("'institutions'", "allowed")),
    Case("inst-scenario-wrong-suffix", "scenario", **_inst_scenario("", '"data/i.txt"'),
         expect=(".csv or .xlsx",)),
    Case("inst-scenario-bom-crlf-valid", "scenario",
         **_inst_scenario(b"\xef\xbb\xbfname,fte\r\nA,1\r\n"), code=0),
    Case("inst-scenario-fixes-its-own-count", "scenario",
         argv=("run", "--scenario", "{tmp}/s.toml"),
         setup=files(**{"s.toml": 'title = "T"\ninstitutions = "i.csv"\n[parameters]\n'
                                  'months = 12\nn_institutions = 98\n'
                                  'institution_source = "dk_municipalities_2012"\n',
                        "i.csv": "name,fte\nA,1\nB,3\n"}), code=0),
    Case("inst-sweep-scenario-with-file", "sweep", CHECK,
         setup=chain(sweep_file(top='scenario = "s.toml"\n'),
                     files(**{"s.toml": 'title = "T"\ninstitutions = "i.csv"\n',
                              "i.csv": "name,fte\nA,1\n"})),
         expect=("institutions file", "cannot take one", "allowed")),
]

BY_ID = {c.id: c for c in CASES}
assert len(BY_ID) == len(CASES), "case ids must be unique"


# --- running a case -------------------------------------------------------------------------

def snapshot(tmp: Path) -> dict[str, tuple[Any, ...]]:
    """Every entry under ``tmp``: bytes and mode of files, targets of links, folders."""
    out: dict[str, tuple[Any, ...]] = {}
    for root, dirs, names in os.walk(tmp):
        for name in dirs + names:
            path = Path(root) / name
            rel = str(path.relative_to(tmp))
            st = path.lstat()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir", st.st_mode)
            elif path.is_file():
                out[rel] = ("file", st.st_mode, path.read_bytes())
            else:
                out[rel] = ("other", st.st_mode)
    return out


def changes(before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]],
            ignore_new: tuple[str, ...] = ()) -> list[str]:
    """Entries changed, removed or added (added ones under ``ignore_new`` excepted)."""
    out = [k for k in before if after.get(k) != before[k]]
    out += [k for k in after if k not in before and not k.startswith(ignore_new)]
    return sorted(out)


def _argv(case: Case, tmp: Path) -> list[str]:
    return [a.replace("{tmp}", str(tmp)) for a in case.argv]


def _in_process(case: Case, tmp: Path) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    code: int | None
    exception = ""
    t0 = time.perf_counter()
    during = case.during() if case.during is not None else contextlib.nullcontext()
    # In the case's folder, as a person at a shell would be (a bare name must not read a
    # local file of that name).
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), during, \
            contextlib.chdir(tmp):
        try:
            if case.surface == "api":
                assert case.call is not None
                case.call(tmp)
                code = 0
            else:
                from sim_cli.main import main

                code = main(_argv(case, tmp))
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        except (Exception, KeyboardInterrupt) as exc:
            from sim.errors import SimInputError

            if case.surface == "api" and isinstance(exc, SimInputError):
                code, exception = 2, f"{type(exc).__name__}: {exc}"
            else:
                code, exception = None, f"{type(exc).__name__}: {exc}"[:2000]
    return Outcome(code=code, out=out.getvalue(), err=err.getvalue(), exception=exception,
                   seconds=time.perf_counter() - t0)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _catches_sigint(pid: int) -> bool:
    """Whether the process has installed its own SIGINT handler (Linux: ``SigCgt``)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def _wait_until_python_runs(proc: subprocess.Popen, limit: float = 30.0) -> None:
    """Wait until Python in ``proc`` handles Ctrl-C (its start-up is done), where /proc tells.

    A Ctrl-C before that moment meets the operating system's default (the process dies of the
    signal), for this program as for any other; on a loaded machine start-up alone can take
    longer than a case's ``interrupt_after``.
    """
    if not Path("/proc/self/status").exists():
        return
    deadline = time.monotonic() + limit
    while (proc.poll() is None and not _catches_sigint(proc.pid)
           and time.monotonic() < deadline):
        time.sleep(0.005)


def _interrupted(case: Case, tmp: Path) -> Outcome:
    """Run ``sim`` in a subprocess and press Ctrl-C ``interrupt_after`` seconds after Python
    in it has started."""
    code_root = os.environ.get("SIM_CORPUS_CODE_ROOT")
    env = dict(os.environ)
    if code_root:
        env["PYTHONPATH"] = code_root + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    # Ctrl-C is delivered as a terminal would: SIGINT at its default (a process started in the
    # background of a shell without job control inherits it ignored).
    proc = subprocess.Popen([sys.executable, "-m", "sim_cli", *_argv(case, tmp)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=tmp, preexec_fn=_default_sigint)
    _wait_until_python_runs(proc)
    time.sleep(case.interrupt_after or 0)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return Outcome(code=None, out=out, err=err, exception="hung after Ctrl-C",
                       seconds=time.perf_counter() - t0)
    code: int | None = proc.returncode
    exception = ""
    if "Traceback (most recent call last)" in err:
        code, exception = None, err.strip().splitlines()[-1]
    return Outcome(code=code, out=out, err=err, exception=exception,
                   seconds=time.perf_counter() - t0)


def _with_stdout(case: Case, tmp: Path) -> Outcome:
    """Run ``sim`` in a subprocess whose standard output is full or closed early."""
    code_root = os.environ.get("SIM_CORPUS_CODE_ROOT")
    env = dict(os.environ)
    if code_root:
        env["PYTHONPATH"] = code_root + os.pathsep + env.get("PYTHONPATH", "")
    argv = [sys.executable, "-m", "sim_cli", *_argv(case, tmp)]
    t0 = time.perf_counter()
    if case.stdout == "full":
        with open("/dev/full", "w") as full:
            proc = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True,
                                  env=env, cwd=tmp, timeout=120)
        code, err = proc.returncode, proc.stderr
    else:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             cwd=tmp)
        assert p.stdout is not None and p.stderr is not None
        p.stdout.readline()
        p.stdout.close()  # the reader went away, as `| head -1`
        err = p.stderr.read().decode("utf-8", "replace")
        code = p.wait(timeout=120)
    exception = ""
    if "Traceback (most recent call last)" in err or "Exception ignored" in err:
        exception = err.strip().splitlines()[-1]
        code = None
    return Outcome(code=code, err=err, exception=exception, seconds=time.perf_counter() - t0)


def run_case(case: Case, tmp: Path) -> Outcome:
    """Set the case up in the empty folder ``tmp``, run it, and record what happened."""
    if case.setup is not None:
        case.setup(tmp)
    before = snapshot(tmp)
    if case.stdout:
        outcome = _with_stdout(case, tmp)
    elif case.interrupt_after:
        outcome = _interrupted(case, tmp)
    else:
        outcome = _in_process(case, tmp)
    # A refused or interrupted command leaves the folder exactly as it was; a run that was
    # meant to succeed may add files (but changes none that existed).
    ignore = ("",) if outcome.code == 0 and case.code == 0 else ()
    outcome.changed = changes(before, snapshot(tmp), ignore_new=ignore)
    return outcome


def classify(case: Case, outcome: Outcome) -> str:
    """``ok`` (ran as it must), ``clear`` (one line naming what is wrong and what is allowed),
    ``unclear`` (no traceback, but more than one line, a wrong exit code, a message that misses
    what is wrong or allowed, or echoes a huge number), ``traceback``, ``accepted`` (ran
    without a word) or ``hang`` (time or memory limit)."""
    if outcome.code is None:
        hung = outcome.exception.startswith(("hung", "MemoryError", "timeout"))
        return "hang" if hung else "traceback"
    if case.code == 0:
        return "ok" if outcome.code == 0 else "unclear"
    if outcome.code == 0:
        return "accepted"
    message = outcome.message.lower()
    if (outcome.code == case.code and all(f.lower() in message for f in case.expect)
            and len(message.strip().splitlines()) == 1 and not HUGE_ECHO.search(message)):
        return "clear"
    return "unclear"


#: A message that echoes a number of more than 30 digits (e.g. 1e308 as an integer).
HUGE_ECHO = re.compile(r"[0-9]{31}")
