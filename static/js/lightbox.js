/* Article images open larger in a dialog (click, Enter or Space; Escape or "Đóng" closes).
   Without this file the images are simply part of the page: nothing is lost. */
(function () {
  "use strict";
  var images = document.querySelectorAll(".article .featured-image img, .article .body img");
  if (!images.length || typeof HTMLDialogElement !== "function") return;

  var opener = null;
  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", "Xem ảnh lớn");
  var close = document.createElement("button");
  close.type = "button";
  close.className = "lightbox-close";
  close.textContent = "Đóng";
  var big = document.createElement("img");
  var caption = document.createElement("p");
  dialog.append(close, big, caption);
  document.body.appendChild(dialog);

  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog || event.target === big) dialog.close();
  });
  dialog.addEventListener("close", function () {
    big.removeAttribute("src");
    if (opener) opener.focus();
  });

  function captionOf(img) {
    var figure = img.closest("figure");
    var figcaption = figure && figure.querySelector("figcaption");
    return (figcaption && figcaption.textContent.trim()) || img.alt;
  }

  images.forEach(function (img) {
    if (img.closest("a")) return; // a linked image keeps its link
    function open() {
      opener = img;
      // The copy already shown (WebP or JPEG, the width the browser chose): no new download.
      big.src = img.currentSrc || img.src;
      big.alt = img.alt;
      caption.textContent = captionOf(img);
      dialog.showModal();
      close.focus();
    }
    img.classList.add("zoomable");
    img.tabIndex = 0;
    img.setAttribute("role", "button");
    img.setAttribute("aria-label", (img.alt ? img.alt + " - " : "") + "xem ảnh lớn");
    img.addEventListener("click", open);
    img.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open();
      }
    });
  });
})();
