/*
 * The activity form (templates/services/activity_form.html). No inline scripts: all of it is here.
 *
 * - Choosing a station sets the region to the station's (each station option carries data-region).
 * - Photos picked one after another (a phone's camera gives one per pick) add up instead of replacing
 *   each other, up to the form's data-max-photos, and are previewed with a button to drop each one.
 *   Too large files are dropped with a note at once; the server checks everything again.
 */
(function () {
  'use strict';

  const form = document.querySelector('form.activity-form');
  if (!form) {
    return;
  }

  const station = form.querySelector('select[name=station]');
  const region = form.querySelector('select[name=region]');
  if (station && region) {
    station.addEventListener('change', function () {
      const option = station.options[station.selectedIndex];
      const regionId = option ? option.getAttribute('data-region') : null;
      if (regionId && region.querySelector('option[value="' + regionId + '"]')) {
        region.value = regionId;
      }
    });
  }

  const input = form.querySelector('input[type=file][name=photos]');
  const previews = form.querySelector('[data-photo-previews]');
  if (!input || !previews || typeof DataTransfer === 'undefined') {
    return;
  }
  const maxPhotos = parseInt(form.getAttribute('data-max-photos'), 10) || 9;
  const maxBytes = parseInt(form.getAttribute('data-max-bytes'), 10) || 0;
  let chosen = [];
  const urls = [];

  function otherPhotos() {
    const existing = form.querySelectorAll('input[name=remove_photos]:not(:checked)').length;
    const pending = form.querySelectorAll('input[name=pending_photos]:checked').length;
    return existing + pending;
  }

  function note(text) {
    let el = form.querySelector('[data-photo-note]');
    if (!el) {
      el = document.createElement('div');
      el.className = 'form-text text-danger';
      el.setAttribute('data-photo-note', '');
      previews.parentNode.insertBefore(el, previews);
    }
    el.textContent = text;
  }

  function sync() {
    const transfer = new DataTransfer();
    chosen.forEach(function (file) { transfer.items.add(file); });
    input.files = transfer.files;
    urls.splice(0).forEach(function (url) { URL.revokeObjectURL(url); });
    previews.textContent = '';
    chosen.forEach(function (file, index) {
      const col = document.createElement('div');
      col.className = 'col-4';
      const img = document.createElement('img');
      const url = URL.createObjectURL(file);
      urls.push(url);
      img.src = url;
      img.alt = file.name;
      img.className = 'img-thumbnail w-100 object-fit-cover';
      const drop = document.createElement('button');
      drop.type = 'button';
      drop.className = 'btn btn-sm btn-outline-secondary w-100 mt-1';
      drop.textContent = '×';
      drop.setAttribute('aria-label', file.name);
      drop.addEventListener('click', function () {
        chosen.splice(index, 1);
        sync();
      });
      col.appendChild(img);
      col.appendChild(drop);
      previews.appendChild(col);
    });
  }

  input.addEventListener('change', function () {
    const dropped = [];
    Array.prototype.forEach.call(input.files, function (file) {
      const duplicate = chosen.some(function (f) {
        return f.name === file.name && f.size === file.size && f.lastModified === file.lastModified;
      });
      if (duplicate) {
        return;
      }
      if (maxBytes && file.size > maxBytes) {
        dropped.push(file.name);
      } else if (chosen.length + otherPhotos() < maxPhotos) {
        chosen.push(file);
      } else {
        dropped.push(file.name);
      }
    });
    note(dropped.length ? (form.getAttribute('data-msg-dropped') || '') + ' ' + dropped.join(', ') : '');
    sync();
  });
})();
