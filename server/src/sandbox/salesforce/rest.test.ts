import jsforce, { type Connection } from 'jsforce';
import type { RunningSalesforceSandbox } from './sandbox';
import { loggedIn, rejection, startTestSandbox } from './testing';

describe('Salesforce sandbox REST through the real jsforce', () => {
    let sandbox: RunningSalesforceSandbox;
    let conn: Connection;

    beforeAll(async () => {
        sandbox = await startTestSandbox();
        conn = await loggedIn(sandbox, { callOptions: { client: 'bridge-test' } });
    });
    afterAll(() => sandbox.close());

    test('login sets the instance URL to the sandbox origin and reports API usage', async () => {
        expect(conn.instanceUrl).toBe(sandbox.url);
        expect(conn.userInfo?.id).toBe(sandbox.handle.users.integrationUserId);
        const identity = await conn.identity();
        expect(identity.username).toBe(sandbox.connection.username);
        await conn.sobject('Lead').describe();
        expect(conn.limitInfo.apiUsage?.limit).toBe(1_000_000);
        expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(0);
    });

    test('record CRUD with system fields, derived fields and 204 handling', async () => {
        const created = await conn
            .sobject('Lead')
            .create({ FirstName: 'Ada', LastName: 'Byron', Company: 'Analytical' });
        expect(created).toMatchObject({ success: true, errors: [] });
        expect(created.id).toMatch(/^00Q[a-zA-Z0-9]{15}$/);
        const lead = await conn.sobject('Lead').retrieve(created.id!);
        expect(lead).toMatchObject({
            Name: 'Ada Byron',
            Status: 'Open - Not Contacted',
            IsConverted: false,
            IsDeleted: false,
            OwnerId: sandbox.handle.users.integrationUserId,
            HubSpot_Sync_Status__c: 'Pending'
        });
        expect(lead.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
        const updated = await conn.sobject('Lead').update({ Id: created.id!, Status: 'Working - Contacted' });
        expect(updated).toEqual({ id: created.id, success: true, errors: [] });
        expect((await conn.sobject('Lead').retrieve(created.id!)).Status).toBe('Working - Contacted');
        await conn.sobject('Lead').destroy(created.id!);
        const gone = await rejection(conn.sobject('Lead').retrieve(created.id!));
        expect(gone.errorCode).toBe('NOT_FOUND');
        const all = await conn.query(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${created.id}'`, { scanAll: true });
        expect(all.records).toEqual([expect.objectContaining({ IsDeleted: true })]);
    });

    test('opportunity stage drives IsClosed, IsWon, Probability and ForecastCategory', async () => {
        const account = await conn.sobject('Account').create({ Name: 'Stage Co' });
        const opp = await conn.sobject('Opportunity').create({
            Name: 'Big deal',
            AccountId: account.id,
            StageName: 'Closed Won',
            CloseDate: '2026-12-31'
        });
        const record = await conn.sobject('Opportunity').retrieve(opp.id!);
        expect(record).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100, ForecastCategory: 'Closed' });
        const [recordType] = (
            await conn.query<{ Id: string }>("SELECT Id FROM RecordType WHERE DeveloperName = 'Renewal'")
        ).records;
        await conn
            .sobject('Opportunity')
            .update({ Id: opp.id!, StageName: 'Qualification', RecordTypeId: recordType.Id });
        const reopened = await conn.sobject('Opportunity').retrieve(opp.id!);
        expect(reopened).toMatchObject({ IsClosed: false, IsWon: false, Probability: 10, RecordTypeId: recordType.Id });
        const nested = await conn.query<{ Opportunities: { totalSize: number; records: { Name: string }[] } }>(
            `SELECT Id, (SELECT Name, StageName FROM Opportunities) FROM Account WHERE Id = '${account.id}'`
        );
        expect(nested.records[0].Opportunities).toMatchObject({
            totalSize: 1,
            done: true,
            records: [{ Name: 'Big deal' }]
        });
        const describe = await conn.sobject('Opportunity').describe();
        expect(
            describe.recordTypeInfos.map((rt) => (rt as unknown as { developerName: string }).developerName)
        ).toEqual(['New_Business', 'Renewal']);
    });

    test('validation errors carry the platform error codes', async () => {
        const cases: [Record<string, unknown>, string, string[]][] = [
            [{ LastName: 'X', Company: 'Y', Status: 'Nope' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['Status']],
            [
                { LastName: 'X', Company: 'Y', HubSpot_Sync_Status__c: 'Legacy' },
                'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                ['HubSpot_Sync_Status__c']
            ],
            [{ Company: 'Y' }, 'REQUIRED_FIELD_MISSING', ['LastName']],
            [{ LastName: 'X'.repeat(81), Company: 'Y' }, 'STRING_TOO_LONG', ['LastName']],
            [{ LastName: 'X', Company: 'Y', Email: 'not-an-email' }, 'INVALID_EMAIL_ADDRESS', ['Email']],
            [{ LastName: 'X', Company: 'Y', IsConverted: true }, 'INVALID_FIELD_FOR_INSERT_UPDATE', ['IsConverted']],
            [{ LastName: 'X', Company: 'Y', OwnerId: 'garbage' }, 'MALFORMED_ID', ['OwnerId']],
            [{ LastName: 'X', Company: 'Y', HubSpot_Score__c: 'many' }, 'JSON_PARSER_ERROR', ['HubSpot_Score__c']],
            [{ LastName: 'X', Company: 'Y', Shoe_Size__c: 42 }, 'INVALID_FIELD', ['Shoe_Size__c']]
        ];
        for (const [record, errorCode, fields] of cases) {
            const error = await rejection(conn.sobject('Lead').create(record));
            expect({ errorCode: error.errorCode, fields: (error.data as { fields?: string[] }).fields }).toEqual({
                errorCode,
                fields
            });
        }
        expect(sandbox.handle.count('Lead')).toBe(sandbox.handle.query('SELECT Id FROM Lead').length);
    });

    test('duplicate external IDs, upsert 201/200 and 300 on several matches', async () => {
        const first = await conn
            .sobject('Lead')
            .upsert({ HubSpot_Id__c: 'hs-1', LastName: 'Up', Company: 'Sert' }, 'HubSpot_Id__c');
        expect(first).toMatchObject({ success: true, created: true });
        const second = await conn.sobject('Lead').upsert({ HubSpot_Id__c: 'hs-1', Title: 'CTO' }, 'HubSpot_Id__c');
        expect(second).toMatchObject({ id: first.id, success: true, created: false });
        const duplicate = await rejection(
            conn.sobject('Lead').create({ LastName: 'Dup', Company: 'X', HubSpot_Id__c: 'HS-1' })
        );
        expect(duplicate.errorCode).toBe('DUPLICATE_VALUE');
        expect(duplicate.message).toBe(
            `duplicate value found: HubSpot_Id__c duplicates value on record with id: ${first.id}`
        );
        const notExternal = await rejection(
            conn.sobject('Lead').upsert({ Email: 'a@b.co', LastName: 'N', Company: 'C' }, 'Email')
        );
        expect(notExternal.errorCode).toBe('NOT_FOUND');
        const who = await conn.sobject('Lead').create({ LastName: 'Who', Company: 'Co' });
        await conn.sobject('Task').create([
            { Subject: 'Call', WhoId: who.id, HubSpot_Engagement_Id__c: 'eng-7' },
            { Subject: 'Call', WhoId: who.id, HubSpot_Engagement_Id__c: 'eng-7' }
        ]);
        const several = await rejection(
            conn.sobject('Task').upsert({ HubSpot_Engagement_Id__c: 'eng-7', Subject: 'x' }, 'HubSpot_Engagement_Id__c')
        );
        expect(several.errorCode).toBe('MULTIPLE_CHOICES');
    });

    test('sObject collections: per-record errors, allOrNone rollback, upsert, retrieve, delete', async () => {
        const results = await conn
            .sobject('Contact')
            .create([{ LastName: 'One' }, { FirstName: 'NoLast' }, { LastName: 'Three' }]);
        expect(results.map((r) => r.success)).toEqual([true, false, true]);
        expect(results[1]).toEqual({
            success: false,
            errors: [
                {
                    statusCode: 'REQUIRED_FIELD_MISSING',
                    message: 'Required fields are missing: [LastName]',
                    fields: ['LastName']
                }
            ]
        });
        const before = sandbox.handle.count('Contact');
        const rolledBack = await conn
            .sobject('Contact')
            .create([{ LastName: 'Kept?' }, { LastName: 'Y'.repeat(100) }], { allOrNone: true });
        expect(rolledBack.map((r) => r.success)).toEqual([false, false]);
        expect((rolledBack[0] as unknown as { errors: { statusCode: string }[] }).errors[0].statusCode).toBe(
            'ALL_OR_NONE_OPERATION_ROLLED_BACK'
        );
        expect(sandbox.handle.count('Contact')).toBe(before);
        const ids = results.filter((r) => r.success).map((r) => r.id!);
        const updated = await conn.sobject('Contact').update(ids.map((Id) => ({ Id, Title: 'Buyer' })));
        expect(updated.every((r) => r.success)).toBe(true);
        const retrieved = await conn.sobject('Contact').retrieve(ids, { fields: ['Title', 'LastName'] });
        expect(retrieved.map((r) => r?.Title)).toEqual(['Buyer', 'Buyer']);
        const upserted = await conn.sobject('Contact').upsert(
            [
                { HubSpot_Id__c: 'c-1', LastName: 'Fresh' },
                { HubSpot_Id__c: 'c-2', LastName: 'Fresh2' }
            ],
            'HubSpot_Id__c'
        );
        expect(upserted.map((r) => (r as { created: boolean }).created)).toEqual([true, true]);
        const again = await conn
            .sobject('Contact')
            .upsert([{ HubSpot_Id__c: 'c-1', LastName: 'Again' }], 'HubSpot_Id__c');
        expect((again[0] as { created: boolean }).created).toBe(false);
        const destroyed = await conn.sobject('Contact').destroy(ids);
        expect(destroyed.every((r) => r.success)).toBe(true);
        const contactsBefore = sandbox.handle.count('Contact');
        const unknownField = await rejection(
            conn.sobject('Contact').create([{ LastName: 'Saved?' }, { LastName: 'X', Nope__c: 1 }])
        );
        expect(unknownField.errorCode).toBe('INVALID_FIELD');
        expect(sandbox.handle.count('Contact')).toBe(contactsBefore);
        const tooMany = await rejection(
            conn.sobject('Contact').create(Array.from({ length: 201 }, (_, i) => ({ LastName: `n${i}` })))
        );
        expect(tooMany.errorCode).toBe('EXCEEDED_ID_LIMIT');
    });

    test('a partial fault fails some collection items deterministically', async () => {
        sandbox.handle.faults.add({
            path: '^/services/data/v[\\d.]+/composite/sobjects$',
            kind: 'partial',
            failureRate: 0.5,
            times: 1
        });
        const results = await conn
            .sobject('Account')
            .create(Array.from({ length: 10 }, (_, i) => ({ Name: `Partial ${i}` })));
        const failed = results.filter((r) => !r.success);
        expect(failed.length).toBeGreaterThan(0);
        expect(failed.length).toBeLessThan(10);
        expect((failed[0] as unknown as { errors: { statusCode: string }[] }).errors[0].statusCode).toBe(
            'UNABLE_TO_LOCK_ROW'
        );
        const again = await conn.sobject('Account').create([{ Name: 'After fault' }]);
        expect(again[0].success).toBe(true);
    });

    test('composite resolves references and rolls back with allOrNone', async () => {
        const base = `/services/data/v${conn.version}`;
        const ok = await conn.requestPost<{ compositeResponse: { httpStatusCode: number; body: { id: string } }[] }>(
            '/composite',
            {
                allOrNone: true,
                compositeRequest: [
                    {
                        method: 'POST',
                        url: `${base}/sobjects/Account`,
                        referenceId: 'acct',
                        body: { Name: 'Composite Inc' }
                    },
                    {
                        method: 'POST',
                        url: `${base}/sobjects/Contact`,
                        referenceId: 'con',
                        body: { LastName: 'Ref', AccountId: '@{acct.id}' }
                    },
                    { method: 'GET', url: `${base}/sobjects/Contact/@{con.id}?fields=AccountId`, referenceId: 'read' }
                ]
            }
        );
        expect(ok.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
        expect((ok.compositeResponse[2].body as unknown as { AccountId: string }).AccountId).toBe(
            ok.compositeResponse[0].body.id
        );
        const accounts = sandbox.handle.count('Account');
        const failed = await conn.requestPost<{
            compositeResponse: { httpStatusCode: number; body: { errorCode: string }[] }[];
        }>('/composite', {
            allOrNone: true,
            compositeRequest: [
                { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'a1', body: { Name: 'Rolled back' } },
                { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'a2', body: {} },
                { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'a3', body: { Name: 'Never' } }
            ]
        });
        expect(failed.compositeResponse.map((r) => r.body[0].errorCode)).toEqual([
            'PROCESSING_HALTED',
            'REQUIRED_FIELD_MISSING',
            'PROCESSING_HALTED'
        ]);
        expect(sandbox.handle.count('Account')).toBe(accounts);
    });

    test('query pages of 2,000 are fetched to the end with autoFetch', async () => {
        sandbox.handle.seed({ seed: 7, leads: 4500 });
        const total = sandbox.handle.count('Lead');
        const result = await conn.query('SELECT Id, Email FROM Lead ORDER BY Id', {
            autoFetch: true,
            maxFetch: 100_000
        });
        expect(result.totalSize).toBe(total);
        expect(result.records).toHaveLength(total);
        expect(new Set(result.records.map((r) => r.Id)).size).toBe(total);
        const first = await conn.query('SELECT Id FROM Lead');
        expect(first.records).toHaveLength(2000);
        expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v68\.0\/query\/[^/]+-2000$/);
        const more = await conn.queryMore(first.nextRecordsUrl!);
        expect(more.records).toHaveLength(2000);
        const count = await conn.query("SELECT COUNT() FROM Lead WHERE Status = 'Working - Contacted'");
        expect(count.records).toEqual([]);
        expect(count.totalSize).toBe(
            sandbox.handle.query("SELECT Id FROM Lead WHERE Status = 'Working - Contacted'").length
        );
    });

    test("SOQL generated by jsforce's query builder", async () => {
        const since = new Date(sandbox.handle.clock.now() - 3_600_000);
        await conn.sobject('Lead').create({ LastName: 'Builder', Company: 'Soql', Email: 'builder@soql.example' });
        const rows = await conn
            .sobject('Lead')
            .find(
                {
                    SystemModstamp: { $gt: jsforce.SfDate.toDateTimeLiteral(since) },
                    Email: { $like: '%@soql.example' },
                    Status: { $in: ['Open - Not Contacted', 'Working - Contacted'] },
                    $or: [{ IsConverted: false }, { ConvertedDate: null }]
                },
                ['Id', 'Email', 'Owner.Name']
            )
            .sort({ SystemModstamp: 1, Id: 1 })
            .limit(10);
        expect(rows).toEqual([expect.objectContaining({ Email: 'builder@soql.example' })]);
    });

    test('Sforce-Query-Options batchSize is honoured', async () => {
        const page = await conn.request<{ records: unknown[]; done: boolean }>({
            method: 'GET',
            url: `/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`,
            headers: { 'Sforce-Query-Options': 'batchSize=250' }
        });
        expect(page.records).toHaveLength(250);
        expect(page.done).toBe(false);
    });

    test('query errors: malformed, unknown field, unknown object', async () => {
        const malformed = await rejection(conn.query('SELECT Id FRM Lead'));
        expect(malformed.errorCode).toBe('MALFORMED_QUERY');
        expect(malformed.message).toContain('ERROR at Row:1:Column:11');
        const field = await rejection(conn.query('SELECT Foo FROM Lead'));
        expect(field.errorCode).toBe('INVALID_FIELD');
        expect(field.message).toContain("No such column 'Foo' on entity 'Lead'");
        const type = await rejection(conn.query('SELECT Id FROM Nothing__c'));
        expect(type.errorCode).toBe('INVALID_TYPE');
        const locator = await rejection(conn.queryMore('/services/data/v68.0/query/01gbogus-2000'));
        expect(locator.errorCode).toBe('INVALID_QUERY_LOCATOR');
    });

    test('getUpdated and getDeleted use the sandbox clock', async () => {
        const start = new Date(sandbox.handle.clock.now() - 60_000);
        const lead = await conn.sobject('Lead').create({ LastName: 'Rep', Company: 'Lica' });
        await conn.sobject('Lead').destroy(lead.id!);
        sandbox.handle.clock.advance(120_000);
        const end = new Date(sandbox.handle.clock.now());
        const deleted = await conn.sobject('Lead').deleted(start, end);
        expect(deleted.deletedRecords.map((r) => r.id)).toContain(lead.id);
        const contact = await conn.sobject('Contact').create({ LastName: 'Changed' });
        sandbox.handle.clock.advance(120_000);
        const updated = await conn.sobject('Contact').updated(end, new Date(sandbox.handle.clock.now()));
        expect(updated.ids).toContain(contact.id);
        const backwards = await rejection(conn.sobject('Contact').updated(end, start));
        expect(backwards.errorCode).toBe('INVALID_REPLICATION_DATE');
    });

    test('describe global, describe, limits', async () => {
        const global = await conn.describeGlobal();
        expect(global.sobjects.map((s) => s.name)).toEqual(
            expect.arrayContaining(['Lead', 'Contact', 'Account', 'Opportunity', 'Task', 'Event', 'User'])
        );
        const lead = await conn.sobject('Lead').describe();
        const status = lead.fields.find((f) => f.name === 'Status')!;
        expect(status).toMatchObject({ type: 'picklist', restrictedPicklist: true, nillable: false, createable: true });
        const hubspotId = lead.fields.find((f) => f.name === 'HubSpot_Id__c')!;
        expect(hubspotId).toMatchObject({ externalId: true, unique: true, length: 64, custom: true, idLookup: true });
        const legacy = lead.fields
            .find((f) => f.name === 'HubSpot_Sync_Status__c')!
            .picklistValues!.find((v) => v.value === 'Legacy');
        expect(legacy?.active).toBe(false);
        const owner = lead.fields.find((f) => f.name === 'OwnerId')!;
        expect(owner).toMatchObject({ type: 'reference', referenceTo: ['User'], relationshipName: 'Owner' });
        expect(lead.fields.find((f) => f.name === 'IsConverted')).toMatchObject({
            createable: false,
            updateable: false
        });
        const task = await conn.sobject('Task').describe();
        expect(task.fields.map((f) => f.name)).toContain('HubSpot_Engagement_Id__c');
        const limits = await conn.limits();
        expect(limits.DailyApiRequests.Max).toBe(1_000_000);
    });
});

describe('Salesforce sandbox limits and sessions', () => {
    let sandbox: RunningSalesforceSandbox;

    beforeAll(async () => {
        sandbox = await startTestSandbox({ dailyApiLimit: 50, sessionTimeoutMs: 60_000 });
    });
    afterAll(() => sandbox.close());

    test('the daily allowance ends in 403 REQUEST_LIMIT_EXCEEDED and resets at midnight', async () => {
        const conn = await loggedIn(sandbox);
        sandbox.handle.setApiUsage(49);
        await conn.query('SELECT Id FROM Lead');
        expect(conn.limitInfo.apiUsage).toEqual({ used: 50, limit: 50 });
        const error = await rejection(conn.query('SELECT Id FROM Lead'));
        expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
        const soap = await rejection(
            conn.soap.convertLead({ leadId: '00Q000000000000', convertedStatus: 'x' } as never)
        );
        expect(soap.errorCode).toBe('sf:REQUEST_LIMIT_EXCEEDED');
        sandbox.handle.clock.advance(86_400_000);
        await expect(conn.query('SELECT Id FROM Lead')).resolves.toMatchObject({ done: true });
    });

    test('an expired session answers INVALID_SESSION_ID and jsforce logs in again', async () => {
        const conn = await loggedIn(sandbox);
        const firstToken = conn.accessToken;
        sandbox.handle.clock.advance(61_000);
        const result = await conn.query('SELECT Id FROM User');
        expect(result.totalSize).toBeGreaterThan(0);
        expect(conn.accessToken).not.toBe(firstToken);
        const stale = new jsforce.Connection({ instanceUrl: sandbox.url, accessToken: firstToken!, version: '68.0' });
        const error = await rejection(stale.query('SELECT Id FROM User'));
        expect(error.errorCode).toBe('INVALID_SESSION_ID');
    });

    test('an expired-session fault forces a refresh through the refresh token', async () => {
        const conn = new jsforce.Connection({
            instanceUrl: sandbox.url,
            accessToken: sandbox.handle.issueAccessToken(),
            refreshToken: sandbox.handle.mintRefreshToken(),
            version: '68.0',
            oauth2: {
                loginUrl: sandbox.url,
                clientId: sandbox.connection.clientId,
                clientSecret: sandbox.connection.clientSecret
            }
        });
        const before = conn.accessToken;
        let refreshed = false;
        conn.on('refresh', () => (refreshed = true));
        sandbox.handle.faults.add({ path: '/query$', kind: 'expired-session', times: 1 });
        await conn.query('SELECT Id FROM User');
        expect(refreshed).toBe(true);
        expect(conn.accessToken).not.toBe(before);
    });
});

describe('Salesforce sandbox nested units of work', () => {
    let sandbox: RunningSalesforceSandbox;

    beforeAll(async () => {
        sandbox = await startTestSandbox();
    });
    afterAll(() => sandbox.close());

    test('deleting an account takes its contacts, opportunities and activities along; undelete restores them', async () => {
        const account = sandbox.handle.createAsUser('Account', { Name: 'Cascade' });
        const contact = sandbox.handle.createAsUser('Contact', { LastName: 'Child', AccountId: account.Id });
        const task = sandbox.handle.createAsUser('Task', { Subject: 'Call', WhoId: contact.Id });
        const other = sandbox.handle.createAsUser('Contact', { LastName: 'Unrelated' });
        const conn = await loggedIn(sandbox);
        await conn.sobject('Account').destroy(account.Id as string);
        const deleted = await conn.query(
            `SELECT Id, IsDeleted FROM Contact WHERE Id IN ('${contact.Id}', '${other.Id}') ORDER BY LastName`,
            { scanAll: true }
        );
        expect(deleted.records.map((r) => r.IsDeleted)).toEqual([true, false]);
        expect(sandbox.handle.getRecord(task.Id as string)).toMatchObject({ IsDeleted: true });
        const events = sandbox.handle.changeEvents().filter((e) => e.payload.ChangeEventHeader.changeType === 'DELETE');
        expect(events.map((e) => e.entityName)).toEqual(expect.arrayContaining(['Account', 'Contact', 'Task']));
        sandbox.handle.undeleteAsUser(account.Id as string);
        expect(sandbox.handle.getRecord(task.Id as string)).toMatchObject({ IsDeleted: false });
        expect(sandbox.handle.getRecord(contact.Id as string)).toMatchObject({ IsDeleted: false });
    });

    test('an allOrNone collection failing inside composite rolls back only itself', async () => {
        const conn = await loggedIn(sandbox);
        const base = `/services/data/v${conn.version}`;
        const result = await conn.requestPost<{ compositeResponse: { httpStatusCode: number; body: unknown }[] }>(
            '/composite',
            {
                allOrNone: false,
                compositeRequest: [
                    { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'kept', body: { Name: 'Kept' } },
                    {
                        method: 'POST',
                        url: `${base}/composite/sobjects`,
                        referenceId: 'batch',
                        body: {
                            allOrNone: true,
                            records: [
                                { attributes: { type: 'Account' }, Name: 'Rolled back' },
                                { attributes: { type: 'Account' } }
                            ]
                        }
                    }
                ]
            }
        );
        expect(result.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 200]);
        expect(sandbox.handle.query("SELECT Name FROM Account WHERE Name IN ('Kept', 'Rolled back')")).toEqual([
            expect.objectContaining({ Name: 'Kept' })
        ]);
    });
});
