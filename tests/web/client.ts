// A small HTTP client for the console's Hono app (app.request): keeps its cookies like a browser
// (by name; the session cookie and the sign-in device cookie) and picks the CSRF token from the
// last page it read.
import type { Hono } from "hono";

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export class ConsoleClient {
  private readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(private readonly app: { request: Hono["request"] }) {}

  async get(path: string): Promise<PageResponse> {
    return this.send(path, { method: "GET" });
  }

  /** POSTs a form; `_csrf` is added from the last page unless the form sets it (or `csrf: false`). */
  async post(
    path: string,
    form: Record<string, string | string[]> = {},
    options: { csrf?: boolean } = {},
  ): Promise<PageResponse> {
    const body = new URLSearchParams();
    if (options.csrf !== false && !("_csrf" in form) && this.csrf) body.append("_csrf", this.csrf);
    for (const [key, value] of Object.entries(form)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
    }
    return this.send(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }

  /** POSTs a multipart form with one file, as a browser's file upload does. */
  async postFile(
    path: string,
    file: { field: string; name: string; bytes: Uint8Array },
    form: Record<string, string> = {},
  ): Promise<PageResponse> {
    const body = new FormData();
    if (this.csrf && !("_csrf" in form)) body.append("_csrf", this.csrf);
    for (const [key, value] of Object.entries(form)) body.append(key, value);
    body.append(file.field, new Blob([file.bytes]), file.name);
    return this.send(path, { method: "POST", body });
  }

  async signIn(user: string, password: string): Promise<PageResponse> {
    await this.get("/accedi");
    return this.post("/accedi", { utente: user, password });
  }

  /** Follows one redirect, as a browser would after a POST. */
  async follow(response: PageResponse): Promise<PageResponse> {
    if (!response.location) return response;
    return this.get(response.location);
  }

  /** Forgets the session cookie (the browser closed, or another browser). */
  forgetCookie(): void {
    this.cookies.delete("sportello_console");
  }

  /** Sets a cookie, as a browser that kept it from before would send it. */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** The value of one of the client's cookies. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private async send(path: string, init: RequestInit): Promise<PageResponse> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        "cookie",
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      );
    }
    const response = await this.app.request(path, { ...init, headers });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = ""] = setCookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!value || /Max-Age=0/i.test(setCookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1];
    return {
      status: response.status,
      headers: response.headers,
      text,
      location: response.headers.get("location"),
    };
  }
}
