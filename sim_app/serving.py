"""Start the real app on a free port with the local asset cache (tests and benchmarks).

The CDN is pointed at an address that refuses connections, so a page that needed anything
not in the cache would fail: the browser tests prove the app renders with no internet.
"""

from __future__ import annotations

import contextlib
import gc
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = ROOT / ".cache" / "solara-assets"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
BLOCKED_CDN = "http://127.0.0.1:9/"
#: The name of the route that serves Solara's assets from the offline cache only.
CACHE_ONLY_ROUTE = "sharedsim-assets-cache-only"


#: A session whose browser went away without closing it (network loss, a laptop put to
#: sleep) is released after this long; Solara's default keeps it 24 h. A reload after that
#: starts a new session from the page's address (settings, room code and key are in it).
CULL_TIMEOUT = "5m"


def configure_server() -> None:
    """Settings of the Solara server that serves app.py (called when app.py is loaded):

    * no "This website runs on Solara" badge over the charts;
    * ``sim_app/assets/custom.js`` in every page (reloads a page whose websocket dropped
      during its first load, which Solara leaves stuck);
    * sessions of vanished browsers released after :data:`CULL_TIMEOUT` (unless
      ``SOLARA_KERNEL_CULL_TIMEOUT`` says otherwise); closed tabs are released at once;
    * the room's participant routes (``sim_app.room.api``);
    * reacton's subtree-skipping render (``REACTON_FAST=1``, reacton's own opt-in): a render
      pass runs only the components whose state changed and their ancestors' path, so a month
      of live play (the month shown, read by the charts and the KPI cards) renders those
      leaves instead of walking the page's ~240 elements (about 17 ms a month);
    * what is loaded by now (Python, numpy, Solara, the model, the app: ~230,000 objects that
      live as long as the server) moved out of the garbage collector's sight (``gc.freeze``,
      the standard library's way for long-running servers), so the full collection Solara
      runs after each closed page looks at that page's objects only: it cost ~0.1 CPU-s per
      collection before (issue 17: the server's CPU per visitor).
    """
    import solara.server.settings as settings

    from sim_app.room.api import register_routes

    os.environ.setdefault("REACTON_FAST", "1")
    settings.theme.show_banner = False
    assets = str(Path(__file__).resolve().parent / "assets")
    if assets not in settings.assets.extra_locations:
        settings.assets.extra_locations = [*settings.assets.extra_locations, assets]
    if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
        settings.kernel.cull_timeout = CULL_TIMEOUT
    from sim_app.room.limits import scale

    try:
        scale()
    except ValueError as exc:  # a bad setting stops the server with one line, before a room
        raise SystemExit(f"sharedsim: error: {exc}") from None
    register_routes()
    import sim_calibrate.spec  # noqa: F401  (the band's posterior draws: ~1.5 s of imports
    # at start, not on the first visitor's band thread)

    if os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR"):
        serve_assets_from_cache_only()
    freeze_loaded_objects()


def freeze_loaded_objects() -> None:
    """Collect the garbage of start-up once, then exclude every object alive now from later
    collections (``gc.freeze``): modules, classes and the model's tables live as long as the
    process, and scanning them again after every closed page was most of each collection."""
    gc.collect()
    gc.freeze()


def serve_assets_from_cache_only() -> None:
    """Answer ``/_solara/cdn/...`` from the offline asset cache only (once per process).

    Solara's proxy fetches any path it does not hold from a CDN, with retries (up to 16 s
    offline), on behalf of whoever asks: fifty requests for made-up packages stalled a room's
    own routes for seconds. With the cache that ``make assets`` fills (every package the page
    uses), a path that is not in it is a 404 at once and nothing is fetched.
    """
    import solara.server.settings as settings
    import solara.server.starlette as server
    from solara.server.cdn_helper import cdn_url_path
    from starlette.routing import Mount

    routes = server.app.router.routes
    if any(getattr(r, "name", None) == CACHE_ONLY_ROUTE for r in routes):
        return
    base = Path(settings.assets.proxy_cache_dir).resolve()

    class CacheOnlyCdn(server.StaticCdn):
        """Solara's asset proxy (its cache headers) without the fetch on a miss."""

        def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
            parts = path.replace("\\", "/").split("/")
            rel = path if len(parts) != 1 else f"{path}/__main.js"  # as Solara stores it
            full = (base / rel).resolve()
            if not full.is_relative_to(base) or not full.is_file():
                return "", None
            return str(full), full.stat()

    routes.insert(0, Mount(f"/{cdn_url_path}", app=CacheOnlyCdn(directory=base),
                           name=CACHE_ONLY_ROUTE))


def fetch_assets() -> Path:
    """Run the fetch script (idempotent) and return the cache directory."""
    subprocess.run([str(ROOT / "scripts" / "fetch_solara_assets.sh"), str(ASSETS_DIR)],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return ASSETS_DIR


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(port: int | None = None, log_path: Path | None = None,
               timeout: float = 90.0, pid: list[int] | None = None,
               cpus: str | None = None, extra_env: dict[str, str] | None = None
               ) -> Iterator[str]:
    """Serve app.py (production mode, offline assets); yield its URL; stop it afterwards.
    ``pid``: a list the server's process id is appended to (benchmarks measure its memory and
    CPU); ``cpus``: pin the server to these cores (``taskset -c``; benchmarks); ``extra_env``:
    more environment for the server (``SHAREDSIM_SWEEP``: the sweep whose runs it opens)."""
    cache = fetch_assets()
    port = port or free_port()
    env = {**os.environ, "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache),
           "SOLARA_ASSETS_CDN": BLOCKED_CDN, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
           **(extra_env or {})}
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    solara = Path(sys.executable).parent / "solara"
    pin = ["taskset", "-c", cpus] if cpus is not None else []
    proc = subprocess.Popen([*pin, str(solara), "run", "app.py", "--port", str(port),
                             "--host", "localhost", "--production"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}/"
    if pid is not None:
        pid.append(proc.pid)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the app server exited with code {proc.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the app did not answer on {url} within {timeout} s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log is not subprocess.DEVNULL:
            log.close()
