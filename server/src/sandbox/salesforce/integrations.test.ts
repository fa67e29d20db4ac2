import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import type { RunningSalesforceSandbox } from './sandbox';
import { loggedIn, startTestSandbox } from './testing';

interface ConvertResult {
    accountId: string;
    contactId: string;
    leadId: string;
    opportunityId: string | null;
    success: boolean;
    errors: { statusCode: string }[];
}

/** jsforce types the faye client without `disconnect`, which it has. */
const disconnect = (client: unknown) => (client as { disconnect(): Promise<void> }).disconnect();

async function convertLead(conn: Connection, request: Record<string, unknown>): Promise<ConvertResult> {
    return (await conn.soap.convertLead(request as never)) as unknown as ConvertResult;
}

interface CdcMessage {
    payload: { ChangeEventHeader: Record<string, unknown> } & Record<string, unknown>;
    event: { replayId: number };
}

describe('SOAP convertLead and merge, CDC streaming and Bulk API 2.0 through the real jsforce', () => {
    let sandbox: RunningSalesforceSandbox;
    let conn: Connection;

    beforeAll(async () => {
        sandbox = await startTestSandbox({
            streamingPollMs: 2_000,
            leadFieldMapping: {
                HubSpot_Id__c: { Contact: 'HubSpot_Id__c' },
                HubSpot_Last_Synced__c: { Contact: 'HubSpot_Last_Synced__c' }
            }
        });
        conn = await loggedIn(sandbox, { callOptions: { client: 'bridge-sync' } });
    });
    afterAll(() => sandbox.close());

    test('convertLead creates account, contact and opportunity and marks the lead converted', async () => {
        const lead = await conn.sobject('Lead').create({
            FirstName: 'Conv',
            LastName: 'Ert',
            Company: 'Convert Co',
            Email: 'conv@convert.co',
            HubSpot_Id__c: 'hs-501',
            HubSpot_Last_Synced__c: '2026-01-02T03:04:05.000Z'
        });
        await conn.sobject('Task').create({ Subject: 'Call', WhoId: lead.id });
        const result = await convertLead(conn, {
            leadId: lead.id!,
            convertedStatus: 'Closed - Converted'
        } as never);
        expect(result).toMatchObject({ success: true, leadId: lead.id, errors: [] });
        const converted = await conn.sobject('Lead').retrieve(lead.id!);
        expect(converted).toMatchObject({
            IsConverted: true,
            Status: 'Closed - Converted',
            ConvertedAccountId: result.accountId,
            ConvertedContactId: result.contactId,
            ConvertedOpportunityId: result.opportunityId
        });
        const contact = await conn.sobject('Contact').retrieve(result.contactId!);
        expect(contact).toMatchObject({
            AccountId: result.accountId,
            Email: 'conv@convert.co',
            LastName: 'Ert',
            HubSpot_Id__c: 'hs-501',
            HubSpot_Last_Synced__c: '2026-01-02T03:04:05.000+0000'
        });
        const tasks = await conn.query(`SELECT Id FROM Task WHERE WhoId = '${result.contactId}'`);
        expect(tasks.totalSize).toBe(1);
        const blocked = await conn
            .sobject('Lead')
            .update({ Id: lead.id!, Title: 'x' })
            .catch((e: { errorCode: string }) => e);
        expect((blocked as { errorCode: string }).errorCode).toBe('CANNOT_UPDATE_CONVERTED_LEAD');
        const again = await convertLead(conn, { leadId: lead.id!, convertedStatus: 'Closed - Converted' } as never);
        expect(again.success).toBe(false);
        const badStatus = await convertLead(conn, {
            leadId: (await conn.sobject('Lead').create({ LastName: 'S', Company: 'T' })).id!,
            convertedStatus: 'Working - Contacted',
            doNotCreateOpportunity: true
        } as never);
        expect(badStatus).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_STATUS' }] });
    });

    test('merge deletes the losers with MasterRecordId and re-parents their children', async () => {
        const [master, loser] = await conn
            .sobject('Contact')
            .create([{ LastName: 'Master' }, { LastName: 'Loser', Email: 'l@x.co' }]);
        await conn.sobject('Task').create({ Subject: 'Call', WhoId: loser.id });
        const result = await conn.soap.merge({
            masterRecord: { type: 'Contact', Id: master.id!, Title: 'Merged' },
            recordToMergeIds: [loser.id!]
        } as never);
        expect(result).toMatchObject({ success: true, id: master.id, mergedRecordIds: [loser.id] });
        const deleted = await conn.query(`SELECT Id, IsDeleted, MasterRecordId FROM Contact WHERE Id = '${loser.id}'`, {
            scanAll: true
        });
        expect(deleted.records[0]).toMatchObject({ IsDeleted: true, MasterRecordId: master.id });
        expect((await conn.sobject('Contact').retrieve(master.id!)).Title).toBe('Merged');
        expect((await conn.query(`SELECT Id FROM Task WHERE WhoId = '${master.id}'`)).totalSize).toBe(1);
        const purged = (await conn.soap.emptyRecycleBin([loser.id!, master.id!])) as unknown as { success: boolean }[];
        expect(purged.map((r) => r.success)).toEqual([true, false]);
        expect((await conn.query(`SELECT Id FROM Contact WHERE Id = '${loser.id}'`, { scanAll: true })).totalSize).toBe(
            0
        );
    });

    test('getServerTimestamp answers the sandbox clock', async () => {
        sandbox.handle.clock.advance(60_000);
        const { timestamp } = await conn.soap.getServerTimestamp();
        expect(Math.abs(Date.parse(timestamp) - sandbox.handle.clock.now())).toBeLessThan(5_000);
        expect(Date.parse(timestamp) - Date.now()).toBeGreaterThan(50_000);
    });

    test('a CDC subscription receives the change event for a user edit and for the sync client', async () => {
        const lead = await conn.sobject('Lead').create({ LastName: 'Stream', Company: 'CDC' });
        const received: CdcMessage[] = [];
        const client = conn.streaming.createClient([]);
        const subscription = client.subscribe('/data/LeadChangeEvent', (message: unknown) =>
            received.push(message as CdcMessage)
        );
        await new Promise<void>((resolve, reject) =>
            (subscription as unknown as PromiseLike<void>).then(resolve, reject)
        );
        sandbox.handle.editAsUser(lead.id!, { Status: 'Working - Contacted', FirstName: 'Ed' });
        await conn.sobject('Lead').update({ Id: lead.id!, Title: 'Synced' });
        const deadline = Date.now() + 5_000;
        while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await disconnect(client);
        const [userEdit, apiEdit] = received;
        expect(userEdit.payload.ChangeEventHeader).toMatchObject({
            entityName: 'Lead',
            recordIds: [lead.id],
            changeType: 'UPDATE',
            changeOrigin: '',
            commitUser: sandbox.handle.users.salesRepIds[0]
        });
        expect(userEdit.payload.ChangeEventHeader.changedFields).toEqual(
            expect.arrayContaining(['Status', 'Name.FirstName', 'LastModifiedDate', 'LastModifiedById'])
        );
        expect(userEdit.payload).toMatchObject({ Status: 'Working - Contacted', Name: { FirstName: 'Ed' } });
        expect(apiEdit.payload.ChangeEventHeader.changeOrigin).toBe('com/salesforce/api/rest/68.0;client=bridge-sync');
        expect(apiEdit.event.replayId).toBeGreaterThan(userEdit.event.replayId);
        const modified = await conn.sobject('Lead').retrieve(lead.id!);
        expect(modified.LastModifiedById).toBe(sandbox.handle.users.integrationUserId);
    });

    test('replay from a stored replay ID and gap events', async () => {
        const replayFrom = sandbox.handle.changeEvents().at(-1)!.replayId;
        const account = await conn.sobject('Account').create({ Name: 'Replayed' });
        sandbox.handle.publishGap('Account', [account.id!], 'GAP_UPDATE');
        const client = conn.streaming.createClient([new StreamingExtension.Replay('/data/ChangeEvents', replayFrom)]);
        const received: CdcMessage[] = [];
        const subscription = client.subscribe('/data/ChangeEvents', (message: unknown) =>
            received.push(message as CdcMessage)
        );
        await new Promise<void>((resolve, reject) =>
            (subscription as unknown as PromiseLike<void>).then(resolve, reject)
        );
        const deadline = Date.now() + 5_000;
        while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await disconnect(client);
        expect(received.map((m) => m.payload.ChangeEventHeader.changeType)).toEqual(['CREATE', 'GAP_UPDATE']);
        expect(received[0].payload).toMatchObject({ Name: 'Replayed' });
        expect(received.every((m) => m.event.replayId > replayFrom)).toBe(true);
    });

    test('a replay ID older than the 72-hour retention is refused', async () => {
        const oldest = sandbox.handle.changeEvents()[0].replayId;
        sandbox.handle.clock.advance(73 * 3_600_000);
        await conn.query('SELECT Id FROM User LIMIT 1');
        const client = conn.streaming.createClient([new StreamingExtension.Replay('/data/ChangeEvents', oldest)]);
        const subscription = client.subscribe('/data/ChangeEvents', () => undefined);
        const outcome = await new Promise<unknown>((resolve) =>
            (subscription as unknown as PromiseLike<void>).then(
                () => resolve('subscribed'),
                (error: unknown) => resolve(error)
            )
        );
        await disconnect(client);
        expect(String((outcome as { message?: string }).message ?? outcome)).toContain('The replayId {');
        expect(sandbox.handle.changeEvents()).toEqual([]);
    });

    test('bulk2 ingest reports successes and failures; bulk2 query reads to the last page', async () => {
        const rows = Array.from({ length: 700 }, (_, i) => ({
            LastName: `Bulk ${i}`,
            Company: i === 5 ? null : `Co, ${i}`
        }));
        const results = await conn.bulk2.loadAndWaitForResults({
            object: 'Lead',
            operation: 'insert',
            input: rows,
            pollInterval: 50
        });
        expect(results.successfulResults).toHaveLength(699);
        expect(results.failedResults).toHaveLength(1);
        expect(results.failedResults[0].sf__Error).toMatch(/^REQUIRED_FIELD_MISSING:/);
        const records = await conn.bulk2.query(
            "SELECT Id, LastName, Company, Owner.Name FROM Lead WHERE LastName LIKE 'Bulk %'",
            {
                pollInterval: 50
            }
        );
        const all: Record<string, unknown>[] = [];
        for await (const record of records) all.push(record as Record<string, unknown>);
        expect(all).toHaveLength(699);
        expect(all[0]).toMatchObject({ Company: 'Co, 0', 'Owner.Name': 'Integration User' });
        expect(sandbox.handle.requests.snapshot().byEndpoint['GET /jobs/query/{id}/results']).toBe(1);
    });
});
