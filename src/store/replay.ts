// Requests already processed, by key, until they expire: a Slack event id or request signature,
// a Telegram callback. Kept in SQLite so that a replay is refused also after a restart.
import { type Db, preparedOnUse } from "./database.js";

export function createReplayQueries(db: Db, now: () => Date) {
  const purge = preparedOnUse(db, "DELETE FROM seen_requests WHERE expires_at <= ?");
  // A key whose time is up counts as new again even before the purge has dropped it.
  const claim = preparedOnUse(
    db,
    `
    INSERT INTO seen_requests (key, expires_at) VALUES (@key, @expires)
    ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
      WHERE seen_requests.expires_at <= @now`,
  );
  let lastPurge = 0;
  return {
    /**
     * True the first time `key` is claimed within `ttlSeconds`, false for every repeat. The
     * expired keys are dropped at most once a minute, so the table stays as small as the traffic
     * of the longest ttl.
     */
    firstTime(key: string, ttlSeconds: number): boolean {
      const at = now().getTime();
      return db
        .transaction(() => {
          if (at - lastPurge > 60_000) {
            purge.run(at);
            lastPurge = at;
          }
          return claim.run({ key, expires: at + ttlSeconds * 1000, now: at }).changes === 1;
        })
        .immediate();
    },
  };
}
