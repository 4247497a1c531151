// Site-wide progressive enhancement (every page loads it).
// A table too wide for the screen scrolls inside its .table-wrap; that box must then be
// reachable and scrollable by keyboard (WCAG 2.1.1), and named for screen readers.
(function () {
  "use strict";
  function label(wrap) {
    var caption = wrap.querySelector("caption");
    return (caption && caption.textContent.trim()) || wrap.getAttribute("data-label") || "";
  }
  function update() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
        var name = label(wrap);
        // A named region, unless the section around it already has that name (landmarks
        // must be told apart).
        var section = wrap.parentElement.closest("[aria-labelledby]");
        var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
        var same = heading && heading.textContent.trim() === name;
        if (name && !same && !wrap.hasAttribute("role")) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", name);
        }
        wrap.classList.add("table-wrap--scrolls");
      } else if (wrap.classList.contains("table-wrap--scrolls")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        wrap.classList.remove("table-wrap--scrolls");
      }
    }
  }
  // The skip link moves focus itself: some pages' scripts (Swagger UI's router on the API
  // docs) swallow the jump to the fragment.
  function skip(event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView();
  }
  document.addEventListener("click", skip, true);
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
