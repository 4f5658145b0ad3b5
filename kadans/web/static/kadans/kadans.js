// Kadans: the little JavaScript the action form needs. Everything works without it too, except the
// search-as-you-type relation picker and the live cost totals.
(function () {
  "use strict";

  function money(value) {
    return (Math.round(value * 100) / 100).toLocaleString(document.documentElement.lang || "nl",
      { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function number(input) {
    if (!input) return 0;
    var v = parseFloat(String(input.value).replace(",", "."));
    return isNaN(v) ? 0 : v;
  }

  function setupActivityForm(form) {
    var prices = JSON.parse((document.getElementById("product-prices") || {}).textContent || "{}");
    var allDay = form.querySelector("input[name=all_day]");
    if (allDay) {
      allDay.addEventListener("change", function () {
        form.classList.toggle("is-all-day", allDay.checked);
      });
    }

    // The defaults of a new action come from the server (activities:defaults), which follows the one
    // documented rule: the type's default user, else the relation's representative, else you. They fill
    // only what the user has not chosen: a field the user changed, or text they typed, stays.
    var typeSelect = form.querySelector("select[name=type]");
    var filled = {};
    function touched(field) { return field && field.dataset.touched === "1"; }
    function fill(name, value) {
      var field = form.querySelector("[name=" + name + "]");
      if (!field || touched(field)) return;
      if ((name === "summary" || name === "note") && field.value && field.value !== filled[name]) return;
      field.value = value == null ? "" : value;
      filled[name] = field.value;
    }
    form.addEventListener("change", function (event) {
      // setting .value from this script fires no change event: only the user marks the field as chosen
      if (event.target.name === "representative") event.target.dataset.touched = "1";
    });
    function applyDefaults() {
      if (!form.dataset.defaultsUrl) return;
      var relation = form.querySelector("input[name=relation]");
      var query = "?type=" + encodeURIComponent(typeSelect ? typeSelect.value : "") +
        "&relation=" + encodeURIComponent(relation ? relation.value : "");
      fetch(form.dataset.defaultsUrl + query, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (d) {
          if (!d) return;
          if (!form.dataset.existing) fill("representative", d.representative); // an action keeps its own
          fill("summary", d.summary);
          fill("note", d.note);
          var startTime = form.querySelector("[name=start_time]");
          if (allDay && startTime && !startTime.value && !touched(allDay)) {
            allDay.checked = d.all_day;
            form.classList.toggle("is-all-day", allDay.checked);
          }
        });
    }
    if (typeSelect) typeSelect.addEventListener("change", applyDefaults);
    if (allDay) allDay.addEventListener("click", function () { allDay.dataset.touched = "1"; });

    var repeat = form.querySelector("select[name=repeat]"), repeatFields = document.getElementById("repeat-fields");
    if (repeat && repeatFields) {
      repeat.addEventListener("change", function () {
        repeatFields.classList.toggle("repeat-off", !repeat.value);
      });
    }

    var body = document.getElementById("cost-lines");
    var totalCell = document.getElementById("cost-total");
    function recompute() {
      var total = 0;
      body.querySelectorAll("tr.cost-line").forEach(function (row) {
        var del = row.querySelector("input[name$='-DELETE']");
        if (del && del.value && del.value !== "False" && del.value !== "") { row.hidden = true; return; }
        var line = number(row.querySelector("input[name$='-quantity']")) * number(row.querySelector("input[name$='-unit_price']"));
        row.querySelector(".line-total").textContent = money(line);
        total += line;
      });
      totalCell.textContent = money(total);
    }
    body.addEventListener("input", recompute);
    body.addEventListener("change", function (event) {
      var select = event.target;
      if (select.name && /-product$/.test(select.name)) {
        var price = select.closest("tr").querySelector("input[name$='-unit_price']");
        if (select.value && prices[select.value] !== undefined && (!price.value || price.dataset.auto === "1")) {
          price.value = prices[select.value];
          price.dataset.auto = "1";
        }
      }
      if (select.name && /-unit_price$/.test(select.name)) select.dataset.auto = "";
      recompute();
    });
    body.addEventListener("click", function (event) {
      if (!event.target.classList.contains("remove-line")) return;
      var row = event.target.closest("tr");
      var del = row.querySelector("input[name$='-DELETE']");
      del.value = "on";
      row.hidden = true;
      recompute();
    });
    document.getElementById("add-cost-line").addEventListener("click", function () {
      var totalForms = form.querySelector("input[name='costs-TOTAL_FORMS']");
      var index = parseInt(totalForms.value, 10);
      var html = document.getElementById("cost-line-template").innerHTML.replace(/__prefix__/g, index);
      body.insertAdjacentHTML("beforeend", html);
      totalForms.value = index + 1;
      var first = body.lastElementChild.querySelector("input, select");
      if (first) first.focus();
      recompute();
    });
    recompute();

    var results = document.getElementById("relation-results");
    if (results) {
      results.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-relation-id]");
        if (!button) return;
        form.querySelector("input[name=relation]").value = button.dataset.relationId;
        document.getElementById("relation-search").value = button.dataset.relationName;
        results.innerHTML = "";
        var rep = form.querySelector("select[name=representative]");
        var query = "?relation=" + button.dataset.relationId +
          "&type=" + encodeURIComponent(typeSelect ? typeSelect.value : "") +
          (touched(rep) ? "&representative=" + encodeURIComponent(rep.value) : "");
        htmx.ajax("GET", results.dataset.fieldsUrl + query, { target: "#relation-fields", swap: "outerHTML" })
          .then(function () {
            // the representative's select is new; the user's own choice (sent along) stays theirs
            var fresh = form.querySelector("select[name=representative]");
            if (fresh && touched(rep)) fresh.dataset.touched = "1";
          });
      });
    }
  }

  // Small behaviours of several pages, as data attributes rather than inline handlers (which the
  // Content-Security-Policy forbids). Delegated from the document, so content swapped in by htmx has them too.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.matches("[data-select-on-click]")) target.select();
    if (target.matches("[data-check-all]")) {
      document.querySelectorAll(target.dataset.checkAll).forEach(function (box) { box.checked = target.checked; });
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches("[data-submit-on-change]")) return;
    var other = select.dataset.clears && select.form.elements[select.dataset.clears];
    if (other) other.value = "";
    select.form.submit();
  });
  // A search box sends what is typed under the name in data-search-param (the relation pickers ask
  // relations:search for "q"), without htmx's "js:" values, which need eval.
  document.addEventListener("htmx:configRequest", function (event) {
    var param = event.detail.elt.dataset && event.detail.elt.dataset.searchParam;
    if (param) event.detail.parameters[param] = event.detail.elt.value;
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("activity-form");
    if (form) setupActivityForm(form);
  });
})();
