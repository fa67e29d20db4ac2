/**
 * Both sandboxes in process, the real clients against them, a throwaway SQLite state store and the
 * shipped mapping: what every engine test starts from.
 */
import { resolve } from 'node:path';

import { openSqliteStateStore, type SqliteStateStore } from '../../state/sqlite-store';
import { startHubSpotSandbox, type RunningHubSpotSandbox } from '../../sandbox/hubspot';
import type { HubSpotSandboxOptionsInput } from '../../sandbox/hubspot';
import { startSalesforceSandbox, type RunningSalesforceSandbox } from '../../sandbox/salesforce';
import type { SalesforceSandboxOptionsInput } from '../../sandbox/salesforce';
import { connectHubSpot, connectSalesforce } from '../adapters/connect';
import type { HubSpotClientAdapter } from '../adapters/hubspot';
import type { JsforceSalesforceAdapter } from '../adapters/salesforce';
import { loadMappingFileOrThrow } from '../mapping/load';
import type { MappingFile } from '../mapping/schema';
import type { ObjectTypeName } from '../../sandbox/hubspot';
import type { RunReport, RunRequest } from './context';
import { SyncEngine } from './engine';
import { sandboxSalesforceLogin } from '../../runtime/sandbox-connections';

export const shippedMappingFile = resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml');

/**
 * Records created from HubSpot belong to the integration user, who (as in most orgs) has no HubSpot
 * owner, so with owner fields every such Lead would carry an owner error. Tests that are not about
 * owners leave owner fields out of the sync; the owner tests use the shipped mapping.
 */
export function withoutOwnerSync(mapping: MappingFile): MappingFile {
    return {
        ...mapping,
        records: mapping.records.map((record) => ({
            ...record,
            fields: record.fields.map((field) => (field.owner ? { ...field, rule: 'dont_sync' as const } : field))
        }))
    };
}

export interface EngineWorld {
    salesforceSandbox: RunningSalesforceSandbox;
    hubspotSandbox: RunningHubSpotSandbox;
    salesforce: JsforceSalesforceAdapter;
    hubspot: HubSpotClientAdapter;
    store: SqliteStateStore;
    mapping: MappingFile;
    engine: SyncEngine;
    /** An incremental run that must complete. */
    sync(request?: Partial<RunRequest>): Promise<RunReport>;
    /** Creates a Salesforce record as a user would; returns its ID. */
    createInSalesforce(object: string, fields: Record<string, unknown>): string;
    salesforceRecord(id: string): Record<string, unknown>;
    hubspotObjects(
        type: ObjectTypeName
    ): { id: string; archived?: boolean; properties: Record<string, string | null> }[];
    hubspotObject(type: ObjectTypeName, id: string): Record<string, string | null>;
    close(): Promise<void>;
}

export async function startEngineWorld(
    options: {
        salesforce?: SalesforceSandboxOptionsInput;
        hubspot?: HubSpotSandboxOptionsInput;
        mapping?: (mapping: MappingFile) => MappingFile;
        dataDir?: string;
        recordsPerWindow?: number;
        /** Every run reads the archived lists unless a test says otherwise. */
        archivedScanMinutes?: number;
        bulkReadThreshold?: number | null;
    } = {}
): Promise<EngineWorld> {
    const salesforceSandbox = await startSalesforceSandbox({ seed: 'empty', ...options.salesforce });
    const hubspotSandbox = await startHubSpotSandbox({ seed: 'empty', tier: 'unlimited', ...options.hubspot });
    const info = salesforceSandbox.connection;
    const salesforce = await connectSalesforce(sandboxSalesforceLogin(info), info.apiVersion);
    const hubspot = connectHubSpot({
        baseUrl: hubspotSandbox.connection.basePath,
        accessToken: hubspotSandbox.connection.accessToken
    });
    const shipped = loadMappingFileOrThrow(shippedMappingFile);
    const mapping = (options.mapping ?? withoutOwnerSync)(shipped);
    const store = openSqliteStateStore(options.dataDir ? { dataDir: options.dataDir } : { path: ':memory:' });
    const engine = new SyncEngine({
        salesforce,
        hubspot,
        store,
        mapping,
        hubspotPortalId: hubspotSandbox.handle.portalId,
        archivedScanMinutes: options.archivedScanMinutes ?? 0,
        ...(options.bulkReadThreshold === undefined ? {} : { bulkReadThreshold: options.bulkReadThreshold }),
        ...(options.recordsPerWindow === undefined ? {} : { recordsPerWindow: options.recordsPerWindow })
    });
    const world: EngineWorld = {
        salesforceSandbox,
        hubspotSandbox,
        salesforce,
        hubspot,
        store,
        mapping,
        engine,
        async sync(request = {}) {
            const report = await engine.run({ mode: 'incremental', ...request });
            if (report.status !== 'completed') throw new Error(`the run failed: ${report.error}`);
            return report;
        },
        createInSalesforce(object, fields) {
            return String(salesforceSandbox.handle.createAsUser(object, fields).Id);
        },
        salesforceRecord(id) {
            const record = salesforceSandbox.handle.getRecord(id);
            if (!record) throw new Error(`no Salesforce record ${id}`);
            return record;
        },
        hubspotObjects(type) {
            return hubspotSandbox.handle.export().objects[type] as {
                id: string;
                archived?: boolean;
                properties: Record<string, string | null>;
            }[];
        },
        hubspotObject(type, id) {
            const found = world.hubspotObjects(type).find((object) => object.id === id);
            if (!found) throw new Error(`no HubSpot ${type} ${id}`);
            return found.properties;
        },
        async close() {
            store.close();
            await Promise.all([salesforceSandbox.close(), hubspotSandbox.close()]);
        }
    };
    return world;
}

/**
 * The write endpoints as the sandboxes count them: sObject Collections create, update, upsert and delete,
 * single-record writes, HubSpot batch writes. A retrieve (`POST /composite/sobjects/{object}`) is a read.
 */
export const writeEndpoint =
    /^(PATCH|DELETE) \/composite\/sobjects|^POST \/composite\/sobjects$|^(POST|PATCH|DELETE) \/sobjects\/|batch\/(create|update|archive)/;
