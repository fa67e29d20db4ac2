import express, { type Router } from 'express';
import { z } from 'zod';
import type { SandboxClock } from '../common/clock';
import { FaultRule, type FaultInjector } from '../common/faults';
import type { RequestCounter } from '../common/request-counter';
import type { ApiUsage } from './api-usage';
import type { AuthService, Session } from './auth';
import type { Bulk2Service } from './bulk2';
import type { ChangeEventBus, GapType } from './cdc';
import type { DmlEngine, WriteContext } from './dml';
import { newTransactionKey } from './dml';
import { asSalesforceError, notFound, SalesforceError } from './errors';
import { toId18 } from './ids';
import type { SalesforceSandboxOptions } from './options';
import type { OrgUsers } from './org-setup';
import { setUpOrg } from './org-setup';
import type { QueryService } from './query-service';
import type { SchemaCatalog } from './schema/catalog';
import { SEED_PRESETS, SeedShape, seedDataset, type SeedShapeInput, type SeedSummary } from './seed';
import type { RecordStore } from './store';
import { recordToWire } from './wire-format';

/**
 * The operator's side of the sandbox: seeding, edits made "as a user" in the UI, faults, the clock,
 * request counts, state export and reset. Available in-process and over HTTP under `/__sandbox/`.
 */
export interface HandleParts {
    options: SalesforceSandboxOptions;
    clock: SandboxClock;
    faults: FaultInjector;
    counter: RequestCounter;
    catalog: SchemaCatalog;
    store: RecordStore;
    dml: DmlEngine;
    auth: AuthService;
    bus: ChangeEventBus;
    usage: ApiUsage;
    bulk: Bulk2Service;
    users: OrgUsers;
    queries: QueryService;
}

export interface UserEditOptions {
    /** Which user makes the edit; the first sales rep by default. */
    userId?: string;
}

export class SandboxHandle {
    private connectionInfo: { loginUrl: string; instanceUrl: string; apiVersion: string } | undefined;

    constructor(private readonly parts: HandleParts) {}

    get clock(): SandboxClock {
        return this.parts.clock;
    }

    get faults(): FaultInjector {
        return this.parts.faults;
    }

    get requests(): RequestCounter {
        return this.parts.counter;
    }

    get users(): OrgUsers {
        return this.parts.users;
    }

    get orgId(): string {
        return this.parts.auth.orgId;
    }

    /** Custom-field files that could not be read at start (empty when all were fine). */
    get schemaProblems() {
        return this.parts.catalog.customFieldProblems;
    }

    attach(connection: { loginUrl: string; instanceUrl: string; apiVersion: string }): void {
        this.connectionInfo = connection;
    }

    seed(shape: 'empty' | 'demo' | SeedShapeInput): SeedSummary {
        const { catalog, store, dml, users, clock } = this.parts;
        const parsed = typeof shape === 'string' ? SEED_PRESETS[shape] : SeedShape.parse(shape);
        return seedDataset(parsed, {
            catalog,
            store,
            dml,
            // Seeded records belong to the sales reps, as in a real org (the integration user owns none).
            ownerIds: users.salesRepIds.length > 0 ? users.salesRepIds : [users.integrationUserId],
            now: clock.now()
        });
    }

    /** Clears all data, sessions, events, faults and counts; the org setup rows come back. */
    reset(): void {
        const { store, catalog, dml, options, clock, bus, faults, counter, auth, bulk, usage } = this.parts;
        store.clear();
        const users = setUpOrg(catalog, store, dml, options.username, clock.now());
        this.parts.users = users;
        bus.clear();
        faults.clear();
        counter.reset();
        auth.expireAllSessions();
        bulk.clear();
        usage.set(0);
    }

    private userContext(options: UserEditOptions): WriteContext {
        const userId = options.userId ?? this.parts.users.salesRepIds[0] ?? this.parts.users.integrationUserId;
        const user = this.parts.store.get(userId);
        if (!user || this.parts.store.objectOfId(userId) !== 'User') {
            throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', `no such user ${userId}`);
        }
        return { userId, changeOrigin: '', transactionKey: newTransactionKey(), allowDuplicateSave: true };
    }

    /** Creates a record as a user in the UI would (audit fields, CDC with an empty changeOrigin). */
    createAsUser(objectName: string, fields: Record<string, unknown>, options: UserEditOptions = {}) {
        const ctx = this.userContext(options);
        const record = this.parts.store.transaction(() => this.parts.dml.create(objectName, fields, ctx));
        return this.getRecord(record.Id)!;
    }

    editAsUser(id: string, fields: Record<string, unknown>, options: UserEditOptions = {}) {
        const recordId = this.requireId(id);
        const ctx = this.userContext(options);
        const objectName = this.parts.store.objectOfId(recordId)!;
        this.parts.store.transaction(() => this.parts.dml.update(objectName, recordId, fields, ctx));
        return this.getRecord(recordId)!;
    }

