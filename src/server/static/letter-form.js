// Solves the anti-spam challenge (ALTCHA v1: find n with SHA-256(salt + n) =
// challenge) while the writer types, and fills the hidden field. The form
// works without this script; letters sent without it are marked for review.
(function () {
  'use strict';
  var form = document.getElementById('letter-form');
  if (!form || !window.crypto || !window.crypto.subtle || !window.fetch) return;
  var field = form.querySelector('input[name="altcha"]');
  var status = document.getElementById('pow-status');
  var solving = null;

  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  async function solve() {
    var res = await fetch(form.getAttribute('data-pow'), { credentials: 'omit', cache: 'no-store' });
    if (!res.ok) throw new Error('challenge unavailable');
    var c = await res.json();
    var enc = new TextEncoder();
    for (var n = 0; n <= c.maxnumber; n++) {
      var digest = hex(await crypto.subtle.digest('SHA-256', enc.encode(c.salt + n)));
      if (digest === c.challenge) {
        field.value = btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature }));
        return;
      }
    }
    throw new Error('no solution');
  }

  function start() {
    if (!solving) solving = solve().catch(function () { field.value = ''; });
    return solving;
  }

  // Start early so the work is done by the time the writer presses Send.
  form.addEventListener('focusin', start, { once: true });
  setTimeout(start, 1500);

  form.addEventListener('submit', function (e) {
    if (field.value || form.dataset.powDone) return;
    e.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    if (status) status.textContent = 'Checking your browser before sending…';
    start().then(function () {
      form.dataset.powDone = '1';
      if (status) status.textContent = '';
      if (button) button.disabled = false;
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
