"""Benchmark the app in a real browser (Debian's chromium + Playwright) at 100 institutions.

Prints (each figure the median of several runs):
  * live play, at every speed setting: months per second shown with every panel drawn
    (the 7 charts and the month label/KPI cards all showing month m), how many months every
    panel drew (a browser that falls behind skips months rather than queueing them) and so
    the months drawn by every panel per second;
  * what-if: time from a control change (key press on a slider) until every chart has
    redrawn the new 10-year result;
  * where the time goes: simulation, chart building and the server's render pass (measured
    in-process, same code), transfer (browser: key press -> option arrived, minus the
    server's part) and drawing (browser: option arrived -> the frame after ECharts painted,
    and the time spent inside setOption).

With ``--visitors N``: the server's CPU per visitor, N visitors one after another; with
``--crowd N``: N pages asked for at once (``--distinct``: each a seed of its own).

Usage: .venv/bin/python benchmarks/bench_app.py [--runs 3] [--changes 7] [--speeds 1,12,30]
       .venv/bin/python benchmarks/bench_app.py --visitors 12 [--distinct]
       .venv/bin/python benchmarks/bench_app.py --crowd 10 [--distinct]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import time

import solara
from playwright.sync_api import sync_playwright

from sim_app.serving import CHROMIUM, CHROMIUM_FLAGS, app_server
from sim_app.session.runs import run_once
from sim_app.session.state import Session
from sim_app.views.kpi_cards import texts
from sim_app.views.page import Main
from sim_app.views.panels import build_options
from sim_app.views.player import SPEEDS

CHARTS = ("gain", "net", "service", "trust", "shadow", "centre", "network")

#: Seconds of play measured per run (at most the whole horizon).
PLAY_SECONDS = 6.0

OBSERVE_MONTH = """
window.monthTimes = [];
const el = document.querySelector('.month-label');
new MutationObserver(() => {
  const m = parseInt(el.innerText.match(/\\d+/)[0]);
  window.monthTimes.push([performance.now(), m]);
}).observe(el, {childList: true, subtree: true, characterData: true});
"""

MONTH_SHOWN = "parseInt(document.querySelector('.month-label').innerText.match(/\\d+/)[0])"


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def in_process(n: int = 7) -> dict[str, float]:
    """Simulation, chart building, the server's render pass and the cost of one month."""
    from sim_app.charts.widget import to_json
    from sim_app.session.shared import clear_all

    s = Session("default")
    s.n_band_seeds = 0
    sims, builds, sizes, dumps = [], [], [], []
    for _ in range(n):
        t = time.perf_counter()
        run_once(s.run.params, s.seed)  # not the server's run cache: the model's own time
        sims.append(time.perf_counter() - t)
        s._timeline = None  # build as after a change: KPI timeline, texts, options
        clear_all()  # (not the figures every session shares: the work itself)
        t = time.perf_counter()
        opts = build_options(s, "en", False)
        kpi = texts(s, "en")
        builds.append(time.perf_counter() - t)
        t = time.perf_counter()
        text = "".join(to_json(o) for o in opts.values()) + json.dumps(kpi)
        dumps.append(time.perf_counter() - t)
        sizes.append(len(text))
    # the whole server side of a change, with the page rendered (controls open)
    _box, _rc = solara.render(solara.AppLayout(children=[Main(s)]), handle_error=False)
    changes, renders = [], []
    for k in range(n):
        t = time.perf_counter()
        s.set_value("dialogue_effort", 0.5 + 0.01 * (k + 1))  # new each time: nothing cached
        total = time.perf_counter() - t
        changes.append(total)
        renders.append(total - s.timings["simulate"] - s.timings["build"])
    s.reset()
    ticks = []
    for _ in range(s.run.horizon):
        t = time.perf_counter()
        s.step()
        ticks.append(time.perf_counter() - t)
    return {"simulate_s": median(sims), "build_s": median(builds), "json_s": median(dumps),
            "option_bytes": median(sizes), "change_s": median(changes),
            "render_s": median(renders), "tick_s": median(ticks),
            "n_institutions": s.run.params.n_institutions}


