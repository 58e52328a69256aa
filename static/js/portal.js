/*
 * Portal page script. The Content-Security-Policy forbids inline scripts, so all
 * page JavaScript lives here. Plain ES2017, no build step.
 *
 * Load it after the vendored libraries it uses, e.g. at the end of <head>:
 *   <meta name="csrf-token" content="{{ csrf_token }}">
 *   <script src="{% static 'vendor/htmx/htmx.min.js' %}" defer></script>
 *   <script src="{% static 'vendor/echarts/echarts.min.js' %}" defer></script>
 *   <script src="{% static 'js/portal.js' %}" defer></script>
 * Both libraries are optional: a page without charts may leave echarts out.
 *
 * Charts: any element with a data-echarts attribute is turned into a chart.
 * The attribute holds the ECharts option as JSON, e.g.
 *   <div data-echarts="{{ chart_option_json }}"></div>
 * (Django's autoescape makes the JSON safe inside the attribute), or
 * "#some-id" naming a <script type="application/json"> element made by
 * {{ option|json_script:"some-id" }}.
 */
(function () {
  'use strict';

  /* ---------- htmx ---------- */

  if (window.htmx) {
    // htmx injects a <style> element for its indicators, which the CSP blocks;
    // the same rules are in portal.css. Evaluated hx-on / js: code is blocked too,
    // so turn it off to get a clear error instead of a CSP violation.
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name=csrf-token]');
    return meta ? meta.content : '';
  }

  // Django reads the token from X-CSRFToken (settings.CSRF_HEADER_NAME).
  document.addEventListener('htmx:configRequest', function (event) {
    const token = csrfToken();
    if (token) {
      event.detail.headers['X-CSRFToken'] = token;
    }
  });

  /* ---------- ECharts ---------- */

  const charts = [];

  function readOption(el) {
    const raw = el.getAttribute('data-echarts') || '';
    if (raw.charAt(0) === '#') {
      const source = document.getElementById(raw.slice(1));
      return source ? JSON.parse(source.textContent) : null;
    }
    return raw.trim() ? JSON.parse(raw) : null;
  }

  function initCharts(root) {
    if (!window.echarts || !root || !root.querySelectorAll) {
      return;
    }
    const elements = Array.prototype.slice.call(root.querySelectorAll('[data-echarts]'));
    if (root.hasAttribute && root.hasAttribute('data-echarts')) {
      elements.unshift(root);
    }
    elements.forEach(function (el) {
      if (window.echarts.getInstanceByDom(el)) {
        return; // already a chart (e.g. seen on DOMContentLoaded and again on htmx:load)
      }
      let option;
      try {
        option = readOption(el);
      } catch (err) {
        console.error('portal.js: data-echarts is not valid JSON', el, err);
        return;
      }
      if (!option) {
        return;
      }
      const chart = window.echarts.init(el);
      chart.setOption(option);
      charts.push(chart);
    });
  }

  function disposeDetached() {
    for (let i = charts.length - 1; i >= 0; i -= 1) {
      const chart = charts[i];
      if (chart.isDisposed() || !chart.getDom().isConnected) {
        if (!chart.isDisposed()) {
          chart.dispose();
        }
        charts.splice(i, 1);
      }
    }
  }

  let resizeTimer = null;
  window.addEventListener('resize', function () {
    if (resizeTimer) {
      window.clearTimeout(resizeTimer);
    }
    resizeTimer = window.setTimeout(function () {
      resizeTimer = null;
      disposeDetached();
      charts.forEach(function (chart) {
        chart.resize();
      });
    }, 100);
  });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      initCharts(document);
    });
  } else {
    // Loaded late (deferred scripts run at readyState "interactive", or injected).
    initCharts(document);
  }

  // Content swapped in by htmx may carry charts too; charts it swapped out are freed.
  document.addEventListener('htmx:load', function (event) {
    initCharts(event.target);
  });
  document.addEventListener('htmx:afterSettle', disposeDetached);

  /* ---------- List tables as cards on phones ---------- */
  // portal.css shows a table.table-cards as one card a row below 768 px; each cell is labelled
  // with its column's name, copied here from the header (cells that span columns are left alone).

  function labelCardCells(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll('table.table-cards').forEach(function (table) {
      const names = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll('tbody tr').forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (names[index] && cell.colSpan === 1 && !cell.hasAttribute('data-label')) {
            cell.setAttribute('data-label', names[index]);
          }
        });
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      labelCardCells(document);
    });
  } else {
    labelCardCells(document);
  }
  document.addEventListener('htmx:load', function (event) {
    labelCardCells(event.target);
  });

  /* ---------- Pickers (Tom Select) ---------- */
  // <select data-picker> becomes searchable; with data-picker-url it asks that API list
  // (?search=…) for rows as one types and offers their names, sending their ids. A multi-select
  // shows its choices as removable tags instead of asking for Ctrl-click.

  function pickerOptions(el) {
    const options = {
      allowEmptyOption: true,
      maxOptions: 50,
      plugins: el.multiple ? ['remove_button'] : [],
      render: {
        // The words come from the page (data-picker-empty on the select or its form), translated.
        no_results: function (data, escape) {
          const holder = el.closest('[data-picker-empty]');
          const words = holder ? holder.getAttribute('data-picker-empty') : '—';
          return '<div class="no-results">' + escape(words) + '</div>';
        }
      }
    };
    const url = el.dataset.pickerUrl;
    if (url) {
      options.valueField = 'id';
      options.labelField = 'name';
      options.searchField = ['name'];
      options.shouldLoad = function (query) {
        return query.trim().length > 0;
      };
      options.load = function (query, callback) {
        const target = url + '?page_size=20&search=' + encodeURIComponent(query.trim());
        fetch(target, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            callback(data.results || []);
          })
          .catch(function () {
            callback();
          });
      };
    }
    return options;
  }

  function initPickers(root) {
    if (!window.TomSelect || !root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll('select[data-picker]').forEach(function (el) {
      if (!el.tomselect) {
        new window.TomSelect(el, pickerOptions(el));
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      initPickers(document);
    });
  } else {
    initPickers(document);
  }
  document.addEventListener('htmx:load', function (event) {
    initPickers(event.target);
  });

})();
