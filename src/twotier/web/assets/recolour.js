/* twotier dashboard: recolour the coverage view in the browser when the threshold moves.

   A Dash clientside callback (registered in web/app.py). The coverage view sends, with
   its charts, each ally's figure and the figure's rounding half-width (dcc.Store
   "coverage-frame"); when the threshold slider moves, the tile map and the ranking
   bars take the new tiers at once, by the server's own rule:

     not a member, or no figure              -> unknown
     value - halfwidth >= threshold          -> covered
     value + halfwidth <  threshold          -> not covered
     otherwise (a rounded figure straddling) -> unknown (too close to call)

   The server's answer for the new threshold follows and replaces the whole view (it
   confirms the numbers, and redraws what depends on more than the colour: rule line,
   shortfall, hover text, the count cards, table). Only for the slider's own rule
   ("recolour" in the store); any other policy is left to the server. The count cards
   are not set here: written by a clientside output, they went blank for a moment when
   the server's view replaced them (seen in tests/web/test_web.py). */
(function () {
  "use strict";

  function statusOf(value, halfwidth, member, threshold) {
    if (!member || value === null || value === undefined) return "unknown";
    var h = halfwidth || 0;
    if (value - h >= threshold) return "covered";
    if (value + h < threshold) return "not covered";
    return "unknown";
  }

  /* Python's round(x, d), as the server rounds a threshold: the exact binary value to
     d decimals (toFixed does that), an exact tie to the even neighbour. A double is
     exactly halfway between two d-decimal numbers iff x * 2^(d+1) is an odd integer
     (scaling by a power of two is exact): 0.125, 0.375, ... for d = 2. */
  function roundLike(x, d) {
    var f = Math.pow(10, d), m = x * Math.pow(2, d + 1);
    if (Number.isInteger(m) && Math.abs(m % 2) === 1) {
      var low = Math.floor(x * f);  // exact here: x * f = m * 5^d / 2
      return (low % 2 === 0 ? low : low + 1) / f;
    }
    return Number(x.toFixed(d));
  }

  function statuses(frame, threshold) {
    var byCode = {}, byAlly = {};
    frame.iso3.forEach(function (code, i) {
      var s = statusOf(frame.value[i], frame.halfwidth[i], frame.member[i], threshold);
      byCode[code] = frame.forces[i] ? s : "no armed forces";
      byAlly[frame.ally[i]] = s;
    });
    return {byCode: byCode, byAlly: byAlly};
  }

  function recolourMap(fig, frame, byCode) {
    if (!fig || !fig.layout || !fig.data || !fig.data.length) return fig;
    var shapes = fig.layout.shapes.map(function (shape, i) {
      var code = frame.tiles[i];
      if (code === undefined) return shape;
      return Object.assign({}, shape, {fillcolor: frame.fill[byCode[code]]});
    });
    var labels = fig.data[0];
    var ink = frame.tiles.map(function (code) { return frame.ink[byCode[code]]; });
    var data = fig.data.slice();
    data[0] = Object.assign({}, labels, {textfont: Object.assign({}, labels.textfont, {color: ink})});
    return Object.assign({}, fig, {data: data, layout: Object.assign({}, fig.layout, {shapes: shapes})});
  }

  function recolourRanking(fig, frame, byAlly) {
    if (!fig || !fig.data) return fig;
    var data = fig.data.map(function (trace) {
      if (!(trace.name in frame.fill) || !Array.isArray(trace.y)) return trace;
      var colours = trace.y.map(function (ally) { return frame.fill[byAlly[ally] || "unknown"]; });
      return Object.assign({}, trace, {marker: Object.assign({}, trace.marker, {color: colours})});
    });
    return Object.assign({}, fig, {data: data});
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    twotier: {
      recolour: function (threshold, frame, mapFig, rankingFig) {
        var keep = window.dash_clientside.no_update;
        var t = frame ? roundLike(Number(threshold), frame.decimals) : NaN;
        if (!frame || !frame.recolour || threshold === null || !isFinite(t) ||
            t === frame.threshold) {
          return [keep, keep];
        }
        var s = statuses(frame, t);
        return [
          recolourMap(mapFig, frame, s.byCode),
          recolourRanking(rankingFig, frame, s.byAlly),
        ];
      },
    },
  });

  /* For tests: the rule itself, callable from a page. */
  window.twotierStatusOf = statusOf;
  window.twotierRoundLike = roundLike;
})();
