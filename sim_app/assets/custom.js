/* Loaded by Solara's page before its own scripts (sim_app.serving.configure_server).
 *
 * A websocket dropped during the page's first load leaves Solara's page stuck for good: it
 * reconnects, but shows 'A widget with mount-id="solara-main" should go here' (or stays at
 * "Loading app") and the console says "widget model not found" (issue 11), or mounts with a
 * widget missing ("Click to show javascript error"). A drop after the page has loaded
 * recovers by itself: Solara reconnects to the same session.
 *
 * A page under load is slow, not stuck (issue 17: reloading pages that were still loading
 * made a slow server slower, 1–4 reloads and 6–7 websockets per page in a crowd of 30). So a
 * page is reloaded only when it is not well (placeholder or missing widget, mounted without
 * a chart, or not mounted) AND has received nothing — no websocket message, no change to the
 * page, no file arriving — for QUIET_MS plus a random 0–JITTER_MS (so a room's pages do not
 * come back all at once), and never more than once per tab (the address carries the
 * settings, see sim_app/session/url.py). Watched for the first WATCH_MS of the page's life.
 * Tests may set window.SHAREDSIM_RELOAD = {quietMs, jitterMs, watchMs} before this script. */
(function () {
  const opt = window.SHAREDSIM_RELOAD || {};
  const QUIET_MS = opt.quietMs !== undefined ? opt.quietMs : 20000;
  const JITTER_MS = opt.jitterMs !== undefined ? opt.jitterMs : 10000;
  const WATCH_MS = opt.watchMs !== undefined ? opt.watchMs : 300000;
  const KEY = "sharedsim-reloaded";
  const started = Date.now();
  const quiet = QUIET_MS + Math.random() * JITTER_MS;
  let lastHeard = started;
  const heard = () => { lastHeard = Date.now(); };

  // what the page receives: websocket messages (Solara's widgets), files, changes to the page.
  // Solara's bundle keeps its own reference to WebSocket, so the socket's prototype is
  // patched (every handler a socket is given also notes the time), not the constructor.
  const counts = window.SHAREDSIM_HEARD = {socket: 0, page: 0, file: 0};
  const note = (kind) => () => { counts[kind] += 1; heard(); };
  const onSocket = note("socket");
  const proto = window.WebSocket && window.WebSocket.prototype;
  if (proto) {
    const add = proto.addEventListener;
    proto.addEventListener = function (type, fn, ...rest) {
      if (type === "message" && !this.__sharedsimHeard) {
        this.__sharedsimHeard = true;
        add.call(this, "message", onSocket);
      }
      return add.call(this, type, fn, ...rest);
    };
    const desc = Object.getOwnPropertyDescriptor(proto, "onmessage");
    if (desc && desc.set) {
      Object.defineProperty(proto, "onmessage", {
        configurable: true, enumerable: desc.enumerable, get: desc.get,
        set(fn) {
          if (!this.__sharedsimHeard) {
            this.__sharedsimHeard = true;
            add.call(this, "message", onSocket);
          }
          desc.set.call(this, fn);
        },
      });
    }
  }
  if (window.PerformanceObserver) {
    try {
      new PerformanceObserver(note("file")).observe({type: "resource", buffered: false});
    } catch (e) { /* an old browser: websocket and page changes still count */ }
  }
  const watchChanges = () => new MutationObserver(note("page")).observe(
    document.documentElement, {childList: true, subtree: true, characterData: true});
  if (document.documentElement) watchChanges();
  else document.addEventListener("DOMContentLoaded", watchChanges);

  const mounted = () => !!document.querySelector(".app-root");
  const broken = () => {
    const text = (document.body && document.body.innerText) || "";
    return text.includes("should go here") || text.includes("Click to show javascript error");
  };
  // every view of the app draws charts: mounted without any is a page missing its main part
  const partial = () => mounted() && !document.querySelector("[data-chart]");
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - started > WATCH_MS) { clearInterval(timer); return; }
    const well = mounted() && !broken() && !partial();
    if (well || now - lastHeard < quiet) return;
    clearInterval(timer);
    if (sessionStorage.getItem(KEY)) return;  // reloaded once already: leave the page be
    sessionStorage.setItem(KEY, String(now));
    window.location.reload();
  }, 1000);
})();
