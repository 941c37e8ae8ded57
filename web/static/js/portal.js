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

    // 「印刷する」 buttons are hidden until they can work.
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
