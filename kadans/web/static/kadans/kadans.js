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

    // Changing the type fills only what is still empty: never overwrite what the user typed.
    var defaults = JSON.parse((document.getElementById("type-defaults") || {}).textContent || "{}");
    var typeSelect = form.querySelector("select[name=type]");
    if (typeSelect) {
      typeSelect.addEventListener("change", function () {
        var d = defaults[typeSelect.value];
        if (!d) return;
        var summary = form.querySelector("[name=summary]"), note = form.querySelector("[name=note]");
        var rep = form.querySelector("select[name=representative]");
        if (summary && !summary.value) summary.value = d.summary;
        if (note && !note.value) note.value = d.note;
        if (rep && !rep.value && d.user) rep.value = d.user;
        var startTime = form.querySelector("[name=start_time]");
        if (allDay && startTime && !startTime.value && !allDay.dataset.touched) {
          allDay.checked = d.all_day;
          form.classList.toggle("is-all-day", allDay.checked);
        }
      });
    }
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
        htmx.ajax("GET", results.dataset.fieldsUrl + "?relation=" + button.dataset.relationId,
          { target: "#relation-fields", swap: "outerHTML" });
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
