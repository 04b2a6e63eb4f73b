/*
 * "Chèn ảnh vào nội dung": upload an image from the article change form and insert it,
 * with its caption, as a <figure> into the body editor (django-prose-editor / Tiptap).
 *
 * The body textarea carries data-image-upload-url (set by news.admin.ArticleAdminForm).
 * The server (news.upload) verifies the file and answers JSON: {url, width, height, alt}
 * or {error}. No inline script anywhere, so a strict Content-Security-Policy can apply.
 */
(function () {
  "use strict";

  var MAX_BYTES = 10 * 1024 * 1024;
  var ACCEPT = "image/jpeg,image/png,image/gif,image/webp";
  // Editors announced by django-prose-editor ("prose-editor:ready"), keyed by textarea.
  var editors = new WeakMap();

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail && event.detail.textarea && event.detail.editor) {
      editors.set(event.detail.textarea, event.detail.editor);
    }
  });

  function editorFor(textarea) {
    var editor = editors.get(textarea);
    if (editor && !editor.isDestroyed) return editor;
    // Tiptap also keeps the instance on its contenteditable element (the menu bar has a
    // ".ProseMirror" element of its own, without one).
    var wrapper = textarea.closest(".prose-editor");
    var nodes = wrapper ? wrapper.querySelectorAll(".ProseMirror") : [];
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].editor && !nodes[i].editor.isDestroyed) return nodes[i].editor;
    }
    return null;
  }

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function insertFigure(textarea, image) {
    var caption = image.alt || "";
    var editor = editorFor(textarea);
    if (editor) {
      var content = [
        {
          type: "image",
          attrs: { src: image.url, alt: caption, width: image.width || null, height: image.height || null },
        },
      ];
      if (caption) content.push({ type: "caption", content: [{ type: "text", text: caption }] });
      return editor.chain().focus().insertContent({ type: "figure", content: content }).run();
    }
    // No editor (its script failed to load): the plain textarea is what the user sees.
    var html =
      '<figure><img src="' + escapeHtml(image.url) + '" alt="' + escapeHtml(caption) + '">' +
      (caption ? "<figcaption>" + escapeHtml(caption) + "</figcaption>" : "") + "</figure>";
    textarea.value += html;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  function messageForStatus(status) {
    if (status === 403) {
      return "Không có quyền tải ảnh hoặc phiên đăng nhập đã hết hạn. Hãy tải lại trang và thử lại.";
    }
    if (status === 413) return "Ảnh quá lớn; tối đa 10 MB.";
    return "Tải ảnh lên không thành công (mã lỗi " + status + "). Hãy thử lại.";
  }

  function build(textarea) {
    var uploadUrl = textarea.getAttribute("data-image-upload-url");
    var id = textarea.id || "body";
    var fileInput = el("input", { type: "file", id: id + "-image-file", accept: ACCEPT });
    var captionInput = el("input", {
      type: "text", id: id + "-image-caption", maxlength: "300", size: "50",
      placeholder: "Chú thích ảnh (cũng là văn bản thay thế)",
    });
    var button = el("button", { type: "button", class: "button", text: "Chèn ảnh" });
    var status = el("p", { class: "body-image-upload-status", role: "status", "aria-live": "polite" });
    var box = el("div", { class: "body-image-upload", role: "group", "aria-labelledby": id + "-image-title" }, [
      el("p", { class: "body-image-upload-title", id: id + "-image-title", text: "Chèn ảnh vào nội dung" }),
      el("label", { for: fileInput.id, text: "Tệp ảnh (JPEG, PNG, GIF, WebP; tối đa 10 MB)" }),
      fileInput,
      el("label", { for: captionInput.id, text: "Chú thích" }),
      captionInput,
      button,
      status,
    ]);

    function show(text, isError) {
      status.textContent = text;
      status.classList.toggle("errornote", !!isError);
    }

    function upload() {
      var file = fileInput.files && fileInput.files[0];
      if (!file) return show("Hãy chọn một tệp ảnh.", true);
      if (file.size > MAX_BYTES) return show("Ảnh quá lớn; tối đa 10 MB.", true);
      var data = new FormData();
      data.append("image", file);
      data.append("caption", captionInput.value.trim());
      button.disabled = true;
      show("Đang tải ảnh lên…", false);
      fetch(uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form), Accept: "application/json" },
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (payload) {
              if (response.ok && payload.url) {
                insertFigure(textarea, payload);
                fileInput.value = "";
                captionInput.value = "";
                show("Đã chèn ảnh vào nội dung.", false);
              } else {
                show(payload.error || messageForStatus(response.status), true);
              }
            });
        })
        .catch(function () {
          show("Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.", true);
        })
        .then(function () {
          button.disabled = false;
        });
    }

    button.addEventListener("click", upload);
    // Enter in the caption field would otherwise submit the whole article form.
    captionInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        upload();
      }
    });

    var row = textarea.closest(".form-row") || textarea.parentNode;
    row.appendChild(box);
  }

  function init() {
    var areas = document.querySelectorAll("textarea[data-image-upload-url]");
    Array.prototype.forEach.call(areas, build);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
