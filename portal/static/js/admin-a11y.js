// Wagtail's admin, for every page: the rich-text editor (Draftail) draws a contenteditable
// textbox without a name; give it its field's label (WCAG 4.1.2). The skip link moves focus. Empty headings Wagtail draws
// in report tables for untitled objects are taken out of the heading outline.
(function () {
  "use strict";
  var counter = 0;
  function labelEditors(root) {
    var editors = root.querySelectorAll(".public-DraftEditor-content:not([aria-labelledby]):not([aria-label])");
    for (var i = 0; i < editors.length; i++) {
      var field = editors[i].closest("[data-field-wrapper], .w-field, .w-panel, [data-contentpath]");
      var label = field && field.querySelector("label, .w-field__label, legend, h2");
      if (!label) continue;
      if (!label.id) label.id = "draftail-label-" + (++counter);
      editors[i].setAttribute("aria-labelledby", label.id);
    }
    var headings = root.querySelectorAll("td h2:empty, td h3:empty");
    for (var j = 0; j < headings.length; j++) {
      headings[j].setAttribute("role", "presentation");
      headings[j].setAttribute("aria-hidden", "true");
    }
  }
  // Wagtail's skip link: make sure focus lands in the main content (its own handler leaves
  // focus on the link in Chromium).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skiplink");
    if (!link) return;
    var target = document.querySelector(link.getAttribute("href"));
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    window.setTimeout(function () { target.focus(); }, 0);
  }, true);
  function start() {
    labelEditors(document);
    new MutationObserver(function () { labelEditors(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
