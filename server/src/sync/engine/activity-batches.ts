/**
 * Writes wait in a queue until a full batch (the API maximum) is there, so reading the changes page by
 * page costs no extra calls: a batch is partial only once per queue, at the end of the step. Entries
 * with the same key are merged while they wait (one record is never sent twice in one batch).
 */
export class BatchQueue<T> {
    private readonly waiting = new Map<string, T>();
    private sequence = 0;

    constructor(
        private readonly batchSize: number,
        private readonly send: (batch: T[]) => Promise<void>,
        private readonly merging?: { key: (entry: T) => string; merge: (waiting: T, entry: T) => T }
    ) {}

    get size(): number {
        return this.waiting.size;
    }

    has(key: string): boolean {
        return this.waiting.has(key);
    }

    async push(entry: T): Promise<void> {
        const key = this.merging ? this.merging.key(entry) : String(this.sequence++);
        const waiting = this.waiting.get(key);
        this.waiting.set(key, waiting !== undefined && this.merging ? this.merging.merge(waiting, entry) : entry);
        if (this.waiting.size >= this.batchSize) await this.flush();
    }

    /** Sends what waits (at most one batch: `push` never lets more gather). */
    async flush(): Promise<void> {
        if (this.waiting.size === 0) return;
        const batch = [...this.waiting.values()];
        this.waiting.clear();
        await this.send(batch);
    }
}
