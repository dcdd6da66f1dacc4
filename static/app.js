// heartbeatd web UI: small enhancements over pages that work without JavaScript.
// Loaded from /static (the Content-Security-Policy allows no inline script).
'use strict';

(function () {
  // Copy buttons: data-copy names the element whose text is copied.
  function setUpCopyButtons() {
    document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
      button.addEventListener('click', function () {
        var source = document.querySelector(button.getAttribute('data-copy'));
        if (!source) return;
        var text = source.textContent.trim();
        var done = function () {
          var label = button.textContent;
          button.textContent = 'Copied';
          setTimeout(function () { button.textContent = label; }, 1500);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
        } else {
          // Plain-http deployments have no clipboard API: select the text for Ctrl-C.
          selectText(source);
        }
      });
    });
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // The same wording as the server's web::relative_time.
  function relative(iso, nowMs) {
    var diff = Math.round((nowMs - Date.parse(iso)) / 1000);
    var span = Math.abs(diff);
    if (span < 5) return 'just now';
    var n, unit;
    if (span < 60) { n = span; unit = 'second'; }
    else if (span < 3600) { n = Math.floor(span / 60); unit = 'minute'; }
    else if (span < 86400) { n = Math.floor(span / 3600); unit = 'hour'; }
    else { n = Math.floor(span / 86400); unit = 'day'; }
    var amount = n + ' ' + unit + (n === 1 ? '' : 's');
    return diff < 0 ? 'in ' + amount : amount + ' ago';
  }

  function exact(iso) {
    return iso.slice(0, 19).replace('T', ' ') + ' UTC';
  }

  function timeCell(className, iso, nowMs, missing) {
    // Attributes in the server's order, so that an unchanged cell compares equal and stays.
    var element = document.createElement(iso || missing === 'never' ? 'time' : 'span');
    element.className = className;
    if (iso) {
      element.setAttribute('datetime', iso);
      element.title = exact(iso);
      element.textContent = relative(iso, nowMs);
    } else {
      element.textContent = missing;
    }
    var cell = document.createElement('td');
    cell.appendChild(element);
    return cell;
  }

  function rowFor(app, nowMs) {
    var row = document.createElement('tr');
    row.setAttribute('data-app-id', String(app.id));
    var nameCell = document.createElement('td');
    var link = document.createElement('a');
    link.className = 'app-name';
    link.href = '/applications/' + app.id;
    link.textContent = app.name; // text, never HTML: names are user input
    nameCell.appendChild(link);
    var statusCell = document.createElement('td');
    var status = document.createElement('span');
    status.className = 'status';
    status.setAttribute('data-status', app.status);
    status.textContent = app.status;
    statusCell.appendChild(status);
    row.appendChild(nameCell);
    row.appendChild(statusCell);
    row.appendChild(timeCell('last-heartbeat', app.last_heartbeat, nowMs, 'never'));
    row.appendChild(timeCell('next-deadline', app.next_deadline, nowMs, '—'));
    return row;
  }

  function sameRows(tbody, apps) {
    var rows = tbody.querySelectorAll('tr[data-app-id]');
    if (rows.length !== apps.length) return false;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('data-app-id') !== String(apps[i].id)) return false;
    }
    return true;
  }

  function applyDashboard(data) {
    var nowMs = Date.parse(data.now);
    Object.keys(data.counts).forEach(function (status) {
      var value = document.querySelector('[data-count="' + status + '"] .count-value');
      if (value) value.textContent = String(data.counts[status]);
    });
    var table = document.getElementById('applications');
    if (!table) {
      // The empty state has no table to fill: a first application appeared, load the page.
      if (data.applications.length > 0) window.location.reload();
      return;
    }
    if (data.applications.length === 0 || table.getAttribute('data-pages') !== String(data.pages)) {
      // The list emptied or the number of pages changed: the server renders the empty state
      // and the page links.
      window.location.reload();
      return;
    }
    var info = document.getElementById('page-info');
    if (info) info.textContent = data.page_info;
    var tbody = table.tBodies[0];
    if (sameRows(tbody, data.applications)) {
      // Update in place, so a row being read or hovered does not jump.
      var rows = tbody.querySelectorAll('tr[data-app-id]');
      data.applications.forEach(function (app, i) {
        var fresh = rowFor(app, nowMs);
        var cells = rows[i].cells;
        for (var c = 0; c < cells.length; c++) {
          if (cells[c].innerHTML !== fresh.cells[c].innerHTML) {
            cells[c].replaceWith(fresh.cells[c].cloneNode(true));
          }
        }
      });
    } else {
      var replacement = document.createElement('tbody');
      data.applications.forEach(function (app) { replacement.appendChild(rowFor(app, nowMs)); });
      tbody.replaceWith(replacement);
    }
  }

  // Polls `url` every data-refresh-ms while the tab is visible and hands the JSON to `apply`.
  function poll(url, apply) {
    var period = parseInt(document.body.getAttribute('data-refresh-ms') || '0', 10);
    if (!period) return;
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) {
          if (response.status === 401) { window.location.assign('/login'); return null; }
          return response.ok ? response.json() : null;
        })
        .then(function (data) { if (data) apply(data); })
        .catch(function () { /* offline for a moment: the next poll tries again */ })
        .then(function () { busy = false; });
    }, period);
  }

  function startLiveDashboard() {
    var source = document.querySelector('[data-json]');
    if (source) poll(source.getAttribute('data-json'), applyDashboard);
  }

  // The application page: its status and times, in place.
  function fillTime(holder, iso, nowMs, missing) {
    holder.textContent = '';
    if (!iso) { holder.textContent = missing; return; }
    var element = document.createElement('time');
    element.setAttribute('datetime', iso);
    element.title = exact(iso);
    element.textContent = relative(iso, nowMs);
    holder.appendChild(element);
  }

  function startLiveApplication() {
    var head = document.querySelector('[data-status-json]');
    if (!head) return;
    poll(head.getAttribute('data-status-json'), function (data) {
      if (head.getAttribute('data-active') !== String(data.is_active)) {
        // Paused or resumed elsewhere: the server renders the right button.
        window.location.reload();
        return;
      }
      var nowMs = Date.parse(data.now);
      var badge = document.getElementById('status');
      if (badge && badge.getAttribute('data-status') !== data.status) {
        badge.setAttribute('data-status', data.status);
        badge.textContent = data.status;
      }
      var last = document.getElementById('last-heartbeat');
      if (last) fillTime(last, data.last_heartbeat, nowMs, 'never');
      var next = document.getElementById('next-deadline');
      if (next) fillTime(next, data.next_deadline, nowMs, '—');
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setUpCopyButtons();
    startLiveDashboard();
    startLiveApplication();
  });
})();
