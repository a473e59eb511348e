// Every date, time and number a person reads, as an Italian reader expects them and in the time
// zone of Italian offices: the console's tables, the Slack App Home, the askers' notifications,
// the library's lock message and the CLI's figures all format through here. Adapters import it
// like src/vocabulary.ts.

/** The language of every sentence and figure (prompts' plurals included). */
export const locale = "it-IT";

/** Italian offices' time: 00:30 in Rome is that day's, not the day before's as in UTC. */
export const officeTimeZone = "Europe/Rome";

/**
 * A formatter made at its first use: each one loads ICU data, and the eight made at import cost
 * a cold `ask`, which formats no date, some 15 ms.
 */
function lazily<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

const dateTime = lazily(
  () =>
    new Intl.DateTimeFormat(locale, {
      timeZone: officeTimeZone,
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    }),
);
const dateOnly = lazily(
  () =>
    new Intl.DateTimeFormat(locale, {
      timeZone: officeTimeZone,
      day: "numeric",
      month: "short",
      year: "numeric",
    }),
);
// The store groups questions by UTC day: its day keys are shown as they are, without a shift.
const dayKey = lazily(
  () => new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "numeric", month: "short" }),
);
const timeOnly = lazily(
  () =>
    new Intl.DateTimeFormat(locale, {
      timeZone: officeTimeZone,
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }),
);
const yearOnly = lazily(
  () => new Intl.DateTimeFormat(locale, { year: "numeric", timeZone: officeTimeZone }),
);
const dayMonth = lazily(
  () =>
    new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "long",
      timeZone: officeTimeZone,
    }),
);
const dayMonthYear = lazily(
  () =>
    new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: officeTimeZone,
    }),
);

function parsed(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** "3 mar 2026, 11:00"; the text itself when it is not a date. */
export function formatDateTime(iso: string): string {
  const date = parsed(iso);
  return date ? dateTime().format(date) : iso;
}

/** "3 mar 2026"; the text itself when it is not a date. */
export function formatDate(iso: string): string {
  const date = parsed(iso);
  return date ? dateOnly().format(date) : iso;
}

/** "3 mar" for a YYYY-MM-DD day key (UTC, as the store groups days). */
export function formatDay(day: string): string {
  const date = parsed(`${day}T00:00:00Z`);
  return date ? dayKey().format(date) : day;
}

/** "11:00:00"; the text itself when it is not a date. */
export function formatTime(iso: string): string {
  const date = parsed(iso);
  return date ? timeOnly().format(date) : iso;
}

/** "3 marzo" (with the year when it is not the year of `now`), as a notification names a day. */
export function formatLongDay(iso: string, now: Date): string {
  const date = new Date(iso);
  return yearOnly().format(date) === yearOnly().format(now)
    ? dayMonth().format(date)
    : dayMonthYear().format(date);
}

const oneDecimal = lazily(
  () =>
    new Intl.NumberFormat(locale, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }),
);

/** "3,4" for 3_412 ms: a duration in seconds, with the Italian decimal comma. */
export function formatSeconds(ms: number): string {
  return oneDecimal().format(ms / 1000);
}

/** "42%" for 0.42; "–" when there is no rate (nothing to divide by). */
export function formatPercent(rate: number | null): string {
  return rate === null ? "–" : `${Math.round(rate * 100)}%`;
}