def chart_state(page) -> list[tuple[int, int]]:
    return page.evaluate(
        "[...document.querySelectorAll('[data-chart]')].map(e => "
        "[parseInt(e.dataset.revision || '-1'), parseInt(e.dataset.month || '-1')])")


def wait_settled(page, month: int | None = None, timeout: float = 30.0) -> None:
    """Wait until every chart has drawn the month the label shows (the browser caught up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = page.evaluate(MONTH_SHOWN)
        state = chart_state(page)
        if len(state) >= len(CHARTS) and all(m == shown for _, m in state) \
                and (month is None or shown == month):
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"charts did not settle: label {page.evaluate(MONTH_SHOWN)}, "
                       f"charts {chart_state(page)}")


def choose_speed(page, speed: int) -> None:
    page.click(".speed-select")
    page.locator(".v-menu__content .v-list-item").get_by_text(str(speed), exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)


def live_play(page, speed: int) -> dict[str, float]:
    """Play from month 0 for PLAY_SECONDS (or to the end); months/s with every panel drawn."""
    page.click(".btn-reset")
    page.wait_for_function(f"{MONTH_SHOWN} === 0")
    wait_settled(page, 0)
    horizon = 120
    target = min(horizon, max(4, round(speed * PLAY_SECONDS)))
    page.evaluate(OBSERVE_MONTH + "; window.sharedsimTimings = [];")
    page.click(".btn-play")
    page.wait_for_function(f"{MONTH_SHOWN} >= {target}", timeout=(target / speed + 30) * 1000)
    if target < horizon:
        page.click(".btn-pause")
    page.wait_for_timeout(300)
    label = page.evaluate("window.monthTimes")
    timings = page.evaluate("window.sharedsimTimings")
    # when did every panel first show month m (or a later one)?
    first: dict[str, dict[int, float]] = {"label": {}}
    for t, m in label:
        first["label"].setdefault(m, t)
    for d in timings:
        first.setdefault(d["name"], {}).setdefault(d["month"], d.get("painted", d["drawn"]))
    panels = ["label", *CHARTS]
    months = range(1, target + 1)
    all_drawn = [m for m in months if all(m in first.get(p, {}) for p in panels)]
    shown_at = {m: max(first[p][m] for p in panels) for m in all_drawn}
    lo_m = next((m for m in all_drawn if m >= 2), None)
    hi_m = all_drawn[-1] if all_drawn else None
    if lo_m is None or hi_m is None or hi_m <= lo_m:
        rate = float("nan")
    else:
        rate = (hi_m - lo_m) / ((shown_at[hi_m] - shown_at[lo_m]) / 1000.0)
    # progress: the label (the month every panel is asked to show) and the slowest chart
    # months drawn by every panel, per second of play (< months_per_s when months are skipped)
    full_rate = float("nan") if lo_m is None or hi_m is None or hi_m <= lo_m else \
        (sum(1 for m in all_drawn if lo_m < m <= hi_m)) / ((shown_at[hi_m] - shown_at[lo_m]) / 1000.0)
    cpu = [d["cpu"] for d in timings if d.get("cpu") is not None]
    lag = [d.get("painted", d["drawn"]) - d["arrive"] for d in timings]
    return {"months_per_s": rate, "full_per_s": full_rate, "months": target,
            "all_panels_drawn": len(all_drawn), "cpu_ms": median(cpu),
            "arrive_to_drawn_ms": median(lag)}


def what_if(page, changes: int) -> dict:
    page.click(".btn-end", timeout=30_000)
    wait_settled(page, 120)
    thumb = page.locator(".param-dialogue_effort .v-slider__thumb-container")
    if thumb.count() == 0:
        page.locator(".group-header-trust").click()
        page.wait_for_timeout(500)
        thumb = page.locator(".param-dialogue_effort .v-slider__thumb-container")
    totals, arrive, draws, cpus = [], [], [], []
    for _ in range(changes):
        page.wait_for_timeout(2500)  # let the uncertainty band of the last change finish
        before = max(r for r, _ in chart_state(page))
        page.evaluate("window.sharedsimTimings = []")
        thumb.focus()
        t0 = page.evaluate("performance.now()")
        page.keyboard.press("ArrowRight")  # a new value every time: no run is reused
        page.wait_for_function(
            f"[...document.querySelectorAll('[data-chart]')].every("
            f"e => parseInt(e.dataset.revision || '-1') > {before})", timeout=20_000)
        timings = page.evaluate("window.sharedsimTimings")
        first_rev = min(d["revision"] for d in timings if d["revision"] > before)
        first = [d for d in timings if d["revision"] == first_rev]
        done = max(d.get("painted", d["drawn"]) for d in first)
        totals.append(done - t0)
        arrive.append(max(d["arrive"] for d in first) - t0)
        draws.append(done - max(d["arrive"] for d in first))
        cpus.append(sum(d["cpu"] for d in first))
    return {"total_ms": median(totals), "all_ms": [round(x) for x in totals],
            "arrive_ms": median(arrive), "draw_ms": median(draws), "cpu_ms": median(cpus)}


KEY_FIGURES_SHOWN = """() => {
  const v = [...document.querySelectorAll('.kpi-card .kpi-value')];
  return v.length > 0 && v.every((e) => e.innerText.trim().length > 0)
    && !!document.querySelector('[data-chart="gain"][data-revision]');
}"""


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the server process and its children so far."""
    import psutil

    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            t = p.cpu_times()
            total += t.user + t.system
    return total


