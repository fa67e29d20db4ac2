/**
 * HubSpot webhook events, from the relay's durable intake table into the work queue as signals. An
 * event is marked processed only after its signals are committed to the queue (a separate connection,
 * so "right after", not "in the same transaction"): a crash in between enqueues it again on restart,
 * which the queue coalesces into the same item. Nothing is lost and nothing is doubled.
 */
import type { Signal, WorkQueue } from '../queue';
import type { StateStore } from '../state/store';
import type { FastPathLogger } from './logger';
import { webhookSignals } from './signals';

export interface WebhookPumpOptions {
    store: Pick<StateStore, 'pendingEvents' | 'markEventsProcessed' | 'markEventFailed'>;
    queue: Pick<WorkQueue, 'enqueue'>;
    /** Object → run group (`fastPathScope(mapping).runGroupOf`): which HubSpot types the mapping syncs. */
    runGroups: ReadonlyMap<string, string>;
    /**
     * The HubSpot app the relay writes with, whose echoed writes are no work; by default the app that sent
     * each notification (see `isOwnHubSpotWrite`).
     */
    ownHubSpotAppId?: number;
    /** Intake events read per transaction. */
    batchSize?: number;
    onSignals?: () => void;
    logger?: FastPathLogger;
}

export interface PumpResult {
    /** Events that became at least one signal. */
    signalled: number;
    /** Events with nothing for the fast path to do (ignored types, association changes). */
    noWork: number;
    /** Of `noWork`, the relay's own writes echoed back (each would have cost a batch read to find nothing). */
    ownWrites: number;
    /** Events whose stored shape is unreadable: marked failed with the reason, then processed. */
    invalid: number;
    /** Signals handed to the queue (before it coalesces them per record). */
    signals: number;
}

const emptyResult = (): PumpResult => ({ signalled: 0, noWork: 0, ownWrites: 0, invalid: 0, signals: 0 });

export class WebhookSignalPump {
    private readonly batchSize: number;
    /** Every drain since the start, added up (what the metrics and tests read). */
    readonly counters: PumpResult = emptyResult();

    constructor(private readonly options: WebhookPumpOptions) {
        this.batchSize = options.batchSize ?? 500;
        if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
            throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
        }
    }

    /** Moves every pending intake event into the queue, one batch per transaction. */
    drain(): PumpResult {
        const total = emptyResult();
        for (;;) {
            const events = this.options.store.pendingEvents(this.batchSize);
            if (events.length === 0) break;
            const signals: Signal[] = [];
            const failures: { id: number; error: string }[] = [];
            for (const event of events) {
                const outcome =
                    event.source === 'hubspot'
                        ? webhookSignals(event.payload, this.options.runGroups, this.options.ownHubSpotAppId)
                        : {
                              kind: 'invalid' as const,
                              error: `no fast-path consumer for ${event.source} intake events`
                          };
                if (outcome.kind === 'signals') {
                    signals.push(...outcome.signals);
                    total.signalled += 1;
                } else if (outcome.kind === 'no_work') {
                    total.noWork += 1;
                } else if (outcome.kind === 'own_write') {
                    total.noWork += 1;
                    total.ownWrites += 1;
                } else {
                    failures.push({ id: event.id, error: outcome.error });
                    total.invalid += 1;
                }
            }
            if (signals.length > 0) this.options.queue.enqueue(signals);
            for (const { id, error } of failures) {
                this.options.store.markEventFailed(id, error);
                this.options.logger?.warn({ intakeEventId: id, reason: error }, 'webhook event skipped');
            }
            this.options.store.markEventsProcessed(events.map((event) => event.id));
            total.signals += signals.length;
        }
        for (const key of Object.keys(total) as (keyof PumpResult)[]) this.counters[key] += total[key];
        if (total.signals > 0) this.options.onSignals?.();
        return total;
    }
}
