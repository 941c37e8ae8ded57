"use strict";
// 顔認証付きカードリーダー申込: show the 年/月 of an answer only when 未導入（導入予定あり） is
// chosen, and the delivery fields only when 変更する is checked. Without JavaScript every
// field shows and the server ignores the ones that do not apply.
(function () {
  document.documentElement.classList.add("js");
  var PLANNED = "未導入（導入予定あり）";
  document.querySelectorAll("fieldset[data-planned-toggle]").forEach(function (group) {
    var target = document.getElementById(group.getAttribute("data-planned-toggle"));
    if (!target) return;
    function update() {
      var checked = group.querySelector("input[type=radio]:checked");
      target.hidden = !(checked && checked.value === PLANNED);
    }
    group.addEventListener("change", update);
    update();
  });
  var change = document.getElementById("delivery_change");
  var fields = document.getElementById("delivery-fields");
  if (change && fields) {
    var sync = function () { fields.hidden = !change.checked; };
    change.addEventListener("change", sync);
    sync();
  }
})();
