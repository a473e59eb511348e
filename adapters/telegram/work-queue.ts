// Runs the work of each update in the background, in order within a chat and concurrently across
// chats, and knows what is still in flight so that stopping can wait for it.
export class WorkQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #maxInflight: number;

  constructor(maxInflight = 256) {
    this.#maxInflight = maxInflight;
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  /**
   * Queues `task` behind the earlier work of the same chat. Resolves once queued (after waiting
   * for room when too much is in flight, which slows intake instead of exhausting memory); the
   * task itself must not throw: it is its own error boundary.
   */
  async run(chatKey: string, task: () => Promise<void>): Promise<void> {
    while (this.#inflight.size >= this.#maxInflight) await Promise.race(this.#inflight);
    const previous = this.#tails.get(chatKey) ?? Promise.resolve();
    const job = previous.then(task, task).catch(() => undefined);
    this.#tails.set(chatKey, job);
    this.#inflight.add(job);
    void job.finally(() => {
      this.#inflight.delete(job);
      if (this.#tails.get(chatKey) === job) this.#tails.delete(chatKey);
    });
  }

  /** Waits until everything queued so far, and anything it queues, has finished. */
  async drain(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }
}
