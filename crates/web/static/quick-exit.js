// The public help page's quick exit: leave at once for a neutral page, replacing this one in the history so the
// back button does not return here. Works as a plain link without JavaScript.
(function () {
  "use strict";
  function leave(event) {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    if (event) { event.preventDefault(); }
    document.body.style.display = "none";
    window.location.replace(link.href);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var link = document.getElementById("quick-exit");
    if (link) { link.addEventListener("click", leave); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
})();