    deleteAsUser(id: string, options: UserEditOptions = {}): void {
        const recordId = this.requireId(id);
        const ctx = this.userContext(options);
        this.parts.store.transaction(() => this.parts.dml.delete(recordId, ctx));
    }

    undeleteAsUser(id: string, options: UserEditOptions = {}) {
        const recordId = this.requireId(id);
        const ctx = this.userContext(options);
        this.parts.store.transaction(() => this.parts.dml.undelete(recordId, ctx));
        return this.getRecord(recordId)!;
    }

    /** A record in REST JSON form (including recycle-bin records), or undefined. */
    getRecord(id: string): Record<string, unknown> | undefined {
        const recordId = toId18(id);
        const record = recordId ? this.parts.store.get(recordId) : undefined;
        if (!record) return undefined;
        const def = this.parts.catalog.find(this.parts.store.objectOfId(record.Id)!)!;
        return recordToWire(def, record, this.parts.options.apiVersion);
    }

    /** Runs SOQL for assertions (not counted, no session); includes deleted rows when `all`. */
    query(soql: string, all = false): Record<string, unknown>[] {
        const records: Record<string, unknown>[] = [];
        let page = this.parts.queries.run(soql, all, this.parts.options.apiVersion);
        records.push(...page.records);
        while (page.nextRecordsUrl) {
            page = this.parts.queries.more(page.nextRecordsUrl.split('/').pop()!, this.parts.options.apiVersion);
            records.push(...page.records);
        }
        return records;
    }

    count(objectName: string, includeDeleted = false): number {
        const def = this.parts.catalog.find(objectName);
        if (!def) throw notFound();
        let n = 0;
        for (const record of this.parts.store.table(def.name).values())
            if (includeDeleted || record.IsDeleted !== true) n++;
        return n;
    }

    /** Every record per object, and the retained change events. */
    exportState() {
        const { catalog, store, options, bus } = this.parts;
        const objects: Record<string, Record<string, unknown>[]> = {};
        for (const def of catalog.objects) {
            objects[def.name] = [...store.table(def.name).values()].map((r) =>
                recordToWire(def, r, options.apiVersion)
            );
        }
        return { now: this.parts.clock.date().toISOString(), objects, changeEvents: bus.all() };
    }

    changeEvents() {
        return this.parts.bus.all();
    }

    publishGap(objectName: string, recordIds: string[], changeType: GapType = 'GAP_UPDATE') {
        const def = this.parts.catalog.find(objectName);
        if (!def) throw notFound();
        return this.parts.bus.publishGap(def.name, recordIds, changeType, this.parts.users.integrationUserId);
    }

    expireSessions(): void {
        this.parts.auth.expireAllSessions();
    }

    /** A session for `new Connection({ instanceUrl, accessToken })` wiring without a login call. */
    issueAccessToken(accessToken?: string): string {
        if (accessToken) return this.parts.auth.registerAccessToken(accessToken).accessToken;
        return this.parts.auth.issue({
            userId: this.parts.users.integrationUserId,
            clientId: this.parts.options.clientId,
            withRefreshToken: false
        }).session.accessToken;
    }

    /** A refresh token as an admin-approved connected app would hold (for jsforce's refresh flow). */
    mintRefreshToken(): string {
        return this.parts.auth.mintRefreshToken();
    }

    apiUsage() {
        return this.parts.usage.snapshot();
    }

    setApiUsage(used: number): void {
        this.parts.usage.set(used);
    }

    identity(origin: string, session: Session) {
        const user = this.parts.store.get(session.userId)!;
        const id = `${origin}/id/${this.orgId}/${user.Id}`;
        const version = this.connectionInfo?.apiVersion ?? this.parts.options.apiVersion;
        return {
            id,
            asserted_user: true,
            user_id: user.Id,
            organization_id: this.orgId,
            username: user.Username,
            nick_name: user.Alias,
            display_name: user.Name,
            email: user.Email,
            email_verified: true,
            first_name: user.FirstName,
            last_name: user.LastName,
            timezone: user.TimeZoneSidKey,
            active: user.IsActive,
            user_type: 'STANDARD',
            language: 'en_US',
            locale: 'en_US',
            utcOffset: 0,
            last_modified_date: new Date(user.LastModifiedDate as number).toISOString().replace('Z', '+0000'),
            urls: {
                enterprise: `${origin}/services/Soap/c/${version}/${this.orgId}`,
                partner: `${origin}/services/Soap/u/${version}/${this.orgId}`,
                rest: `${origin}/services/data/v${version}/`,
                sobjects: `${origin}/services/data/v${version}/sobjects/`,
                query: `${origin}/services/data/v${version}/query/`,
                limits: `${origin}/services/data/v${version}/limits`,
                profile: `${origin}/${user.Id}`
            }
        };
    }

    private requireId(id: string): string {
        const recordId = toId18(id);
        if (!recordId || !this.parts.store.get(recordId)) throw notFound();
        return recordId;
    }
}

