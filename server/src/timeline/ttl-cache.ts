/** A small in-memory cache: entries expire after `ttlMs`, and past `maxEntries` the least recently used go first. */
export class TtlCache<V> {
    private readonly entries = new Map<string, { value: V; expiresAt: number }>();

    constructor(
        private readonly ttlMs: number,
        private readonly maxEntries: number,
        private readonly now: () => number = Date.now
    ) {}

    get(key: string): V | undefined {
        const entry = this.entries.get(key);
        if (!entry) return undefined;
        this.entries.delete(key);
        if (entry.expiresAt <= this.now()) return undefined;
        this.entries.set(key, entry);
        return entry.value;
    }

    set(key: string, value: V): void {
        this.entries.delete(key);
        this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
        while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }

    get size(): number {
        return this.entries.size;
    }
}
