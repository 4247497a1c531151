/* Progressive enhancement of the municipality map: zoom to a county, and show the region under
   the pointer or keyboard focus (with its table row). Without this the map is complete. */
(function () {
  "use strict";

  function enhance(figure) {
    var svg = figure.querySelector(".geo-map__svg");
    var info = figure.querySelector("[data-geo-map-info]");
    var table = figure.querySelector("[data-geo-map-table]");
    if (!svg) return;

    function rowFor(number) {
      return table ? table.querySelector('tr[data-number="' + number + '"]') : null;
    }
    function show(region, on) {
      var row = rowFor(region.getAttribute("data-number"));
      region.classList.toggle("is-active", on);
      if (row) row.classList.toggle("is-active", on);
      if (info) info.textContent = on ? region.getAttribute("aria-label") : "";
    }
    svg.querySelectorAll(".geo-map__region").forEach(function (region) {
      region.addEventListener("mouseenter", function () { show(region, true); });
      region.addEventListener("mouseleave", function () { show(region, false); });
      region.addEventListener("focus", function () { show(region, true); });
      region.addEventListener("blur", function () { show(region, false); });
    });

    if (!figure.hasAttribute("data-zoomable")) return;
    var controls = figure.querySelector("[data-geo-map-controls]");
    var counties = svg.querySelectorAll(".geo-map__county");
    if (!controls || !counties.length) return;
    var id = figure.id + "-zoom";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Vis fylke";
    var select = document.createElement("select");
    select.id = id;
    var all = document.createElement("option");
    all.value = svg.getAttribute("data-full-view");
    all.textContent = "Hele landet";
    select.appendChild(all);
    counties.forEach(function (county) {
      var option = document.createElement("option");
      option.value = county.getAttribute("data-view");
      option.textContent = county.getAttribute("data-name");
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      svg.setAttribute("viewBox", select.value);
    });
    controls.appendChild(label);
    controls.appendChild(select);
  }

  function init() {
    document.querySelectorAll("[data-geo-map]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
