// Niceties on top of pages that work without JavaScript; the server still checks everything.
//
// Autosave of drafts: a form with data-autosave is posted in the background (with autosave=1) three seconds after
// the last change. The server saves the draft and answers {draft, message}; the draft's id goes into the form, so the
// next save replaces the same draft and the final submit deletes it. A failed save says so in the status line and
// leaves the typed text where it is.
(function () {
  "use strict";
  var DELAY_MS = 3000;
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var timer = null;
    var inFlight = false;
    var again = false;
    var status = form.querySelector(".draft-status");
    var draftField = form.querySelector("input[name=draft]");
    function say(text) {
      if (status) status.textContent = text;
    }
    function save() {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      var body = new URLSearchParams(new FormData(form));
      body.set("autosave", "true");
      fetch(form.getAttribute("data-autosave"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        redirect: "error",
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (saved) {
          if (draftField) draftField.value = saved.draft;
          say(saved.message);
        })
        .catch(function () {
          say(form.getAttribute("data-autosave-failed"));
        })
        .finally(function () {
          inFlight = false;
          if (again) {
            again = false;
            save();
          }
        });
    }
    function changed() {
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      clearTimeout(timer);
    });
  });
})();

// Session expiry: what is typed into a case form (form[data-draft]) is also kept in this tab's sessionStorage, so a
// session that runs out while the form is being filled loses nothing: the server sends the post to the login page
// and back to the form, and the form is filled in again here. The copy lives only in this tab, is dropped as soon as
// any other page than the login opens (the server has taken the form), and is encrypted (AES-GCM) with the key the
// server puts on every page of the logged-in account (body[data-tab-key]; per account and day). So at a shared
// office PC, after a logout, an expiry or another person's log-in, what is left is ciphertext: another account's
// pages cannot read it and drop it, and logging out wipes every copy. Without WebCrypto nothing is kept.
(function () {
  'use strict';
  var PREFIX = 'ostoja-draft:';
  var here = location.pathname;
  var store;
  try { store = window.sessionStorage; } catch (e) { return; }
  if (!store) return;
  function wipe(except) {
    for (var i = store.length - 1; i >= 0; i--) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0 && k !== except) store.removeItem(k);
    }
  }
  document.addEventListener('submit', function (ev) {
    var f = ev.target;
    if (f && f.getAttribute && f.getAttribute('action') === '/logout') wipe(null);
  }, true);
  var onLogin = here === '/login' || here.indexOf('/login/') === 0;
  var keyHex = document.body.getAttribute('data-tab-key');
  if (!onLogin && !keyHex) { wipe(null); return; }
  if (!onLogin) wipe(PREFIX + here);
  var form = document.querySelector('form[data-draft]');
  var subtle = window.crypto && window.crypto.subtle;
  if (!form || !keyHex || !subtle || !/^[0-9a-f]{64}$/.test(keyHex)) return;
  var slot = PREFIX + here;
  var raw = new Uint8Array(keyHex.match(/../g).map(function (h) { return parseInt(h, 16); }));
  function fields() {
    return Array.prototype.filter.call(form.elements, function (e) {
      return e.name && e.type !== 'hidden' && e.type !== 'password' && e.type !== 'submit' && e.type !== 'button';
    });
  }
  function b64(bytes) { var s = ''; bytes.forEach(function (b) { s += String.fromCharCode(b); }); return btoa(s); }
  function unb64(text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); }
  subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']).then(function (key) {
    var chain = Promise.resolve();
    function save() {
      var data = {};
      fields().forEach(function (e) {
        if (e.type === 'checkbox' || e.type === 'radio') {
          data[e.name + '\u0000' + e.value] = e.checked;
        } else {
          data[e.name] = e.value;
        }
      });
      var iv = window.crypto.getRandomValues(new Uint8Array(12));
      var plain = new TextEncoder().encode(JSON.stringify(data));
      // One after another, so an older copy never lands after a newer one.
      chain = chain.then(function () {
        return subtle.encrypt({ name: 'AES-GCM', iv: iv }, key, plain).then(function (ct) {
          store.setItem(slot, 'v1:' + b64(iv) + ':' + b64(new Uint8Array(ct)));
        });
      }).catch(function () { store.removeItem(slot); });
    }
    function restore(data) {
      fields().forEach(function (e) {
        if (e.type === 'checkbox' || e.type === 'radio') {
          var v = data[e.name + '\u0000' + e.value];
          if (typeof v === 'boolean') e.checked = v;
        } else if (Object.prototype.hasOwnProperty.call(data, e.name)) {
          e.value = data[e.name];
        }
      });
    }
    var saved = store.getItem(slot);
    var parts = saved ? saved.split(':') : [];
    // A page the server re-rendered with its reasons holds the posted values already; they win.
    if (parts.length === 3 && parts[0] === 'v1' && !document.querySelector('.error-summary')) {
      subtle.decrypt({ name: 'AES-GCM', iv: unb64(parts[1]) }, key, unb64(parts[2])).then(function (plain) {
        restore(JSON.parse(new TextDecoder().decode(plain)));
      }).catch(function () {
        // Another account's (or another day's) copy: unreadable here, and not kept.
        store.removeItem(slot);
      });
    } else if (saved && parts[0] !== 'v1') {
      store.removeItem(slot);
    }
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    form.addEventListener('submit', save);
  });
})();

// The error summary (GOV.UK pattern): focus moves to it when the page opens (autofocus does it without a script;
// this covers browsers that skip it), and a link in it focuses its field, as the page opened on another step does
// for the field its address names.
(function () {
  'use strict';
  function focusField(id) {
    var target = document.getElementById(id);
    if (!target) return false;
    var field = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea');
    (field || target).focus();
    var label = field && document.querySelector('label[for="' + field.id + '"]');
    (label || target).scrollIntoView();
    return true;
  }
  var summary = document.querySelector('.error-summary[tabindex]');
  if (location.hash.length > 1 && focusField(decodeURIComponent(location.hash.slice(1)))) return;
  if (summary && document.activeElement !== summary) summary.focus();
  if (summary) {
    summary.addEventListener('click', function (ev) {
      var a = ev.target.closest('a[href^="#"]');
      if (a && focusField(a.getAttribute('href').slice(1))) ev.preventDefault();
    });
  }
})();
