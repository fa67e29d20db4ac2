/**
 * The relay's Resync button, served by the engine: requests are collected, deduplicated per record and
 * synced together in ID-limited runs (≤200 records each) as soon as no other run is in flight.
 */
import type { ResyncQueue, ResyncRequest } from '../../relay/resync-queue';
import type { MappingFile } from '../mapping/schema';
import type { RunReport } from './context';
import type { SyncEngine } from './engine';

const idsPerRun = 200;

export interface EngineResyncQueueOptions {
    onReport?: (report: RunReport) => void;
    onError?: (error: unknown) => void;
}

export class EngineResyncQueue implements ResyncQueue {
    readonly objects: readonly string[];
    private readonly pending = new Map<string, string>();
    private draining: Promise<void> | undefined;
    private sequence = 0;

    constructor(
        private readonly engine: SyncEngine,
        mapping: MappingFile,
        private readonly options: EngineResyncQueueOptions = {}
    ) {
        this.objects = [
            ...new Set(mapping.records.filter((record) => record.enabled).map((record) => record.salesforceObject))
        ];
    }

    enqueue(request: ResyncRequest): Promise<{ jobId: string }> {
        if (!this.objects.includes(request.sfObject)) {
            return Promise.reject(new Error(`${request.sfObject} is not synced by the mapping`));
        }
        let jobId = this.pending.get(request.sfId);
        if (jobId === undefined) {
            this.sequence += 1;
            jobId = `resync-${this.sequence}-${request.sfId}`;
            this.pending.set(request.sfId, jobId);
        }
        this.draining ??= this.drain().finally(() => {
            this.draining = undefined;
        });
        return Promise.resolve({ jobId });
    }

    /** Records waiting for their resync run (the dashboard's queue depth). */
    get depth(): number {
        return this.pending.size;
    }

    /** Resolves when every request queued so far has been synced (or has failed). */
    async idle(): Promise<void> {
        while (this.draining) await this.draining;
    }

    private async drain(): Promise<void> {
        while (this.pending.size > 0) {
            await this.engine.whenIdle();
            const ids = [...this.pending.keys()].slice(0, idsPerRun);
            try {
                const report = await this.engine.resync(ids);
                this.options.onReport?.(report);
            } catch (error) {
                // Another run started first: wait for it and try again.
                if ((error as Error).name === 'SyncAlreadyRunningError') continue;
                this.options.onError?.(error);
            }
            for (const id of ids) this.pending.delete(id);
        }
    }
}
