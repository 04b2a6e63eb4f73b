/* Edit lock of an admin change form (templates/admin/locks/change_form.html).
 *
 * While the editor holds the lock, it is renewed through the session keep-alive
 * (POST phien-dang-nhap/duy-tri/, which renews this session's locks) once a minute, but
 * only if they typed or clicked since the last renewal: an idle page lets the lock lapse
 * after EDIT_LOCK_IDLE_MINUTES. Leaving the page (not by saving: the save releases it)
 * sends a beacon that releases the lock at once.
 */
(function () {
  "use strict";
  var box = document.getElementById("edit-lock");
  if (!box || box.dataset.mine !== "1") return;
  var RENEW_MS = 60 * 1000;
  var active = false;
  var submitting = false;

  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function () { active = true; }, { capture: true, passive: true });
  });
  document.addEventListener("submit", function () { submitting = true; }, true);

  setInterval(function () {
    if (!active) return;
    active = false;
    fetch(box.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.dataset.csrf, "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
    }).catch(function () { /* the next minute tries again */ });
  }, RENEW_MS);

  window.addEventListener("pagehide", function () {
    if (submitting || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", box.dataset.csrf);
    navigator.sendBeacon(box.dataset.releaseUrl, data);
  });
})();
