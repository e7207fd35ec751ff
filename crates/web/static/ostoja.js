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

// Session expiry: what is typed into a case form (form[data-draft]) is also kept in this tab's sessionStorage, so a session that
// runs out while the form is being filled loses nothing: the server sends the post to the login page and back to the
// form, and the form is filled in again here. The draft lives only in this tab (gone when it is closed) and is
// dropped as soon as any other page than the login opens, i.e. once the server has taken the form.
(function () {
  'use strict';
  var PREFIX = 'ostoja-draft:';
  var here = location.pathname;
  var store;
  try { store = window.sessionStorage; } catch (e) { return; }
  if (!store) return;
  var onLogin = here === '/login' || here.indexOf('/login/') === 0;
  if (!onLogin) {
    for (var i = store.length - 1; i >= 0; i--) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0 && k !== PREFIX + here) store.removeItem(k);
    }
  }
  var form = document.querySelector('form[data-draft]');
  if (!form) return;
  var key = PREFIX + here;
  function fields() {
    return Array.prototype.filter.call(form.elements, function (e) {
      return e.name && e.type !== 'hidden' && e.type !== 'password' && e.type !== 'submit' && e.type !== 'button';
    });
  }
  function save() {
    var data = {};
    fields().forEach(function (e) {
      if (e.type === 'checkbox' || e.type === 'radio') {
        data[e.name + '\u0000' + e.value] = e.checked;
      } else {
        data[e.name] = e.value;
      }
    });
    store.setItem(key, JSON.stringify(data));
  }
  var saved = store.getItem(key);
  // A page the server re-rendered with its reasons holds the posted values already; they win.
  if (saved && !document.querySelector('.error-summary')) {
    var data = JSON.parse(saved);
    fields().forEach(function (e) {
      if (e.type === 'checkbox' || e.type === 'radio') {
        var v = data[e.name + '\u0000' + e.value];
        if (typeof v === 'boolean') e.checked = v;
      } else if (Object.prototype.hasOwnProperty.call(data, e.name)) {
        e.value = data[e.name];
      }
    });
  }
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  form.addEventListener('submit', save);
})();
