/* Drafts of admin forms, kept in the browser so no typed text is lost to a session expiry.
 *
 * On an admin add/change form, what the user types is saved to localStorage under the
 * form's address (on every input, every few seconds, on submit and when the session
 * expires). The rich-text body is a hidden textarea that the editor updates and signals
 * with an "input" event, so it is saved like any field; the poll catches anything else.
 * Opening the form again (typically after logging in again) offers "Khôi phục bản nháp".
 * A save that goes through (the admin's success message on the next page) deletes it, and
 * so does logging out on purpose. Drafts are kept per user and per form address.
 */
(function () {
  "use strict";
  var PREFIX = "portal-draft:";
  var SUBMITTED = "portal-draft-submitted";
  var MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  var POLL_MS = 4000;
  var SKIP_TYPES = { file: 1, password: 1, submit: 1, button: 1, reset: 1, image: 1, hidden: 1 };

  function store(kind) {
    try {
      var s = window[kind];
      var probe = "__portal_probe__";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }
  var local = store("localStorage");
  var tab = store("sessionStorage");
  if (!local) return;

  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function read(key) {
    try {
      var draft = JSON.parse(local.getItem(key) || "null");
      return draft && draft.fields ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function purgeOld() {
    var now = Date.now();
    for (var i = local.length - 1; i >= 0; i--) {
      var key = local.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var draft = read(key);
        if (!draft || now - (draft.savedAt || 0) > MAX_AGE_MS) local.removeItem(key);
      }
    }
  }

  function afterSubmit() {
    var submitted = tab && tab.getItem(SUBMITTED);
    if (!submitted) return;
    if (document.querySelector(".messagelist .success")) {
      local.removeItem(submitted);
      tab.removeItem(SUBMITTED);
    } else if (!document.body.classList.contains("login")) {
      // Back on the form with errors (the draft stays), or elsewhere: stop watching.
      tab.removeItem(SUBMITTED);
    }
  }

  function fieldElements(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      return el.name && !el.disabled && !SKIP_TYPES[type] &&
        el.name !== "csrfmiddlewaretoken" && el.name.charAt(0) !== "_" &&
        el.name.indexOf("__prefix__") === -1;
    });
  }

  function serialize(form) {
    var data = {};
    var counts = {};
    var elements = fieldElements(form);
    elements.forEach(function (el) { counts[el.name] = (counts[el.name] || 0) + 1; });
    elements.forEach(function (el) {
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox") {
        if (counts[el.name] > 1) {
          data[el.name] = data[el.name] || [];
          if (el.checked) data[el.name].push(el.value);
        } else {
          data[el.name] = el.checked;
        }
      } else if (type === "radio") {
        if (el.checked) data[el.name] = el.value;
        else if (!(el.name in data)) data[el.name] = null;
      } else if (type === "select-multiple") {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  // The rich-text editors, as django-prose-editor announces them; Tiptap also hangs its
  // editor on the editable element, which serves when the event came before this script.
  var editors = new Map();
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail && event.detail.textarea) editors.set(event.detail.textarea, event.detail.editor);
  });

  function proseEditor(textarea) {
    if (editors.has(textarea)) return editors.get(textarea);
    var wrapper = textarea.closest(".prose-editor");
    var doms = wrapper ? wrapper.querySelectorAll(".ProseMirror") : [];
    for (var i = 0; i < doms.length; i++) {
      if (doms[i].editor && doms[i].editor.commands) return doms[i].editor;
    }
    return null;
  }

  function restore(form, fields) {
    fieldElements(form).forEach(function (el) {
      if (!(el.name in fields)) return;
      var value = fields[el.name];
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox") {
        el.checked = Array.isArray(value) ? value.indexOf(el.value) !== -1 : !!value;
      } else if (type === "radio") {
        el.checked = el.value === value;
      } else if (type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = Array.isArray(value) && value.indexOf(o.value) !== -1;
        });
      } else {
        el.value = value == null ? "" : value;
        if (el.tagName === "TEXTAREA") {
          var editor = proseEditor(el);
          if (editor) editor.commands.setContent(el.value, { emitUpdate: true });
        }
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function formatTime(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes()) + " ngày " + two(d.getDate()) + "/" +
      two(d.getMonth() + 1) + "/" + d.getFullYear();
  }

  function offer(form, key, draft, done) {
    var bar = document.createElement("div");
    bar.className = "draft-offer";
    bar.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = "Có bản nháp chưa lưu của biểu mẫu này, soạn lúc " + formatTime(draft.savedAt) + ". ";
    var restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "button default";
    restoreButton.textContent = "Khôi phục bản nháp";
    var dropButton = document.createElement("button");
    dropButton.type = "button";
    dropButton.className = "button";
    dropButton.textContent = "Bỏ bản nháp";
    bar.appendChild(text);
    bar.appendChild(restoreButton);
    bar.appendChild(document.createTextNode(" "));
    bar.appendChild(dropButton);
    form.parentNode.insertBefore(bar, form);

    restoreButton.addEventListener("click", function () {
      restore(form, draft.fields);
      text.textContent = "Đã khôi phục bản nháp. Hãy kiểm tra lại rồi bấm Lưu.";
      restoreButton.remove();
      dropButton.remove();
      done(true);
    });
    dropButton.addEventListener("click", function () {
      local.removeItem(key);
      bar.remove();
      done(false);
    });
  }

  function forgetAll() {
    for (var i = local.length - 1; i >= 0; i--) {
      var key = local.key(i);
      if (key && key.indexOf(PREFIX) === 0) local.removeItem(key);
    }
  }

  onReady(function () {
    afterSubmit();
    purgeOld();
    // A deliberate logout (not an expiry) leaves no unpublished text in this browser.
    var logout = document.getElementById("logout-form");
    if (logout) logout.addEventListener("submit", forgetAll);
    var form = document.querySelector("body.change-form #content-main form");
    if (!form || !form.method || form.method.toLowerCase() !== "post") return;

    // Per user as well as per form: on a shared computer nobody is offered another's draft.
    var notice = document.getElementById("session-notice");
    var key = PREFIX + (notice ? notice.dataset.user : "0") + ":" + location.pathname;
    var baseline = JSON.stringify(serialize(form));
    var lastSaved = null;
    var pending = false; // an offer is on screen: do not overwrite the old draft
    var debounce = null;

    function save() {
      if (pending) return;
      var current = JSON.stringify(serialize(form));
      if (current === lastSaved) return;
      lastSaved = current;
      try {
        if (current === baseline) local.removeItem(key);
        else local.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: JSON.parse(current) }));
      } catch (e) {
        // Storage full: nothing more can be done in the page.
      }
    }

    var draft = read(key);
    if (draft && JSON.stringify(draft.fields) !== baseline) {
      pending = true;
      offer(form, key, draft, function () {
        pending = false;
        lastSaved = null;
        save();
      });
    } else if (draft) {
      local.removeItem(key);
    }

    function soon() {
      clearTimeout(debounce);
      debounce = setTimeout(save, 400);
    }
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    setInterval(save, POLL_MS);
    form.addEventListener("submit", function () {
      // Submitting without restoring means the offered draft is not wanted.
      pending = false;
      save();
      if (tab) tab.setItem(SUBMITTED, key);
    });
    window.addEventListener("pagehide", save);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save();
    });
    document.addEventListener("portal:session-expired", save);
  });
})();
