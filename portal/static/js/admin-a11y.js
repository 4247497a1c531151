// Wagtail's admin, for every page: the rich-text editor (Draftail) draws a contenteditable
// textbox without a name; give it its field's label (WCAG 4.1.2). The skip link moves focus. Empty headings Wagtail draws
// in report tables for untitled objects are taken out of the heading outline.
(function () {
  "use strict";
  var counter = 0;
  function labelEditors(root) {
    var editors = root.querySelectorAll(".public-DraftEditor-content:not([aria-labelledby]):not([aria-label])");
    for (var i = 0; i < editors.length; i++) {
      // The label sits beside the field in the wrapper (or the panel's heading): the nearest
      // ancestor that holds one.
      var label = null;
      for (var node = editors[i].parentElement; node && !label; node = node.parentElement) {
        label = node.querySelector("label.w-field__label, .w-field__label, label, .w-panel__heading");
      }
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
  // Wagtail's "also editing" avatars are buttons with only an image without text.
  function nameButtons(root) {
    var buttons = root.querySelectorAll(".w-editing-sessions__session:not([aria-label])");
    for (var i = 0; i < buttons.length; i++) {
      if (!buttons[i].textContent.trim()) {
        // The admin is bokmål for everyone (portal.accounts.language).
        var text = buttons[i].getAttribute("data-w-tooltip-content-value") || "En annen bruker har siden åpen";
        buttons[i].setAttribute("aria-label", text);
      }
    }
  }
  // The workflow list draws <ul><a><li>: take the list semantics off, and give the task names
  // the heading level that follows the one before them.
  function fixWorkflowTasks(root) {
    var lists = root.querySelectorAll("ul.workflow-tasks:not([role])");
    for (var i = 0; i < lists.length; i++) {
      lists[i].setAttribute("role", "none");
      var items = lists[i].querySelectorAll("li");
      for (var j = 0; j < items.length; j++) items[j].setAttribute("role", "none");
    }
    var names = root.querySelectorAll("h4.workflow-tasks__name:not([aria-level])");
    for (var k = 0; k < names.length; k++) {
      var level = 1;
      var all = document.querySelectorAll("h1, h2, h3, h4, h5, h6");
      for (var m = 0; m < all.length && all[m] !== names[k]; m++) {
        if (all[m].offsetParent === null) continue;  // hidden headings do not count
        level = Number(all[m].getAttribute("aria-level") || all[m].tagName.slice(1));
      }
      names[k].setAttribute("role", "heading");
      names[k].setAttribute("aria-level", String(Math.min(level + 1, 6)));
    }
  }
  function start() {
    labelEditors(document);
    nameButtons(document);
    fixWorkflowTasks(document);
    new MutationObserver(function () {
      labelEditors(document);
      nameButtons(document);
      fixWorkflowTasks(document);
    })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
