import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AuthService } from './auth';
import { toCometdData, type ChangeEventBus, type ChangeEvent } from './cdc';

/**
 * The Bayeux subset the Streaming API speaks to jsforce's faye client over long-polling: handshake
 * (advertising the replay extension), connect, subscribe with `ext.replay`, unsubscribe, disconnect.
 */

interface BayeuxMessage {
    channel?: unknown;
    clientId?: unknown;
    id?: unknown;
    subscription?: unknown;
    ext?: { replay?: Record<string, unknown> };
}

interface StreamingClient {
    id: string;
    subscriptions: Set<string>;
    queue: Record<string, unknown>[];
    lastSeenAt: number;
    /** CometD answers a client's first /meta/connect at once; later ones are held. */
    connected: boolean;
    flush?: () => void;
}

/** How long a /meta/connect is held open when nothing is queued. */
const DEFAULT_POLL_MS = 20_000;
/** Clients that stop polling are forgotten after this long. */
const CLIENT_TTL_MS = 120_000;

export class CometdServer {
    private readonly clients = new Map<string, StreamingClient>();
    private readonly unsubscribe: () => void;
    private readonly pending = new Set<NodeJS.Timeout>();

    constructor(
        private readonly bus: ChangeEventBus,
        private readonly auth: AuthService,
        private readonly pollMs = DEFAULT_POLL_MS
    ) {
        this.unsubscribe = bus.subscribe((event) => this.deliver(event));
    }

    close(): void {
        this.unsubscribe();
        for (const timer of this.pending) clearTimeout(timer);
        for (const client of this.clients.values()) client.flush?.();
        this.clients.clear();
    }

    handle = async (req: Request, res: Response): Promise<void> => {
        const messages = this.parse(req.body);
        if (!messages) {
            res.status(400).json([{ successful: false, error: '400::Bad Request' }]);
            return;
        }
        const token = /^(?:OAuth|Bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const session = this.auth.authenticate(token);
        const replies: Record<string, unknown>[] = [];
        let holdFor: StreamingClient | undefined;
        for (const message of messages) {
            const channel = typeof message.channel === 'string' ? message.channel : '';
            const base = { channel, ...(message.id !== undefined ? { id: message.id } : {}) };
            if (!session) {
                replies.push({
                    ...base,
                    successful: false,
                    error: channel === '/meta/handshake' ? '403::Handshake denied' : '403::Unknown client',
                    ext: { sfdc: { failureReason: '401::Authentication invalid' } },
                    advice: { reconnect: 'none' }
                });
                continue;
            }
            if (channel === '/meta/handshake') {
                const client: StreamingClient = {
                    id: randomBytes(16).toString('base64url'),
                    subscriptions: new Set(),
                    queue: [],
                    lastSeenAt: Date.now(),
                    connected: false
                };
                this.clients.set(client.id, client);
                replies.push({
                    ...base,
                    version: '1.0',
                    minimumVersion: '1.0',
                    supportedConnectionTypes: ['long-polling'],
                    clientId: client.id,
                    successful: true,
                    ext: { replay: true, 'payload.format': true },
                    advice: { interval: 0, timeout: this.pollMs, reconnect: 'retry' }
                });
                continue;
            }
            const client = typeof message.clientId === 'string' ? this.clients.get(message.clientId) : undefined;
            if (!client) {
                replies.push({
                    ...base,
                    successful: false,
                    error: '403::Unknown client',
                    advice: { reconnect: 'handshake', interval: 0 }
                });
                continue;
            }
            client.lastSeenAt = Date.now();
            switch (channel) {
                case '/meta/connect':
                    replies.push({
                        ...base,
                        clientId: client.id,
                        successful: true,
                        advice: { interval: 0, timeout: this.pollMs, reconnect: 'retry' }
                    });
                    if (client.connected) holdFor = client;
                    client.connected = true;
                    break;
                case '/meta/subscribe':
                    replies.push({ ...base, clientId: client.id, ...this.subscribe(client, message) });
                    break;
                case '/meta/unsubscribe': {
                    const subscription = String(message.subscription ?? '');
                    client.subscriptions.delete(subscription);
                    replies.push({ ...base, clientId: client.id, subscription, successful: true });
                    break;
                }
                case '/meta/disconnect':
                    this.clients.delete(client.id);
                    client.flush?.();
                    replies.push({ ...base, clientId: client.id, successful: true });
                    break;
                default:
                    replies.push({ ...base, successful: false, error: `403:${channel}:Publish denied` });
            }
        }
        this.forgetIdleClients();
        if (!holdFor || holdFor.queue.length > 0) {
            const target = holdFor ?? this.connectedClient(messages);
            this.respond(res, replies, holdFor);
            if (!holdFor && target && target.queue.length > 0) target.flush?.();
            return;
        }
        const client = holdFor;
        const timer = setTimeout(() => client.flush?.(), this.pollMs);
        this.pending.add(timer);
        client.flush = () => {
            clearTimeout(timer);
            this.pending.delete(timer);
            client.flush = undefined;
            this.respond(res, replies, client);
        };
        res.on('close', () => {
            if (client.flush && !res.writableEnded) {
                clearTimeout(timer);
                this.pending.delete(timer);
                client.flush = undefined;
            }
        });
    };

    private connectedClient(messages: BayeuxMessage[]): StreamingClient | undefined {
        const id = messages.find((m) => typeof m.clientId === 'string')?.clientId as string | undefined;
        return id ? this.clients.get(id) : undefined;
    }

    private respond(res: Response, replies: Record<string, unknown>[], client: StreamingClient | undefined): void {
        const delivered = client ? client.queue.splice(0) : [];
        if (!res.writableEnded) res.status(200).json([...delivered, ...replies]);
    }

    private parse(body: unknown): BayeuxMessage[] | undefined {
        let value = body;
        if (Buffer.isBuffer(value)) {
            try {
                value = JSON.parse(value.toString('utf8'));
            } catch {
                return undefined;
            }
        }
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) value = [value];
        return Array.isArray(value) && value.every((m) => typeof m === 'object' && m !== null)
            ? (value as BayeuxMessage[])
            : undefined;
    }

    private subscribe(client: StreamingClient, message: BayeuxMessage): Record<string, unknown> {
        const subscription = typeof message.subscription === 'string' ? message.subscription : '';
        if (!this.bus.isChannel(subscription)) {
            return {
                subscription,
                successful: false,
                error: `400::The channel you requested to subscribe to does not exist {${subscription}}`
            };
        }
        const requested = message.ext?.replay?.[subscription];
        const replayId = requested === undefined ? -1 : Number(requested);
        const backlog = Number.isInteger(replayId) ? this.bus.replayFrom(subscription, replayId) : undefined;
        if (!backlog) {
            return {
                subscription,
                successful: false,
                error: `400::The replayId {${String(requested)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`
            };
        }
        client.subscriptions.add(subscription);
        for (const event of backlog) client.queue.push({ channel: subscription, data: toCometdData(event) });
        return { subscription, successful: true };
    }

    private deliver(event: ChangeEvent): void {
        for (const client of this.clients.values()) {
            let queued = false;
            for (const subscription of client.subscriptions) {
                if (!this.bus.matches(subscription, event)) continue;
                client.queue.push({ channel: subscription, data: toCometdData(event) });
                queued = true;
            }
            if (queued) client.flush?.();
        }
    }

    private forgetIdleClients(): void {
        const horizon = Date.now() - CLIENT_TTL_MS;
        for (const [id, client] of this.clients)
            if (client.lastSeenAt < horizon && !client.flush) this.clients.delete(id);
    }
}
