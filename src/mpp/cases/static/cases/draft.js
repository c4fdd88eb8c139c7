/* MPP Digital drafts: the apply form saves itself a few seconds after the citizen stops typing
   and when they leave the page, so they can go on later or on another device. Files are not sent
   (they upload with the form). Without this file the "Simpan draf" button still keeps a draft. */
(function () {
  "use strict";
  var DELAY_MS = 3000;
  var KEEPALIVE_MAX = 60000;  // a request sent as the page closes may carry 64 kB at most

  function init(form) {
    var status = form.querySelector("[data-draft-status]");
    var timer = null;
    var dirty = false;

    function answers() {
      var body = new FormData();
      body.size = 0;
      new FormData(form).forEach(function (value, name) {
        if (typeof value !== "string") return;
        body.append(name, value);
        body.size += name.length + value.length;
      });
      body.set("action", "draft");
      return body;
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    function save(leaving) {
      clearTimeout(timer);
      if (!dirty) return;
      dirty = false;
      var body = answers();
      fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-MPP-Autosave": "1" },
        redirect: "manual",
        keepalive: leaving === true && body.size < KEEPALIVE_MAX  // browsers refuse more
      }).then(function (response) {
        if (response.status !== 204) throw new Error(String(response.status));
        var lang = document.documentElement.lang || "id";
        var at = new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
        say(status ? status.dataset.saved.replace("{time}", at) : "");
      }).catch(function () {
        dirty = true;
        say(status ? status.dataset.failed : "");
      });
    }

    function changed() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }

    function typedBeforeThisScript(el) {
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") {  // no option marked: the first one shows
        var initial = 0;
        Array.prototype.forEach.call(el.options, function (o, i) { if (o.defaultSelected) initial = i; });
        return el.selectedIndex !== initial;
      }
      return el.type !== "file" && el.type !== "hidden" && "defaultValue" in el &&
        el.value !== el.defaultValue;
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // On a slow phone the citizen may type before this deferred script runs.
    if (Array.prototype.some.call(form.elements, typedBeforeThisScript)) changed();
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      dirty = false;  // the form itself carries the answers now
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(init);
})();
