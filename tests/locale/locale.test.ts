// The formats people read: Italian words and decimal comma, Rome's time for moments, UTC for the
// store's day keys.
import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatLongDay,
  formatPercent,
  formatSeconds,
  formatTime,
} from "../../src/locale.js";

describe("locale", () => {
  it("shows moments in Rome's time, with Italian month names", () => {
    // 23:30 UTC on 31 December is already 1 January in Rome.
    expect(formatDate("2025-12-31T23:30:00Z")).toBe("1 gen 2026");
    expect(formatDateTime("2026-03-03T10:05:00Z")).toBe("3 mar 2026, 11:05");
    expect(formatTime("2026-07-03T10:05:09Z")).toBe("12:05:09");
  });

  it("shows the store's UTC day keys without a shift", () => {
    expect(formatDay("2026-03-03")).toBe("3 mar");
  });

  it("names the year of a notification's day only when it is not the current one", () => {
    const now = new Date("2026-12-02T08:00:00Z");
    expect(formatLongDay("2026-03-03T10:00:00Z", now)).toBe("3 marzo");
    expect(formatLongDay("2025-03-03T10:00:00Z", now)).toBe("3 marzo 2025");
  });

  it("writes numbers with the Italian decimal comma", () => {
    expect(formatSeconds(3_412)).toBe("3,4");
    expect(formatPercent(0.425)).toBe("43%");
    expect(formatPercent(null)).toBe("–");
  });

  it("leaves text that is not a date as it is", () => {
    expect(formatDate("ieri")).toBe("ieri");
    expect(formatDay("ieri")).toBe("ieri");
  });
});
