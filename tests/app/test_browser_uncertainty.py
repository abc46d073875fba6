"""The band's two modes in a real browser at a projector's 1280 x 720, in English and Danish:
the default opens on *seeds and parameters* (its posterior exists), switching to *seeds
only* redraws the band (another width) with another label on the charts, the control and
the cards; nothing is cut and every button is the topmost element where it is clicked; the
one-pager says what its ranges include; a scenario without a posterior greys the choice out
and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_browser import ARTIFACTS, browser, open_page, url  # noqa: F401

pytestmark = pytest.mark.browser

PROJECTOR = (1280, 720)
WORDS = {
    "en": {"params": "seeds and parameters", "seeds": "seeds only",
           "sum_params": "seed noise and parameter uncertainty from the posterior default, 20 "
                         "draws",
           "sum_seeds": "seed noise with the parameters as set", "export": "Export and import",
           "none": "names none"},
    "da": {"params": "frø og parametre", "seeds": "kun frø",
           "sum_params": "parameterusikkerhed fra posteriorfordelingen default, 20 træk",
           "sum_seeds": "tilfældighed fra frø med parametrene som indstillet",
           "export": "Eksport og import", "none": "angiver ingen"},
}

#: The net benefit chart's band: its name and its width at the last month.
BAND = """() => {
  const e = document.querySelector('[data-chart=net]');
  if (!e || !e.sharedsimChart) return null;
  const s = (e.sharedsimChart.getOption().series || []).filter(x => x.stack === 'band-cumulative_net_benefit');
  if (s.length < 2) return null;
  const w = s[1].data.filter(v => v !== null && v !== undefined);
  return {name: s[0].name, width: w[w.length - 1]};
}"""

#: The uncertainty control, the band's status and the cards: texts cut, and whether each
#: button is the topmost element at its centre.
MEASURE = """() => {
  const out = {cut: [], covered: [], note: '', ranges: [], status: ''};
  const sel = '.uncertainty-choice, .uncertainty-choice *, .band-status, .kpi-card, ' +
              '.kpi-card *, .kpi-range-note';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent) continue;
    const txt = (el.innerText || '').trim();
    if (!txt) continue;
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      out.cut.push(el.className + ': ' + txt.slice(0, 60));
    const r = el.getBoundingClientRect();
    if (r.right > innerWidth + 1) out.cut.push('off screen: ' + txt.slice(0, 60));
  }
  for (const b of document.querySelectorAll('.btn-unc')) {
    b.scrollIntoView({block: 'center'});
    const r = b.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!top || !(b === top || b.contains(top))) out.covered.push(b.className);
  }
  out.note = (document.querySelector('.kpi-range-note') || {}).innerText || '';
  out.ranges = [...document.querySelectorAll('.kpi-range')].map(e => e.innerText);
  out.status = (document.querySelector('.band-status') || {}).innerText || '';
  return out;
}"""


def _band(page, words: str) -> dict:
    page.wait_for_function(f"words => {{ const b = ({BAND})(); return b && "
                           "b.name.toLowerCase().includes(words); }", arg=words,
                           timeout=90_000)
    return page.evaluate(BAND)


def _summary(page, ctx) -> str:
    with page.expect_download(timeout=180_000) as dl:
        page.locator(".summary-buttons .v-btn").first.click()
    html = Path(dl.value.path()).read_text("utf-8")
    view = ctx.new_page()
    view.set_content(html)
    note = view.inner_text(".interval-note")
    view.close()
    return note


@pytest.mark.parametrize("lang", ["en", "da"])
def test_switching_the_band_between_seeds_and_parameters(browser, url, lang):  # noqa: F811
    w = WORDS[lang]
    ctx, page, _ = open_page(browser, url + f"?scenario=default&lang={lang}", PROJECTOR)
    try:
        drawn = _band(page, w["params"])
        assert "unc-active" in (page.get_attribute(".btn-unc-params", "class") or "")
        page.wait_for_selector(".kpi-range-note", timeout=30_000)
        m = page.evaluate(MEASURE)
        page.screenshot(path=str(ARTIFACTS / f"uncertainty-params-{lang}-1280x720.png"))
        assert w["params"] in m["note"].lower() and "default" in m["status"], m
        assert len(m["ranges"]) >= 6 and all("–" in r for r in m["ranges"]), m["ranges"]
        assert not m["cut"] and not m["covered"], m
        page.locator(".btn-unc-seeds").click()
        seeds = _band(page, w["seeds"])
        assert seeds["width"] != pytest.approx(drawn["width"], rel=1e-6), (seeds, drawn)
        assert seeds["width"] < drawn["width"]  # the drawn behaviour widens the band
        page.wait_for_function("words => (document.querySelector('.kpi-range-note') || {})"
                               ".innerText.toLowerCase().includes(words)", arg=w["seeds"],
                               timeout=30_000)
        m = page.evaluate(MEASURE)
        page.screenshot(path=str(ARTIFACTS / f"uncertainty-seeds-{lang}-1280x720.png"))
        assert "unc-active" in (page.get_attribute(".btn-unc-seeds", "class") or "")
        assert "default" not in m["status"] and not m["cut"] and not m["covered"], m
        # the one-pager says what its ranges include, in each mode
        page.get_by_text(w["export"]).click()
        page.locator(".summary-buttons .v-btn").first.wait_for()
        note = _summary(page, ctx)
        assert w["sum_seeds"] in note and "posterior" not in note, note
        page.locator(".btn-unc-params").click()
        _band(page, w["params"])
        note = _summary(page, ctx)
        assert w["sum_params"] in note, note
    finally:
        ctx.close()


def test_a_scenario_without_a_posterior_offers_seeds_only_and_says_why(browser, url):  # noqa: F811
    ctx, page, _ = open_page(browser, url + "?scenario=workshop", PROJECTOR)
    try:
        _band(page, WORDS["en"]["seeds"])
        button = page.locator(".btn-unc-params")
        assert button.is_disabled()
        assert WORDS["en"]["none"] in page.inner_text(".unc-why")
        assert "unc-active" in (page.get_attribute(".btn-unc-seeds", "class") or "")
        m = page.evaluate(MEASURE)
        assert not m["cut"], m
        page.screenshot(path=str(ARTIFACTS / "uncertainty-unavailable-1280x720.png"))
    finally:
        ctx.close()
