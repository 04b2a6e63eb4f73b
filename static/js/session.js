/* Keep-alive notice for logged-in users (templates/includes/session_notice.html).
 *
 * The server renders how many seconds the session has left (data-remaining). The page
 * counts down locally; SESSION_WARNING_SECONDS before the end it asks the server once
 * (another tab may have extended the session), then shows the notice. A click POSTs to
 * the keep-alive endpoint, which really extends the session on the server. When the
 * countdown ends, the server is asked again before the page says the user is logged out.
 * If the user typed or clicked in the page since the last extension, the session is
 * extended silently instead: typing is using the site.
 *
 * Fires "portal:session-expired" on document (draft.js saves the form at once).
 */
(function () {
  "use strict";
  var box = document.getElementById("session-notice");
  if (!box) return;

  var warning = parseInt(box.dataset.warning, 10) || 60;
  var deadline = Date.now() + (parseInt(box.dataset.remaining, 10) || 0) * 1000;
  var keepButton = box.querySelector("[data-keepalive]");
  var countdown = box.querySelector("[data-countdown]");
  var expiredNote = box.querySelector("[data-expired]");
  var loginLink = box.querySelector("[data-login]");
  var state = "idle"; // idle | asking | warning | expired
  var activeSinceExtend = false;
  var timer = null;

  loginLink.href = box.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  function setRemaining(seconds) {
    deadline = Date.now() + seconds * 1000;
  }

  function show(which) {
    box.hidden = which === "none";
    keepButton.hidden = which !== "warning";
    expiredNote.hidden = which !== "expired";
    box.classList.toggle("is-expired", which === "expired");
  }

  function request(method, url) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (method === "POST") {
      options.headers["X-CSRFToken"] = box.dataset.csrf;
      options.headers["X-Requested-With"] = "XMLHttpRequest";
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 401) return { authenticated: false, remaining: 0 };
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function expire() {
    state = "expired";
    clearInterval(timer);
    show("expired");
    document.dispatchEvent(new CustomEvent("portal:session-expired"));
  }

  function apply(data) {
    if (!data.authenticated || data.remaining <= 0) {
      expire();
      return;
    }
    setRemaining(data.remaining);
    if (data.remaining > warning) {
      state = "idle";
      show("none");
    } else {
      state = "warning";
      countdown.textContent = secondsLeft();
      show("warning");
    }
  }

  function extend() {
    state = "asking";
    activeSinceExtend = false;
    return request("POST", box.dataset.keepaliveUrl).then(apply, function () {
      // A refused POST (a stale CSRF token, say): trust the server's own account.
      return request("GET", box.dataset.statusUrl).then(apply, function () { state = "warning"; show("warning"); });
    });
  }

  function ask() {
    state = "asking";
    return request("GET", box.dataset.statusUrl).then(apply, function () {
      // Network trouble: keep counting locally; at the end the session is over anyway.
      if (secondsLeft() > 0) {
        state = "warning";
        show("warning");
      } else {
        expire();
      }
    });
  }

  function tick() {
    if (state === "asking" || state === "expired") return;
    var left = secondsLeft();
    if (state === "idle" && left <= warning) {
      if (activeSinceExtend) extend();
      else ask();
      return;
    }
    if (state === "warning") {
      countdown.textContent = left;
      if (left <= 0) ask();
    }
  }

  keepButton.addEventListener("click", function (event) {
    event.preventDefault();
    extend();
  });
  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (!box.contains(event.target)) activeSinceExtend = true;
    }, { capture: true, passive: true });
  });

  show("none");
  timer = setInterval(tick, 1000);
  tick();
})();
