/*
 * Charts of the quarterly reports and the dashboard. No inline script: the page hands the data over
 * with {{ charts|json_script:"report-charts" }}, and each element
 *   <div data-report-chart="trend" data-source="#report-charts"></div>
 * becomes the chart of that name. A chart's data is {type, labels, series: [{name, data, axis?}]},
 * type one of line, bar, hbar (horizontal bars, for streets) and pie. Plain ES2017, no build step.
 */
(function () {
  'use strict';

  const HEIGHTS = { line: 320, bar: 300, pie: 300 };
  const charts = [];

  function readSource(selector) {
    const element = document.getElementById((selector || '').replace(/^#/, ''));
    if (!element) {
      return {};
    }
    try {
      return JSON.parse(element.textContent);
    } catch (err) {
      console.error('reports.js: chart data is not valid JSON', err);
      return {};
    }
  }

  function lineOption(data) {
    const twoAxes = data.series.some(function (s) { return s.axis === 1; });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: twoAxes ? 56 : 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: data.labels },
      yAxis: twoAxes
        ? [{ type: 'value', minInterval: 1 }, { type: 'value', minInterval: 1, splitLine: { show: false } }]
        : { type: 'value', minInterval: 1 },
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: s.axis === 1 ? 'bar' : 'line',
          yAxisIndex: s.axis === 1 ? 1 : 0,
          smooth: false,
          data: s.data,
          itemStyle: s.axis === 1 ? { opacity: 0.35 } : undefined
        };
      })
    };
  }

  function barOption(data, horizontal) {
    const category = { type: 'category', data: data.labels, axisLabel: { interval: 0 } };
    const value = { type: 'value', minInterval: 1 };
    if (!horizontal) {
      category.axisLabel.rotate = data.labels.length > 6 ? 30 : 0;
    } else {
      category.inverse = true;
    }
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: horizontal ? 110 : 48, right: 16, top: 36, bottom: horizontal ? 24 : 56 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: data.series.map(function (s) {
        return { name: s.name, type: 'bar', data: s.data };
      })
    };
  }

  function pieOption(data) {
    const series = data.series[0] || { name: '', data: [] };
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { type: 'scroll', bottom: 0 },
      series: [{
        name: series.name,
        type: 'pie',
        radius: ['35%', '65%'],
        top: 0,
        bottom: 32,
        data: data.labels.map(function (label, i) {
          return { name: label, value: series.data[i] };
        }).filter(function (item) { return item.value; })
      }]
    };
  }

  function optionFor(data) {
    if (data.type === 'line') {
      return lineOption(data);
    }
    if (data.type === 'pie') {
      return pieOption(data);
    }
    return barOption(data, data.type === 'hbar');
  }

  function heightFor(data) {
    if (data.type === 'hbar') {
      return Math.max(220, 28 * data.labels.length + 60);
    }
    return HEIGHTS[data.type] || 300;
  }

  function draw(root) {
    if (!window.echarts) {
      return;
    }
    const sources = {};
    root.querySelectorAll('[data-report-chart]').forEach(function (element) {
      if (window.echarts.getInstanceByDom(element)) {
        return;
      }
      const source = element.getAttribute('data-source') || '#report-charts';
      sources[source] = sources[source] || readSource(source);
      const data = sources[source][element.getAttribute('data-report-chart')];
      if (!data || !data.labels || !data.labels.length) {
        element.textContent = element.getAttribute('data-empty') || '—';
        element.classList.add('text-secondary', 'small');
        return;
      }
      element.style.width = '100%';
      element.style.height = heightFor(data) + 'px';
      const chart = window.echarts.init(element);
      chart.setOption(optionFor(data));
      charts.push(chart);
    });
  }

  let resizeTimer = null;
  window.addEventListener('resize', function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 100);
  });

  window.PortalReportCharts = { draw: draw, optionFor: optionFor };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { draw(document); });
  } else {
    draw(document);
  }
})();
