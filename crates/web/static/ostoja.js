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
