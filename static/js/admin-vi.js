/*
 * What the staff pages write in English without gettext, in Vietnamese: the list search
 * icon's text (Django's search_form.html writes alt="Search"), and the body editor.
 *
 * The body editor (django-prose-editor): *
 * Its dialogs go through gettext (the admin's JavaScript catalogue, filled from the project's
 * locale/vi/LC_MESSAGES/djangojs.po), but its menu writes some words in English with no
 * gettext: button tooltips ("bold", "paragraph"), the block-type menu ("Heading 2",
 * "Paragraph"), the alignment menu's "Block style" and "…: default". Those are rewritten
 * here as the editor builds them. The menu's own "insert figure" button is hidden: it asks
 * for an image URL, and images come in one way, through the upload box under the editor
 * (body-image-upload.js), which inserts the same <figure>.
 */
(function () {
  "use strict";

  var WORDS = {
    "bold": "Chữ đậm",
    "italic": "Chữ nghiêng",
    "underline": "Gạch chân",
    "strike": "Gạch ngang",
    "subscript": "Chỉ số dưới",
    "superscript": "Chỉ số trên",
    "unordered list": "Danh sách dấu chấm",
    "ordered list": "Danh sách đánh số",
    "blockquote": "Trích dẫn",
    "horizontal rule": "Đường kẻ ngang",
    "insert link": "Chèn liên kết",
    "remove link": "Bỏ liên kết",
    "paragraph": "Đoạn văn",
    "Paragraph": "Đoạn văn",
    "undo": "Hoàn tác",
    "redo": "Làm lại",
    "edit HTML": "Sửa mã HTML",
    "HTML": "Mã HTML",
    "Code": "Mã",
    "Code block": "Khối mã",
    "Styles": "Kiểu chữ",
    "Insert table": "Chèn bảng",
    "Merge cells": "Gộp ô",
    "Split cell": "Tách ô",
    // The alignment menu (NodeClass, portal.richtext.ALIGN_CHOICES): its titles are
    // Vietnamese already, the words the extension adds to them are not.
    "Block style": "Căn lề",
    "Reset all classes": "Bỏ mọi căn lề",
  };
  var HEADING = /^(heading|Heading) ([1-6])$/;
  var CLASS_DEFAULT = /^(.+): default$/;
  var HIDDEN_TITLES = ["figure"];

  function word(text) {
    if (Object.prototype.hasOwnProperty.call(WORDS, text)) return WORDS[text];
    var heading = HEADING.exec(text);
    if (heading) return "Tiêu đề cấp " + heading[2];
    var classDefault = CLASS_DEFAULT.exec(text);
    return classDefault ? classDefault[1] + ": không căn" : null;
  }

  function translateElement(el) {
    var title = el.getAttribute("title");
    if (title !== null && HIDDEN_TITLES.indexOf(title) !== -1) {
      el.hidden = true;
      el.setAttribute("aria-hidden", "true");
      return;
    }
    ["title", "aria-label"].forEach(function (name) {
      var value = el.getAttribute(name);
      var vi = value === null ? null : word(value);
      if (vi) el.setAttribute(name, vi);
    });
    if (el.classList.contains("prose-menubar__button--heading") && el.dataset.level) {
      // The icon font has no glyph for its "title" ligature here: plain "H2" reads better.
      el.textContent = "H" + el.dataset.level;
    } else if (el.children.length === 0 && !el.classList.contains("material-icons")) {
      var vi = word(el.textContent.trim());
      if (vi) el.textContent = vi;
    }
  }

  function translate(root) {
    if (!(root instanceof Element)) return;
    if (root.matches(".prose-menubar *, .prose-menubar")) translateElement(root);
    root.querySelectorAll(".prose-menubar, .prose-menubar *").forEach(translateElement);
  }

  function start() {
    document.querySelectorAll('#changelist-search img[alt="Search"]').forEach(function (img) {
      img.alt = "Tìm kiếm";
    });
    translate(document.body);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(translate);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
