// The round list: «Velg alle viste» checks every row that can be chosen. Without JavaScript the
// same box still works: the server then takes every municipality shown.
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var form = all.form;
    var name = all.getAttribute("data-select-all");
    function boxes() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name === name && el.type === "checkbox" && !el.disabled;
      });
    }
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    form.addEventListener("change", function (event) {
      if (event.target.name !== name) { return; }
      var list = boxes();
      var checked = list.filter(function (box) { return box.checked; }).length;
      all.checked = checked === list.length && list.length > 0;
      all.indeterminate = checked > 0 && checked < list.length;
    });
  });
})();
