/*
 * The service-station map (Leaflet, vendored). No inline script: the page renders its data into
 * <script type="application/json"> blocks and marks the container:
 *
 *   {{ points|json_script:"station-points" }}          [{id, name, kind_label, address, lat, lng, open, public, url}]
 *   {{ map_settings|json_script:"station-map-settings" }}  {tile_url, attribution}
 *   <div data-station-map="#station-points" data-map-settings="#station-map-settings"
 *        data-icon-url="…marker-icon.png" data-icon-retina-url="…" data-shadow-url="…"></div>
 *
 * Markers come from the page itself, so they show even when the tile server cannot be reached (an
 * intranet without internet): a failed tile is left blank and nothing else depends on it. The list
 * beside the map is plain HTML and works without this script.
 */
(function () {
  'use strict';

  // Shanghai, for a map without any point.
  var DEFAULT_CENTER = [31.23, 121.47];

  function readJson(selector) {
    if (!selector || selector.charAt(0) !== '#') {
      return null;
    }
    var source = document.getElementById(selector.slice(1));
    if (!source) {
      return null;
    }
    try {
      return JSON.parse(source.textContent);
    } catch (err) {
      console.error('station_map.js: invalid JSON in', selector, err);
      return null;
    }
  }

  function popupContent(point, el) {
    var box = document.createElement('div');
    var link = document.createElement('a');
    link.href = point.url;
    link.textContent = point.name;
    link.className = 'fw-semibold';
    box.appendChild(link);
    var meta = [point.kind_label, point.address];
    if (!point.open) {
      meta.push(el.getAttribute('data-label-closed') || 'closed');
    }
    if (!point.public) {
      meta.push(el.getAttribute('data-label-private') || 'not public');
    }
    meta.forEach(function (text) {
      if (text) {
        var line = document.createElement('div');
        line.className = 'small text-secondary';
        line.textContent = text;
        box.appendChild(line);
      }
    });
    return box;
  }

  function initMap(el) {
    if (el.getAttribute('data-map-ready')) {
      return;
    }
    var points = readJson(el.getAttribute('data-station-map')) || [];
    var settings = readJson(el.getAttribute('data-map-settings')) || {};
    var map = window.L.map(el, { scrollWheelZoom: false });
    // The background, then (Tianditu) its labels as a second layer; either may be absent.
    [settings.tile_url, settings.label_url].forEach(function (url, index) {
      if (url) {
        window.L.tileLayer(url, {
          maxZoom: 18,
          subdomains: settings.subdomains || 'abc',
          attribution: index === 0 ? settings.attribution || '' : ''
        }).addTo(map);
      }
    });
    var icon = window.L.icon({
      iconUrl: el.getAttribute('data-icon-url'),
      iconRetinaUrl: el.getAttribute('data-icon-retina-url'),
      shadowUrl: el.getAttribute('data-shadow-url'),
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41]
    });
    // The view first: Leaflet draws markers only on a map that has one.
    var latLngs = points.map(function (point) {
      return [point.lat, point.lng];
    });
    var zoom = parseInt(el.getAttribute('data-zoom') || '', 10);
    if (latLngs.length === 1) {
      map.setView(latLngs[0], zoom || 15);
    } else if (latLngs.length > 1) {
      map.fitBounds(latLngs, { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView(DEFAULT_CENTER, 10);
    }
    points.forEach(function (point) {
      var marker = window.L.marker([point.lat, point.lng], {
        icon: icon,
        title: point.name,
        alt: point.name,
        opacity: point.open ? 1 : 0.5,
        keyboard: true
      });
      marker.bindPopup(popupContent(point, el));
      marker.on('add', function () {
        var element = marker.getElement();
        if (element) {
          element.setAttribute('data-testid', 'station-marker');
          element.setAttribute('data-station-id', String(point.id));
        }
      });
      marker.addTo(map);
    });
    el.setAttribute('data-map-ready', 'true');
  }

  function initAll() {
    if (!window.L) {
      return; // Leaflet missing: the page still lists every station.
    }
    Array.prototype.forEach.call(document.querySelectorAll('[data-station-map]'), initMap);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', initAll);
  } else {
    initAll();
  }
})();
