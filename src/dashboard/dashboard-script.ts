// Served as /dashboard.js (the Content-Security-Policy allows no inline
// script). Plain browser JavaScript, no framework: it listens to /events and
// replaces each pushed section's content, and posts "sync now" with the
// page's CSRF token. The texts it shows come translated in data attributes.

export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var csrfMeta = document.querySelector('meta[name="sync-dbs-csrf"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var live = document.getElementById('live');
  var answer = document.getElementById('sync-answer');

  function setLive(connected) {
    if (!live) return;
    live.setAttribute('data-connected', connected ? 'true' : 'false');
    live.textContent = live.getAttribute(connected ? 'data-connected-text' : 'data-disconnected-text');
  }

  function connect() {
    var source = new EventSource('/events');
    source.onopen = function () { setLive(true); };
    source.onmessage = function (event) {
      var sections = JSON.parse(event.data).sections || {};
      Object.keys(sections).forEach(function (id) {
        var element = document.getElementById(id);
        if (element) element.innerHTML = sections[id];
      });
      setLive(true);
    };
    source.onerror = function () {
      setLive(false);
      // The browser retries by itself unless the answer was an error (a restarted process, a lost login): then start over.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
    };
  }

  function say(kind) {
    if (answer) answer.textContent = answer.getAttribute('data-' + kind) || '';
  }

  document.addEventListener('click', function (event) {
    var button = event.target && event.target.closest ? event.target.closest('#sync-now') : null;
    if (!button || button.disabled) return;
    button.disabled = true;
    fetch('/api/sync', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { location.reload(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body && (body.answer === 'started' || body.answer === 'queued')) { say(body.answer); return; }
        say('failed');
        button.disabled = false;
      })
      .catch(function () { say('failed'); button.disabled = false; });
  });

  connect();
})();
`;
