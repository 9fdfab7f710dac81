// Filters toggle the scenarios' hidden attribute; nothing is fetched or built.
(function () {
  "use strict";
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.sc"));
  var f = {
    outcome: document.getElementById("f-outcome"),
    api: document.getElementById("f-api"),
    rule: document.getElementById("f-rule"),
    compliance: document.getElementById("f-compliance"),
    text: document.getElementById("f-text")
  };
  var shown = document.getElementById("shown");
  // The text filter reads each scenario's head once, not on every keystroke.
  var heads = sections.map(function (s) {
    var h = s.querySelector(".head");
    return ((h ? h.textContent : "") + " " + s.id).toLowerCase();
  });

  function has(list, v) { return (" " + list + " ").indexOf(" " + v + " ") >= 0; }

  function matches(s, i, text) {
    var d = s.dataset;
    return (!f.outcome.value || d.outcome === f.outcome.value) &&
      (!f.api.value || d.api === f.api.value) &&
      (!f.rule.value || has(d.rules, f.rule.value)) &&
      (!f.compliance.value || has(d.compliance, f.compliance.value)) &&
      (!text || heads[i].indexOf(text) >= 0);
  }

  function apply() {
    var text = f.text.value.trim().toLowerCase(), n = 0;
    sections.forEach(function (s, i) {
      var on = matches(s, i, text);
      s.hidden = !on;
      if (on) { n++; }
    });
    shown.textContent = String(n);
  }

  function reset() {
    f.outcome.value = f.api.value = f.rule.value = f.compliance.value = f.text.value = "";
    apply();
  }

  Object.keys(f).forEach(function (k) { f[k].addEventListener(k === "text" ? "input" : "change", apply); });
  document.getElementById("f-reset").addEventListener("click", reset);

  // A link to a scenario the filters hide shows everything again.
  window.addEventListener("hashchange", function () {
    var t = document.getElementById(location.hash.slice(1));
    if (t && t.hidden) { reset(); t.scrollIntoView(); }
  });

  // "print" on a scenario prints that scenario alone.
  document.addEventListener("click", function (e) {
    if (!e.target.classList || !e.target.classList.contains("pr")) { return; }
    var s = e.target.closest("section.sc");
    document.body.classList.add("solo");
    s.classList.add("only");
    window.print();
  });

  // Printing opens every exchange, and closes again those that were closed.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    document.body.classList.remove("solo");
    var only = document.querySelector("section.sc.only");
    if (only) { only.classList.remove("only"); }
  });

  apply();
  // The browser test waits for this marker: the page is usable.
  document.documentElement.setAttribute("data-ready", String(Math.round(performance.now())));
})();
