"""Whose folder it is: --resume continues only the same design (every input by content),
a start that stores no run leaves nothing behind, and a folder the program did not create is
never changed."""

from __future__ import annotations

from concurrent.futures import Executor, Future

import pytest

from sim_sweep import store
from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepError
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate
from tests.sweep.conftest import grid

POINTS = 'design = "points"\nmaster_seed = 3\n[sampler]\nfile = "p.csv"\n'


def run(path, **kw):
    return run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate, **kw)


def snapshot(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_resume_refuses_an_edited_points_file_and_names_extend(sweep_file, tmp_path):
    (tmp_path / "p.csv").write_text("dialogue_effort\n0.1\n0.5\n0.9\n")
    path = sweep_file(POINTS)
    assert run(path).done == 3
    before = snapshot(tmp_path / "out")
    (tmp_path / "p.csv").write_text("dialogue_effort\n0.1\n0.5\n0.8\n")  # one value edited
    with pytest.raises(SweepError, match=r"an input it reads changed \(the points file, the "
                                         r"posterior or a base scenario; here points file "
                                         r"p\.csv: SHA-256 \w{12} then, \w{12} now\)"
                                         r".*--extend"):
        run(path, resume=True)
    assert snapshot(tmp_path / "out") == before
    res = run(path, extend=True)  # what the message says: the changed design is added
    assert res.done == 1 and res.skipped == 2


def test_resume_refuses_an_edited_base_scenario(sweep_file, tmp_path):
    (tmp_path / "b.toml").write_text('title = "B"\n[parameters]\ninitial_trust = 0.5\n')
    path = sweep_file('scenario = "b.toml"\n' + grid(reps=1))
    run(path)
    (tmp_path / "b.toml").write_text('title = "B"\n[parameters]\ninitial_trust = 0.6\n')
    with pytest.raises(SweepError, match="--extend"):
        run(path, resume=True)


BASE = 'title = "B"\n[parameters]\ninitial_trust = 0.5\n'
#: Each input of a sweep, and one edit of it: (files before, the edit as (file, old, new)).
EDITS = {
    "sweep-file-level": ({}, ("s.toml", "levels = [0.0, 0.5, 1.0]", "levels = [0.0, 0.5, 0.9]")),
    "sweep-file-replications": ({}, ("s.toml", "replications = 1", "replications = 2")),
    "sweep-file-fixed": ({}, ("s.toml", "months = 24", "months = 25")),
    "points-file-value": ({"p.csv": "dialogue_effort\n0.1\n0.5\n"}, ("p.csv", "0.5", "0.6")),
    "points-file-row": ({"p.csv": "dialogue_effort\n0.1\n0.5\n"}, ("p.csv", "0.5\n",
                                                                     "0.5\n0.7\n")),
    "base-scenario": ({"b.toml": BASE}, ("b.toml", "0.5", "0.6")),
    "one-of-two-base-scenarios": ({"b.toml": BASE, "c.toml": BASE},
                                  ("c.toml", "[parameters]", "[parameters]\nn_waves = 2")),
}


def _body(kind):
    if kind.startswith("points"):
        return POINTS
    if kind == "base-scenario":
        return 'scenario = "b.toml"\n' + grid(reps=1)
    if kind == "one-of-two-base-scenarios":
        return 'scenario = ["b.toml", "c.toml"]\n' + grid(reps=1)
    return grid(reps=1)


@pytest.mark.parametrize("kind", list(EDITS))
def test_resume_refuses_any_change_to_the_sweeps_inputs_and_names_extend(
        sweep_file, tmp_path, kind, capsys):
    from sim_cli.main import main

    files, (name, old, new) = EDITS[kind]
    for file, text in files.items():
        (tmp_path / file).write_text(text)
    path = sweep_file(_body(kind))
    first = run(path)
    out = tmp_path / "out"
    before = snapshot(out)
    edited = tmp_path / name
    assert old in edited.read_text()
    edited.write_text(edited.read_text().replace(old, new))
    with pytest.raises(SweepError, match=r"--resume continues only the same design.*--extend"):
        run(path, resume=True)
    capsys.readouterr()
    assert main(["sweep", str(path), "--resume", "--executor", "serial", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--extend" in err and str(out) in err
    assert snapshot(out) == before  # refused: nothing changed, the log and lock included
    res = run(path, extend=True)  # what the message says: the changed design is added
    assert res.done >= 1 and res.skipped <= first.done


def test_a_failed_start_from_the_command_line_leaves_no_folder_and_the_retry_runs(
        sweep_file, tmp_path, monkeypatch, capsys):
    import sys

    from sim_cli.main import main

    path = sweep_file(grid(reps=1))
    monkeypatch.setitem(sys.modules, "mpi4py", None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "mpi4py.futures", None)
    assert main(["sweep", str(path), "--executor", "mpi", "--no-progress"]) == 2
    assert "mpi4py" in capsys.readouterr().err
    assert main(["sweep", str(path), "--executor", "dask", "--scheduler", "nowhere",
                 "--no-progress"]) == 2
    assert "--scheduler" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    monkeypatch.setattr("sim_sweep.engine.run_batch", _stop_at_first_batch)
    assert main(["sweep", str(path), "--executor", "serial", "--no-progress"]) == 2
    assert not (tmp_path / "out").exists()
    monkeypatch.undo()
    assert main(["sweep", str(path), "--executor", "serial", "--no-progress"]) == 0


def _stop_at_first_batch(batch):
    from sim_sweep.errors import SweepError as Stop

    raise Stop("the first batch could not start")


def test_resume_of_an_unchanged_sweep_with_new_comments_runs_nothing(sweep_file, tmp_path):
    path = sweep_file(grid(reps=1))
    run(path)
    path.write_text("# a comment\n" + path.read_text())
    res = run(path, resume=True)
    assert res.done == 0 and res.skipped == 6


class Broken(Executor):
    """An executor whose first batch fails (as a cluster that dies at once)."""

    def submit(self, fn, /, *args, **kwargs):
        fut: Future = Future()
        fut.set_exception(RuntimeError("the cluster went away"))
        return fut


class Interrupting(Executor):
    def submit(self, fn, /, *args, **kwargs):
        raise KeyboardInterrupt


@pytest.mark.parametrize("executor, error", [(Broken(), RuntimeError),
                                             (Interrupting(), KeyboardInterrupt)])
def test_a_start_that_stores_no_run_leaves_no_folder(sweep_file, tmp_path, executor, error):
    path = sweep_file(grid(reps=1))
    with pytest.raises(error):
        run_sweep(load_sweep(path), executor=executor, progress=False, run_fn=fake_simulate)
    assert not (tmp_path / "out").exists()
    assert run(path).done == 6  # the same command runs at once, no --resume needed


def test_a_failed_start_in_an_existing_empty_folder_leaves_it_empty(sweep_file, tmp_path):
    (tmp_path / "out").mkdir()
    path = sweep_file(grid(reps=1))
    with pytest.raises(RuntimeError):
        run_sweep(load_sweep(path), executor=Broken(), progress=False, run_fn=fake_simulate)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failed_resume_keeps_the_stored_runs(sweep_file, tmp_path):
    path = sweep_file(grid(reps=1))
    run(path, max_batches=1, batch_size=2)
    before = store.done_ids(tmp_path / "out")
    with pytest.raises(RuntimeError):
        run_sweep(load_sweep(path), executor=Broken(), progress=False, run_fn=fake_simulate,
                  resume=True)
    assert (store.done_ids(tmp_path / "out") == before).all() and before.size == 2


@pytest.mark.parametrize("log", [b'{"level": "info", "msg": "up"}\n', b"\x89PNG\x00\x01",
                                 b'{"event": "start", "name": "s"}\n'])
@pytest.mark.parametrize("resume", [False, True])
def test_a_log_that_is_not_ours_is_refused_and_left_as_it_is(sweep_file, tmp_path, log,
                                                              resume):
    out = tmp_path / "out"
    out.mkdir()
    (out / "log.jsonl").write_bytes(log)
    path = sweep_file(grid(reps=1))
    with pytest.raises(SweepError, match=r"log\.jsonl.*(not a sweep|damaged)"):
        run(path, resume=resume)
    assert sorted(p.name for p in out.iterdir()) == ["log.jsonl"]
    assert (out / "log.jsonl").read_bytes() == log


def test_a_torn_last_log_line_stays_one_bad_line(sweep_file, tmp_path):
    path = sweep_file(grid(reps=1))
    run(path, max_batches=1, batch_size=2)
    log = tmp_path / "out" / "log.jsonl"
    log.write_bytes(log.read_bytes() + b'{"event": "batch", "ok"')  # machine lost mid-write
    res = run(path, resume=True)
    assert res.done == 4
    events = [e["event"] for e in store.read_log(tmp_path / "out")]
    assert events.count("start") == 2 and events[-1] == "end"


# --- damaged result folders -------------------------------------------------------------------

def truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def first_part(out, sub="runs"):
    return sorted((out / sub).glob("part-*.parquet"))[0]


def test_a_truncated_part_analysed_then_resumed_with_repair_ends_as_an_undamaged_sweep(
        sweep_file, tmp_path, tables):
    from sim_sweep.analyze import analyze

    clean = tmp_path / "clean"
    clean.mkdir()
    from tests.sweep.conftest import write_sweep

    run(write_sweep(clean, grid(reps=2), name="s"), batch_size=3)
    path = sweep_file(grid(reps=2))
    run(path, batch_size=3)
    out = tmp_path / "out"
    part = first_part(out)
    truncate(part)
    before = snapshot(out)
    with pytest.raises(SweepError, match=rf"{part.name} is damaged.*--resume --repair"):
        analyze(out, charts=False)
    with pytest.raises(SweepError, match=rf"{part.name} is damaged.*--repair"):
        run(path, resume=True)
    assert snapshot(out) == before  # refused: nothing changed, the lock file included
    res = run(path, resume=True, repair=True)
    assert res.done == 3 and res.skipped == 9  # the damaged part's runs, computed again
    assert (out / "damaged" / "runs" / part.name).exists()
    assert (out / "damaged" / "series" / part.name).exists()  # its other half moved too
    runs, series = tables(out)
    clean_runs, clean_series = tables(clean / "out")
    assert runs.num_rows == 12 and len(set(runs.column("run_id").to_pylist())) == 12
    assert runs.equals(clean_runs) and series.equals(clean_series)
    assert analyze(out, charts=False).runs == 12
    assert [e for e in store.read_log(out) if e["event"] == "repaired"][0]["files"] == [
        f"runs/{part.name}", f"series/{part.name}"]


def flip_middle(path):
    """Flip bytes in the middle of the largest column chunk's pages, leaving the footer
    whole (bit rot, a bad copy)."""
    import pyarrow.parquet as pq

    group = pq.ParquetFile(path).metadata.row_group(0)
    chunk = max((group.column(i) for i in range(group.num_columns)),
                key=lambda c: c.total_compressed_size)
    middle = chunk.data_page_offset + chunk.total_compressed_size // 2
    data = bytearray(path.read_bytes())
    for i in range(middle - 8, middle + 8):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def foreign_part(out, name="part-zzz-foreign.parquet", **columns):
    """A Parquet file some other program put into ``runs/``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), out / "runs" / name)
    return out / "runs" / name


@pytest.mark.parametrize("damage", ["empty-part", "truncated-series", "binary-log",
                                    "no-spec", "no-design", "bad-spec", "design-gap",
                                    "foreign-part", "clashing-part", "rotten-page"])
def test_analyze_names_the_damaged_or_missing_file(sweep_file, tmp_path, damage):
    from sim_sweep.analyze import analyze

    path = sweep_file(grid(reps=2))
    run(path, batch_size=3)
    out = tmp_path / "out"
    h = store.latest_start(out)["spec_hash"]
    if damage == "empty-part":
        first_part(out).write_bytes(b"")
        words = ["runs", "empty file", "--repair"]
    elif damage == "truncated-series":
        truncate(first_part(out, "series"))
        words = ["series", "damaged", "--repair"]
    elif damage == "binary-log":
        (out / "log.jsonl").write_bytes((out / "log.jsonl").read_bytes() + b"\xff\xfe\x00\n")
        words = ["log.jsonl", "damaged", "not text"]
    elif damage == "no-spec":
        (out / "specs" / f"{h}.toml").unlink()
        words = ["specs", "missing", "--resume"]
    elif damage == "no-design":
        import shutil

        shutil.rmtree(out / "designs" / h)
        words = ["designs", "missing", "--resume"]
    elif damage == "bad-spec":
        (out / "specs" / f"{h}.toml").write_bytes(b"\x00\x01")
        words = ["specs", "not a valid sweep file"]
    elif damage == "foreign-part":
        foreign_part(out, run_id=[1, 2], x=[0.5, 0.6])
        words = ["runs/part-zzz-foreign.parquet is damaged", "'run_id' column holds int64",
                 "not a part this program wrote", "--repair"]
    elif damage == "clashing-part":
        import pyarrow as pa

        t = store.read_runs(out).slice(0, 1)
        t = t.set_column(t.schema.get_field_index("seed"), "seed", pa.array(["7"]))
        foreign_part(out, **{c: t.column(c) for c in t.column_names})
        words = ["runs/part-zzz-foreign.parquet is damaged", "do not match", "seed", "--repair"]
    elif damage == "rotten-page":
        flip_middle(first_part(out))
        words = [f"runs/{first_part(out).name} is damaged", "cannot be read", "--repair"]
    else:
        chunk = out / "designs" / h / "points-000000000000.parquet"
        chunk.rename(chunk.with_name("points-000000000003.parquet"))
        words = ["points 0 to 2 are missing"]
    before = snapshot(out)
    with pytest.raises(SweepError) as info:
        analyze(out, charts=False)
    for w in words:
        assert w in str(info.value), (w, str(info.value))
    assert len(str(info.value).splitlines()) == 1
    assert snapshot(out) == before


@pytest.mark.parametrize("damage", ["foreign-part", "rotten-page"])
def test_repair_moves_a_foreign_or_rotten_part_aside_and_ends_as_an_undamaged_sweep(
        sweep_file, tmp_path, tables, damage):
    from sim_sweep.analyze import analyze
    from tests.sweep.conftest import write_sweep

    clean = tmp_path / "clean"
    clean.mkdir()
    run(write_sweep(clean, grid(reps=2), name="s"), batch_size=3)
    path = sweep_file(grid(reps=2))
    run(path, batch_size=3)
    out = tmp_path / "out"
    if damage == "foreign-part":
        bad = foreign_part(out, run_id=[1, 2], x=[0.5, 0.6])
        again = 0
    else:
        bad = first_part(out)
        flip_middle(bad)
        again = 3
    res = run(path, resume=True, repair=True)
    assert res.done == again and res.skipped == 12 - again
    assert (out / "damaged" / "runs" / bad.name).exists() and not bad.exists()
    runs, series = tables(out)
    clean_runs, clean_series = tables(clean / "out")
    assert runs.equals(clean_runs) and series.equals(clean_series)
    assert analyze(out, charts=False).runs == 12


@pytest.mark.parametrize("kind", ["cut-short", "named-pipe"])
def test_a_damaged_staged_part_is_set_aside_and_its_runs_computed_again(sweep_file, tmp_path,
                                                                        kind):
    import os

    path = sweep_file(grid(reps=1))
    run(path, batch_size=2, max_batches=1)
    out = tmp_path / "out"
    stem = "999-deadbeef0000"
    staged = out / "staging" / f"part-{stem}.runs.parquet"
    if kind == "cut-short":
        staged.write_bytes(b"PAR1 cut short")
    else:
        os.mkfifo(staged)  # a reader that opened it would wait for ever
    res = run(path, resume=True)
    assert res.done == 4
    assert (out / "damaged" / "staging" / f"part-{stem}.runs.parquet").exists()


def test_ctrl_c_while_analysing_leaves_the_earlier_analysis(sweep_file, tmp_path,
                                                             monkeypatch):
    import pandas as pd

    from sim_sweep.analyze import analyze

    path = sweep_file(grid(reps=2))
    run(path)
    out = tmp_path / "out"
    analyze(out, charts=False)
    before = snapshot(out / "analysis")

    def half(self, target, *a, **k):
        open(target, "w").write("point_id,po")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half)
    with pytest.raises(KeyboardInterrupt):
        analyze(out, charts=False)
    assert snapshot(out / "analysis") == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".lock"]


def test_an_unreachable_dask_scheduler_is_one_line_and_leaves_no_folder(sweep_file, tmp_path):
    pytest.importorskip("dask.distributed")  # its config defaults load first
    import dask
    path = sweep_file(grid(reps=1))
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(SweepError, match=r"--scheduler tcp://127\.0\.0\.1:9: cannot "
                                             r"connect.*dask scheduler"):
            run_sweep(load_sweep(path), kind="dask", scheduler="tcp://127.0.0.1:9",
                      progress=False, run_fn=fake_simulate)
    assert not (tmp_path / "out").exists()


def test_an_output_name_too_long_is_a_sweep_error(sweep_file, tmp_path):
    path = sweep_file(grid(reps=1))
    with pytest.raises(SweepError, match="output folder .*too long"):
        run(path, output=str(tmp_path / ("o" * 300)))


def test_sim_analyze_then_resume_repair_of_a_truncated_part_gives_an_undamaged_sweeps_results(
        tmp_path, capsys):
    """The whole story from the command line with the real model: a truncated part is named by
    ``sim analyze`` and a plain ``--resume`` (nothing changed), ``--resume --repair`` computes
    its runs again, and the folder then holds every run once with the results and the
    analysis of the same sweep run without damage."""
    import pandas as pd

    from sim_cli.main import main
    from tests.sweep.conftest import runs_table, series_table, write_sweep

    body = grid(reps=2).replace("2026", "5")
    fixed = "[fixed]\nmonths = 12\nn_institutions = 10\n"
    clean, damaged = tmp_path / "clean", tmp_path / "damaged"
    paths = {}
    for folder in (clean, damaged):
        folder.mkdir()
        paths[folder] = write_sweep(folder, body, fixed=fixed)
        assert main(["sweep", str(paths[folder]), "--executor", "serial", "--no-progress",
                     "--batch-size", "3"]) == 0
    out = damaged / "out"
    part = first_part(out)
    truncate(part)
    before = snapshot(out)
    capsys.readouterr()
    for argv in (["analyze", str(out)], ["sweep", str(paths[damaged]), "--resume",
                                         "--executor", "serial", "--no-progress"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1, err
        assert f"{part} is damaged" in err and "--resume --repair" in err, err
        assert snapshot(out) == before
    assert main(["sweep", str(paths[damaged]), "--resume", "--repair", "--executor", "serial",
                 "--no-progress"]) == 0
    assert "3 runs done" in capsys.readouterr().out  # the truncated part's runs, again
    runs, clean_runs = runs_table(out), runs_table(clean / "out")
    assert runs.num_rows == 12 and len(set(runs.column("run_id").to_pylist())) == 12
    assert runs.to_pandas().equals(clean_runs.to_pandas())
    assert series_table(out).to_pandas().equals(series_table(clean / "out").to_pandas())
    for folder in (clean, damaged):
        assert main(["analyze", str(folder / "out")]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "analysis" / "summary.csv"),
                                  pd.read_csv(clean / "out" / "analysis" / "summary.csv"))
