/* Skjema pages, progressive enhancement: move focus to the error summary, and add and remove
   rows without a round trip (announced to screen readers). The recommendation page's live sum
   and warnings are in recommendations.js.
   Every task works without this file: the buttons and checkboxes it enhances post the form. */
(function () {
  "use strict";

  function announce(form, message) {
    var region = form.querySelector("[data-announcer]");
    if (!region) return;
    region.textContent = "";
    // A short delay makes screen readers notice the change even when the text repeats.
    window.setTimeout(function () { region.textContent = message; }, 100);
  }

  function legendOf(row) {
    var legend = row.querySelector("legend");
    return legend ? legend.textContent.trim() : "";
  }

  function enhanceRemove(row, form) {
    var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    var fields = row.querySelector("[data-row-fields]");
    if (!box || !fields) return;
    function sync(speak) {
      fields.hidden = box.checked;
      row.classList.toggle("row--removed", box.checked);
      if (speak) {
        announce(form, legendOf(row) + ": " + (box.checked
          ? "Rad fjernet. Den slettes når du lagrer. Fjern avkrysningen for å angre."
          : "Rad gjenopprettet."));
      }
    }
    box.addEventListener("change", function () { sync(true); });
    sync(false);
  }

  function enhanceFormset(container, form) {
    var prefix = container.getAttribute("data-formset");
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = form.querySelector("template[data-row-template]");
    var button = form.querySelector("[data-add-row]");
    container.querySelectorAll("[data-row]").forEach(function (row) { enhanceRemove(row, form); });
    if (!total || !template || !button) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__num__/g, String(index + 1));
      var row = holder.querySelector("[data-row]");
      if (!row) return;
      container.appendChild(row);
      total.value = String(index + 1);
      var empty = container.querySelector("[data-no-rows]");
      if (empty) empty.parentNode.removeChild(empty);
      enhanceRemove(row, form);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      announce(form, "Rad lagt til: " + legendOf(row) + ".");
    });
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
    document.querySelectorAll("form[data-section-form]").forEach(function (form) {
      form.querySelectorAll("[data-formset]").forEach(function (container) {
        enhanceFormset(container, form);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
