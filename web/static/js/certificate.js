"use strict";
// 電子証明書発行申請: show the first rows and the filled ones, and a button that adds the
// next empty row. Without JavaScript every row shows.
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-cert-row]"));
  if (!rows.length) return;
  var filled = function (tr) {
    return Array.prototype.some.call(tr.querySelectorAll("select, input"), function (f) { return f.value !== ""; }) ||
      tr.querySelector("[aria-invalid=true]");
  };
  var last = 2;
  rows.forEach(function (tr, i) { if (filled(tr)) last = Math.max(last, i); });
  rows.forEach(function (tr, i) { tr.hidden = i > last; });
  if (last >= rows.length - 1) return;
  var add = document.createElement("button");
  add.type = "button";
  add.className = "button";
  add.textContent = "申請するパソコンを追加する";
  add.addEventListener("click", function () {
    var next = rows.filter(function (tr) { return tr.hidden; })[0];
    if (!next) return;
    next.hidden = false;
    next.querySelector("select").focus();
    if (!rows.some(function (tr) { return tr.hidden; })) add.remove();
  });
  var table = rows[0].closest(".table-wrap");
  table.parentNode.insertBefore(add, table.nextSibling);
})();
