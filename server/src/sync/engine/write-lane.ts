/**
 * One piece of work at a time landing in the background while its caller goes on: a group's writes of
 * one window land while the next window is decided. At most one is in flight, so what is held stays one
 * window's worth; its result (or failure) is handed over when the caller next waits for it, and a failure
 * nobody waits for yet is kept, never an unhandled rejection.
 */
type Landing<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class WriteLane<T> {
    private landing: Promise<Landing<T>> | undefined;

    /** Whether work is in flight. */
    get busy(): boolean {
        return this.landing !== undefined;
    }

    /** Lets `work` land in the background; the work before it must have landed (`landed()`). */
    carry(work: Promise<T>): void {
        if (this.landing) throw new Error('WriteLane: the work before has not landed yet');
        this.landing = work.then(
            (value): Landing<T> => ({ ok: true, value }),
            (error: unknown): Landing<T> => ({ ok: false, error })
        );
    }

    /** Waits for the work in flight and returns its result (undefined when none); its failure is thrown here. */
    async landed(): Promise<T | undefined> {
        const landing = this.landing;
        if (!landing) return undefined;
        const outcome = await landing;
        this.landing = undefined;
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
    }

    /**
     * Waits for the work in flight to land or fail and forgets it, throwing nothing: for a caller that is
     * failing already, so that what landed is stored before its error goes on, and nothing writes after it.
     */
    async drain(): Promise<void> {
        const landing = this.landing;
        this.landing = undefined;
        await landing;
    }
}
