// The console's stylesheet and its one small script, served from /static/ so the CSP can stay
// strict ('self' only). The script only improves what already works without it.
import type { Hono } from "hono";
import type { ConsoleEnv } from "./context.js";
import { consoleCss } from "./views/styles.js";

const consoleJs = `
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("domanda");
  if (box) {
    var last = document.getElementById("ultima");
    if (last) last.scrollIntoView({ block: "start" });
    box.focus();
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && box.value.trim()) {
        e.preventDefault();
        box.form.requestSubmit();
      }
    });
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
});
`;

export function staticRoutes(app: Hono<ConsoleEnv>): void {
  app.get("/static/console.css", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(consoleCss, 200, { "Content-Type": "text/css; charset=utf-8" });
  });
  app.get("/static/console.js", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(consoleJs, 200, { "Content-Type": "text/javascript; charset=utf-8" });
  });
  app.get("/favicon.ico", (c) => c.body(null, 204));
}
