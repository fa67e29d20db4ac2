/**
 * What a change notification means for the work queue, pure: a Salesforce change event (CDC) or a
 * stored HubSpot webhook event becomes signals ("this record changed", "this object needs a reconcile"),
 * and a claimed batch of signals becomes engine runs. Signals are pointers, never values: the worker
 * re-reads current values in batches, so duplicates and out-of-order deliveries cost nothing extra.
 */
import { z } from 'zod';

import type { ClaimedItem, Signal } from '../queue';
import type { MappingFile } from '../sync/mapping/schema';

/** Queue streams: one per Salesforce object and HubSpot object type, plus whole-object reconciles. */
export const reconcileStream = 'reconcile';
export const salesforceStream = (object: string) => `salesforce:${object}`;
export const hubspotStream = (objectType: string) => `hubspot:${objectType}`;

const salesforceIdPattern = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** The record mappings' objects on both sides: which CDC channels to follow, how to group signals. */
export interface FastPathScope {
    /** Salesforce objects of the enabled record mappings, e.g. Lead, Contact, Account, Opportunity. */
    salesforceObjects: string[];
    /** Salesforce object or HubSpot object type → the HubSpot object type its records sync with. */
    runGroupOf: Map<string, string>;
}

export function fastPathScope(mapping: MappingFile): FastPathScope {
    const enabled = mapping.records.filter((record) => record.enabled);
    const runGroupOf = new Map<string, string>();
    for (const record of enabled) {
        runGroupOf.set(record.salesforceObject, record.hubspotObjectType);
        runGroupOf.set(record.hubspotObjectType, record.hubspotObjectType);
    }
    return { salesforceObjects: [...new Set(enabled.map((record) => record.salesforceObject))], runGroupOf };
}

export const ChangeEventHeader = z.looseObject({
    entityName: z.string().min(1),
    recordIds: z.array(z.string()),
    changeType: z.string().min(1),
    changeOrigin: z.string().default('')
});
export type ChangeEventHeader = z.infer<typeof ChangeEventHeader>;

/** A change event as the Streaming API delivers it on `/data/<Object>ChangeEvent`. */
export const ChangeEventMessage = z.looseObject({
    payload: z.looseObject({ ChangeEventHeader }),
    event: z.looseObject({ replayId: z.number().int() })
});
export type ChangeEventMessage = z.infer<typeof ChangeEventMessage>;

/**
 * `changeOrigin` is `com/salesforce/api/<api>/<version>;client=<name>` for API writes: the client name is
 * the one our connection sends in `Sforce-Call-Options`, so an exact match means the bridge wrote it.
 */
export function isOwnWrite(header: ChangeEventHeader, clientName: string): boolean {
    return header.changeOrigin
        .split(';')
        .map((part) => part.trim())
        .includes(`client=${clientName}`);
}

export type ChangeEventOutcome = { kind: 'own_write' } | { kind: 'signals'; signals: Signal[] };

/**
 * Creates, updates and undeletes signal their records. A delete signals a reconcile of the object:
 * a run limited to IDs does not apply deletes, the object's incremental run does (it reads deleted
 * rows with queryAll). Gap events carry no field values, only which records changed; a gap that names
 * no usable ID (GAP_OVERFLOW, wildcards) reconciles the whole object.
 */
export function changeEventSignals(header: ChangeEventHeader, clientName: string): ChangeEventOutcome {
    const object = header.entityName;
    const isGap = header.changeType.startsWith('GAP_');
    if (!isGap && isOwnWrite(header, clientName)) return { kind: 'own_write' };
    const ids = header.recordIds.filter((id) => salesforceIdPattern.test(id));
    const reason = `cdc ${header.changeType}`;
    if (header.changeType === 'DELETE' || header.changeType === 'GAP_DELETE' || ids.length === 0) {
        return { kind: 'signals', signals: [reconcileSignal(object, reason)] };
    }
    return {
        kind: 'signals',
        signals: ids.map((id) => ({ stream: salesforceStream(object), recordKey: id, priority: 'fast_path', reason }))
    };
}

export function reconcileSignal(object: string, reason: string): Signal {
    return { stream: reconcileStream, recordKey: object, priority: 'fast_path', reason };
}

/** Who made a change, as HubSpot names it in a notification (absent on events stored by older tests). */
const WebhookChangeSource = z.looseObject({
    /** The app whose webhook subscription sent the notification. */
    appId: z.number().int().nonnegative().optional(),
    /** `INTEGRATION` for writes made with an app's token, `CRM_UI` for a user's edit, `IMPORT`, ... */
    changeSource: z.string().optional(),
    /** For `INTEGRATION`: the ID of the app that wrote; for a user's edit `userId:<id>`. */
    sourceId: z.string().optional()
});

/** The part of a stored webhook event (`StoredWebhookEvent`) the fast path reads. */
export const StoredWebhookSignal = z.looseObject({
    disposition: z.enum(['pending', 'ignored']),
    subscriptionType: z.string().regex(/^[a-z][a-z_]*\.[a-zA-Z]+$/),
    objectId: z.number().int().nonnegative(),
    event: WebhookChangeSource.optional()
});

