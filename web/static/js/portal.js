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

    // 「印刷する」 buttons are hidden until they can work.
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