def wait_idle(pid: int, quiet: float = 0.05, step: float = 0.5, limit: float = 20.0,
              steps: int = 4) -> None:
    """Wait until the server used less than ``quiet`` CPU-s in each of ``steps`` steps of
    ``step`` s in a row (its work for the last visitor is done, including the clean-up of a
    closed session and the garbage collection Solara runs 1 s after it)."""
    end = time.monotonic() + limit
    last = server_cpu(pid)
    calm = 0
    while time.monotonic() < end:
        time.sleep(step)
        now = server_cpu(pid)
        calm = calm + 1 if now - last < quiet else 0
        if calm >= steps:
            return
        last = now


def visitors(n: int, hold: float, distinct: bool = False) -> dict:
    """``n`` visitors open the app one after another, each page kept ``hold`` s (so its band
    is computed) and closed; the server pinned to core 0, the browser to the other cores.

    Returns the server's CPU seconds per visitor (from just before the page is asked for
    until the server is idle after it closed) and each page's time until it shows its key
    figures (every KPI card filled and the gain chart drawn). ``distinct``: each visitor asks
    for a seed of its own (``?seed=``), so no run or band computed for another visitor helps."""
    cores = sorted(os.sched_getaffinity(0))
    server_cores = str(cores[0]) if len(cores) > 1 else None
    pid: list[int] = []
    cpu, shown = [], []
    with app_server(pid=pid, cpus=server_cores) as url, sync_playwright() as p:
        if server_cores is not None:
            os.sched_setaffinity(0, set(cores[1:]))  # the browser starts from this process
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for i in range(n + 1):  # the first visitor warms the server up (imports, caches)
            wait_idle(pid[0])
            c0 = server_cpu(pid[0])
            t0 = time.perf_counter()
            ctx = browser.new_context(viewport={"width": 1280, "height": 720})
            page = ctx.new_page()
            page.goto(url + (f"?seed={1000 + i}" if distinct else ""))
            page.wait_for_function(KEY_FIGURES_SHOWN, timeout=120_000)
            t_shown = time.perf_counter() - t0
            page.wait_for_timeout(hold * 1000)
            ctx.close()
            wait_idle(pid[0])
            if i > 0:
                cpu.append(server_cpu(pid[0]) - c0)
                shown.append(t_shown)
            print(f"  visitor {i}{' (warm-up)' if i == 0 else ''}: key figures after "
                  f"{t_shown:.2f} s, server {server_cpu(pid[0]) - c0:.2f} CPU-s", flush=True)
        browser.close()
    return {"cpu": cpu, "shown": shown, "pinned": server_cores is not None}


