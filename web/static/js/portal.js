// Site-wide progressive enhancement. Every page works without this file; it only adds
// conveniences. Page-specific behaviour lives in its own file under /static/js/.
"use strict";

(function () {
  var root = document.documentElement;
  root.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // Mobile menu: collapsed behind a button on narrow screens (the CSS shows the button
    // only there). Without JavaScript the menu stays open.
    var nav = document.querySelector(".site-nav");
    var toggle = nav && nav.querySelector(".site-nav__toggle");
    if (nav && toggle) {
      var setOpen = function (open) {
        nav.classList.toggle("is-open", open);
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      };
      toggle.addEventListener("click", function () {
        setOpen(!nav.classList.contains("is-open"));
      });
      nav.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && nav.classList.contains("is-open")) {
          setOpen(false);
          toggle.focus();
        }
      });
      // The skip link 「メニューにジャンプ」 opens the menu it jumps to.
      document.querySelectorAll('a[href="#menu"]').forEach(function (a) {
        a.addEventListener("click", function () { setOpen(true); });
      });
    }

    // A table wider than the screen scrolls inside .table-wrap: that scroller becomes a
    // Tab stop (then the arrow keys scroll it) named after the table's caption, and stops
    // being one when the table fits again.
    var wraps = document.querySelectorAll(".table-wrap");
    var scrollers = function () {
      wraps.forEach(function (w) {
        var scrolls = w.scrollWidth > w.clientWidth + 1;
        if (scrolls && !w.hasAttribute("tabindex")) {
          var caption = w.querySelector("caption");
          w.setAttribute("tabindex", "0");
          w.setAttribute("role", "region");
          w.setAttribute("aria-label", caption ? caption.textContent.trim() : "表");
        } else if (!scrolls && w.getAttribute("role") === "region") {
          w.removeAttribute("tabindex");
          w.removeAttribute("role");
          w.removeAttribute("aria-label");
        }
      });
    };
    if (wraps.length) {
      scrollers();
      window.addEventListener("resize", scrollers);
    }

    // A second click on a confirm button while the first submit is on its way does nothing
    // (the server's single-use token would refuse it anyway).
    document.querySelectorAll("button[data-once]").forEach(function (b) {
      if (!b.form) return;
      b.form.addEventListener("submit", function () {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });

    // 「印刷する」 buttons are hidden until they can work.
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();

// 和暦 beside a 西暦 年/月 pair (partial "ym"), updated as it is typed. The server writes the
// same text when it renders the page, so this only keeps it current.
(function () {
  "use strict";
  // [era, first year, first month whose 1st day is in the era, the era's first year].
  var eras = [["令和", 2019, 5, 2019], ["平成", 1989, 2, 1989], ["昭和", 1927, 1, 1926]];
  function wareki(y, m) {
    for (var i = 0; i < eras.length; i++) {
      var e = eras[i];
      if (y > e[1] || (y === e[1] && m >= e[2])) {
        var n = y - e[3] + 1;
        return "（" + e[0] + (n === 1 ? "元" : n) + "年" + m + "月）";
      }
    }
    return "";
  }
  function num(s) {
    s = (s || "").replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); }).trim();
    return /^[0-9]+$/.test(s) ? parseInt(s, 10) : NaN;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-wareki-pair]").forEach(function (pair) {
      var y = pair.querySelector("[data-wareki-year]"), m = pair.querySelector("[data-wareki-month]");
      var out = pair.querySelector("[data-wareki]");
      if (!y || !m || !out) return;
      var update = function () {
        var yy = num(y.value), mm = num(m.value);
        out.textContent = (yy >= 1900 && yy <= 2200 && mm >= 1 && mm <= 12) ? wareki(yy, mm) : "";
      };
      y.addEventListener("input", update);
      m.addEventListener("input", update);
    });
    // A date typed in a date field gets its 和暦 beside it: 2027-04-01 shows （令和9年4月1日）.
    document.querySelectorAll('input[type="date"]').forEach(function (input) {
      var out = document.createElement("span");
      out.className = "wareki-hint";
      input.insertAdjacentElement("afterend", out);
      var update = function () {
        var p = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(input.value);
        var w = p ? wareki(+p[1], +p[2]) : "";
        out.textContent = w ? w.replace("月）", "月" + (+p[3]) + "日）") : "";
      };
      input.addEventListener("input", update);
      input.addEventListener("change", update);
      update();
    });
  });
})();
