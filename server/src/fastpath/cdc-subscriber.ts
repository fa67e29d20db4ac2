/**
 * Salesforce Change Data Capture through jsforce's streaming client (Bayeux/CometD with the replay
 * extension): one client per `/data/<Object>ChangeEvent` channel, because jsforce's `Replay` extension
 * carries the replay ID of a single channel. Each event becomes work-queue signals and then its replay ID
 * is stored, in that order: a crash in between repeats a signal (coalesced), never loses one, and a
 * restart resumes after the last processed event.
 *
 * Recovery: a stored replay ID the server no longer retains (72 hours) is refused at subscribe; the
 * object is then reconciled by an incremental run and the channel restarts with new events only (-1).
 * An expired session (`AuthFailure`: handshake or connect refused with `reconnect: none`) logs in again
 * and resubscribes every channel from its stored position.
 */
import type { Connection } from 'jsforce';
import { StreamingExtension, type Client } from 'jsforce/lib/api/streaming';

import type { WorkQueue } from '../queue';
import type { StateStore } from '../state/store';
import { errorMessage } from '../sync/errors';
import type { FastPathLogger } from './logger';
import { ChangeEventMessage, changeEventSignals, reconcileSignal } from './signals';

/** The replay ID for "only events published from now on". */
export const newEventsOnly = -1;

export const changeEventChannel = (object: string) => `/data/${object}ChangeEvent`;

/** The pause before logging in again after the server refused the session. */
const renewPauseMs = 1_000;

/** How long `stop` waits for the server to acknowledge a disconnect. */
const disconnectWaitMs = 2_000;

/** Salesforce's answer to a subscribe whose replay ID it does not retain. */
const replayRefused = /replayId\b.*\binvalid/i;

export interface CdcSubscriberOptions {
    /** Logs in and returns a jsforce connection; called again when the streaming session expires. */
    connect: () => Promise<Connection>;
    store: Pick<StateStore, 'cdcReplayId' | 'saveCdcReplayId' | 'clearCdcReplayId'>;
    queue: Pick<WorkQueue, 'enqueue'>;
    /** Salesforce objects whose channels to follow. */
    objects: readonly string[];
    /** The `client=` name our own writes carry in `changeOrigin` (`salesforceClientName`). */
    clientName: string;
    /** Told after signals were enqueued, so the worker claims them without waiting for its next poll. */
    onSignals?: () => void;
    /** The pause between streaming logins that failed (network, credentials being rotated); 30 s by default. */
    loginRetryMs?: number;
    logger?: FastPathLogger;
}

export interface CdcCounters {
    /** Events that became signals. */
    signalled: number;
    /** Our own writes, recognised by `changeOrigin`. */
    ownWrites: number;
    /** Events delivered again (already processed), skipped. */
    duplicates: number;
    /** Objects reconciled because their stored replay ID was out of retention. */
    outOfRetention: number;
    /** Events whose shape was unreadable, logged and skipped. */
    unreadable: number;
    /** Logins (and resubscriptions) after the server refused the session or a login failed. */
    sessionRenewals: number;
}

/** jsforce types the faye client without `disconnect`, which it has. */
interface DisconnectableClient extends Client {
    disconnect(): PromiseLike<void> | undefined;
}

interface ChannelState {
    object: string;
    channel: string;
    client?: DisconnectableClient;
    /** The last replay ID processed, so a redelivery (reconnect, resubscribe) is skipped. */
    lastReplayId?: number;
}

export class CdcSubscriber {
    readonly counters: CdcCounters = {
        signalled: 0,
        ownWrites: 0,
        duplicates: 0,
        outOfRetention: 0,
        unreadable: 0,
        sessionRenewals: 0
    };
    private readonly channels: ChannelState[];
    private connection: Connection | undefined;
    private stopped = true;
    private renewing: Promise<void> | undefined;
    private loginRetry: NodeJS.Timeout | undefined;

    constructor(private readonly options: CdcSubscriberOptions) {
        this.channels = [...new Set(options.objects)].map((object) => ({
            object,
            channel: changeEventChannel(object)
        }));
    }

    /**
     * Subscribes every channel; resolves once each is subscribed (or has failed, which is logged). A login
     * that fails is logged and tried again after `loginRetryMs`: the relay runs on, the poll syncs meanwhile.
     */
    async start(): Promise<void> {
        if (!this.stopped) return;
        this.stopped = false;
        try {
            this.connection = await this.options.connect();
        } catch (error) {
            this.loginFailed(error);
            return;
        }
        await Promise.all(this.channels.map((state) => this.subscribe(state)));
    }

    /** Disconnects every client. Events are processed synchronously as they arrive, so none is half done. */
    async stop(): Promise<void> {
        this.stopped = true;
        clearTimeout(this.loginRetry);
        await this.renewing;
        await Promise.all(this.channels.map((state) => this.disconnect(state)));
    }

