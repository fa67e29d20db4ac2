/**
 * Runs an incremental sync every `intervalMinutes` (SYNC_INTERVAL_MINUTES, 15 by default). The next
 * run is scheduled when the previous one ends, so runs never overlap; `triggerNow()` starts one at once
 * (or, while one is running, right after it); `stop()` lets the run in flight finish the group it is
 * writing and waits for it.
 */
import type { RunReport } from './context';
import { SyncAlreadyRunningError, type SyncEngine } from './engine';

export interface SyncSchedulerOptions {
    intervalMinutes: number;
    /** Called with every finished run (the relay logs it, the dashboard shows it). */
    onReport?: (report: RunReport) => void;
    /** Called when a run could not start (another process runs one, ...). */
    onError?: (error: unknown) => void;
}

export class SyncScheduler {
    private timer: NodeJS.Timeout | undefined;
    private inFlight: Promise<RunReport | undefined> | undefined;
    private again = false;
    private stopped = true;

    constructor(
        private readonly engine: SyncEngine,
        private readonly options: SyncSchedulerOptions
    ) {
        if (!Number.isFinite(options.intervalMinutes) || options.intervalMinutes <= 0) {
            throw new RangeError(`intervalMinutes must be a positive number, not ${options.intervalMinutes}`);
        }
    }

    get running(): boolean {
        return this.inFlight !== undefined;
    }

    /** Starts the schedule with a run now. */
    start(): void {
        if (!this.stopped) return;
        this.stopped = false;
        void this.triggerNow();
    }

    /** Runs a sync now; while one runs, the next one starts right after it. Resolves with the report. */
    triggerNow(): Promise<RunReport | undefined> {
        if (this.inFlight) {
            this.again = true;
            return this.inFlight;
        }
        this.clearTimer();
        const run = this.runOnce().finally(() => {
            this.inFlight = undefined;
            if (this.again && !this.stopped) {
                this.again = false;
                void this.triggerNow();
            } else {
                this.scheduleNext();
            }
        });
        this.inFlight = run;
        return run;
    }

    async stop(): Promise<void> {
        this.stopped = true;
        this.again = false;
        this.clearTimer();
        if (this.inFlight) {
            await this.engine.stop();
            await this.inFlight;
        }
    }

    private async runOnce(): Promise<RunReport | undefined> {
        for (;;) {
            // A run of chosen records (the fast path, a resync) may hold the engine: this one follows it.
            await this.engine.whenIdle();
            try {
                const report = await this.engine.run({ mode: 'incremental' });
                this.options.onReport?.(report);
                return report;
            } catch (error) {
                if (error instanceof SyncAlreadyRunningError && this.engine.running) continue;
                this.options.onError?.(error);
                return undefined;
            }
        }
    }

    private scheduleNext(): void {
        if (this.stopped) return;
        this.clearTimer();
        this.timer = setTimeout(() => void this.triggerNow(), this.options.intervalMinutes * 60_000);
        this.timer.unref();
    }

    private clearTimer(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
    }
}
