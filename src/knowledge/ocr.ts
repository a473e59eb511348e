// OCR of scanned PDF pages with the system's tools, run as child processes: poppler's pdftoppm
// renders a page to a greyscale PNG, Tesseract reads it with its Italian data. Nothing is
// bundled: when a tool is missing, the caller names the Debian package to install.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Debian packages that provide each piece. */
export const OCR_PACKAGES = {
  tesseract: "tesseract-ocr",
  italian: "tesseract-ocr-ita",
  renderer: "poppler-utils",
} as const;

/** Resolution of the rendered pages: Tesseract reads body text best at about 300 dpi. */
const DPI = 300;
/** A page that takes longer than this is given up (a huge or broken scan). */
const PAGE_TIMEOUT_MS = 120_000;

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        timeout: PAGE_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
        // One thread per page: Tesseract's OpenMP threads only contend on a shared server.
        env: { ...process.env, OMP_THREAD_LIMIT: "1" },
      },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stderr }));
        else resolve(`${stdout}\n${stderr}`);
      },
    );
  });
}

const availability = new Map<string, Promise<string[]>>();

/** The Debian packages missing for OCR (empty when OCR works); checked once per PATH. */
export function missingOcrPackages(): Promise<string[]> {
  const key = process.env.PATH ?? "";
  let pending = availability.get(key);
  if (!pending) {
    pending = (async () => {
      const missing: string[] = [];
      try {
        const languages = await run("tesseract", ["--list-langs"]);
        if (!/^ita$/m.test(languages)) missing.push(OCR_PACKAGES.italian);
      } catch {
        missing.push(OCR_PACKAGES.tesseract, OCR_PACKAGES.italian);
      }
      try {
        await run("pdftoppm", ["-v"]);
      } catch {
        missing.push(OCR_PACKAGES.renderer);
      }
      return missing;
    })();
    availability.set(key, pending);
  }
  return pending;
}

/**
 * Text of the given pages of a PDF, read by OCR, page by page (the tools are assumed present:
 * see missingOcrPackages). A page that cannot be read gives empty text.
 */
export async function ocrPdfPages(
  bytes: Uint8Array,
  pages: number[],
): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  if (pages.length === 0) return texts;
  const dir = await mkdtemp(join(tmpdir(), "sportello-ocr-"));
  try {
    const pdf = join(dir, "in.pdf");
    await writeFile(pdf, bytes);
    for (const page of pages) {
      const prefix = join(dir, `p${page}`);
      try {
        const n = String(page);
        await run("pdftoppm", [
          "-r",
          String(DPI),
          "-gray",
          "-png",
          "-singlefile",
          "-f",
          n,
          "-l",
          n,
          pdf,
          prefix,
        ]);
        await run("tesseract", [`${prefix}.png`, prefix, "-l", "ita", "--psm", "3"]);
        texts.set(page, await readFile(`${prefix}.txt`, "utf8"));
      } catch {
        texts.set(page, "");
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return texts;
}
