// Small bounded in-memory maps the Slack adapter needs between events: the event ids already
// processed (Slack retries), the threads the bot answered, the answers behind ephemeral messages.
// Bounded so a long-running process does not grow without limit; oldest entries leave first.

export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Event ids seen in the last hour. Slack retries an event up to three times over about an hour
 * when it thinks the first delivery failed; the retry carries the same `event_id`.
 */
export class SeenEvents {
  readonly #seen: BoundedMap<string, number>;
  readonly #ttlMs: number;

  constructor(capacity = 10_000, ttlMs = 60 * 60 * 1000) {
    this.#seen = new BoundedMap(capacity);
    this.#ttlMs = ttlMs;
  }

  /** True the first time an id is offered (within the ttl), false for a repeat. */
  firstTime(eventId: string, now: number = Date.now()): boolean {
    const at = this.#seen.get(eventId);
    if (at !== undefined && now - at < this.#ttlMs) return false;
    this.#seen.set(eventId, now);
    return true;
  }
}
