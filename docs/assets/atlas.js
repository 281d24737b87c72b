/* TF-GBV Law Atlas: small progressive enhancements, no dependencies.
 * - Coverage matrix: filter by region, offence and status; sort by any column.
 * - Compare: 2-4 jurisdictions side by side from the published JSON; selection in the URL.
 * Data is only ever inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  var STATUS_ORDER = { explicit: 0, general: 1, partial: 2, none: 3, unknown: 4 };
  var STATUS_LABELS = { explicit: "Explicit", general: "General offence", partial: "Partial", none: "No law", unknown: "Not yet researched" };
  var STATUS_ICONS = { explicit: "\u2714", general: "\u25C6", partial: "\u25D0", none: "\u2718", unknown: "?" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function select(name, label, options) {
    var wrap = el("label", { "class": "atlas-control" });
    wrap.appendChild(document.createTextNode(label + " "));
    var sel = el("select", { name: name });
    options.forEach(function (o) { sel.appendChild(el("option", { value: o[0] }, o[1])); });
    wrap.appendChild(sel);
    return wrap;
  }

  function initMatrix(wrap) {
    var table = wrap.querySelector("table");
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var regions = [];
    rows.forEach(function (r) { var g = r.getAttribute("data-region"); if (regions.indexOf(g) < 0) regions.push(g); });
    regions.sort();
    var offences = heads.filter(function (h) { return h.hasAttribute("data-offence"); })
      .map(function (h) { return [h.getAttribute("data-offence"), h.textContent.trim()]; });

    var form = el("form", { "class": "atlas-filters", role: "search", "aria-label": "Filter the matrix" });
    form.appendChild(select("region", "Region", [["", "All regions"]].concat(regions.map(function (r) { return [r, r]; }))));
    form.appendChild(select("offence", "Column", [["", "All columns"]].concat(offences)));
    form.appendChild(select("status", "Status", [["", "Any status"]].concat(Object.keys(STATUS_LABELS).map(function (s) { return [s, STATUS_LABELS[s]]; }))));
    var search = el("label", { "class": "atlas-control" });
    search.appendChild(document.createTextNode("Name "));
    search.appendChild(el("input", { type: "search", name: "q", placeholder: "e.g. Mexico" }));
    form.appendChild(search);
    var count = el("p", { "class": "atlas-count", role: "status", "aria-live": "polite" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    wrap.insertBefore(count, table);
    wrap.insertBefore(form, count);

    function apply() {
      var region = form.region.value, offence = form.offence.value, status = form.status.value;
      var q = form.q.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = !region || row.getAttribute("data-region") === region;
        if (ok && q) ok = row.cells[0].textContent.toLowerCase().indexOf(q) >= 0;
        if (ok && status) {
          var cells = row.querySelectorAll("td[data-status]");
          ok = Array.prototype.some.call(cells, function (c) {
            return c.getAttribute("data-status") === status && (!offence || c.getAttribute("data-offence") === offence);
          });
        }
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      table.querySelectorAll("[data-offence]").forEach(function (c) {
        c.hidden = !!offence && c.getAttribute("data-offence") !== offence;
      });
      count.textContent = shown + " of " + rows.length + " jurisdictions shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);

    heads.forEach(function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var label = th.querySelector("a") ? th.querySelector("a").textContent : th.textContent;
      var button = el("button", { type: "button", "class": "atlas-sort", title: "Sort by " + label }, "\u21C5");
      button.setAttribute("aria-label", "Sort by " + label);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var key = function (row) {
          var c = row.cells[index];
          return kind === "status" ? STATUS_ORDER[c.getAttribute("data-status")] : c.textContent.trim().toLowerCase();
        };
        var sorted = rows.slice().sort(function (a, b) {
          var x = key(a), y = key(b);
          var r = x < y ? -1 : x > y ? 1 : 0;
          if (r === 0) r = a.cells[0].textContent.localeCompare(b.cells[0].textContent);
          return ascending ? r : -r;
        });
        sorted.forEach(function (r) { tbody.appendChild(r); });
      });
    });
    apply();
  }

  function initCompare(root) {
    var form = root.querySelector("form");
    var status = root.querySelector(".atlas-compare-status");
    var result = root.querySelector(".atlas-compare-result");
    var base = root.getAttribute("data-jurisdictions-base");
    form.hidden = false;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      return (params.get("j") || "").split(",").filter(Boolean).slice(0, 4);
    }

    fetch(root.getAttribute("data-src")).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      var byId = {};
      data.jurisdictions.forEach(function (j) { byId[j.id] = j; });
      fromUrl().forEach(function (id, i) { if (byId[id]) selects[i].value = id; });

      function render() {
        var chosen = selects.map(function (s) { return s.value; }).filter(function (v, i, a) { return v && a.indexOf(v) === i; });
        var url = new URL(window.location.href);
        if (chosen.length) url.searchParams.set("j", chosen.join(",")); else url.searchParams.delete("j");
        window.history.replaceState(null, "", url.toString());
        result.textContent = "";
        if (chosen.length < 2) {
          status.textContent = "Choose at least two jurisdictions.";
          return;
        }
        status.textContent = "Comparing " + chosen.map(function (id) { return byId[id].name; }).join(", ") + ".";
        var table = el("table", { "class": "atlas-compare-table" });
        var head = table.createTHead().insertRow();
        head.appendChild(el("th", { scope: "col" }, "Offence or measure"));
        chosen.forEach(function (id) {
          var th = el("th", { scope: "col" });
          th.appendChild(el("a", { href: base + id.toLowerCase() + "/" }, byId[id].name));
          head.appendChild(th);
        });
        var body = table.createTBody();
        data.taxonomy.forEach(function (t) {
          var row = body.insertRow();
          row.appendChild(el("th", { scope: "row" }, t.name));
          chosen.forEach(function (id) {
            var c = byId[id].coverage[t.id] || { status: "unknown", effective_status: "unknown" };
            var td = row.insertCell();
            var eff = c.effective_status || c.status;
            td.setAttribute("data-status", eff);
            var badge = el("a", { href: base + id.toLowerCase() + "/#" + t.id, "class": "atlas-status atlas-status--" + eff });
            badge.appendChild(el("span", { "class": "atlas-icon", "aria-hidden": "true" }, STATUS_ICONS[eff] + " "));
            badge.appendChild(document.createTextNode(STATUS_LABELS[eff]));
            td.appendChild(badge);
            if (c.inherited_from) td.appendChild(el("span", { "class": "atlas-inherited" }, " (via " + c.inherited_from + ")"));
            (c.provisions || []).filter(function (p) { return !p.until; }).forEach(function (p) {
              var line = el("div", { "class": "atlas-compare-provision" }, p.citation + (p.year ? " (" + p.year + ")" : ""));
              td.appendChild(line);
            });
            if (c.max_prison_years !== undefined) td.appendChild(el("div", { "class": "atlas-penalty" }, "Max. " + c.max_prison_years + " years"));
          });
        });
        result.appendChild(table);
      }
      selects.forEach(function (s) { s.addEventListener("change", render); });
      render();
    }).catch(function (err) {
      status.textContent = "Could not load the dataset (" + err.message + ").";
    });
  }

  function init() {
    // Material's search overlay is a dialog without a name; give it one for screen readers.
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    document.querySelectorAll("[data-atlas-matrix]").forEach(initMatrix);
    document.querySelectorAll("[data-atlas-compare]").forEach(initCompare);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
