"""Benchmark a room: one server process, the facilitator's what-if, 40 participants, memory.

Prints (medians with min–max over the repetitions):
  * what-if latency on the facilitator's explore page (slider key press -> every chart
    redrawn with the new run; real browser), alone and while a room of 40 participants polls
    every 1.5 s and decides (participants are plain HTTP clients on threads, as phones are
    other devices: the server's work is the same, the 2 cores are not shared with 40 pages);
    both arms make exactly the same changes, asserted before the ratio is printed;
  * join time for 40 participants arriving at once: each one's page, first state and claim
    (HTTP), and the same 40 as real browser pages (every load in flight together);
  * memory per idle session: the server's resident memory with 0 and K explore sessions open,
    after their tabs were closed, and again after K more opened and closed (a leak would
    grow it), with Solara's count of live sessions.

Usage: .venv/bin/python benchmarks/bench_room.py [--changes 7] [--participants 40]
       [--sessions 10] [--reps 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from sim_app.room.limits import SCALE_ENV
from sim_app.serving import CHROMIUM, CHROMIUM_FLAGS, app_server

CHARTS_DRAWN = ("[...document.querySelectorAll('[data-chart]')].every("
                "e => parseInt(e.dataset.revision || '-1') > {before})")


def spread(xs: list[float]) -> str:
    return f"{statistics.median(xs):7.0f} ms (min {min(xs):.0f}, max {max(xs):.0f}, n {len(xs)})"


def rss_mib(pid: int) -> float:
    proc = psutil.Process(pid)
    total = proc.memory_info().rss + sum(c.memory_info().rss
                                         for c in proc.children(recursive=True))
    return total / 2**20


def kernels(url: str) -> int:
    with urllib.request.urlopen(url + "resourcez") as r:
        return int(json.loads(r.read())["kernels"]["total"])


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


def post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


# ---------------------------------------------------------------------- what-if
def open_explore(browser, url: str):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url + "?scenario=default")
    page.wait_for_selector('[data-chart="network"][data-revision]', timeout=90_000)
    page.locator(".group-header-trust").click()
    page.wait_for_selector(".param-dialogue_effort", timeout=30_000)
    page.wait_for_timeout(3000)  # the uncertainty band
    return page


def what_if(page, k: int) -> float:
    before = page.evaluate("Math.max(...[...document.querySelectorAll('[data-chart]')]"
                           ".map(e => parseInt(e.dataset.revision || '-1')))")
    page.locator(".param-dialogue_effort .v-slider__thumb-container").focus()
    t0 = page.evaluate("performance.now()")
    page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
    page.wait_for_function(CHARTS_DRAWN.format(before=before), timeout=60_000)
    return page.evaluate("performance.now()") - t0


class Participants:
    """N phones as HTTP clients: each joins, polls every 1.5 s and, while a round is open,
    sends a decision with every poll (making up their mind)."""

    def __init__(self, url: str, code: str, n: int) -> None:
        self.api, self.n = f"{url}room/api/{code}", n
        self.stop = threading.Event()
        self.decided = [0] * n
        self.polls = 0
        self.threads: list[threading.Thread] = []
        self.join_s: list[float] = []
        self.lock = threading.Lock()

    def _one(self, i: int, start: threading.Event) -> None:
        start.wait()
        t0 = time.perf_counter()
        urllib.request.urlopen(self.api.replace("/room/api/", "/room/"), timeout=60).read()
        get(f"{self.api}/state")
        token = post(f"{self.api}/claim", {"idx": i, "name": f"P{i}"})["token"]
        state = get(f"{self.api}/state?token={token}")
        with self.lock:
            self.join_s.append(time.perf_counter() - t0)
        while not self.stop.wait(1.5):
            answer = get(f"{self.api}/state?token={token}&v={state['v']}")
            if not answer.get("same"):
                state = answer
            with self.lock:
                self.polls += 1
            rnd = state.get("round")
            if rnd:  # a participant making up their mind: a decision every poll
                post(f"{self.api}/decide", {"token": token, "round": rnd["number"],
                                            "shadow": ("keep", "build", "dismantle")[
                                                (i + self.decided[i]) % 3],
                                            "escalate": i % 2 == 0})
                self.decided[i] += 1

    def start(self) -> float:
        go = threading.Event()
        self.threads = [threading.Thread(target=self._one, args=(i, go), daemon=True)
                        for i in range(self.n)]
        for t in self.threads:
            t.start()
        t0 = time.perf_counter()
        go.set()
        while len(self.join_s) < self.n:
            time.sleep(0.02)
        return time.perf_counter() - t0

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(10)


def open_room_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url + "?view=room&scenario=default")
    page.wait_for_selector(".btn-room-open", timeout=90_000)
    page.click(".btn-room-open")
    page.wait_for_selector(".room-code", timeout=30_000)
    page.wait_for_function("location.search.includes('room=')", timeout=10_000)
    return page, page.inner_text(".room-code").strip()


# ---------------------------------------------------------------------- browsers joining
def browsers_join(browser, url: str, code: str, n: int) -> tuple[float, float]:
    ctxs, pages = [], []
    t0 = time.perf_counter()
    for _ in range(n):
        c = browser.new_context(viewport={"width": 390, "height": 844})
        ctxs.append(c)
        pages.append(c.new_page())
    created = time.perf_counter() - t0
    t0 = time.perf_counter()
    for p in pages:
        p.goto(f"{url}room/{code}", wait_until="commit")
    for p in pages:
        p.wait_for_selector("button.inst:not([disabled])", timeout=120_000)
    loaded = time.perf_counter() - t0
    for c in ctxs:
        c.close()
    return created, loaded


# ---------------------------------------------------------------------- memory
def memory(browser, url: str, pid: int, k: int) -> dict:
    out = {"start": rss_mib(pid), "kernels_start": kernels(url)}
    for rnd in (1, 2):
        ctxs = []
        for _ in range(k):
            c = browser.new_context(viewport={"width": 1280, "height": 720})
            p = c.new_page()
            p.goto(url + "?scenario=default")
            ctxs.append((c, p))
        for _c, p in ctxs:
            p.wait_for_selector('[data-chart="network"][data-revision]', timeout=120_000)
        time.sleep(6)  # every session's uncertainty band done: idle
        out[f"open_{rnd}"] = rss_mib(pid)
        out[f"kernels_open_{rnd}"] = kernels(url)
        for c, _p in ctxs:
            c.close()  # the tab closes: the page tells Solara, which closes the session
        deadline = time.monotonic() + 60
        while kernels(url) > out["kernels_start"] and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)
        out[f"closed_{rnd}"] = rss_mib(pid)
        out[f"kernels_closed_{rnd}"] = kernels(url)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=7)
    ap.add_argument("--participants", type=int, default=40)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--reps", type=int, default=3, help="join-time repetitions")
    args = ap.parse_args()
    n = args.participants
    os.environ.setdefault("SHAREDSIM_ROOMS_DIR", tempfile.mkdtemp(prefix="bench-rooms-"))
    # the participants are threads of this machine, one address: scale the per-address limits
    os.environ.setdefault(SCALE_ENV, str(max(1, -(-n // 4))))
    pid: list[int] = []
    with app_server(log_path=Path(tempfile.gettempdir()) / "bench-room-server.log",
                    pid=pid) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        mem = memory(browser, url, pid[0], args.sessions)
        explore = open_explore(browser, url)
        alone = [what_if(explore, k) for k in range(args.changes)]
        fac, code = open_room_page(browser, url)
        crowd = Participants(url, code, n)
        http_join = crowd.start()
        fac.wait_for_timeout(2000)
        fac.click(".btn-round-open")
        with_room = [what_if(explore, k) for k in range(args.changes)]
        assert len(alone) == len(with_room) == args.changes  # the same work in both arms
        decided = sum(crowd.decided)
        polls = crowd.polls
        crowd.close()
        joins = [browsers_join(browser, url, code, n) for _ in range(args.reps)]
        browser.close()
    per_session = (mem["open_1"] - mem["start"]) / args.sessions
    print(f"memory, {args.sessions} idle explore sessions (100 institutions, 120 months):")
    print(f"  server at start            {mem['start']:7.0f} MiB  ({mem['kernels_start']} sessions)")
    for rnd in (1, 2):
        print(f"  {args.sessions} open (round {rnd})        {mem[f'open_{rnd}']:7.0f} MiB  "
              f"({mem[f'kernels_open_{rnd}']} sessions)")
        print(f"  tabs closed (round {rnd})      {mem[f'closed_{rnd}']:7.0f} MiB  "
              f"({mem[f'kernels_closed_{rnd}']} sessions)")
    print(f"  per idle session           {per_session:7.1f} MiB")
    print(f"what-if on the facilitator's page (key press -> every chart redrawn), "
          f"{args.changes} changes each:")
    print(f"  alone                      {spread(alone)}")
    print(f"  with a room of {n}          {spread(with_room)}  "
          f"({polls} polls and {decided} decisions sent meanwhile)")
    print(f"  ratio of medians           {statistics.median(with_room) / statistics.median(alone):7.2f}")
    print(f"join, {n} participants at once:")
    print(f"  HTTP (page, state, claim)  all joined in {http_join * 1000:.0f} ms; each: "
          f"{spread([s * 1000 for s in crowd.join_s])}")
    loads = [loaded * 1000 for _c, loaded in joins]
    print(f"  browser pages              every list shown: {spread(loads)} "
          f"(creating {n} browser contexts took {statistics.median([c for c, _ in joins]):.1f} s"
          " before that, not counted)")


if __name__ == "__main__":
    main()