    private async subscribe(state: ChannelState): Promise<void> {
        const connection = this.connection;
        if (this.stopped || !connection) return;
        const stored = this.options.store.cdcReplayId(state.channel);
        state.lastReplayId = stored;
        const client = connection.streaming.createClient([
            new StreamingExtension.AuthFailure(() => void this.renewSession()),
            new StreamingExtension.Replay(state.channel, stored ?? newEventsOnly)
        ]) as DisconnectableClient;
        state.client = client;
        try {
            await new Promise<void>((resolve, reject) => {
                client
                    .subscribe(state.channel, (message: unknown) => this.receive(state, message))
                    .then(resolve, reject);
            });
            this.options.logger?.info(
                { channel: state.channel, replayFrom: stored ?? newEventsOnly },
                `CDC: subscribed to ${state.channel}`
            );
        } catch (error) {
            await this.disconnect(state);
            const message = errorMessage(error) || String(error);
            if (stored !== undefined && replayRefused.test(message)) {
                this.recoverFromLostPosition(state, message);
                await this.subscribe(state);
                return;
            }
            this.options.logger?.error(
                { channel: state.channel, err: message },
                `CDC: cannot subscribe to ${state.channel}; the scheduled poll still syncs ${state.object}`
            );
        }
    }

    /** The server no longer has the events after our position: reconcile the object, then take new events. */
    private recoverFromLostPosition(state: ChannelState, reason: string): void {
        this.options.queue.enqueue([reconcileSignal(state.object, 'cdc replay ID out of retention')]);
        this.options.store.clearCdcReplayId(state.channel);
        this.counters.outOfRetention += 1;
        this.options.logger?.warn(
            { channel: state.channel, reason },
            `CDC: the stored position of ${state.channel} is out of retention; reconciling ${state.object}`
        );
        this.options.onSignals?.();
    }

    private receive(state: ChannelState, raw: unknown): void {
        // A client being disconnected can still deliver; its events replay from the stored position.
        if (this.stopped || state.client === undefined) return;
        const parsed = ChangeEventMessage.safeParse(raw);
        if (!parsed.success) {
            this.counters.unreadable += 1;
            this.options.logger?.warn({ channel: state.channel }, 'CDC: an unreadable change event was skipped');
            return;
        }
        const replayId = parsed.data.event.replayId;
        if (state.lastReplayId !== undefined && replayId <= state.lastReplayId) {
            this.counters.duplicates += 1;
            return;
        }
        try {
            const outcome = changeEventSignals(parsed.data.payload.ChangeEventHeader, this.options.clientName);
            if (outcome.kind === 'signals') this.options.queue.enqueue(outcome.signals);
            this.options.store.saveCdcReplayId(state.channel, replayId);
            state.lastReplayId = replayId;
            if (outcome.kind === 'own_write') this.counters.ownWrites += 1;
            else {
                this.counters.signalled += 1;
                this.options.onSignals?.();
            }
        } catch (error) {
            // Not stored: subscribing again replays from the last stored position, this event included.
            this.options.logger?.error(
                { channel: state.channel, replayId, err: errorMessage(error) },
                'CDC: could not queue a change event; resubscribing from the stored position'
            );
            void this.disconnect(state).then(() => this.subscribe(state));
        }
    }

    /** Another login, then every channel again from its stored position. */
    private renewSession(): Promise<void> {
        this.renewing ??= (async () => {
            this.options.logger?.warn('CDC: logging in again (the streaming session expired or the last login failed)');
            await Promise.all(this.channels.map((state) => this.disconnect(state)));
            // A login that succeeds but whose session is refused again must not spin.
            await new Promise((resolve) => setTimeout(resolve, renewPauseMs).unref());
            if (this.stopped) return;
            try {
                this.connection = await this.options.connect();
                // A channel without a stored position resumes with new events only: what changed while it
                // was down is read by a reconcile of its object instead.
                const unpositioned = this.channels.filter(
                    (state) => this.options.store.cdcReplayId(state.channel) === undefined
                );
                if (unpositioned.length > 0) {
                    this.options.queue.enqueue(
                        unpositioned.map((state) => reconcileSignal(state.object, 'cdc session renewed'))
                    );
                    this.options.onSignals?.();
                }
                await Promise.all(this.channels.map((state) => this.subscribe(state)));
                this.counters.sessionRenewals += 1;
            } catch (error) {
                this.loginFailed(error);
            }
        })().finally(() => {
            this.renewing = undefined;
        });
        return this.renewing;
    }

    private loginFailed(error: unknown): void {
        const loginRetryMs = this.options.loginRetryMs ?? 30_000;
        this.options.logger?.error(
            { err: errorMessage(error) },
            `CDC: the streaming login failed; trying again in ${loginRetryMs / 1000} s (the scheduled poll keeps syncing)`
        );
        clearTimeout(this.loginRetry);
        this.loginRetry = setTimeout(() => void this.renewSession(), loginRetryMs);
        this.loginRetry.unref();
    }

    /** Resolves when the server acknowledged the disconnect (faye then closes its transport), or after a pause. */
    private async disconnect(state: ChannelState): Promise<void> {
        const client = state.client;
        state.client = undefined;
        // faye answers undefined for a client that is not connected: there is nothing to close.
        const acknowledged = client?.disconnect() as PromiseLike<void> | undefined;
        if (!acknowledged) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
            Promise.resolve(acknowledged).catch(() => undefined),
            new Promise((resolve) => {
                timer = setTimeout(resolve, disconnectWaitMs);
            })
        ]);
        clearTimeout(timer);
    }
}
