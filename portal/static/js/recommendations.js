/* The county's recommendation page, progressive enhancement: the sum and the warnings follow
   what the officer types (above the stated capacity, a sum that differs from the county's
   share, a negative, too large or not whole number). Nothing here blocks a save: the server
   refuses the numbers it cannot store, with the same words. Without this file the page shows
   the saved sum and the saved numbers' warnings. All words come from the page (data-msg-*). */
(function () {
  "use strict";

  function formatNumber(n) {
    var digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
    return (n < 0 ? "-" : "") + digits;
  }

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function read(input, max) {
    var raw = input.value.trim();
    if (raw === "") return { kind: "empty" };
    if (!/^[-+]?\d+$/.test(raw)) return { kind: "not-integer" };
    var value = parseInt(raw, 10);
    if (value < 0) return { kind: "negative", value: value };
    if (value > max) return { kind: "too-large", value: value };
    return { kind: "ok", value: value };
  }

  function show(element, text) {
    if (!element) return;
    element.textContent = text;
    element.hidden = !text;
  }

  function enhance(container) {
    var output = container.querySelector("[data-sum-output]");
    if (!output) return;
    var msg = function (key) { return output.getAttribute("data-msg-" + key) || ""; };
    var total = output.querySelector("[data-sum-total]");
    var saved = output.querySelector("[data-sum-saved]");
    var sumWarning = output.querySelector("[data-sum-warning]");
    var invalidNote = output.querySelector("[data-sum-invalid]");
    var speaker = container.querySelector("[data-sum-announcer]");
    var shareText = output.getAttribute("data-share");
    var share = shareText === null ? null : parseInt(shareText, 10);
    var max = parseInt(msg("max"), 10) || Infinity;
    var savedTotal = parseInt((total.textContent || "").replace(/\D/g, ""), 10) || 0;
    var rows = Array.prototype.slice.call(container.querySelectorAll("[data-recommendation-row]"));
    var timer = null;

    function rowWarning(row, state) {
      if (state.kind === "negative" || state.kind === "too-large" || state.kind === "not-integer") {
        return msg(state.kind);
      }
      var capacity = row.getAttribute("data-capacity");
      if (state.kind === "ok" && capacity !== null && state.value > parseInt(capacity, 10)) {
        return fill(msg("over"), { capacity: formatNumber(parseInt(capacity, 10)) });
      }
      return "";
    }

    function update(changed) {
      var sum = 0;
      var invalid = 0;
      var changedWarning = "";
      rows.forEach(function (row) {
        var input = row.querySelector("input[data-sum]");
        if (!input) return;
        var removed = row.querySelector('input[name$="-DELETE"]:checked');
        var state = removed ? { kind: "empty" } : read(input, max);
        if (state.value !== undefined) sum += state.value;
        if (state.kind !== "ok" && state.kind !== "empty") invalid += 1;
        var warning = removed ? "" : rowWarning(row, state);
        show(row.querySelector("[data-row-warning]"), warning);
        if (input === changed) changedWarning = warning;
      });
      total.textContent = formatNumber(sum);
      if (saved) saved.hidden = !(sum === savedTotal && invalid === 0);
      var sumText = "";
      if (share !== null && !isNaN(share) && sum !== share) {
        sumText = fill(msg(sum > share ? "sum-over" : "sum-under"), {
          diff: formatNumber(Math.abs(sum - share)),
          share: formatNumber(share)
        });
      }
      show(sumWarning, sumText);
      show(invalidNote, invalid ? msg("invalid-sum") : "");
      if (changed && speaker) {
        var parts = [fill(msg("announce"), { total: formatNumber(sum) }), changedWarning, sumText];
        var message = parts.filter(Boolean).join(" ");
        window.clearTimeout(timer);
        // After a pause in typing, so a screen reader reads the result once, not every key.
        timer = window.setTimeout(function () {
          speaker.textContent = "";
          window.setTimeout(function () { speaker.textContent = message; }, 100);
        }, 700);
      }
    }

    rows.forEach(function (row) {
      var input = row.querySelector("input[data-sum]");
      if (input) input.addEventListener("input", function () { update(input); });
      var box = row.querySelector('input[name$="-DELETE"]');
      if (box) box.addEventListener("change", function () { update(input); });
    });
    update(null);
  }

  function init() {
    document.querySelectorAll("[data-recommendations]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
