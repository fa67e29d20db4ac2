/**
 * Edits as another API user makes them: through the real jsforce and @hubspot/api-client, over HTTP,
 * against the sandboxes. These clients are not the engine's, so their calls are not in its counts.
 */
import { Client } from '@hubspot/api-client';
import { Connection } from 'jsforce';

import { hubspotBatchSize, salesforceBatchSize } from '../../src/sync/adapters/ports';
import type { SandboxConnections } from './sandbox-protocol';

export interface UserEditor {
    /** Updates Salesforce records (≤200 per call); throws when any record failed. */
    salesforce(object: string, records: { Id: string; [field: string]: string }[]): Promise<void>;
    /** Updates HubSpot records (≤100 per call); throws when the batch failed. */
    hubspot(objectType: string, inputs: { id: string; properties: Record<string, string> }[]): Promise<void>;
}

function chunks<T>(items: T[], size: number): T[][] {
    const result: T[][] = [];
    for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
    return result;
}

export async function connectUserEditor(connections: SandboxConnections): Promise<UserEditor> {
    const info = connections.salesforce;
    const connection = new Connection({
        loginUrl: info.loginUrl,
        version: info.apiVersion,
        oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret }
    });
    await connection.login(info.username, info.password);
    // Another private app: its edits reach the relay's webhooks as someone else's, not as the relay's own writes.
    const client = new Client({
        accessToken: connections.hubspot.otherAppAccessToken,
        basePath: connections.hubspot.basePath,
        numberOfApiCallRetries: 3
    });
    return {
        async salesforce(object, records) {
            for (const chunk of chunks(records, salesforceBatchSize)) {
                const results = await connection.sobject(object).update(chunk, { allOrNone: false });
                const failed = results.filter((result) => !result.success);
                if (failed.length > 0) {
                    throw new Error(`${failed.length} ${object} edits failed: ${JSON.stringify(failed[0])}`);
                }
            }
        },
        async hubspot(objectType, inputs) {
            for (const chunk of chunks(inputs, hubspotBatchSize)) {
                await client.crm.objects.batchApi.update(objectType, { inputs: chunk });
            }
        }
    };
}
