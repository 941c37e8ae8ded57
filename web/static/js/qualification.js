"use strict";
// オンライン資格確認利用申請: offer only the providers of the chosen 電気通信回線種別, and the
// お客さまID only where that line needs it. Without JavaScript every provider and the field
// show, and the server checks the combination.
(function () {
  var NEEDS_ID = ["NTT東日本", "NTT西日本", "光コラボレーション事業者等"];
  var select = document.getElementById("provider");
  var row = document.getElementById("customer-id-row");
  var radios = document.querySelectorAll('input[name="line_type"]');
  if (!select || !row || !radios.length) return;
  function update() {
    var checked = document.querySelector('input[name="line_type"]:checked');
    var line = checked ? checked.value : "";
    select.querySelectorAll("optgroup").forEach(function (g) {
      var other = line !== "" && g.getAttribute("data-line-type") !== line;
      g.hidden = other;
      g.disabled = other;
      if (other && g.contains(select.selectedOptions[0])) select.value = "";
    });
    row.hidden = !(line === "IP-VPN接続方式" && NEEDS_ID.indexOf(select.value) >= 0);
  }
  radios.forEach(function (r) { r.addEventListener("change", update); });
  select.addEventListener("change", update);
  update();
})();
