// Forms that come back with errors (partials/form.html "form-banner" loads this file).
// Focus starts on the banner, so keyboard and screen-reader users begin with the list of
// what to fix; each link of the banner moves focus into its field, not only the view.
"use strict";

(function () {
  var banner = document.getElementById("form-errors");
  if (!banner) return;
  banner.focus();
  banner.addEventListener("click", function (e) {
    var a = e.target.closest("a[href^='#']");
    if (!a) return;
    var field = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    if (field && typeof field.focus === "function") {
      e.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
      history.replaceState(null, "", a.getAttribute("href"));
    }
  });
})();
