"""In Chromium: a view updated by changes is the view a fresh page shows, and charts
that did not change are not drawn again.

Threshold steps on the slider (each sent as changes, ``twotier.web.patch``, applied by
``assets/changes.js``), then the same link opened in a new page: the text, links and
ids of every element of the view and the data of every chart agree. Over the steps,
the Wales and dumbbell charts (fixed per edition and year) are never drawn again.
No timing is measured or assumed: each step waits for the server's count.
"""

from __future__ import annotations

from typing import Any

import twotier
from tests.conftest import needs_browser

pytestmark = needs_browser

#: Counts every plotly draw per chart (the id of the dcc.Graph around it).
HOOK = """
window.__draws = {};
(function () {
  function wrap(P) {
    ['newPlot', 'react'].forEach(function (name) {
      var f = P[name];
      if (!f || f.__counted) return;
      var w = function (gd) {
        var el = typeof gd === 'string' ? document.getElementById(gd) : gd;
        var owner = el && el.parentElement && el.parentElement.closest('[id]');
        var id = owner ? owner.id : '?';
        window.__draws[id] = (window.__draws[id] || 0) + 1;
        return f.apply(this, arguments);
      };
      w.__counted = true;
      P[name] = w;
    });
  }
  var held;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: function () { return held; },
    set: function (v) { held = v; if (v) wrap(v); },
  });
})();
"""

#: The view as a reader gets it: every element's tag, id, text, link; every chart's data.
SNAPSHOT = """() => {
  const content = document.querySelector('#content');
  const elements = [...content.querySelectorAll('*')]
    .filter(e => !e.closest('.js-plotly-plot'))
    .map(e => [e.tagName, e.id, e.children.length ? '' : e.textContent, e.getAttribute('href')]);
  const charts = [...content.querySelectorAll('.js-plotly-plot')].map(g => JSON.stringify({
    id: g.parentElement.closest('[id]').id, data: g.data,
    shapes: g.layout.shapes, annotations: g.layout.annotations, title: g.layout.title}));
  return {elements, charts};
}"""


def _covered(threshold: float) -> str:
    frame = twotier.coverage(twotier.threshold_policy(threshold), 2024)
    return str(len(twotier.coverage_summary(frame).covered))


def _open(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.set_default_timeout(90_000)  # a loaded machine; every wait is for a condition
    page.add_init_script(HOOK)
    page.goto(url, timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('#content .js-plotly-plot .main-svg').length >= 5",
        timeout=90_000,
    )
    # Plotly makes three .main-svg per chart: five of them can be two of the view's five
    # charts. Every chart of the view has been drawn before anything is read.
    page.wait_for_function(
        "['map', 'ranking', 'shortfall', 'wales', 'dumbbell'].every(id => window.__draws[id])"
    )
    return page


def _settled(page: Any, threshold: float) -> None:
    """Wait until the page shows the server's view for ``threshold``."""
    page.wait_for_function(
        "([t, n]) => window.location.search.includes('threshold=' + t)"
        " && (document.querySelector('#coverage-title') || {}).textContent.includes(t + '%')"
        " && (document.querySelector('#card-covered') || {}).textContent === n"
        " && !document.querySelector('.dash-graph--pending')",
        arg=[f"{threshold:g}", _covered(threshold)],
        timeout=60_000,
    )


def test_threshold_steps_give_the_fresh_view_without_redrawing_fixed_charts(
    chromium: Any, base_url: str
) -> None:
    page = _open(chromium, base_url + "/?threshold=2.2&year=2024")
    _settled(page, 2.2)  # the first counts are of the server's view, as after each step
    drawn_first = page.evaluate("({...window.__draws})")
    assert drawn_first.get("wales") and drawn_first.get("dumbbell")
    page.locator("#threshold [role=slider]").first.focus()
    threshold = 2.2
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        threshold = round(threshold + 0.05, 2)
        _settled(page, threshold)
    page.wait_for_load_state("networkidle")
    _settled(page, threshold)
    stepped = page.evaluate(SNAPSHOT)
    drawn = page.evaluate("({...window.__draws})")
    link = page.evaluate("window.location.search")
    page.close()

    assert drawn["wales"] == drawn_first["wales"]  # never drawn again
    assert drawn["dumbbell"] == drawn_first["dumbbell"]
    assert drawn["shortfall"] > drawn_first["shortfall"]  # the server's new figure

    fresh = _open(chromium, base_url + "/" + link)
    _settled(fresh, threshold)
    assert stepped == fresh.evaluate(SNAPSHOT)
    fresh.close()
