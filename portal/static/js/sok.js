/* Search page, progressive enhancement only: municipality names suggested while typing (in
   the free-text field and the cooperation field) through the native <datalist>, so browsers
   and screen readers present them as they do any suggestion list. Without this file the form
   works the same; names and numbers are understood by the server either way. The sort select
   submits the form when it changes. */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest-url");
    if (!list || !url || !window.fetch) return;
    var withNumbers = input.hasAttribute("data-suggest-numbers");
    var timer = null;
    var latest = 0;

    function fill(results, before) {
      while (list.firstChild) list.removeChild(list.firstChild);
      results.forEach(function (municipality) {
        var option = document.createElement("option");
        // A suggestion replaces the whole field, so it keeps the words typed before the name.
        option.value = withNumbers
          ? municipality.number + " " + municipality.name
          : before + municipality.name;
        if (municipality.county) option.label = municipality.county.name;
        list.appendChild(option);
      });
    }

    function suggest() {
      var value = input.value.replace(/^\s+/, "");
      var text = value.trim();
      var before = "";
      if (!withNumbers) {
        // The last word of the free text is the one being typed.
        var start = value.search(/\S+\s*$/);
        before = start > 0 ? value.slice(0, start) : "";
        text = text.split(/\s+/).pop() || "";
      }
      if (text.length < 2 || /^\d+$/.test(text)) { fill([], before); return; }
      var request = ++latest;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) { if (request === latest) fill(body.results || [], before); })
        .catch(function () { /* suggestions are a convenience: stay silent */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-municipality-suggest]").forEach(enhance);

  // Sorting applies as soon as another order is chosen (the «Sorter» button does the same
  // without JavaScript).
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      if (!form) return;
      var page = form.querySelector("input[name=page]");
      if (page) page.remove();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
})();
