/* tests/browser/measure.js - injected ONLY into a test copy of a report
 * (tests/suites/report_browser.sh); the report itself has no script.
 * Measures layout facts and writes them as JSON into <pre id="measure">,
 * which `chromium --dump-dom` prints. */
(function () {
  var r = {};
  var se = document.scrollingElement;
  r.innerWidth = window.innerWidth;
  r.scrollWidth = se.scrollWidth;
  r.bodyOverflow = se.scrollWidth > window.innerWidth;
  function boxes(sel) {
    return Array.prototype.map.call(document.querySelectorAll(sel), function (e) {
      return e.getBoundingClientRect();
    });
  }
  function overlaps(list) {
    var n = 0;
    for (var i = 0; i < list.length; i++)
      for (var j = i + 1; j < list.length; j++) {
        var a = list[i], b = list[j];
        if (a.width === 0 || b.width === 0) continue;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
            a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) n++;
      }
    return n;
  }
  var g = document.querySelectorAll('svg.contact-graph');
  r.graphs = g.length;
  r.graphLabels = 0;
  r.graphLabelOverlaps = 0;
  for (var i = 0; i < g.length; i++) {
    var l = boxes.call(null, 'svg.contact-graph text');
    r.graphLabels = l.length;
    r.graphLabelOverlaps = overlaps(l);
  }
  var tl = document.querySelectorAll('svg.timeline');
  r.timelines = tl.length;
  r.minTicks = -1;
  r.tickLabelOverlaps = 0;
  for (var t = 0; t < tl.length; t++) {
    var ticks = tl[t].querySelectorAll('text.tick');
    if (r.minTicks < 0 || ticks.length < r.minTicks) r.minTicks = ticks.length;
    r.tickLabelOverlaps += overlaps(Array.prototype.map.call(ticks, function (e) {
      return e.getBoundingClientRect(); }));
  }
  r.timelinesWithLegend = document.querySelectorAll('svg.timeline g.legend').length;
  r.heatmaps = document.querySelectorAll('svg.heatmap').length;
  r.heatmapsWithLegend = document.querySelectorAll('svg.heatmap g.legend').length;
  r.graphLegend = document.querySelectorAll('svg.contact-graph g.legend').length;
  r.toc = document.querySelectorAll('nav.toc a').length;
  var wide = 0;
  Array.prototype.forEach.call(document.querySelectorAll('body > *'), function (e) {
    if (e.getBoundingClientRect().right > window.innerWidth + 0.5) wide++;
  });
  r.wideChildren = wide;
  var pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
})();