/**
 * A write the relay made itself, echoed back: HubSpot stamps writes made with an app's token
 * `changeSource: INTEGRATION` and `sourceId: <app ID>`. The relay's app is `ownAppId` when configured,
 * else the app whose subscription sent the notification: the relay's private app both writes with its
 * token and signs its webhooks with the client secret the relay verifies. Anything else (a user's edit,
 * an import, another integration) is news.
 */
export function isOwnHubSpotWrite(event: z.infer<typeof WebhookChangeSource>, ownAppId?: number): boolean {
    const appId = ownAppId ?? event.appId;
    return appId !== undefined && event.changeSource === 'INTEGRATION' && event.sourceId === String(appId);
}

const hubspotObjectTypes: Record<string, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

export type WebhookOutcome =
    | { kind: 'signals'; signals: Signal[] }
    /** Nothing for the fast path: ignored types, association changes (the scheduled poll syncs those). */
    | { kind: 'no_work'; why: string }
    /** The relay's own write echoed back: re-reading the record would only find what the relay wrote. */
    | { kind: 'own_write' }
    | { kind: 'invalid'; error: string };

/**
 * `creation`, `propertyChange` and `restore` signal the record; `merge` signals the surviving record and
 * reconciles the type (the merged-away records are archived); `deletion` and `privacyDeletion` reconcile
 * the type, whose run reads HubSpot's archived list and applies the delete policy.
 */
export function webhookSignals(
    stored: unknown,
    runGroups: ReadonlyMap<string, string>,
    ownAppId?: number
): WebhookOutcome {
    const parsed = StoredWebhookSignal.safeParse(stored);
    if (!parsed.success)
        return { kind: 'invalid', error: `unreadable webhook event: ${z.prettifyError(parsed.error)}` };
    const { disposition, subscriptionType, objectId, event } = parsed.data;
    if (disposition === 'ignored') return { kind: 'no_work', why: `${subscriptionType} is not synced` };
    if (event !== undefined && isOwnHubSpotWrite(event, ownAppId)) return { kind: 'own_write' };
    const [object, change] = subscriptionType.split('.');
    const objectType = hubspotObjectTypes[object];
    if (objectType === undefined || !runGroups.has(objectType)) {
        return { kind: 'no_work', why: `no enabled mapping syncs HubSpot ${object} records` };
    }
    const reason = `webhook ${subscriptionType}`;
    const record: Signal = {
        stream: hubspotStream(objectType),
        recordKey: String(objectId),
        priority: 'fast_path',
        reason
    };
    switch (change) {
        case 'creation':
        case 'propertyChange':
        case 'restore':
            return { kind: 'signals', signals: [record] };
        case 'merge':
            return { kind: 'signals', signals: [record, reconcileSignal(objectType, reason)] };
        case 'deletion':
        case 'privacyDeletion':
            return { kind: 'signals', signals: [reconcileSignal(objectType, reason)] };
        case 'associationChange':
            return { kind: 'no_work', why: 'associations sync on the scheduled poll' };
        default:
            return { kind: 'no_work', why: `${subscriptionType} is not synced` };
    }
}

/** One engine run and the leases it settles. */
export type PlannedRun =
    | { kind: 'records'; objects: [string]; ids: string[]; items: ClaimedItem[] }
    | { kind: 'reconcile'; objects: [string]; items: ClaimedItem[] };

/**
 * Groups a claimed batch into runs: the records of one HubSpot object type (Lead and Contact signals
 * share the contacts run) in one ids-limited run, each reconciled object in its own run. Items whose
 * stream no enabled mapping covers any more come back in `unrunnable`.
 */
export function planRuns(
    items: readonly ClaimedItem[],
    runGroups: ReadonlyMap<string, string>
): { runs: PlannedRun[]; unrunnable: ClaimedItem[] } {
    const records = new Map<string, ClaimedItem[]>();
    const reconciles = new Map<string, ClaimedItem[]>();
    const unrunnable: ClaimedItem[] = [];
    for (const item of items) {
        if (item.stream === reconcileStream) {
            const list = reconciles.get(item.recordKey) ?? [];
            list.push(item);
            reconciles.set(item.recordKey, list);
            continue;
        }
        const object = item.stream.slice(item.stream.indexOf(':') + 1);
        const group = runGroups.get(object);
        if (group === undefined) {
            unrunnable.push(item);
            continue;
        }
        const list = records.get(group) ?? [];
        list.push(item);
        records.set(group, list);
    }
    const runs: PlannedRun[] = [];
    for (const [group, grouped] of records) {
        runs.push({
            kind: 'records',
            objects: [group],
            ids: [...new Set(grouped.map((item) => item.recordKey))],
            items: grouped
        });
    }
    for (const [object, grouped] of reconciles) {
        if (runGroups.has(object)) runs.push({ kind: 'reconcile', objects: [object], items: grouped });
        else unrunnable.push(...grouped);
    }
    return { runs, unrunnable };
}
