/* Loaded by Solara's page before its own scripts (sim_app.serving.configure_server).
 *
 * A websocket dropped during the page's first load leaves Solara's page stuck for good: it
 * reconnects, but shows 'A widget with mount-id="solara-main" should go here' (or stays at
 * "Loading app") and the console says "widget model not found" (issue 11: 3 of 3 with a drop
 * after 5 or 30 messages), or mounts with a widget missing ("Click to show javascript
 * error", "widget model not found"). A drop after the page has loaded recovers by itself:
 * Solara reconnects to the same session. So: a page that shows the placeholder or a missing
 * widget for STUCK_MS, has mounted without any chart for PARTIAL_MS, or has not mounted the
 * app after LOADING_MS, is reloaded (the address
 * carries the settings, see sim_app/urlstate.py). At most five reloads in a row; watched for
 * the first WATCH_MS of the page's life. */
(function () {
  const STUCK_MS = 8000;
  const PARTIAL_MS = 15000;
  const LOADING_MS = 60000;
  const WATCH_MS = 180000;
  const started = Date.now();
  let stuckSince = null;
  const mounted = () => !!document.querySelector(".app-root");
  const broken = () => {
    const text = (document.body && document.body.innerText) || "";
    return text.includes("should go here") || text.includes("Click to show javascript error");
  };
  let healthySince = null;
  let partialSince = null;
  // every view of the app draws charts: mounted without any is a page missing its main part
  const partial = () => mounted() && !document.querySelector("[data-chart]");
  function reload() {
    const n = Number(sessionStorage.getItem("sharedsim-reloads") || 0);
    if (n >= 5) return false;
    sessionStorage.setItem("sharedsim-reloads", String(n + 1));
    window.location.reload();
    return true;
  }
  const timer = setInterval(() => {
    const now = Date.now();
    const bad = broken();
    stuckSince = bad ? (stuckSince || now) : null;
    partialSince = partial() ? (partialSince || now) : null;
    if (mounted() && !bad && !partial()) {
      healthySince = healthySince || now;
      if (now - healthySince > 10000) sessionStorage.removeItem("sharedsim-reloads");
    } else {
      healthySince = null;
    }
    if ((stuckSince && now - stuckSince > STUCK_MS)
        || (partialSince && now - partialSince > PARTIAL_MS)
        || (!mounted() && now - started > LOADING_MS)) {
      if (reload()) clearInterval(timer);
    }
    if (now - started > WATCH_MS) clearInterval(timer);
  }, 1000);
})();
