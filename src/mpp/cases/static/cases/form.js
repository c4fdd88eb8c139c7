/* MPP Digital forms: the conditional rules and repeating groups of a form definition, as the
   citizen types. The server applies the same rules (mpp.cases.formdefs); without this file the
   page still works: every field shows with a note saying when it applies, and the add/remove
   row buttons submit the form. */
(function () {
  "use strict";

  function same(value, target) {
    if (typeof target === "boolean") return value === target;
    if (value === null || value === undefined || typeof value === "boolean") return false;
    return String(value) === String(target);
  }

  function valueOf(root, name) {
    var els = root.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    if (!els.length) return undefined;
    var first = els[0];
    if (first.disabled) return null;
    if (first.type === "checkbox" && els.length === 1 && first.value === "on") return first.checked;
    if (first.type === "checkbox") {
      return Array.prototype.filter.call(els, function (e) { return e.checked; })
        .map(function (e) { return e.value; });
    }
    if (first.type === "radio") {
      var picked = Array.prototype.find.call(els, function (e) { return e.checked; });
      return picked ? picked.value : null;
    }
    return first.value === "" ? null : first.value;
  }

  function holds(root, rule, prefix) {
    if (!rule) return true;
    if (rule.all) return rule.all.every(function (r) { return holds(root, r, prefix); });
    if (rule.any) return rule.any.some(function (r) { return holds(root, r, prefix); });
    var value = valueOf(root, prefix + rule.field);  // a sibling in the same row first
    if (value === undefined) value = valueOf(root, rule.field);
    var targets = "equals" in rule ? [rule.equals] : rule["in"];
    var values = Array.isArray(value) ? value : [value];
    return values.some(function (v) { return targets.some(function (t) { return same(v, t); }); });
  }

  function ownInputs(field) {
    return Array.prototype.filter.call(
      field.querySelectorAll("input, select, textarea"),
      function (el) { return el.closest("[data-field]") === field && el.type !== "hidden"; }
    );
  }

  function rule(field, name) {
    var raw = field.getAttribute(name);
    return raw ? JSON.parse(raw) : null;
  }

  function apply(root) {
    root.querySelectorAll("[data-field]").forEach(function (field) {
      if (field.closest("template")) return;
      var prefix = field.dataset.prefix || "";
      var hiddenAbove = field.parentElement.closest("[data-field][hidden]") !== null;
      var shown = !hiddenAbove && holds(root, rule(field, "data-visible-if"), prefix);
      field.hidden = !shown;
      var required = shown && (field.hasAttribute("data-required") ||
        (field.hasAttribute("data-required-if") && holds(root, rule(field, "data-required-if"), prefix)));
      var marker = field.querySelector("[data-req-marker]");
      if (marker) marker.hidden = !required;
      ownInputs(field).forEach(function (el) {
        el.disabled = !shown;
        if (el.closest(".reuse")) return;  // a kept document is a choice, never required itself
        var multi = el.type === "checkbox" && el.value !== "on";
        var attached = el.type === "file" &&
          field.querySelector('.reuse input:checked:not([value=""])');
        if (!multi && !attached && !el.hasAttribute("data-optional")) el.required = required;
      });
    });
  }

  function rows(group) {
    return Array.prototype.filter.call(
      group.querySelector("[data-rows]").children, function (r) { return r.matches("[data-row]"); }
    );
  }

  function renumber(group) {
    var all = rows(group);
    all.forEach(function (row, i) {
      var legend = row.querySelector(":scope > legend");
      if (legend) legend.textContent = group.dataset.label + " " + (i + 1);
      var remove = row.querySelector(":scope > [data-remove-row]");
      if (remove) remove.textContent = group.dataset.removeText + " " + (i + 1);
    });
    var add = group.querySelector(":scope > [data-add-row]");
    if (add) add.hidden = all.length >= Number(group.dataset.max);
  }

  function addRow(root, group) {
    var all = rows(group);
    if (all.length >= Number(group.dataset.max)) return;
    var next = 0;
    all.forEach(function (row) {
      var named = row.querySelector("[name]");
      var match = named && named.name.match(/\.(\d+)\./);
      if (match) next = Math.max(next, Number(match[1]) + 1);
    });
    var html = group.querySelector(":scope > template").innerHTML
      .split("__i__").join(String(next)).split("__n__").join(String(all.length + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.querySelector("[data-row]");
    group.querySelector("[data-rows]").appendChild(row);
    renumber(group);
    apply(root);
    var first = row.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function removeRow(root, group, row) {
    if (rows(group).length <= Number(group.dataset.min)) return;
    row.remove();
    renumber(group);
    apply(root);
    var add = group.querySelector(":scope > [data-add-row]");
    if (add && !add.hidden) add.focus();
  }

  // An address's kecamatan suggestions follow its kabupaten/kota (the server checks the name).
  var districts = {};
  function suggestDistricts(select) {
    var fieldset = select.closest("[data-address]");
    var input = fieldset && fieldset.querySelector('input[name$=".district"]');
    var list = fieldset && fieldset.querySelector("datalist");
    if (!input || !list) return;
    list.id = input.id + "-list";  // a row copied from the template carries the template's id
    input.setAttribute("list", list.id);
    var code = select.value;
    var fill = function (names) {
      if (select.value !== code) return;  // chosen again meanwhile
      list.replaceChildren.apply(list, names.map(function (name) {
        var option = document.createElement("option");
        option.value = name;
        return option;
      }));
    };
    if (!code) return fill([]);
    if (districts[code]) return fill(districts[code]);
    fetch(fieldset.dataset.districts.replace("{code}", encodeURIComponent(code)))
      .then(function (response) { return response.ok ? response.json() : { districts: [] }; })
      .then(function (body) { districts[code] = body.districts; fill(body.districts); })
      .catch(function () { /* offline: the citizen types the name; the server checks it */ });
  }

  function init(root) {
    root.addEventListener("input", function () { apply(root); });
    root.addEventListener("change", function (event) {
      apply(root);
      if (event.target.matches('[data-address] select[name$=".region"]')) {
        suggestDistricts(event.target);
      }
    });
    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-row], [data-remove-row]");
      if (!button) return;
      var group = button.closest("[data-group]");
      if (!group) return;
      event.preventDefault();
      if (button.hasAttribute("data-add-row")) addRow(root, group);
      else removeRow(root, group, button.closest("[data-row]"));
    });
    root.querySelectorAll("[data-group]").forEach(renumber);
    apply(root);
  }

  document.querySelectorAll("[data-mpp-form]").forEach(init);
})();
