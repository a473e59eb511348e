import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    // Generous: a test must never fail because the machine was slow (builds, child processes).
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: "forks",
  },
});
