/* Star rating without a page reload. Without this file the form posts and the page comes
   back with a notice: everything works, this only makes it quicker. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;

  function setDisabled(form, disabled) {
    form.querySelectorAll("button").forEach(function (b) { b.disabled = disabled; });
  }

  document.querySelectorAll("form[data-rating-form]").forEach(function (form) {
    var block = form.closest("[data-rating]");
    var line = block.querySelector("[data-rating-line]");
    var average = block.querySelector("[data-rating-average]");
    var status = block.querySelector("[data-rating-status]");

    form.addEventListener("submit", function (event) {
      // forms.js holds the first submit back while it fetches the token, then sends again.
      if (event.defaultPrevented) return;
      var button = event.submitter;
      if (!button || !button.value) return; // let the plain form post
      event.preventDefault();
      var data = new FormData(form);
      data.set("stars", button.value);
      setDisabled(form, true);
      status.textContent = "Đang gửi đánh giá…";
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { status: response.status, body: body };
          });
        })
        .then(function (result) {
          var body = result.body;
          if (body.line) line.textContent = body.line;
          if (body.votes) {
            average.textContent = " (trung bình " + body.average + "/5)";
            average.hidden = false;
          }
          // The status is the live region: the thanks and the new total are read out together.
          status.textContent = [body.message, body.line].filter(Boolean).join(" ");
          if (result.status === 200 || result.status === 409) {
            // Voted (now or before): nothing more to send. The stars stay, lit up to the
            // reader's choice, so the click shows.
            form.querySelectorAll("button[name=stars]").forEach(function (star) {
              star.classList.toggle("chosen", Number(star.value) <= Number(button.value));
              star.disabled = true;
            });
            form.classList.add("rated");
          } else {
            setDisabled(form, false);
          }
        })
        .catch(function () {
          status.textContent = "Không gửi được đánh giá. Vui lòng thử lại.";
          setDisabled(form, false);
        });
    });
  });
})();