def crowd(n: int, hold: float, distinct: bool = False) -> dict:
    """``n`` pages asked for at the same moment (one browser on the cores the server is not
    pinned to); each page's time until it shows its key figures, and the server's CPU seconds
    from the first request until it is idle after every page closed, per page. On a 2-core
    machine the one browser core renders all the pages, so the times measure the browser as
    much as the server; the CPU per page is the server's own."""
    cores = sorted(os.sched_getaffinity(0))
    server_cores = str(cores[0]) if len(cores) > 1 else None
    pid: list[int] = []
    with app_server(pid=pid, cpus=server_cores) as url, sync_playwright() as p:
        if server_cores is not None:
            os.sched_setaffinity(0, set(cores[1:]))
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        warm = browser.new_context(viewport={"width": 1280, "height": 720})  # warm-up visitor
        page = warm.new_page()
        page.goto(url)
        page.wait_for_function(KEY_FIGURES_SHOWN, timeout=120_000)
        page.wait_for_timeout(hold * 1000)
        warm.close()
        wait_idle(pid[0])
        c0 = server_cpu(pid[0])
        t0 = time.perf_counter()
        ctxs = [browser.new_context(viewport={"width": 1280, "height": 720}) for _ in range(n)]
        pages = [c.new_page() for c in ctxs]
        for i, page in enumerate(pages):
            page.goto(url + (f"?seed={2000 + i}" if distinct else ""), wait_until="commit")
        shown: dict[int, float] = {}
        deadline = time.monotonic() + 300
        while len(shown) < n and time.monotonic() < deadline:
            for i, page in enumerate(pages):
                if i not in shown and page.evaluate(f"({KEY_FIGURES_SHOWN})()"):
                    shown[i] = time.perf_counter() - t0
            time.sleep(0.1)
        time.sleep(hold)
        for c in ctxs:
            c.close()
        wait_idle(pid[0])
        cpu = server_cpu(pid[0]) - c0
        browser.close()
    return {"shown": [shown.get(i, float("nan")) for i in range(n)], "cpu_per_page": cpu / n,
            "all_shown": len(shown) == n, "pinned": server_cores is not None}


def main_crowd(n: int, hold: float, distinct: bool) -> None:
    what = "each with a seed of its own" if distinct else "all on the default"
    print(f"a crowd: {n} pages asked for at once, {what} (kept {hold:g} s, then closed):")
    r = crowd(n, hold, distinct)
    shown = [x for x in r["shown"] if x == x]
    print(f"key figures shown on {len(shown)} of {n} pages (within 300 s), after "
          f"{spread(shown) if shown else '-'} s")
    print(f"server CPU per page {r['cpu_per_page']:.2f} CPU-s (server on core 0, the browser on "
          f"the other{'s' if r['pinned'] else ''})")


def spread(xs: list[float]) -> str:
    qs = statistics.quantiles(xs, n=10) if len(xs) > 1 else [xs[0]] * 9
    return f"{median(xs):.2f} (10–90 %: {qs[0]:.2f}–{qs[-1]:.2f}; min {min(xs):.2f}, " \
           f"max {max(xs):.2f})"


