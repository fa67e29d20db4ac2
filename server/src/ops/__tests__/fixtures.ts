/**
 * Test wiring for the operator API and the dashboard: a real SQLite state store seeded through its own
 * methods, the real relay app, and plain in-memory implementations of the ports in `../ports.ts`.
 */
import { resolve } from 'node:path';
import { fullTimeline } from '../../contract/examples';
import type { TimelineResponse } from '../../contract/timeline';
import { startRelay, type TestRelay } from '../../relay/__tests__/support';
import { salesforceIdChecksum } from '../../relay/salesforce-id';
import { openSqliteStateStore, type SqliteStateStore } from '../../state/sqlite-store';
import type { SalesforceRef } from '../../state/store';
import { loadMappingFileOrThrow } from '../../sync/mapping/load';
import { standardLiveSchemas } from '../../sync/schema/standard-schemas.fixture';
import { validateMappingAgainstSchemas } from '../../sync/schema/validate-mapping';
import { SqliteConflictInbox } from '../conflict-inbox';
import { createOperatorRouter } from '../index';
import {
    type ApiUsage,
    type ApiUsageProvider,
    type DeadLetterQueue,
    type MappingSource,
    type RecordLookup,
    RunInProgressError,
    type StartRunRequest,
    type SyncController,
    type SyncSchedule,
    type TimelineTarget
} from '../ports';

/** A valid 18-character Salesforce ID: key prefix, a counter, and the checksum suffix. */
export function salesforceId(prefix: string, n: number): string {
    const id15 = `${prefix}5g00000${String(n).padStart(5, '0')}`.slice(0, 15);
    return id15 + salesforceIdChecksum(id15);
}

export const contactIds = Array.from({ length: 6 }, (_, index) => salesforceId('003', index + 1));
export const leadIds = Array.from({ length: 3 }, (_, index) => salesforceId('00Q', index + 1));

/** The record with values, a link, audit entries, an error and a conflict: Ada. */
export const ada = { salesforceId: contactIds[0]!, hubspotId: '51' };

class Clock {
    constructor(private at: number) {}
    now = (): Date => new Date(this.at);
    advance(ms: number): void {
        this.at += ms;
    }
}

export class MemorySyncController implements SyncController {
    readonly started: StartRunRequest[] = [];
    readonly resynced: SalesforceRef[][] = [];
    running: number | null = null;
    private nextRunId = 900;

    schedule(): SyncSchedule {
        return {
            environment: 'sandbox',
            intervalSeconds: 900,
            nextRunAt: '2026-11-20T10:15:00.000Z',
            queueDepth: 4
        };
    }

    async startRun(request: StartRunRequest) {
        if (this.running !== null) throw new RunInProgressError(this.running);
        this.started.push(request);
        return { runId: (this.nextRunId += 1) };
    }

    async resync(refs: SalesforceRef[]) {
        this.resynced.push(refs);
        return { queued: refs.length };
    }
}

export const usage: ApiUsage = {
    salesforce: { used: 61_250, limit: 100_000, adminCap: 80_000 },
    hubspot: { daily: { used: 120_400, limit: 250_000 }, tenSecondly: { used: 42, limit: 100 } },
    measuredAt: '2026-11-20T09:31:00.000Z'
};

