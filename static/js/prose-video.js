/*
 * The body editor's video embed (django-prose-editor custom extension, listed in
 * settings.DJANGO_PROSE_EDITOR_EXTENSIONS; "VideoEmbed" in portal.richtext.EDITOR_EXTENSIONS).
 *
 * Tiptap drops every element its schema lacks when it loads a body: without this node an
 * article's <iframe> video would be gone after the next save. The node keeps an iframe's
 * address and size as they are, and the "Chèn video" button turns a YouTube or Facebook page
 * address into the player's address. The server (portal.richtext.sanitize_html) stays the
 * judge: it rebuilds an allowed video's iframe from its address and drops any other.
 */
import { crel, mergeAttributes, Node } from "django-prose-editor/editor"

const YOUTUBE = new Set([
  "youtube.com",
  "www.youtube.com",
  "m.youtube.com",
  "youtube-nocookie.com",
  "www.youtube-nocookie.com",
])
const FACEBOOK = new Set(["facebook.com", "www.facebook.com", "web.facebook.com"])
const VIDEO_ID = /^[A-Za-z0-9_-]{6,20}$/
const YOUTUBE_PATH = /^\/(?:embed|shorts|live)\/([^/]+)\/?$/
// A page's video, the Watch player, a reel, a shared video.
const FACEBOOK_VIDEO_PATH = /\/videos?\/|^\/watch\/?$|^\/reel\/|^\/share\/[vr]\//

const LABEL = "Địa chỉ video YouTube hoặc Facebook"
const UNKNOWN =
  "Không nhận ra địa chỉ này: hãy dán địa chỉ một video YouTube hoặc Facebook."

/* The player's address for a YouTube or Facebook video page, or null. */
export function videoEmbedAddress(value) {
  let url
  try {
    url = new URL(value.trim())
  } catch {
    return null
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null
  const host = url.hostname.toLowerCase()
  let id = null
  if (host === "youtu.be") {
    id = url.pathname.slice(1)
  } else if (YOUTUBE.has(host)) {
    id =
      url.pathname === "/watch"
        ? url.searchParams.get("v")
        : YOUTUBE_PATH.exec(url.pathname)?.[1]
  } else if (FACEBOOK.has(host)) {
    if (url.pathname === "/plugins/video.php") {
      const inner = videoEmbedAddress(url.searchParams.get("href") || "")
      return inner?.startsWith("https://www.facebook.com/") ? inner : null
    }
    if (!FACEBOOK_VIDEO_PATH.test(url.pathname)) return null
    const page = `https://www.facebook.com${url.pathname}${url.search}`
    return `https://www.facebook.com/plugins/video.php?href=${encodeURIComponent(page)}`
  } else {
    return null
  }
  return id && VIDEO_ID.test(id) ? `https://www.youtube-nocookie.com/embed/${id}` : null
}

/* Asks for a video address in a modal dialog; resolves with the player's address or null. */
function askForVideo(editor) {
  return new Promise((resolve) => {
    const id = `video-embed-${Date.now()}`
    const input = crel("input", { id, type: "url", required: true, size: 50 })
    const error = crel("p", { className: "prose-video-error", hidden: true, role: "alert" })
    const insert = crel("button", { type: "submit", textContent: "Chèn" })
    const cancel = crel("button", { type: "button", textContent: "Hủy" })
    const form = crel("form", { method: "dialog" }, [
      crel("h3", { className: "prose-editor-dialog-title", textContent: "Chèn video" }),
      crel("div", { className: "prose-editor-dialog-field" }, [
        crel("label", { htmlFor: id, textContent: LABEL }),
        input,
        error,
      ]),
      crel("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog" }, [form])
    let result = null

    form.addEventListener("submit", (event) => {
      event.preventDefault()
      if (!form.reportValidity()) return
      const src = videoEmbedAddress(input.value)
      if (!src) {
        error.textContent = UNKNOWN
        error.hidden = false
        input.focus()
        return
      }
      result = src
      dialog.close()
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(result)
    })
    editor.view.dom.parentElement.append(dialog)
    dialog.showModal()
  })
}

export const VideoEmbed = Node.create({
  name: "videoEmbed",
  group: "block",
  atom: true,
  draggable: true,

  addAttributes() {
    return {
      src: { default: null },
      width: { default: null },
      height: { default: null },
      title: { default: null },
    }
  },

  parseHTML() {
    return [{ tag: "iframe[src]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["iframe", mergeAttributes(HTMLAttributes)]
  },

  // In the editor the player is shown under a label that can be clicked to select the
  // video (to move or delete it): clicks inside an iframe never reach the editor.
  addNodeView() {
    return ({ node }) => {
      const frame = crel("iframe", {
        src: node.attrs.src,
        title: node.attrs.title || "Video",
        loading: "lazy",
        referrerPolicy: "strict-origin-when-cross-origin",
      })
      const dom = crel("div", { className: "prose-video" }, [
        crel("span", { className: "prose-video__label", textContent: `Video: ${node.attrs.src}` }),
        frame,
      ])
      return { dom }
    }
  },

  addCommands() {
    return {
      insertVideo:
        (src) =>
        ({ commands }) =>
          commands.insertContent({
            type: this.name,
            attrs: { src, width: "560", height: "315", title: "Video" },
          }),
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: this.name,
      groups: "nodes",
      button: buttons.material("smart_display", "Chèn video"),
      enabled: (editor) => editor.can().insertVideo("https://www.youtube-nocookie.com/"),
      command(editor) {
        askForVideo(editor).then((src) => {
          if (src) editor.chain().focus().insertVideo(src).run()
        })
      },
    })
  },
})
