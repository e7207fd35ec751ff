// Ostoja's one script, a nicety on top of pages that work without it. Nothing here replaces the server's validation.
//
// Drafts: what is typed into a case form (form[data-draft]) is kept in this tab's sessionStorage, so a session that
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
