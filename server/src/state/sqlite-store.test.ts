import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { valueHash } from '../sync/plan/plan-record';
import { migrate, migrations } from './migrations';
import { openSqliteStateStore, stateFileName, type SqliteStateStore } from './sqlite-store';

/** A clock that moves one second per reading, so every timestamp is distinct and predictable. */
function steppingClock(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    let tick = 0;
    return () => new Date(start + 1000 * tick++);
}

const snapshot = (salesforce: string | number | null, hubspot: string | null) => ({
    salesforceValue: salesforce,
    hubspotValue: hubspot,
    salesforceHash: valueHash(salesforce === null ? null : String(salesforce)),
    hubspotHash: valueHash(hubspot)
});

const leadLink = {
    mappingId: 'lead_to_contact',
    salesforceObject: 'Lead',
    salesforceId: '00Q000000000001AAA',
    hubspotObjectType: 'contacts',
    hubspotId: '501'
};

describe('SqliteStateStore in memory', () => {
    let store: SqliteStateStore;
    beforeEach(() => {
        store = openSqliteStateStore({ path: ':memory:' }, steppingClock());
    });
    afterEach(() => store.close());

    describe('links', () => {
        it('finds a link from either side and in bulk', () => {
            store.upsertLinks([leadLink, { ...leadLink, salesforceId: '00Q2', hubspotId: '502' }]);
            expect(store.findLinkBySalesforce(leadLink)).toMatchObject({ ...leadLink, tombstonedAt: null });
            expect(store.findLinkByHubSpot({ hubspotObjectType: 'contacts', hubspotId: '502' })?.salesforceId).toBe(
                '00Q2'
            );
            expect(
                [...store.linksBySalesforceIds('Lead', ['00Q2', leadLink.salesforceId, 'missing']).keys()].sort()
            ).toEqual(['00Q000000000001AAA', '00Q2']);
            expect([...store.linksByHubSpotIds('contacts', ['501']).keys()]).toEqual(['501']);
            expect(store.linksByHubSpotIds('companies', ['501']).size).toBe(0);
        });

        it('keeps links unique both ways', () => {
            store.upsertLinks([leadLink]);
            expect(() => store.upsertLinks([{ ...leadLink, salesforceId: '00Q9' }])).toThrow(/UNIQUE/);
            // The failed batch left nothing behind.
            expect(store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId: '00Q9' })).toBeUndefined();
            store.upsertLinks([{ ...leadLink, hubspotId: '777' }]);
            expect(store.findLinkByHubSpot({ hubspotObjectType: 'contacts', hubspotId: '501' })).toBeUndefined();
            expect(store.findLinkBySalesforce(leadLink)?.hubspotId).toBe('777');
        });

        it('moves a link on lead conversion and drops the Lead’s snapshots', () => {
            store.upsertLinks([leadLink]);
            store.saveSnapshots([
                {
                    salesforceObject: 'Lead',
                    salesforceId: leadLink.salesforceId,
                    snapshots: { Email: snapshot('a@x.io', 'a@x.io') }
                }
            ]);
            const moved = store.moveLink(leadLink, {
                mappingId: 'contact_to_contact',
                salesforceObject: 'Contact',
                salesforceId: '003A'
            });
            expect(moved).toMatchObject({
                salesforceObject: 'Contact',
                salesforceId: '003A',
                hubspotId: '501',
                mappingId: 'contact_to_contact'
            });
            expect(store.findLinkBySalesforce(leadLink)).toBeUndefined();
            expect(store.snapshotsFor('Lead', [leadLink.salesforceId]).size).toBe(0);
            expect(() =>
                store.moveLink(leadLink, { mappingId: 'x', salesforceObject: 'Contact', salesforceId: '003B' })
            ).toThrow(/no link/);
        });

        it('tells whether a HubSpot object type has a live link', () => {
            expect(store.hasLiveLinks('contacts')).toBe(false);
            store.upsertLinks([leadLink]);
            expect(store.hasLiveLinks('contacts')).toBe(true);
            expect(store.hasLiveLinks('companies')).toBe(false);
            store.tombstoneLink(leadLink);
            expect(store.hasLiveLinks('contacts')).toBe(false);
        });

        it('tombstones and deletes links', () => {
            store.upsertLinks([leadLink]);
            store.tombstoneLink(leadLink);
            expect(store.findLinkBySalesforce(leadLink)?.tombstonedAt).toMatch(/^2026-/);
            store.upsertLinks([leadLink]);
            expect(store.findLinkBySalesforce(leadLink)?.tombstonedAt).toBeNull();
            store.deleteLink(leadLink);
            expect(store.findLinkBySalesforce(leadLink)).toBeUndefined();
        });
    });

    it('stores snapshots per record and field, replacing older ones', () => {
        store.saveSnapshots([
            {
                salesforceObject: 'Contact',
                salesforceId: '003A',
                snapshots: { Title: snapshot('CEO', 'CEO'), Amount__c: snapshot(12.5, '12.5') }
            },
            { salesforceObject: 'Contact', salesforceId: '003B', snapshots: { Title: snapshot(null, null) } }
        ]);
        store.saveSnapshots([
            { salesforceObject: 'Contact', salesforceId: '003A', snapshots: { Title: snapshot('CTO', 'CTO') } }
        ]);
        const loaded = store.snapshotsFor('Contact', ['003A', '003B', '003C']);
        expect(loaded.get('003A')).toEqual({ Title: snapshot('CTO', 'CTO'), Amount__c: snapshot(12.5, '12.5') });
        expect(loaded.get('003B')).toEqual({ Title: snapshot(null, null) });
        expect(loaded.has('003C')).toBe(false);
    });

    it('stores a flush of any size whole, however many statements carry it', () => {
        // 123 records × 2 fields: full statements of rows, a part-full last one, a record split between two.
        const ids = Array.from({ length: 123 }, (_, index) => `003${String(index).padStart(15, '0')}`);
        const run = store.startRun('incremental');
        store.transaction(() => {
            store.upsertLinks(ids.map((salesforceId, index) => ({ ...leadLink, salesforceId, hubspotId: `${index}` })));
            store.saveSnapshots(
                ids.map((salesforceId, index) => ({
                    salesforceObject: 'Lead',
                    salesforceId,
                    snapshots: { Title: snapshot(`T${index}`, `T${index}`), Email: snapshot(null, `${index}@x.test`) }
                }))
            );
            store.appendAudit(
                ids.map((salesforceId, index) => ({
                    runId: run.id,
                    mappingId: leadLink.mappingId,
                    salesforceObject: 'Lead',
                    salesforceId,
                    hubspotId: `${index}`,
                    field: 'Title',
                    property: 'jobtitle',
                    direction: 'to_hubspot' as const,
                    rule: 'two_way' as const,
                    reason: 'salesforce_changed' as const,
                    before: null,
                    after: `T${index}`
                }))
            );
        });
        expect(store.linksBySalesforceIds('Lead', ids).get(ids[122]!)?.hubspotId).toBe('122');
        expect(store.linksBySalesforceIds('Lead', ids).size).toBe(123);
        const snapshots = store.snapshotsFor('Lead', ids);
        expect(snapshots.size).toBe(123);
        expect(snapshots.get(ids[49]!)).toEqual({ Title: snapshot('T49', 'T49'), Email: snapshot(null, '49@x.test') });
        expect(store.auditTrail({ runId: run.id }).map((item) => item.after)).toEqual(
            ids.map((_, index) => `T${index}`).reverse()
        );

        // A key twice in one batch: the later row wins, as it did row by row.
        store.saveSnapshots([
            { salesforceObject: 'Lead', salesforceId: ids[0]!, snapshots: { Title: snapshot('first', 'first') } },
            { salesforceObject: 'Lead', salesforceId: ids[0]!, snapshots: { Title: snapshot('second', 'second') } }
        ]);
        expect(store.snapshotsFor('Lead', [ids[0]!]).get(ids[0]!)?.Title).toEqual(snapshot('second', 'second'));
    });

    it('keeps one cursor per stream and side', () => {
        expect(store.getCursor('lead_to_contact', 'salesforce')).toBeUndefined();
        store.saveCursor({
            stream: 'lead_to_contact',
            side: 'salesforce',
            modifiedAt: '2026-01-01T00:00:00.000Z',
            recordId: '00Q1',
            lookbackSeconds: 60
        });
        store.saveCursor({
            stream: 'lead_to_contact',
            side: 'salesforce',
            modifiedAt: '2026-01-02T00:00:00.000Z',
            recordId: '00Q2',
            lookbackSeconds: 60
        });
        store.saveCursor({
            stream: 'lead_to_contact',
            side: 'hubspot',
            modifiedAt: '2026-01-03T00:00:00.000Z',
            recordId: '9',
            lookbackSeconds: 0
        });
        expect(store.getCursor('lead_to_contact', 'salesforce')).toMatchObject({
            modifiedAt: '2026-01-02T00:00:00.000Z',
            recordId: '00Q2',
            lookbackSeconds: 60
        });
        expect(store.getCursor('lead_to_contact', 'hubspot')?.recordId).toBe('9');
        expect(() =>
            store.saveCursor({ stream: 's', side: 'salesforce', modifiedAt: 'x', recordId: '1', lookbackSeconds: -1 })
        ).toThrow(/CHECK/);
    });

    it('records runs with counts and API calls per side', () => {
        const run = store.startRun('incremental');
        expect(run).toMatchObject({
            status: 'running',
            mode: 'incremental',
            endedAt: null,
            counts: {},
            apiCalls: { salesforce: 0, hubspot: 0 }
        });
        const finished = store.finishRun(run.id, {
            status: 'completed',
            counts: { read: 120, updated: 7 },
            apiCalls: { salesforce: 3, hubspot: 5 }
        });
        expect(finished).toMatchObject({
            status: 'completed',
            counts: { read: 120, updated: 7 },
            apiCalls: { salesforce: 3, hubspot: 5 },
            error: null
        });
        expect(finished.endedAt! > finished.startedAt).toBe(true);
        expect(() =>
            store.finishRun(run.id, { status: 'failed', counts: {}, apiCalls: { salesforce: 0, hubspot: 0 } })
        ).toThrow(/already finished/);
        const failed = store.finishRun(store.startRun('manual').id, {
            status: 'failed',
            counts: {},
            apiCalls: { salesforce: 1, hubspot: 0 },
            error: 'REQUEST_LIMIT_EXCEEDED'
        });
        expect(store.recentRuns(5).map((entry) => [entry.id, entry.status])).toEqual([
            [failed.id, 'failed'],
            [run.id, 'completed']
        ]);
        expect(() => store.startRun('sometimes' as never)).toThrow(/CHECK/);
    });

    describe('errors', () => {
        const picklistError = {
            runId: null,
            mappingId: 'lead_to_contact',
            salesforceObject: 'Lead',
            salesforceId: '00Q1',
            hubspotObjectType: 'contacts',
            hubspotId: '501',
            field: 'Status',
            category: 'picklist' as const,
            message: '"Legacy" is an inactive value of Status'
        };

        it('counts a repeated open error instead of duplicating it, and reopens after resolution', () => {
            store.recordErrors([picklistError]);
            store.recordErrors([{ ...picklistError, message: 'updated message' }]);
            store.recordErrors([
                { ...picklistError, field: 'Industry' },
                { ...picklistError, category: 'field_value' }
            ]);
            const open = store.listErrors({ resolved: false });
            expect(open).toHaveLength(3);
            const status = open.find((error) => error.field === 'Status' && error.category === 'picklist');
            expect(status).toMatchObject({
                occurrences: 2,
                message: 'updated message',
                resolved: false,
                resolvedAt: null
            });
            expect(status!.lastSeenAt > status!.firstSeenAt).toBe(true);

            expect(store.resolveErrors({ salesforceObject: 'Lead', salesforceId: '00Q1' })).toBe(3);
            expect(store.listErrors({ resolved: false })).toEqual([]);
            store.recordErrors([picklistError]);
            expect(store.listErrors({ resolved: false })[0].occurrences).toBe(1);
            expect(store.listErrors({ resolved: true })).toHaveLength(3);
        });

        it('filters and resolves by id, and rejects an unknown category', () => {
            store.recordErrors([
                picklistError,
                {
                    runId: null,
                    mappingId: 'account_to_company',
                    hubspotId: '42',
                    category: 'duplicate',
                    message: 'ambiguous domain acme.com'
                }
            ]);
            const [duplicate] = store.listErrors({ category: 'duplicate' });
            expect(duplicate).toMatchObject({ mappingId: 'account_to_company', hubspotId: '42' });
            expect(duplicate.salesforceId).toBeUndefined();
            expect(store.listErrors({ mappingId: 'lead_to_contact', salesforceId: '00Q1' })).toHaveLength(1);
            expect(store.resolveErrors({ ids: [duplicate.id] })).toBe(1);
            expect(store.resolveErrors({ ids: [duplicate.id] })).toBe(0);
            expect(() => store.recordErrors([{ ...picklistError, category: 'oops' as never }])).toThrow(/CHECK/);
        });
    });

    it('records conflicts with both values', () => {
        const run = store.startRun('incremental');
        store.recordConflicts([
            {
                runId: run.id,
                mappingId: 'contact_to_contact',
                salesforceObject: 'Contact',
                salesforceId: '003A',
                hubspotId: '501',
                field: 'Title',
                property: 'jobtitle',
                salesforceValue: 'CTO',
                hubspotValue: 'CFO',
                salesforceChangedAt: '2026-01-01T00:00:00.000Z',
                hubspotChangedAt: '2026-01-02T00:00:00.000Z',
                winner: 'hubspot'
            }
        ]);
        expect(store.listConflicts({ runId: run.id })).toEqual([
            expect.objectContaining({ salesforceValue: 'CTO', hubspotValue: 'CFO', winner: 'hubspot', field: 'Title' })
        ]);
        expect(store.listConflicts({ salesforceId: 'other' })).toEqual([]);
    });

    it('keeps a field-level audit trail, newest first', () => {
        const run = store.startRun('incremental');
        const entry = {
            runId: run.id,
            mappingId: 'contact_to_contact',
            salesforceObject: 'Contact',
            salesforceId: '003A',
            hubspotId: '501',
            field: 'Amount__c',
            property: 'amount',
            direction: 'to_salesforce' as const,
            rule: 'two_way' as const,
            reason: 'hubspot_changed' as const,
            before: 10,
            after: 12.5
        };
        store.appendAudit([
            entry,
            {
                ...entry,
                field: 'Title',
                property: 'jobtitle',
                direction: 'to_hubspot',
                reason: 'salesforce_changed',
                before: null,
                after: 'CEO'
            }
        ]);
        const trail = store.auditTrail({ salesforceId: '003A' });
        expect(trail.map((item) => [item.field, item.before, item.after, item.direction])).toEqual([
            ['Title', null, 'CEO', 'to_hubspot'],
            ['Amount__c', 10, 12.5, 'to_salesforce']
        ]);
        expect(store.auditTrail({ hubspotId: '501', limit: 1 })).toHaveLength(1);
        expect(store.auditTrail({ runId: run.id + 1 })).toEqual([]);
    });

    it('takes each webhook event once and tracks processing', () => {
        const events = [
            {
                source: 'hubspot' as const,
                eventId: '100',
                payload: { subscriptionType: 'contact.propertyChange', objectId: 501 },
                occurredAt: '2026-01-01T00:00:00.000Z'
            },
            { source: 'hubspot' as const, eventId: '101', payload: { objectId: 502 } },
            { source: 'salesforce' as const, eventId: '100', payload: { replayId: 100 } }
        ];
        expect(store.enqueueEvents(events)).toBe(3);
        expect(store.enqueueEvents([events[0], events[1]])).toBe(0);
        const pending = store.pendingEvents(10);
        expect(pending.map((event) => [event.source, event.eventId])).toEqual([
            ['hubspot', '100'],
            ['hubspot', '101'],
            ['salesforce', '100']
        ]);
        expect(pending[0]).toMatchObject({
            payload: events[0].payload,
            occurredAt: '2026-01-01T00:00:00.000Z',
            attempts: 0,
            processedAt: null
        });
        store.markEventFailed(pending[1].id, 'HubSpot 502');
        store.markEventsProcessed([pending[0].id, pending[2].id]);
        expect(store.pendingEvents(10)).toEqual([
            expect.objectContaining({ eventId: '101', attempts: 1, lastError: 'HubSpot 502' })
        ]);
    });

    it('keeps one CDC replay position per channel, overwritten as events are processed and forgettable', () => {
        expect(store.cdcReplayId('/data/LeadChangeEvent')).toBeUndefined();
        store.saveCdcReplayId('/data/LeadChangeEvent', 41);
        store.saveCdcReplayId('/data/LeadChangeEvent', 42);
        store.saveCdcReplayId('/data/AccountChangeEvent', 7);
        expect(store.cdcReplayId('/data/LeadChangeEvent')).toBe(42);
        expect(store.cdcReplayId('/data/AccountChangeEvent')).toBe(7);
        expect(() => store.saveCdcReplayId('/data/LeadChangeEvent', 1.5)).toThrow('a replay ID must be an integer');
        store.clearCdcReplayId('/data/LeadChangeEvent');
        expect(store.cdcReplayId('/data/LeadChangeEvent')).toBeUndefined();
        expect(store.cdcReplayId('/data/AccountChangeEvent')).toBe(7);
    });

    describe('transactions', () => {
        it('rolls back everything when the work throws', () => {
            expect(() =>
                store.transaction(() => {
                    store.upsertLinks([leadLink]);
                    store.saveCursor({
                        stream: 's',
                        side: 'hubspot',
                        modifiedAt: 't',
                        recordId: '1',
                        lookbackSeconds: 0
                    });
                    throw new Error('write to HubSpot failed');
                })
            ).toThrow('write to HubSpot failed');
            expect(store.findLinkBySalesforce(leadLink)).toBeUndefined();
            expect(store.getCursor('s', 'hubspot')).toBeUndefined();
        });

        it('rolls back only a nested part that fails', () => {
            store.transaction(() => {
                store.upsertLinks([leadLink]);
                expect(() =>
                    store.transaction(() => {
                        store.saveCursor({
                            stream: 's',
                            side: 'hubspot',
                            modifiedAt: 't',
                            recordId: '1',
                            lookbackSeconds: 0
                        });
                        throw new Error('inner');
                    })
                ).toThrow('inner');
            });
            expect(store.findLinkBySalesforce(leadLink)).toBeDefined();
            expect(store.getCursor('s', 'hubspot')).toBeUndefined();
        });
    });
});

