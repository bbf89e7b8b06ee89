// The letter form's helpers; the form works without this script.
//  - A live word count against the publication's limit, in the page's
//    language (the server gives the words for each plural category).
//  - A field's error is cleared once the field is fixed (and its line in the
//    summary at the top), so the writer sees what is still to do.
//  - The anti-spam challenge (ALTCHA v1: find n with SHA-256(salt + n) =
//    challenge) is solved while the writer types; letters sent without it
//    are marked for review.
(function () {
  'use strict';
  var form = document.getElementById('letter-form');
  if (!form) return;

  // --- word count ---
  var body = document.getElementById('body');
  var count = document.getElementById('body-count');
  if (body && count) {
    var limit = Number(count.getAttribute('data-limit')) || 0;
    var lang = count.getAttribute('data-lang') || document.documentElement.lang || 'en';
    var words = JSON.parse(count.getAttribute('data-words') || '{}');
    var over = JSON.parse(count.getAttribute('data-over') || '{}');
    var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
    var shown = -1;
    var update = function () {
      var n = body.value.split(/\s+/).filter(Boolean).length;
      if (n === shown) return;
      shown = n;
      var cat = rules ? rules.select(n) : n === 1 ? 'one' : 'other';
      var forms = n > limit ? over : words;
      var text = forms[cat] || forms.other;
      if (!text) return;
      count.textContent = text.replace('#', n.toLocaleString(lang));
      count.classList.toggle('over', n > limit);
    };
    body.addEventListener('input', update);
    update();
  }

  // --- errors cleared once fixed ---
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  function fixed(name, input) {
    if (input.type === 'checkbox') return input.checked;
    var v = input.value.trim();
    if (!v) return false;
    if (name === 'email') return EMAIL.test(v);
    return true;
  }
  function clearError(name) {
    var box = form.querySelector('.field[data-field="' + name + '"]');
    if (!box || !box.classList.contains('has-error')) return;
    box.classList.remove('has-error');
    var msg = document.getElementById(name + '-error');
    if (msg) msg.remove();
    var input = document.getElementById(name);
    if (input) {
      input.removeAttribute('aria-invalid');
      var ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && id !== name + '-error'; });
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
      else input.removeAttribute('aria-describedby');
    }
    var item = document.querySelector('#error-summary li[data-for="' + name + '"]');
    if (item) item.remove();
    var summary = document.getElementById('error-summary');
    if (summary && !summary.querySelector('li')) summary.remove();
  }
  ['name', 'email', 'town', 'body', 'consent'].forEach(function (name) {
    var input = document.getElementById(name);
    if (!input) return;
    var check = function () { if (fixed(name, input)) clearError(name); };
    input.addEventListener('input', check);
    input.addEventListener('change', check);
  });

  // --- proof of work ---
  if (!form.getAttribute('data-pow') || !window.crypto || !window.crypto.subtle || !window.fetch) return;
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
    if (status) status.textContent = form.getAttribute('data-checking') || '';
    start().then(function () {
      form.dataset.powDone = '1';
      if (status) status.textContent = '';
      if (button) button.disabled = false;
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
