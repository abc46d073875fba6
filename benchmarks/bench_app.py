"""Benchmark the app in a real browser (Debian's chromium + Playwright) at 100 institutions.

Prints:
  * live play: months per second actually shown in the browser with every panel drawn;
  * what-if: time from a control change (key press on a slider) until every chart has
    redrawn the new 10-year result (median of several changes);
  * where the time goes: simulation and chart building (measured in-process, same code),
    option size, drawing (browser: option arrival -> ECharts 'finished'), and the rest
    (transfer over the websocket, widget updates, Vue) by difference.

Usage: .venv/bin/python benchmarks/bench_app.py [--changes 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from playwright.sync_api import sync_playwright

from sim_app.panels import build_options
from sim_app.runs import simulate
from sim_app.serving import CHROMIUM, CHROMIUM_FLAGS, app_server
from sim_app.state import Session

CHARTS = ("gain", "net", "service", "trust", "shadow", "centre", "network")

OBSERVE_MONTH = """
window.monthTimes = [];
const el = document.querySelector('.month-label');
new MutationObserver(() => {
  const m = parseInt(el.innerText.match(/\\d+/)[0]);
  window.monthTimes.push([performance.now(), m]);
}).observe(el, {childList: true, subtree: true, characterData: true});
"""


def in_process(n: int = 7) -> dict[str, float]:
    s = Session("default")
    s.n_band_seeds = 0
    sims, builds, sizes, dumps = [], [], [], []
    for _ in range(n):
        t = time.perf_counter()
        simulate(s.run.params, s.seed)
        sims.append(time.perf_counter() - t)
        t = time.perf_counter()
        opts = build_options(s, "en", False)
        builds.append(time.perf_counter() - t)
        t = time.perf_counter()
        text = json.dumps(opts)
        dumps.append(time.perf_counter() - t)
        sizes.append(len(text))
    s.reset()
    step_builds = []
    for _ in range(s.run.horizon):
        s.month += 1
        t = time.perf_counter()
        build_options(s, "en", False)
        step_builds.append(time.perf_counter() - t)
    return {"simulate_s": statistics.median(sims), "build_s": statistics.median(builds),
            "json_s": statistics.median(dumps), "option_bytes": statistics.median(sizes),
            "build_per_month_s": statistics.median(step_builds),
            "n_institutions": s.run.params.n_institutions}


def all_revisions(page) -> list[int]:
    return page.evaluate(
        "[...document.querySelectorAll('[data-chart]')].map(e => parseInt(e.dataset.revision || '-1'))")


def live_play(page, speed: int) -> dict[str, float]:
    page.click(".btn-reset")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('Month 0 ')")
    page.click(".speed-select")
    page.locator(".v-menu__content .v-list-item").get_by_text(str(speed), exact=True).click()
    page.keyboard.press("Escape")
    page.evaluate(OBSERVE_MONTH + "; window.sharedsimTimings = [];")
    page.click(".btn-play")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('Month 120 ')",
                           timeout=120_000)
    page.wait_for_timeout(500)
    times = page.evaluate("window.monthTimes")
    timings = page.evaluate("window.sharedsimTimings")
    seen: dict[int, float] = {}
    for t, m in times:
        seen.setdefault(m, t)
    t_lo, m_lo = next((t, m) for t, m in times if m >= 10)
    t_hi, m_hi = next((t, m) for t, m in times if m >= 110)
    rate = (m_hi - m_lo) / ((t_hi - t_lo) / 1000.0)
    draws = [d["drawn"] - d["arrive"] for d in timings]
    per_rev: dict[int, int] = {}
    for d in timings:
        per_rev[d["revision"]] = per_rev.get(d["revision"], 0) + 1
    full = sum(1 for c in per_rev.values() if c >= len(CHARTS))
    months = sorted(m for m in seen if 10 <= m <= 110)
    return {"months_drawn_10_110": len(months), "months_per_s": rate, "draw_ms_median": statistics.median(draws),
            "updates_with_all_panels_drawn": full, "updates": len(per_rev),
            "months_shown": len(seen)}


def what_if(page, changes: int) -> dict[str, float]:
    page.click(".btn-end", timeout=120_000)
    page.wait_for_timeout(500)
    thumb = page.locator(".param-dialogue_effort .v-slider__thumb-container")
    if thumb.count() == 0:
        page.locator(".group-header-trust").click()
        page.wait_for_timeout(500)
        thumb = page.locator(".param-dialogue_effort .v-slider__thumb-container")
    totals, draws = [], []
    for k in range(changes):
        page.wait_for_timeout(2500)  # let the uncertainty band of the last change finish
        before = max(all_revisions(page))
        page.evaluate("window.sharedsimTimings = []")
        thumb.focus()
        t0 = page.evaluate("performance.now()")
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        page.wait_for_function(
            f"[...document.querySelectorAll('[data-chart]')].every("
            f"e => parseInt(e.dataset.revision || '-1') > {before})", timeout=20_000)
        timings = page.evaluate("window.sharedsimTimings")
        done = max(d["drawn"] for d in timings)
        totals.append(done - t0)
        first = [d for d in timings if d["revision"] == min(x["revision"] for x in timings)]
        draws.append(sum(d["drawn"] - d["arrive"] for d in first))
    return {"change_to_redrawn_ms_median": statistics.median(totals),
            "change_to_redrawn_ms_all": [round(x) for x in totals],
            "draw_all_charts_ms_median": statistics.median(draws)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=7)
    ap.add_argument("--plays", type=int, default=3)
    args = ap.parse_args()
    proc = in_process()
    print(f"in-process at {proc['n_institutions']} institutions, 120 months:")
    print(f"  simulate full horizon     {proc['simulate_s'] * 1000:7.1f} ms")
    print(f"  build all chart options   {proc['build_s'] * 1000:7.1f} ms "
          f"({proc['option_bytes'] / 1024:.0f} KiB JSON, encode {proc['json_s'] * 1000:.1f} ms)")
    print(f"  build options per month   {proc['build_per_month_s'] * 1000:7.1f} ms (live play)")
    with app_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1100})
        page.goto(url)
        page.wait_for_selector('[data-chart="network"][data-revision]', timeout=60_000)
        page.wait_for_timeout(3000)
        for speed in (12, 30):
            plays = [live_play(page, speed) for _ in range(args.plays)]
            rates = [r["months_per_s"] for r in plays]
            print(f"browser, live play at {speed} months/s asked:")
            print(f"  months/s shown            {statistics.median(rates):7.1f} (runs: "
                  + ", ".join(f"{r:.1f}" for r in rates) + ")")
            print("  distinct months shown 10..110: "
                  + ", ".join(str(r["months_drawn_10_110"]) for r in plays) + " of 101")
            print(f"  draw per chart per month  "
                  f"{statistics.median(r['draw_ms_median'] for r in plays):7.1f} ms")
            print(f"  updates with all 7 panels drawn: {plays[-1]['updates_with_all_panels_drawn']}"
                  f" of {plays[-1]['updates']}")
        page.wait_for_timeout(5000)  # let the browser drain the play's last updates
        wi = what_if(page, args.changes)
        rest = wi["change_to_redrawn_ms_median"] - wi["draw_all_charts_ms_median"] \
            - 1000 * (proc["simulate_s"] + proc["build_s"])
        print("browser, what-if (slider key press -> all charts redrawn):")
        print(f"  median                    {wi['change_to_redrawn_ms_median']:7.0f} ms "
              f"(all: {wi['change_to_redrawn_ms_all']})")
        print(f"  of which simulation       {proc['simulate_s'] * 1000:7.0f} ms")
        print(f"  of which chart building   {proc['build_s'] * 1000:7.0f} ms")
        print(f"  of which drawing (7 charts) {wi['draw_all_charts_ms_median']:5.0f} ms")
        print(f"  rest: transfer, widget updates, Vue {rest:5.0f} ms")
        browser.close()


if __name__ == "__main__":
    main()
