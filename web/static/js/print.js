// Printable documents: the 印刷する button opens the browser's print dialogue. Without this
// file the page says to use the browser's own print command.
"use strict";

(function () {
  var b = document.getElementById("print-button");
  if (!b || !window.print) return;
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
})();
