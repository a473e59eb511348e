// The periods people type into curation: a day (YYYY-MM-DD, as the CLI's --since and --until and
// the console's filters take it) and a retention ("180d" or "180g", for purge).
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";

/** Midnight UTC of `text` (YYYY-MM-DD, a real date); INPUT_INVALID naming `flag` otherwise. */
export function parseDay(text: string, flag: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = match ? new Date(`${text.trim()}T00:00:00.000Z`) : new Date(Number.NaN);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text.trim()) {
    throw new SportelloError("INPUT_INVALID", say("curation.bad_date", { flag, value: text }));
  }
  return date;
}

/** "180d" or "180g" → days; anything else is INPUT_INVALID. */
export function parseRetention(text: string): number {
  const match = /^(\d+)\s*(d|g|giorni|days?)$/i.exec(text.trim());
  const days = match ? Number(match[1]) : Number.NaN;
  if (!match || !Number.isSafeInteger(days) || days < 1) {
    throw new SportelloError("INPUT_INVALID", say("curation.bad_retention", { value: text }));
  }
  return days;
}
