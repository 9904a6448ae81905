// Draws every chart of the page with ECharts (installed from npm by build_static.sh).
(function () {
  "use strict";
  var palette = ["#b3261e", "#2f6fb0", "#1f883d", "#c77c02", "#7b4fa0", "#0f8b8d", "#8c8c8c"];

  function option(spec) {
    var many = spec.series.length > 1;
    var unit = spec.unit || "";
    var base = {
      color: palette,
      animation: false,
      tooltip: { trigger: spec.type === "pie" ? "item" : "axis", valueFormatter: function (v) { return v + (unit === "%" ? "%" : " " + unit); } },
      legend: many || spec.type === "pie" ? { top: 0, type: "scroll" } : undefined,
      grid: { left: 8, right: 24, top: many ? 32 : 12, bottom: 8, containLabel: true },
    };
    if (spec.type === "pie") {
      base.series = [{
        type: "pie", radius: ["38%", "68%"], top: 24,
        label: { formatter: "{b}\n{c}" },
        data: spec.categories.map(function (c, i) { return { name: c, value: spec.series[0].data[i] }; })
          .filter(function (d) { return d.value > 0; }),
      }];
      return base;
    }
    var horizontal = spec.type === "hbar";
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } };
    if (!horizontal && spec.categories.length > 6) { category.axisLabel.rotate = 40; }
    if (horizontal) { category.inverse = true; category.axisLabel.width = 180; category.axisLabel.overflow = "truncate"; }
    var value = { type: "value", max: unit === "%" ? 100 : null, minInterval: unit === "%" ? 0 : 1, axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" } };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? category : value;
    base.series = spec.series.map(function (s) {
      return {
        name: s.name, type: spec.type === "line" ? "line" : "bar", data: s.data, stack: s.stack || undefined,
        barMaxWidth: 28, label: { show: !s.stack && spec.categories.length <= 14, position: horizontal ? "right" : "top" },
      };
    });
    return base;
  }

  function draw() {
    if (!window.echarts) {
      document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
        el.classList.add("no-data");
        el.textContent = "图表组件未安装（运行 services/projection/build_static.sh）";
      });
      return;
    }
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-chart"));
      var total = spec.series.reduce(function (n, s) { return n + s.data.reduce(function (a, b) { return a + Math.abs(b); }, 0); }, 0);
      if (!spec.categories.length || !total) { el.classList.add("no-data"); el.textContent = "暂无数据"; return; }
      if (spec.type === "hbar") { el.style.height = Math.max(220, 34 * spec.categories.length + 60) + "px"; }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(spec));
      // 事实依据: a bar (or a slice) that counts entities or events opens them
      var basis = el.getAttribute("data-basis");
      if (basis) {
        chart.on("click", function (p) {
          var s = spec.series[spec.type === "pie" ? 0 : p.seriesIndex];
          var i = spec.type === "pie" ? spec.categories.indexOf(p.name) : p.dataIndex;
          var figure = s && s.figures ? s.figures[i] : null;
          if (figure) { window.location.href = basis + "&figure=" + encodeURIComponent(figure); }
        });
      }
      el.setAttribute("data-rendered", "1");
      if (window.ResizeObserver) { new ResizeObserver(function () { chart.resize(); }).observe(el); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
