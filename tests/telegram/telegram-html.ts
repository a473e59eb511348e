// Telegram's HTML parse mode as the Bot API applies it, for the fake server and the renderer
// tests: the visible text (what the 4,096-character limit counts) or Telegram's error text.

const allowedTags = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const namedEntities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

export type HtmlParse = { ok: true; text: string } | { ok: false; error: string };

function byteOffset(html: string, index: number): number {
  return Buffer.byteLength(html.slice(0, index));
}

/**
 * Parses `html` as Telegram does. One deliberate difference: Telegram keeps a bare `&` or `>` that
 * is not part of a tag or entity as text, this parser rejects it, so a missing escape fails tests.
 */
export function parseTelegramHtml(html: string): HtmlParse {
  const stack: string[] = [];
  let text = "";
  let i = 0;
  const fail = (message: string): HtmlParse => ({
    ok: false,
    error: `Bad Request: can't parse entities: ${message}`,
  });
  while (i < html.length) {
    const ch = html[i] ?? "";
    if (ch === "<") {
      const close = html.indexOf(">", i);
      if (html[i + 1] === "/") {
        if (close < 0) return fail(`Unclosed end tag at byte offset ${byteOffset(html, i)}`);
        const name = html
          .slice(i + 2, close)
          .trim()
          .toLowerCase();
        const top = stack.pop();
        if (top === undefined)
          return fail(`Unexpected end tag at byte offset ${byteOffset(html, i)}`);
        if (top !== name) {
          return fail(
            `Unmatched end tag at byte offset ${byteOffset(html, i)}, expected "</${top}>", found "</${name}>"`,
          );
        }
        i = close + 1;
        continue;
      }
      if (close < 0) return fail(`Unclosed start tag at byte offset ${byteOffset(html, i)}`);
      const inner = html.slice(i + 1, close);
      const name = (/^[a-zA-Z0-9-]*/.exec(inner)?.[0] ?? "").toLowerCase();
      const spoilerSpan = name !== "span" || /class\s*=\s*"tg-spoiler"/.test(inner);
      if (!allowedTags.has(name) || !spoilerSpan) {
        return fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(html, i)}`);
      }
      stack.push(name);
      i = close + 1;
      continue;
    }
    if (ch === "&") {
      const match = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(html.slice(i, i + 12));
      if (!match) {
        return fail(`Character '&' at byte offset ${byteOffset(html, i)} starts no entity`);
      }
      const name = match[1] ?? "";
      if (name.startsWith("#x")) text += String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      else if (name.startsWith("#")) text += String.fromCodePoint(Number(name.slice(1)));
      else text += namedEntities[name] ?? "";
      i += match[0].length;
      continue;
    }
    if (ch === ">") return fail(`Character '>' at byte offset ${byteOffset(html, i)} is reserved`);
    text += ch;
    i++;
  }
  const open = stack.pop();
  if (open !== undefined) return fail(`Can't find end tag corresponding to start tag "${open}"`);
  return { ok: true, text };
}