def main_visitors(n: int, hold: float, distinct: bool) -> None:
    what = "each with a seed of its own" if distinct else "all on the default"
    print(f"{n} visitors one after another, {what} (page kept {hold:g} s, then closed):")
    r = visitors(n, hold, distinct)
    where = ("server on core 0, browser on the others" if r["pinned"]
             else "one core: server and browser share it")
    print(f"server CPU per visitor  {spread(r['cpu'])} CPU-s   [{where}]")
    print(f"key figures shown after {spread(r['shown'])} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="plays per speed setting")
    ap.add_argument("--speeds", default=",".join(str(s) for s in SPEEDS))
    ap.add_argument("--visitors", type=int, default=0,
                    help="only measure the server's CPU per visitor over this many visitors")
    ap.add_argument("--hold", type=float, default=5.0, help="seconds each visitor stays")
    ap.add_argument("--distinct", action="store_true",
                    help="each visitor asks for a seed of its own (nothing shared)")
    ap.add_argument("--crowd", type=int, default=0,
                    help="only measure this many pages asked for at once")
    args = ap.parse_args()
    if args.crowd:
        main_crowd(args.crowd, args.hold, args.distinct)
        return
    if args.visitors:
        main_visitors(args.visitors, args.hold, args.distinct)
        return
    speeds = [int(x) for x in args.speeds.split(",")]
    os.environ.setdefault("REACTON_FAST", "1")  # render as the server does (serving.py)
    proc = in_process()
    print(f"in-process at {proc['n_institutions']} institutions, 120 months (medians):")
    print(f"  simulate full horizon       {proc['simulate_s'] * 1000:7.1f} ms")
    print(f"  build charts and KPI texts  {proc['build_s'] * 1000:7.1f} ms "
          f"({proc['option_bytes'] / 1024:.0f} KiB JSON, encode {proc['json_s'] * 1000:.1f} ms)")
    print(f"  render pass + widget update {proc['render_s'] * 1000:7.1f} ms "
          f"(whole change on the server: {proc['change_s'] * 1000:.0f} ms)")
    print(f"  one month of live play      {proc['tick_s'] * 1000:7.2f} ms (renders the 8 leaves that read it)")
    with app_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1100})
        page.goto(url)
        page.wait_for_selector('[data-chart="network"][data-revision]', timeout=60_000)
        page.wait_for_timeout(3000)  # the uncertainty band
        page.get_by_text("Story pauses").click()  # play through: no stops at the story's
        page.get_by_text("Stop at story pauses").click()  # pauses while measuring speed
        page.wait_for_timeout(300)
        print("browser, live play (every panel: 6 charts, network, month label + KPI cards):")
        print("  asked  months/s shown (runs)    every-panel months/s  months drawn by every panel"
              "   setOption  arrive->painted")
        for speed in speeds:
            choose_speed(page, speed)
            plays = [live_play(page, speed) for _ in range(args.runs)]
            rates = ", ".join(f"{r['months_per_s']:.1f}" for r in plays)
            drawn = ", ".join(f"{r['all_panels_drawn']}/{r['months']}" for r in plays)
            print(f"  {speed:5d}  {median([r['months_per_s'] for r in plays]):5.1f} ({rates})".ljust(38)
                  + f"{median([r['full_per_s'] for r in plays]):5.1f}".ljust(22)
                  + drawn.ljust(30)
                  + f"{median([r['cpu_ms'] for r in plays]):5.1f} ms"
                  + f"  {median([r['arrive_to_drawn_ms'] for r in plays]):6.1f} ms", flush=True)
        wi = what_if(page, args.changes)
        server = 1000 * (proc["simulate_s"] + proc["build_s"] + proc["render_s"])
        print("browser, what-if (slider key press -> all charts redrawn the 10-year result):")
        print(f"  median                      {wi['total_ms']:7.0f} ms (all: {wi['all_ms']})")
        print(f"  of which simulation         {proc['simulate_s'] * 1000:7.0f} ms (in-process)")
        print(f"  of which chart building     {proc['build_s'] * 1000:7.0f} ms (in-process)")
        print(f"  of which server render pass {proc['render_s'] * 1000:7.0f} ms (in-process)")
        print(f"  of which transfer           {wi['arrive_ms'] - server:7.0f} ms (key press -> "
              f"last option arrived {wi['arrive_ms']:.0f} ms, minus the server's part)")
        print(f"  of which drawing            {wi['draw_ms']:7.0f} ms (last option arrived -> "
              f"all drawn; inside setOption, 7 charts: {wi['cpu_ms']:.0f} ms)")
        browser.close()


if __name__ == "__main__":
    main()
