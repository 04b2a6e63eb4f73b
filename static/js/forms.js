/* Reader forms on cached pages (comments, rating, polls) carry no CSRF token in their
   HTML: the page is shared by every reader, the token is not. A form names where its
   tokens come from (data-tokens, a small uncached JSON answer); this fills them in when
   the form comes into view or is used, and before it is sent. The comment form's
   "opened" time comes the same way, so the minimum-time check measures from when the
   reader saw the form. */
(function () {
  "use strict";
  if (window.portalForms) return; // included by several blocks of one page

  var loading = {};

  function load(form) {
    var url = form.getAttribute("data-tokens");
    if (!loading[url]) {
      loading[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .catch(function (error) {
          delete loading[url]; // try again on the next use
          throw error;
        });
    }
    return loading[url].then(function (tokens) {
      document.querySelectorAll('form[data-tokens="' + url + '"]').forEach(function (f) {
        var csrf = f.querySelector("input[name=csrfmiddlewaretoken]");
        if (csrf && !csrf.value) csrf.value = tokens.csrf;
        f.querySelectorAll("input[data-token]").forEach(function (input) {
          var value = tokens[input.getAttribute("data-token")];
          if (!input.value && value) input.value = value;
        });
      });
      return tokens;
    });
  }

  function ready(form) {
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    return csrf && csrf.value ? Promise.resolve() : load(form);
  }

  window.portalForms = { ready: ready };

  var forms = document.querySelectorAll("form[data-tokens]");
  var seen = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            seen.unobserve(entry.target);
            ready(entry.target).catch(function () {});
          }
        });
      }, { rootMargin: "200px" })
    : null;
  forms.forEach(function (form) {
    if (seen) seen.observe(form);
    form.addEventListener("focusin", function () { ready(form).catch(function () {}); });
    form.addEventListener("submit", function (event) {
      var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (csrf && csrf.value) return;
      event.preventDefault();
      var submitter = event.submitter;
      ready(form).then(
        function () { form.requestSubmit ? form.requestSubmit(submitter) : form.submit(); },
        function () { form.submit(); } // the server then explains what went wrong
      );
    });
  });
})();
