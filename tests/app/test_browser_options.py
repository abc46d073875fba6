"""The two-option answer in a real browser at a projector's 1280 x 720, in English and Danish:
pin waves, switch to a big bang; the difference chart names both options and draws the paired
band, the wave controls are greyed out, and the one-pager (rendered as a page) has both
options and the difference, no cut label, and every figure's median inside its interval."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.app.test_browser import ARTIFACTS, browser, open_page, url  # noqa: F401

pytestmark = pytest.mark.browser

PROJECTOR = (1280, 720)
NAMES = {"en": ("Roll-out: waves", "Roll-out: big bang", "Difference", "Median"),
         "da": ("Udrulning: bølger", "Udrulning: big bang", "Forskel", "Median")}

#: What the rendered one-pager shows: its tables' cells and every text that is cut (a cell or
#: heading wider than its box, an SVG text outside its chart).
PAGE_MEASURE = """() => {
  const out = {head: [], rows: [], cut: []};
  for (const th of document.querySelectorAll('table.figures th')) out.head.push(th.innerText);
  for (const tr of document.querySelectorAll('table.figures tr')) {
    const cells = [...tr.querySelectorAll('td')].map(td => td.innerText);
    if (cells.length) out.rows.push(cells);
  }
  for (const el of document.querySelectorAll('h1, h2, p, td, th')) {
    if (el.scrollWidth > el.clientWidth + 1) out.cut.push(el.innerText.slice(0, 60));
  }
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 ||
          r.bottom > box.bottom + 1) out.cut.push('svg: ' + t.textContent.slice(0, 60));
    }
  }
  return out;
}"""


def _number(text: str) -> float | None:
    m = re.search(r"[−+\-]?\d[\d.,]*", text)
    if m is None:
        return None
    t = m.group().replace("−", "-").replace("+", "")
    return float(t.replace(".", "").replace(",", ".") if "," in t else t.replace(",", ""))


def _inside(cell: str, lang: str) -> bool:
    """ "median (lo – hi)": the median within its interval (an end "not yet" is later than
    any month)."""
    m = re.match(r"(.+?) \((.+) – (.+?)\)", cell)
    assert m, cell
    mid, lo, hi = m.groups()
    if lang == "en":  # English writes thousands with commas: 1,234.5
        mid, lo, hi = (x.replace(",", "") for x in (mid, lo, hi))
    vals = [_number(x) for x in (mid, lo, hi)]
    if vals[0] is None:
        return vals[2] is None  # median "not yet": so is the upper end
    if vals[2] is None:
        return vals[1] is None or vals[1] <= vals[0]
    return min(vals[1], vals[2]) - 1e-9 <= vals[0] <= max(vals[1], vals[2]) + 1e-9


@pytest.mark.parametrize("lang", ["en", "da"])
def test_two_options_one_pager(browser, url, lang):  # noqa: F811
    a, b, diff, median = NAMES[lang]
    ctx, page, _ = open_page(browser, url + f"?scenario=default&lang={lang}", PROJECTOR)
    try:
        page.click(".btn-pin")
        page.wait_for_selector(".pinned-text", timeout=10_000)
        select = page.locator(".param-rollout .v-select__slot")
        select.scroll_into_view_if_needed()
        select.click()
        page.locator(".v-menu__content .v-list-item").get_by_text("big bang").click()
        # the difference chart: both options named, the paired band drawn
        # (the chart of the pinned settings against themselves may draw first: wait for the
        # one that names the two options)
        page.wait_for_function(
            "names => { const e = document.querySelector('[data-chart=diff]');"
            " if (!e || !e.sharedsimChart) return false;"
            " const o = e.sharedsimChart.getOption();"
            " const title = ((o.title || [])[0] || {}).text || '';"
            " return names.every(n => title.includes(n))"
            " && (o.series || []).some(s => (s.name || '').includes('10–90')); }",
            arg=[a, b], timeout=90_000)
        option = page.evaluate("(() => { const o = document.querySelector('[data-chart=diff]')"
                               ".sharedsimChart.getOption(); return {title: o.title[0].text,"
                               " names: o.series.map(s => s.name)}; })()")
        assert a in option["title"] and b in option["title"] and diff in option["title"]
        assert any("(" in n and "1)" in n for n in option["names"]), option["names"]  # one draw
        # controls that do not apply under a big bang are greyed out and say why
        waves = page.locator(".param-n_waves")
        assert "param-inactive" in (waves.get_attribute("class") or "")
        assert b in page.inner_text(".param-n_waves .param-inactive-why")
        assert "param-inactive" not in (page.get_attribute(".param-preparation_months",
                                                            "class") or "")
        page.screenshot(path=str(ARTIFACTS / f"two-options-{lang}-1280x720.png"))
        # the one-pager, rendered as a page
        page.locator(".export-panel, .v-expansion-panel-header").first.wait_for()
        page.get_by_text("Export and import" if lang == "en" else "Eksport og import").click()
        with page.expect_download(timeout=180_000) as dl:
            page.locator(".summary-buttons .v-btn").first.click()
        html = Path(dl.value.path()).read_text("utf-8")
        (ARTIFACTS / f"two-options-summary-{lang}.html").write_text(html, encoding="utf-8")
        view = ctx.new_page()
        view.set_viewport_size({"width": PROJECTOR[0], "height": PROJECTOR[1]})
        view.set_content(html)
        m = view.evaluate(PAGE_MEASURE)
        view.screenshot(path=str(ARTIFACTS / f"two-options-summary-{lang}.png"), full_page=True)
        assert m["head"][1:3] == [a, b], m["head"]
        assert diff in m["head"][3] and a in m["head"][3] and b in m["head"][3]
        assert m["rows"] and all(len(r) == 4 for r in m["rows"])
        assert not m["cut"], m["cut"]
        for row in m["rows"]:
            for cell in row[1:]:
                assert _inside(cell, lang), (row[0], cell)
        assert median.lower() in html.lower() and "big_bang" not in html
        view.close()
    finally:
        ctx.close()
