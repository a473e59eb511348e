// A small HTTP client for the console's Hono app (app.request): keeps the session cookie like a
// browser and picks the CSRF token from the last page it read.
import type { Hono } from "hono";

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export class ConsoleClient {
  private cookie: string | undefined;
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

  forgetCookie(): void {
    this.cookie = undefined;
  }

  private async send(path: string, init: RequestInit): Promise<PageResponse> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    const response = await this.app.request(path, { ...init, headers });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) {
      const [pair] = setCookie.split(";");
      this.cookie = pair?.endsWith("=") ? undefined : pair;
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
