/* Session warning and kept form input (progressive enhancement; the pages work without it).
 *
 * 1. Before the session ends (30 minutes idle, 8 hours absolute: portal/accounts/sessions.py)
 *    a polite live region says so, with «Forbli innlogget» for the idle limit. The server is
 *    asked first, since another tab may have been active.
 * 2. What is typed into a form (POST forms in the main content, not passwords or files) is kept
 *    in this tab's sessionStorage. A form sent into an ended session (the login page) or with a
 *    stale CSRF token (the failure page) is filled in again when its page opens after login.
 *    On submit the form takes the current CSRF cookie, so a login in another tab (which
 *    rotates the token) does not make the form fail at all.
 */
(function () {
  "use strict";

  var KEEP = "bp-keep:";
  var PENDING = "bp-keep-pending";
  var INTERRUPTED = "bp-keep-interrupted:";
  var store;
  try {
    store = window.sessionStorage;
    store.setItem("bp-probe", "1");
    store.removeItem("bp-probe");
  } catch (e) {
    store = null;
  }

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }

  // ---- kept form input -------------------------------------------------------------------

  var SKIP = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };

  function keptForms() {
    var main = document.getElementById("hovedinnhold") || document.body;
    var forms = main.querySelectorAll("form");
    var kept = [];
    var index = 0;
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") continue;
      if (form.hasAttribute("data-no-keep")) continue;
      kept.push({ form: form, key: KEEP + window.location.pathname + "#" + index });
      index++;
    }
    return kept;
  }

  function fields(form) {
    var out = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || SKIP[el.type] || el.name === "csrfmiddlewaretoken") continue;
      out.push(el);
    }
    return out;
  }

  function snapshot(form) {
    var data = {};
    fields(form).forEach(function (el) {
      var values = data[el.name] || (data[el.name] = []);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) values.push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        for (var j = 0; j < el.options.length; j++) {
          if (el.options[j].selected) values.push(el.options[j].value);
        }
      } else {
        values.push(el.value);
      }
    });
    return data;
  }

  function restore(form, data) {
    var seen = {};
    fields(form).forEach(function (el) {
      var values = data[el.name];
      if (!values) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        for (var j = 0; j < el.options.length; j++) {
          el.options[j].selected = values.indexOf(el.options[j].value) !== -1;
        }
      } else {
        var n = seen[el.name] || 0;
        if (n < values.length) el.value = values[n];
        seen[el.name] = n + 1;
      }
    });
  }

  function save(item) {
    try {
      store.setItem(item.key, JSON.stringify(snapshot(item.form)));
    } catch (e) {
      /* storage full: the form works as before */
    }
  }

  function markInterrupted(key) {
    if (store.getItem(key)) store.setItem(INTERRUPTED + key, "1");
  }

  function keepForms() {
    if (!store) return;
    var items = keptForms();
    var interruptedPage = !!document.querySelector("[data-form-interrupted]");
    var pending = store.getItem(PENDING);
    if (pending) {
      store.removeItem(PENDING);
      if (interruptedPage) {
        markInterrupted(pending);
      } else if (!store.getItem(INTERRUPTED + pending)) {
        store.removeItem(pending); // sent and answered: the server has it now
      }
    }
    var restored = false;
    items.forEach(function (item) {
      var saved = store.getItem(item.key);
      if (saved && store.getItem(INTERRUPTED + item.key)) {
        try {
          restore(item.form, JSON.parse(saved));
          restored = true;
        } catch (e) {
          /* unreadable: ignore */
        }
        store.removeItem(INTERRUPTED + item.key);
      }
      var onChange = function () {
        save(item);
      };
      item.form.addEventListener("input", onChange);
      item.form.addEventListener("change", onChange);
      item.form.addEventListener("submit", function () {
        save(item);
        store.setItem(PENDING, item.key);
        var token = cookie("csrftoken");
        var inputs = item.form.querySelectorAll("input[name=csrfmiddlewaretoken]");
        for (var i = 0; token && i < inputs.length; i++) inputs[i].value = token;
      });
    });
    var keeper = document.getElementById("form-keeper");
    var message = document.querySelector(".form-keeper__message");
    if (restored && keeper && message) {
      message.textContent = keeper.getAttribute("data-text-restored");
    }
    return items;
  }

  // ---- the session warning ---------------------------------------------------------------

  function warnBeforeExpiry(items) {
    var root = document.getElementById("session-expiry");
    if (!root || !window.fetch) return;
    var message = root.querySelector(".session-expiry__message");
    var button = root.querySelector(".session-expiry__extend");
    var warn = parseInt(root.getAttribute("data-warn"), 10) || 120;
    var timer = null;

    function schedule(left) {
      if (timer) window.clearTimeout(timer);
      if (!left.logged_in) return expired();
      var soonest = Math.min(left.idle, left.absolute);
      if (soonest <= 0) return expired();
      if (soonest <= warn) {
        show(left.absolute <= left.idle ? "absolute" : "idle");
        timer = window.setTimeout(check, Math.max(1, Math.min(soonest, 15)) * 1000);
      } else {
        timer = window.setTimeout(check, (soonest - warn) * 1000);
      }
    }

    function show(kind) {
      var text = root.getAttribute(kind === "absolute" ? "data-text-absolute" : "data-text-idle");
      if (message.textContent !== text) message.textContent = text;
      button.hidden = kind === "absolute";
      root.classList.add("session-expiry--warning");
    }

    function expired() {
      if (timer) window.clearTimeout(timer);
      if (store) {
        items.forEach(function (item) {
          save(item);
          markInterrupted(item.key);
        });
      }
      message.textContent = root.getAttribute("data-text-expired");
      button.hidden = true;
      root.classList.add("session-expiry--warning");
    }

    function ask(url, options) {
      return window
        .fetch(url, options)
        .then(function (response) {
          return response.json();
        })
        .then(schedule, function () {
          timer = window.setTimeout(check, 15000); // offline for a moment: try again
        });
    }

    function check() {
      ask(root.getAttribute("data-status-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    }

    button.addEventListener("click", function () {
      ask(root.getAttribute("data-extend-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": cookie("csrftoken") },
      });
      button.hidden = true;
      root.classList.remove("session-expiry--warning");
      message.textContent = root.getAttribute("data-text-extended");
    });

    schedule({
      logged_in: true,
      idle: parseInt(root.getAttribute("data-idle"), 10),
      absolute: parseInt(root.getAttribute("data-absolute"), 10),
    });
  }

  function start() {
    warnBeforeExpiry(keepForms() || []);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
