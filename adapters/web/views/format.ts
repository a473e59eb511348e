// Text as the console's tables show it. Dates and percentages are formatted by src/locale.ts.

/** A pasted page as a label would fill a table: lists show its start, the detail page all of it. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
