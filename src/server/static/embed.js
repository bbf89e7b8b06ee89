// letterdesk embed: one script tag on an article page shows the published
// letters about the article and the letter form.
//   <script src="https://desk.example.com/embed.js" data-article="ARTICLE-ID" async></script>
// Everything lives in a Shadow DOM with its own styles, so the host page's
// CSS cannot break it (and it cannot break the page); it inherits only the
// page's font and colour. Reader text is only ever set as textContent.
(function () {
  'use strict';
  // The words, in the publication's language (or the reader's where it allows): filled in by the server.
  var M = /*MESSAGES*/ {};
  function say(k, fallback) { return M[k] || fallback; }
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src).origin;
  var articleId = script.getAttribute('data-article');
  if (!articleId) return;

  var host = document.createElement('letterdesk-letters');
  if (M.lang) host.setAttribute('lang', M.lang);
  script.parentNode.insertBefore(host, script.nextSibling);
  var root = host.attachShadow({ mode: 'open' });

  var css =
    // !important here beats the host page's !important rules on the host element.
    ':host{all:initial!important;display:block!important;visibility:visible!important;opacity:1!important;position:static!important;' +
    'font-family:inherit!important;font-size:16px!important;line-height:1.5!important;color:inherit!important;max-width:42rem!important;margin:2rem 0!important;transform:none!important}' +
    '*{box-sizing:border-box}section{margin:0 0 2rem}h2{font-size:1.35em;margin:0 0 .75em;line-height:1.25}h3{font-size:1.1em;margin:0 0 .4em}' +
    'article{border-top:1px solid rgba(128,128,128,.4);padding:.75em 0}p{margin:0 0 .75em}.byline{font-style:italic}.reply{margin:.5em 0 0 1em;padding-left:.75em;border-left:3px solid rgba(128,128,128,.5)}' +
    'label{display:block;font-weight:600;margin:.75em 0 .25em}input[type=text],input[type=email],textarea{display:block;width:100%;font:inherit;color:#1b1b1b;background:#fff;padding:.45em .55em;border:2px solid #767676;border-radius:4px}' +
    'textarea{min-height:10em}.choice{font-weight:400;display:flex;gap:.5em;align-items:flex-start}.choice input{width:auto;margin-top:.3em}' +
    'button{font:inherit;font-weight:600;padding:.6em 1.2em;margin-top:1em;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}button[disabled]{opacity:.6}' +
    '.error{color:#b00020;font-weight:600;margin:.25em 0}.status{min-height:1.5em;margin-top:.5em}.thanks{border-left:4px solid #0b5cad;padding:.5em 1em}';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  var style = el('style', null, css);
  var lettersSection = el('section', { class: 'letters', 'aria-live': 'polite' });
  var formSection = el('section', { class: 'write' });
  root.appendChild(style);
  root.appendChild(lettersSection);
  root.appendChild(formSection);

  function paragraphs(parent, text) {
    String(text).split(/\n{2,}/).forEach(function (p) {
      if (p.trim()) parent.appendChild(el('p', null, p));
    });
  }

  function renderLetters(data) {
    lettersSection.textContent = '';
    lettersSection.appendChild(el('h2', null, say('title', 'Letters about this article')));
    if (!data.letters.length) {
      lettersSection.appendChild(el('p', null, say('none', 'No letters have been published about this article yet.')));
      return;
    }
    data.letters.forEach(function (l) {
      var a = el('article', { 'data-letter': l.id });
      if (l.headline) a.appendChild(el('h3', null, l.headline));
      paragraphs(a, l.text);
      a.appendChild(el('p', { class: 'byline' }, l.town ? l.name + ', ' + l.town : l.name));
      (l.replies || []).forEach(function (r) {
        var box = el('div', { class: 'reply' });
        box.appendChild(el('p', null, say('replies', '%s replies:').replace('%s', r.author)));
        paragraphs(box, r.text);
        a.appendChild(box);
      });
      lettersSection.appendChild(a);
    });
  }

  function loadLetters() {
    return fetch(base + '/articles/' + encodeURIComponent(articleId) + '/letters?format=json', { credentials: 'omit', cache: 'no-cache' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) renderLetters(data); })
      .catch(function () {});
  }

  // --- the form ---
  var fields = [
    ['name', say('name', 'Your name'), 'text', 'name'],
    ['email', say('email', 'Email address (never published)'), 'email', 'email'],
    ['town', say('town', 'Town or city'), 'text', 'address-level2'],
  ];
  var form = el('form', { novalidate: '' });
  formSection.appendChild(el('h2', null, say('write', 'Write a letter')));
  var errors = {};
  function addError(name, parent) {
    errors[name] = el('p', { class: 'error', id: 'ld-' + name + '-error', role: 'alert' });
    parent.appendChild(errors[name]);
  }
  fields.forEach(function (f) {
    form.appendChild(el('label', { for: 'ld-' + f[0] }, f[1]));
    addError(f[0], form);
    form.appendChild(el('input', { id: 'ld-' + f[0], name: f[0], type: f[2], autocomplete: f[3], maxlength: '254' }));
  });
  form.appendChild(el('label', { for: 'ld-body' }, say('body', 'Your letter')));
  addError('body', form);
  form.appendChild(el('textarea', { id: 'ld-body', name: 'body', rows: '10' }));
  var fs = el('fieldset');
  fs.appendChild(el('legend', null, say('nameDisplay', 'If we publish your letter, show my name as')));
  [['full', say('full', 'my full name')], ['initials', say('initials', 'my initials')], ['withheld', say('withheld', '“Name withheld”')]].forEach(function (o, i) {
    var lab = el('label', { class: 'choice' });
    var r = el('input', { type: 'radio', name: 'nameDisplay', value: o[0] });
    if (i === 0) r.checked = true;
    lab.appendChild(r);
    lab.appendChild(document.createTextNode(' ' + o[1]));
    fs.appendChild(lab);
  });
  form.appendChild(fs);
  var consentLabel = el('label', { class: 'choice' });
  var consent = el('input', { type: 'checkbox', name: 'consent', id: 'ld-consent' });
  consentLabel.appendChild(consent);
  consentLabel.appendChild(document.createTextNode(' ' + say('consent', 'I agree that my letter may be published and edited.')));
  addError('consent', form);
  form.appendChild(consentLabel);
  // The same exclusivity question as the form: screening flags letters sent elsewhere too.
  var exclusiveLabel = el('label', { class: 'choice' });
  var exclusive = el('input', { type: 'checkbox', name: 'exclusive', id: 'ld-exclusive' });
  exclusiveLabel.appendChild(exclusive);
  exclusiveLabel.appendChild(document.createTextNode(' ' + say('exclusive', 'This letter is sent to this publication only.')));
  form.appendChild(exclusiveLabel);
  var general = el('p', { class: 'error', role: 'alert' });
  form.appendChild(general);
  var button = el('button', { type: 'submit' }, say('send', 'Send letter'));
  form.appendChild(button);
  var status = el('p', { class: 'status', 'aria-live': 'polite' });
  form.appendChild(status);
  formSection.appendChild(form);

  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }
  // ALTCHA v1: find n with SHA-256(salt + n) = challenge.
  function solve() {
    return fetch(base + '/api/v1/pow/challenge', { credentials: 'omit', cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('challenge'); return r.json(); })
      .then(async function (c) {
        var enc = new TextEncoder();
        for (var n = 0; n <= c.maxnumber; n++) {
          if (hex(await crypto.subtle.digest('SHA-256', enc.encode(c.salt + n))) === c.challenge)
            return btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature }));
        }
        throw new Error('no solution');
      });
  }
  var solution = null;
  function startSolving() {
    if (!solution) solution = solve().catch(function () { solution = null; return null; });
    return solution;
  }
  form.addEventListener('focusin', startSolving, { once: true });

  var idem = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    Object.keys(errors).forEach(function (k) { errors[k].textContent = ''; });
    general.textContent = '';
    button.disabled = true;
    status.textContent = say('sending', 'Sending…');
    var data = {
      article: articleId,
      name: form.elements.name.value,
      email: form.elements.email.value,
      town: form.elements.town.value,
      body: form.elements.body.value,
      consent: consent.checked,
      exclusive: exclusive.checked,
      nameDisplay: form.querySelector('input[name=nameDisplay]:checked').value,
    };
    startSolving()
      .then(function (altcha) {
        if (altcha) data.altcha = altcha;
        return fetch(base + '/api/v1/letters', { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json', 'idempotency-key': idem, 'accept-language': M.lang || navigator.language || 'en' }, body: JSON.stringify(data) });
      })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, json: j }; }); })
      .then(function (res) {
        button.disabled = false;
        status.textContent = '';
        if (res.status === 202) {
          formSection.textContent = '';
          var done = el('div', { class: 'thanks', role: 'status' });
          done.appendChild(el('h2', null, say('thanks', 'Thank you for your letter')));
          done.appendChild(el('p', null, res.json.status === 'unconfirmed' ? say('confirm', 'We have sent you an email: please open the link in it to confirm your address.') : say('read', 'The letters editors will read it.')));
          formSection.appendChild(done);
          return;
        }
        if (res.json && res.json.fields) {
          Object.keys(res.json.fields).forEach(function (k) {
            if (errors[k]) errors[k].textContent = res.json.fields[k];
            else general.textContent = res.json.fields[k];
          });
          if (res.json.fields.altcha) solution = null;
        } else general.textContent = (res.json && res.json.message) || say('error', 'Something went wrong; please try again.');
      })
      .catch(function () {
        button.disabled = false;
        status.textContent = '';
        general.textContent = say('failed', 'Your letter could not be sent; please check your connection and try again.');
      });
  });

  loadLetters();
})();