/** The shipped mapping against the standard schemas, with a Lead Status value HubSpot does not offer. */
export function mappingSource(): MappingSource {
    const mapping = loadMappingFileOrThrow(resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml'));
    const schemas = standardLiveSchemas();
    const status = schemas.salesforce.Lead.fields.find((field) => field.name === 'Status')!;
    status.picklistValues = [...(status.picklistValues ?? []), { value: 'Nurturing', active: true }];
    const validation = validateMappingAgainstSchemas(mapping, schemas);
    return { mapping, problems: [...validation.fatal, ...validation.warnings] };
}

export const adaValues = {
    salesforce: {
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Email: 'ada@example.com',
        Title: 'Chief Technology Officer',
        Phone: '=HYPERLINK("x")',
        MailingCity: 'London',
        MailingCountry: 'United Kingdom',
        OwnerId: salesforceId('005', 1),
        HubSpot_Score__c: 72
    },
    hubspot: {
        firstname: 'Ada',
        lastname: 'Lovelace',
        email: 'ada@example.com',
        jobtitle: 'Chief Technology Officer',
        phone: '+44 20 7946 0000',
        city: 'London',
        country: 'United Kingdom',
        hubspot_owner_id: '90210',
        hubspotscore: '72',
        // CRM data is untrusted: the dashboard must show this as text, never run it.
        company: '<img src=x onerror="window.__injected=1">Analytical Engines'
    }
};

export const recordLookup: RecordLookup = {
    async lookup(target, counterpart) {
        const refs = [target, counterpart];
        const sf = refs.find((ref) => ref?.side === 'salesforce');
        const hs = refs.find((ref) => ref?.side === 'hubspot');
        const isAda =
            (sf?.side === 'salesforce' && sf.ref.salesforceId === ada.salesforceId) ||
            (hs?.side === 'hubspot' && hs.ref.hubspotId === ada.hubspotId);
        return {
            salesforce: isAda && sf?.side === 'salesforce' ? { ...sf.ref, values: adaValues.salesforce } : null,
            hubspot: isAda && hs?.side === 'hubspot' ? { ...hs.ref, values: adaValues.hubspot } : null
        };
    }
};

export async function timelinePreview(target: TimelineTarget): Promise<TimelineResponse | null> {
    const known =
        target.side === 'salesforce' ? target.salesforceId === ada.salesforceId : target.hubspotId === ada.hubspotId;
    return known ? fullTimeline : null;
}

/**
 * Seeds a realistic history through the store's own methods: eight runs (one failed, one dry run), open
 * errors in four categories (one message a spreadsheet would run as a formula), links, audit and conflicts.
 */
export function seedStore(store: SqliteStateStore, clock: Clock): void {
    const runIds: number[] = [];
    const durations = [20, 34, 16, 52, 48, 30, 12, 69];
    for (let index = 0; index < durations.length; index += 1) {
        const run = store.startRun(index === 6 ? 'dry_run' : index === 0 ? 'full' : 'incremental');
        const seconds = durations[index]!;
        clock.advance(seconds * 1000);
        const updated = 40 + index * 15;
        store.finishRun(run.id, {
            status: index === 4 ? 'failed' : 'completed',
            counts: {
                'Contact.updated': updated,
                'Contact.created': index + 2,
                'Lead.excluded': index % 3,
                batches: 3
            },
            apiCalls: { salesforce: 12 + index * 4, hubspot: 20 + index * 6 },
            ...(index === 4 ? { error: 'HubSpot answered 502 Bad Gateway three times' } : {})
        });
        runIds.push(run.id);
        clock.advance(15 * 60 * 1000);
    }
    const lastRun = runIds.at(-1)!;
    store.upsertLinks([
        {
            mappingId: 'contact_to_contact',
            salesforceObject: 'Contact',
            salesforceId: ada.salesforceId,
            hubspotObjectType: 'contacts',
            hubspotId: ada.hubspotId
        }
    ]);
    const contactError = (index: number, category: 'picklist' | 'field_value' | 'duplicate', message: string) => ({
        runId: lastRun,
        mappingId: 'contact_to_contact',
        salesforceObject: 'Contact',
        salesforceId: contactIds[index]!,
        hubspotObjectType: 'contacts',
        hubspotId: String(51 + index),
        category,
        message
    });
    store.recordErrors([
        {
            ...contactError(0, 'picklist', 'Industry "Space Exploration" is not an option of industry'),
            field: 'Industry'
        },
        { ...contactError(1, 'picklist', 'Industry "Quantum" is not an option of industry'), field: 'Industry' },
        { ...contactError(1, 'field_value', 'Phone "=1+2" is not a valid phone number'), field: 'Phone' },
        { ...contactError(2, 'field_value', 'Email "not-an-email" is invalid, "quoted", with comma'), field: 'Email' },
        contactError(3, 'duplicate', '@SUM(A1) two contacts share ada@example.com'),
        {
            runId: lastRun,
            mappingId: 'lead_to_contact',
            salesforceObject: 'Lead',
            salesforceId: leadIds[0]!,
            category: 'permission',
            field: 'Rating',
            message: 'INSUFFICIENT_ACCESS: field Rating is not writable by the integration user'
        },
        {
            runId: lastRun,
            mappingId: 'account_to_company',
            hubspotObjectType: 'companies',
            hubspotId: '7001',
            category: 'field_value',
            message: '-2 employees is not a valid number of employees'
        }
    ]);
    // A resolved error: it must not appear among the open ones.
    store.recordErrors([contactError(4, 'picklist', 'Industry "Old" is not an option of industry')]);
    store.resolveErrors({ salesforceObject: 'Contact', salesforceId: contactIds[4]! });

    store.recordConflicts([
        {
            runId: lastRun,
            mappingId: 'contact_to_contact',
            salesforceObject: 'Contact',
            salesforceId: ada.salesforceId,
            hubspotId: ada.hubspotId,
            field: 'Title',
            property: 'jobtitle',
            salesforceValue: 'CTO',
            hubspotValue: 'Chief Technology Officer',
            salesforceChangedAt: '2026-11-19T10:00:00.000Z',
            hubspotChangedAt: '2026-11-19T11:30:00.000Z',
            winner: 'hubspot'
        },
        {
            runId: lastRun,
            mappingId: 'contact_to_contact',
            salesforceObject: 'Contact',
            salesforceId: contactIds[1]!,
            hubspotId: '52',
            field: 'Phone',
            property: 'phone',
            salesforceValue: '+1 555 0100',
            hubspotValue: '+1 555 0199',
            salesforceChangedAt: '2026-11-19T12:00:00.000Z',
            hubspotChangedAt: '2026-11-19T09:00:00.000Z',
            winner: 'salesforce'
        }
    ]);
    store.appendAudit([
        {
            runId: runIds[0]!,
            mappingId: 'contact_to_contact',
            salesforceObject: 'Contact',
            salesforceId: ada.salesforceId,
            hubspotId: ada.hubspotId,
            field: 'Title',
            property: 'jobtitle',
            direction: 'to_hubspot',
            rule: 'two_way',
            reason: 'record_created',
            before: null,
            after: 'CTO'
        },
        {
            runId: lastRun,
            mappingId: 'contact_to_contact',
            salesforceObject: 'Contact',
            salesforceId: ada.salesforceId,
            hubspotId: ada.hubspotId,
            field: 'Title',
            property: 'jobtitle',
            direction: 'to_salesforce',
            rule: 'two_way',
            reason: 'conflict_hubspot_newer',
            before: 'CTO',
            after: 'Chief Technology Officer'
        }
    ]);
}

export interface OpsHarness {
    relay: TestRelay;
    url: string;
    store: SqliteStateStore;
    controller: MemorySyncController;
    prepareDashboard(): Promise<void>;
    close(): Promise<void>;
}

export interface OpsHarnessOptions {
    /** False for a fresh install: no runs, errors, conflicts or links. */
    seeded?: boolean;
    usage?: ApiUsageProvider;
    deadLetters?: DeadLetterQueue;
}

export async function startOpsRelay(options: OpsHarnessOptions = {}): Promise<OpsHarness> {
    const clock = new Clock(Date.parse('2026-11-18T08:00:00.000Z'));
    const store = openSqliteStateStore({ path: ':memory:' }, clock.now);
    if (options.seeded ?? true) seedStore(store, clock);
    const conflicts = SqliteConflictInbox.open({ path: ':memory:' });
    const controller = new MemorySyncController();
    const operator = createOperatorRouter({
        store,
        controller,
        usage: options.usage ?? { usage: async () => usage },
        mappings: { current: async () => mappingSource() },
        records: recordLookup,
        timeline: timelinePreview,
        conflicts,
        ...(options.deadLetters ? { deadLetters: options.deadLetters } : {}),
        now: () => new Date('2026-11-20T09:30:00.000Z')
    });
    const relay = await startRelay({ operatorRouter: operator.router });
    return {
        relay,
        url: relay.url,
        store,
        controller,
        prepareDashboard: operator.prepareDashboard,
        async close() {
            await relay.server.close();
            conflicts.close();
            store.close();
        }
    };
}