describe('SqliteStateStore on disk', () => {
    let directory: string;
    beforeEach(() => {
        directory = mkdtempSync(join(tmpdir(), 'state-store-'));
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('creates the data folder, uses WAL, and keeps everything across a reopen', () => {
        const dataDir = join(directory, 'nested', 'data');
        const first = openSqliteStateStore({ dataDir });
        first.upsertLinks([leadLink]);
        first.saveSnapshots([
            {
                salesforceObject: 'Lead',
                salesforceId: leadLink.salesforceId,
                snapshots: { Email: snapshot('a@x.io', 'a@x.io') }
            }
        ]);
        first.saveCursor({
            stream: 'lead_to_contact',
            side: 'salesforce',
            modifiedAt: '2026-01-01T00:00:00.000Z',
            recordId: '00Q1',
            lookbackSeconds: 120
        });
        const run = first.startRun('full');
        first.close();
        first.close(); // closing twice is harmless

        const database = new DatabaseSync(join(dataDir, stateFileName));
        expect(database.prepare('PRAGMA journal_mode').get()).toEqual(expect.objectContaining({ journal_mode: 'wal' }));
        database.close();

        const second = openSqliteStateStore({ dataDir });
        expect(second.findLinkBySalesforce(leadLink)?.hubspotId).toBe('501');
        expect(second.snapshotsFor('Lead', [leadLink.salesforceId]).get(leadLink.salesforceId)?.Email).toEqual(
            snapshot('a@x.io', 'a@x.io')
        );
        expect(second.getCursor('lead_to_contact', 'salesforce')?.lookbackSeconds).toBe(120);
        expect(second.getRun(run.id)?.status).toBe('running');
        second.close();
    });

    it('applies each migration once, however often the store is opened', () => {
        const dataDir = join(directory, 'data');
        openSqliteStateStore({ dataDir }).close();
        openSqliteStateStore({ dataDir }).close();
        const database = new DatabaseSync(join(dataDir, stateFileName));
        const applied = database.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
        expect(applied.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
        expect(migrate(database, () => new Date())).toEqual([]);
        database.close();
    });

    it('applies a new migration in a transaction and rolls a failing one back', () => {
        const database = new DatabaseSync(join(directory, 'manual.sqlite'));
        const now = () => new Date('2026-01-01T00:00:00.000Z');
        const latest = migrations.length;
        expect(migrate(database, now)).toEqual(migrations.map((migration) => migration.version));
        const extra = [
            ...migrations,
            { version: latest + 1, name: 'add a column', sql: 'ALTER TABLE runs ADD COLUMN note TEXT' }
        ];
        expect(migrate(database, now, extra)).toEqual([latest + 1]);
        expect(migrate(database, now, extra)).toEqual([]);
        const broken = [
            ...extra,
            { version: latest + 2, name: 'broken', sql: 'CREATE TABLE t3 (a TEXT); SELECT * FROM no_such_table' }
        ];
        expect(() => migrate(database, now, broken)).toThrow(
            new RegExp(`state migration ${latest + 2} \\(broken\\) failed: no such table`)
        );
        expect(database.prepare("SELECT name FROM sqlite_master WHERE name = 't3'").get()).toBeUndefined();
        expect(database.prepare('SELECT MAX(version) AS version FROM schema_migrations').get()).toEqual(
            expect.objectContaining({ version: latest + 1 })
        );
        database.close();
    });

    it('refuses a database written by a newer release', () => {
        const dataDir = join(directory, 'data');
        openSqliteStateStore({ dataDir }).close();
        const database = new DatabaseSync(join(dataDir, stateFileName));
        database
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)')
            .run('future', 'x');
        database.close();
        expect(() => openSqliteStateStore({ dataDir })).toThrow(
            `the state database is at schema version 99, newer than this release knows (${migrations.length})`
        );
    });

    it('fails loudly on a row corrupted outside the store instead of passing it on', () => {
        const dataDir = join(directory, 'data');
        const store = openSqliteStateStore({ dataDir });
        const run = store.startRun('full');
        store.close();
        const database = new DatabaseSync(join(dataDir, stateFileName));
        database.prepare('UPDATE runs SET counts = ? WHERE id = ?').run('{"read": "many"}', run.id);
        database.close();
        const reopened = openSqliteStateStore({ dataDir });
        expect(() => reopened.getRun(run.id)).toThrow(/expected number/);
        reopened.close();
    });

    it('rejects options that name neither memory nor a data folder', () => {
        expect(() => openSqliteStateStore({ path: '/tmp/x.sqlite' } as never)).toThrow();
        expect(() => openSqliteStateStore({ dataDir: '' })).toThrow();
    });
});
