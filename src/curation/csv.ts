// RFC 4180 CSV: fields with a comma, a quote or a line break are quoted, quotes doubled, lines
// end with CRLF. The parser is strict: a corrupt file is an error naming the line, never a guess.
// Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
// return, OWASP "CSV injection") is written with a leading apostrophe, which the parser removes.
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";

export type CsvValue = string | number | null | undefined;

// Apostrophes already in front are counted too, so the escape reads back to the same text.
const formulaStart = /^'*[=+\-@\t\r]/;

function quoteField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" && formulaStart.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document with a header row; values are written as text, null as an empty field. */
export function toCsv(header: readonly string[], rows: readonly CsvValue[][]): string {
  return [header, ...rows].map((row) => `${row.map(quoteField).join(",")}\r\n`).join("");
}

/** Parses CSV text into rows of fields; throws INPUT_INVALID on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let fieldStartLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    row.push(formulaStart.test(field) && field.startsWith("'") ? field.slice(1) : field);
    field = "";
  };
  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
          throw new SportelloError("INPUT_INVALID", say("curation.csv_after_quote", { line }));
        }
      } else {
        if (char === "\n") line++;
        field += char;
      }
      i++;
      continue;
    }
    if (char === '"') {
      if (field !== "") {
        throw new SportelloError("INPUT_INVALID", say("curation.csv_stray_quote", { line }));
      }
      quoted = true;
      fieldStartLine = line;
    } else if (char === ",") {
      endField();
    } else if (char === "\r" || char === "\n") {
      endField();
      rows.push(row);
      row = [];
      if (char === "\r" && text[i + 1] === "\n") i++;
      line++;
    } else {
      field += char;
    }
    i++;
  }
  if (quoted) {
    throw new SportelloError(
      "INPUT_INVALID",
      say("curation.csv_unclosed_quote", { line: fieldStartLine }),
    );
  }
  if (field !== "" || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** Parses CSV with a header into records; every row must have as many fields as the header. */
export function parseCsvRecords(
  text: string,
  required: readonly string[],
): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new SportelloError("INPUT_INVALID", say("curation.csv_empty"));
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new SportelloError(
      "INPUT_INVALID",
      say("curation.csv_missing_columns", { columns: missing.join(", ") }),
    );
  }
  return rows.map((row, index) => {
    if (row.length !== header.length) {
      throw new SportelloError(
        "INPUT_INVALID",
        say("curation.csv_field_count", {
          record: index + 1,
          found: row.length,
          expected: header.length,
        }),
      );
    }
    return Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""]));
  });
}