const EditBody = z.strictObject({ fields: z.record(z.string(), z.unknown()), userId: z.string().optional() });
const ClockBody = z.union([
    z.strictObject({ advanceMs: z.number().nonnegative() }),
    z.strictObject({ setTo: z.string() })
]);
const GapBody = z.strictObject({
    object: z.string(),
    recordIds: z.array(z.string()).min(1),
    changeType: z.enum(['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE', 'GAP_OVERFLOW']).default('GAP_UPDATE')
});
const SeedBody = z.union([z.strictObject({ preset: z.enum(['empty', 'demo']) }), SeedShape]);

function isLoopback(address: string | undefined): boolean {
    return (
        address === '127.0.0.1' ||
        address === '::1' ||
        address === '::ffff:127.0.0.1' ||
        (address?.startsWith('127.') ?? false)
    );
}

/** The HTTP face of the handle; answers only on loopback connections. */
export function createControlRouter(handle: SandboxHandle): Router {
    const router = express.Router();
    router.use((req, res, next) => {
        if (!isLoopback(req.socket.remoteAddress)) {
            res.status(403).json({ error: 'the control surface answers loopback connections only' });
            return;
        }
        if (Buffer.isBuffer(req.body) && req.body.length > 0) {
            try {
                req.body = JSON.parse(req.body.toString('utf8'));
            } catch {
                res.status(400).json({ error: 'the body must be JSON' });
                return;
            }
        } else {
            req.body = {};
        }
        next();
    });
    const run = (work: (req: express.Request) => unknown, status = 200) =>
        ((req, res) => {
            try {
                const result = work(req);
                if (result === undefined) res.status(204).end();
                else res.status(status).json(result);
            } catch (error) {
                if (error instanceof z.ZodError) {
                    res.status(400).json({ error: 'invalid request', issues: error.issues });
                    return;
                }
                const sf = asSalesforceError(error);
                res.status(sf.httpStatus === 500 ? 500 : sf.httpStatus).json(sf.toRestBody());
            }
        }) as express.RequestHandler;

    router.get(
        '/state',
        run(() => handle.exportState())
    );
    router.post(
        '/seed',
        run((req) => {
            const body = SeedBody.parse(req.body);
            return handle.seed('preset' in body ? body.preset : body);
        }, 201)
    );
    router.post(
        '/reset',
        run(() => void handle.reset())
    );
    router.post(
        '/records/:object',
        run((req) => {
            const body = EditBody.parse(req.body);
            return handle.createAsUser(String(req.params.object), body.fields, { userId: body.userId });
        }, 201)
    );
    router.get(
        '/records/:id',
        run(
            (req) =>
                handle.getRecord(String(req.params.id)) ??
                (() => {
                    throw notFound();
                })()
        )
    );
    router.patch(
        '/records/:id',
        run((req) => {
            const body = EditBody.parse(req.body);
            return handle.editAsUser(String(req.params.id), body.fields, { userId: body.userId });
        })
    );
    router.delete(
        '/records/:id',
        run((req) => void handle.deleteAsUser(String(req.params.id)))
    );
    router.post(
        '/query',
        run((req) => {
            const body = z.strictObject({ q: z.string(), all: z.boolean().default(false) }).parse(req.body);
            return handle.query(body.q, body.all);
        })
    );
    router.get(
        '/faults',
        run(() => handle.faults.list())
    );
    router.post(
        '/faults',
        run((req) => handle.faults.add(FaultRule.parse(req.body)), 201)
    );
    router.delete(
        '/faults',
        run(() => void handle.faults.clear())
    );
    router.delete(
        '/faults/:id',
        run((req) => void handle.faults.clear(Number(req.params.id)))
    );
    router.post(
        '/clock',
        run((req) => {
            const body = ClockBody.parse(req.body);
            if ('advanceMs' in body) handle.clock.advance(body.advanceMs);
            else {
                const target = Date.parse(body.setTo);
                if (Number.isNaN(target)) throw new SalesforceError(400, 'INVALID_INPUT', 'setTo must be an ISO date');
                handle.clock.set(target);
            }
            return { now: handle.clock.date().toISOString() };
        })
    );
    router.get(
        '/clock',
        run(() => ({ now: handle.clock.date().toISOString() }))
    );
    router.get(
        '/requests',
        run(() => handle.requests.snapshot())
    );
    router.delete(
        '/requests',
        run(() => void handle.requests.reset())
    );
    router.post(
        '/sessions/expire',
        run(() => void handle.expireSessions())
    );
    router.post(
        '/cdc/gap',
        run((req) => {
            const body = GapBody.parse(req.body);
            return handle.publishGap(body.object, body.recordIds, body.changeType);
        }, 201)
    );
    router.get(
        '/limits',
        run(() => handle.apiUsage())
    );
    router.put(
        '/limits',
        run((req) => {
            handle.setApiUsage(z.strictObject({ used: z.number().int().min(0) }).parse(req.body).used);
            return handle.apiUsage();
        })
    );
    return router;
}
