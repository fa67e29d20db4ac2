/**
 * Runs `tick` every `intervalMs`, or at once when woken, never two ticks at a time: a wake during a
 * tick runs one more right after it, so nothing signalled mid-tick waits for the next interval.
 */
export class Poller {
    private timer: NodeJS.Timeout | undefined;
    private inFlight: Promise<void> | undefined;
    private again = false;
    private stopped = true;

    constructor(
        private readonly intervalMs: number,
        private readonly tick: () => Promise<void> | void,
        private readonly onError: (error: unknown) => void
    ) {
        if (!Number.isInteger(intervalMs) || intervalMs < 1) {
            throw new RangeError(`the poll interval must be a positive number of milliseconds, got ${intervalMs}`);
        }
    }

    start(): void {
        if (!this.stopped) return;
        this.stopped = false;
        this.wake();
    }

    wake(): void {
        if (this.stopped) return;
        if (this.inFlight) {
            this.again = true;
            return;
        }
        clearTimeout(this.timer);
        this.timer = undefined;
        this.inFlight = Promise.resolve()
            .then(this.tick)
            .catch(this.onError)
            .finally(() => {
                this.inFlight = undefined;
                if (this.stopped) return;
                if (this.again) {
                    this.again = false;
                    this.wake();
                    return;
                }
                this.timer = setTimeout(() => this.wake(), this.intervalMs);
                this.timer.unref();
            });
    }

    /** No further ticks; resolves when the one in flight has finished. */
    async stop(): Promise<void> {
        this.stopped = true;
        clearTimeout(this.timer);
        this.timer = undefined;
        await this.inFlight;
    }
}
