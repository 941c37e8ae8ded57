/*
 * 【郵便番号から住所検索】 — progressive enhancement for any form.
 *
 *   <button type="submit" name="postal_lookup" value="1" data-postal-lookup
 *     data-postal-code="#zip1,#zip2" data-prefecture="#pref" data-address="#addr">【郵便番号から住所検索】</button>
 *
 * Without JavaScript the button submits the form and the server fills the fields
 * (internal/web/postal_fill.go). With it, the button asks GET /postal/lookup?code=… and:
 *   - one address: selects the 都道府県 (option value "13", "01" or the name all work; an
 *     <input> gets the name), writes 市区町村 + 町域 into the address field and moves the
 *     focus there, ready for the 番地;
 *   - several: lists them as buttons under the heading 「該当する住所が複数あります。選んでください。」;
 *     choosing one fills the fields the same way;
 *   - none, or a bad code: says so.
 * Every outcome is announced in the live region: data-postal-status="#id", else the
 * [data-postal-status] (or [role=status][aria-live]) element of the button's fieldset or
 * form row, else one made after the button. If the lookup cannot be reached, the form is submitted the old way.
 */
(function () {
  "use strict";

  function one(sel) {
    if (!sel) return null;
    try { return document.querySelector(sel.trim()); } catch (e) { return null; }
  }

  function container(btn) {
    return btn.closest("fieldset, .form-row, td, form") || btn.parentNode;
  }

  function statusOf(btn) {
    var box = container(btn);
    var el = one(btn.getAttribute("data-postal-status")) || box.querySelector("[data-postal-status]") ||
      box.querySelector("[role=status][aria-live]");
    if (!el) {
      el = document.createElement("p");
      el.className = "postal-status";
      el.setAttribute("data-postal-status", "");
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      btn.insertAdjacentElement("afterend", el);
    }
    return el;
  }

  function say(btn, text, isError) {
    var el = statusOf(btn);
    el.classList.toggle("postal-status--error", !!isError);
    // Clear first so the same message said twice is announced twice.
    el.textContent = "";
    window.setTimeout(function () { el.textContent = text; }, 50);
  }

  function codeFields(btn) {
    return (btn.getAttribute("data-postal-code") || "").split(",").map(one).filter(Boolean);
  }

  // A code marked wrong is described by the message that says why (the live region), as
  // the server's field errors are; a right one drops both.
  function markInvalid(btn, invalid) {
    var status = statusOf(btn);
    if (!status.id) status.id = "postal-status-" + Math.random().toString(36).slice(2);
    codeFields(btn).forEach(function (f) {
      var ids = (f.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) { return id && id !== status.id; });
      if (invalid) {
        f.setAttribute("aria-invalid", "true");
        ids.push(status.id);
      } else {
        f.removeAttribute("aria-invalid");
      }
      if (ids.length) f.setAttribute("aria-describedby", ids.join(" ")); else f.removeAttribute("aria-describedby");
    });
  }

  function removeChoices(btn) {
    container(btn).querySelectorAll(".postal-choices").forEach(function (el) { el.remove(); });
  }

  function changed(el) {
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fill(btn, a) {
    var pref = one(btn.getAttribute("data-prefecture"));
    if (pref && pref.tagName === "SELECT") {
      var code = String(a.prefecture_code), padded = code.length < 2 ? "0" + code : code;
      for (var i = 0; i < pref.options.length; i++) {
        var o = pref.options[i];
        if (o.value === code || o.value === padded || o.value === a.prefecture || o.text.trim() === a.prefecture) {
          pref.value = o.value;
          changed(pref);
          break;
        }
      }
    } else if (pref) {
      pref.value = a.prefecture;
      changed(pref);
    }
    var addr = one(btn.getAttribute("data-address"));
    var line = a.city + a.town;
    if (addr) {
      addr.value = line;
      changed(addr);
      addr.focus();
      try { addr.setSelectionRange(line.length, line.length); } catch (e) { /* not a text input */ }
    }
    removeChoices(btn);
    markInvalid(btn, false);
    say(btn, "住所を入力しました（" + a.prefecture + line + "）。番地などの続きを入力してください。");
  }

  function offer(btn, list) {
    removeChoices(btn);
    var box = document.createElement("div");
    box.className = "postal-choices";
    box.setAttribute("role", "group");
    var id = "postal-choices-" + Math.random().toString(36).slice(2);
    var title = document.createElement("p");
    title.className = "postal-choices__legend";
    title.id = id;
    title.tabIndex = -1;
    title.textContent = "該当する住所が複数あります。選んでください。";
    box.setAttribute("aria-labelledby", id);
    var ul = document.createElement("ul");
    ul.className = "postal-choices__list";
    list.forEach(function (a) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "postal-choice";
      b.textContent = a.prefecture + a.city + a.town;
      b.addEventListener("click", function () { fill(btn, a); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(ul);
    statusOf(btn).insertAdjacentElement("afterend", box);
    say(btn, "該当する住所が" + list.length + "件あります。");
    title.focus();
  }

  function lookup(btn) {
    var code = codeFields(btn).map(function (f) { return f.value; }).join("");
    btn.setAttribute("aria-busy", "true");
    btn.disabled = true;
    fetch("/postal/lookup?code=" + encodeURIComponent(code), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        if (res.status !== 200 && res.status !== 422) throw new Error("status " + res.status);
        return res.json().then(function (body) { return { status: res.status, body: body }; });
      })
      .then(function (r) {
        var list = r.body.candidates || [];
        if (r.status === 422) {
          removeChoices(btn);
          markInvalid(btn, true);
          say(btn, r.body.message, true);
          var first = codeFields(btn)[0];
          if (first) first.focus();
        } else if (list.length === 0) {
          removeChoices(btn);
          markInvalid(btn, false);
          say(btn, r.body.message || "該当する住所が見つかりませんでした。", true);
        } else if (list.length === 1) {
          fill(btn, list[0]);
        } else {
          markInvalid(btn, false);
          offer(btn, list);
        }
      })
      .catch(function () {
        // Let the server do it, as without JavaScript.
        btn.removeAttribute("data-postal-lookup");
        btn.disabled = false;
        if (btn.form) btn.form.requestSubmit(btn);
      })
      .finally(function () {
        btn.disabled = false;
        btn.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-postal-lookup]");
    if (!btn) return;
    ev.preventDefault();
    lookup(btn);
  });
})();
