/* twotier dashboard: recolour the coverage view in the browser when the threshold moves.

   A Dash clientside callback (registered in web/app.py). The coverage view sends, with
   its charts, each ally's figure and the figure's rounding half-width (dcc.Store
   "coverage-frame"); when the threshold slider moves, the tile map and the ranking
   bars take the new tiers at once (repainted in place), by the server's own rule:

     not a member, or no figure              -> unknown
     value - halfwidth >= threshold          -> covered
     value + halfwidth <  threshold          -> not covered
     otherwise (a rounded figure straddling) -> unknown (too close to call)

   The server's answer for the new threshold follows and sets the view's charts and
   numbers (it confirms the numbers, and redraws what depends on more than the colour:
   rule line, shortfall, hover text, the count cards, table). Only for the slider's own rule
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

  /* The drawn charts are repainted in place: the tiles' and bars' fill, the tiles' label
     ink, set on the SVG plotly drew (a few milliseconds). Plotly itself is not asked:
     a new colour array, through Plotly.react or Plotly.restyle, recomputes the traces
     (40-90 ms a chart on this machine). The server's figures follow and are drawn over
     these (the map's and the ranking's are always sent again after a threshold
     change, see twotier.web.update.RECOLOURED); until then the hover text is the old. */
  function chart(id) {
    return document.querySelector("#" + id + " .js-plotly-plot");
  }

  function traceOf(group) {
    var cd = group.__data__;  // plotly's calcdata of the trace drawn in this group
    return cd && cd[0] && cd[0].trace;
  }

  function paintMap(gd, frame, byCode) {
    if (!gd) return;
    gd.querySelectorAll(".shapelayer path[data-index]").forEach(function (path) {
      var code = frame.tiles[Number(path.getAttribute("data-index"))];
      if (code !== undefined) path.style.fill = frame.fill[byCode[code]];
    });
    gd.querySelectorAll(".scatterlayer .trace").forEach(function (group) {
      var trace = traceOf(group);
      if (!trace || trace.index !== 0) return;  // the tiles' labels
      group.querySelectorAll(".textpoint").forEach(function (point) {
        var code = point.__data__ ? frame.tiles[point.__data__.i] : undefined;
        var text = point.querySelector("text");
        if (code !== undefined && text) text.style.fill = frame.ink[byCode[code]];
      });
    });
  }

  function paintRanking(gd, frame, byAlly) {
    if (!gd) return;
    gd.querySelectorAll(".barlayer .trace.bars").forEach(function (group) {
      var trace = traceOf(group);
      if (!trace || !(trace.name in frame.fill) || !Array.isArray(trace.y)) return;
      group.querySelectorAll(".point").forEach(function (point) {
        var path = point.querySelector("path");
        if (!point.__data__ || !path) return;
        path.style.fill = frame.fill[byAlly[trace.y[point.__data__.i]] || "unknown"];
      });
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    twotier: {
      recolour: function (threshold, frame) {
        var keep = window.dash_clientside.no_update;
        var t = frame ? roundLike(Number(threshold), frame.decimals) : NaN;
        // Painted also when t is the threshold of the view shown: a move away and back
        // before the server answered leaves that view, which this repaints as drawn.
        if (!frame || !frame.recolour || threshold === null || !isFinite(t)) return keep;
        var s = statuses(frame, t);
        paintMap(chart("map"), frame, s.byCode);
        paintRanking(chart("ranking"), frame, s.byAlly);
        return keep;
      },
    },
  });

  /* For tests: the rule itself, callable from a page. */
  window.twotierStatusOf = statusOf;
  window.twotierRoundLike = roundLike;
})();
