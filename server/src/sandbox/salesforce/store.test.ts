import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsforce from 'jsforce';
import { startTestSandbox } from './testing';

describe('persistence to a node:sqlite data file', () => {
    test('records, ID sequence, seeded data, change events and the clock survive a restart', async () => {
        const dataFile = join(mkdtempSync(join(tmpdir(), 'sf-sandbox-')), 'salesforce.sqlite');
        const first = await startTestSandbox({ dataFile, seed: { seed: 4, accounts: 5, contacts: 10, leads: 10 } });
        const conn = new jsforce.Connection({
            instanceUrl: first.url,
            accessToken: first.handle.issueAccessToken(),
            version: '68.0'
        });
        const lead = await conn.sobject('Lead').create({ LastName: 'Durable', Company: 'Disk' });
        await conn.sobject('Lead').update({ Id: lead.id!, Title: 'Kept' });
        const rolledBack = await conn.sobject('Contact').create([{ LastName: 'Ok' }, {}], { allOrNone: true });
        expect(rolledBack.every((r) => !r.success)).toBe(true);
        first.handle.clock.advance(3_600_000);
        const clockAtClose = first.handle.clock.now();
        const events = first.handle.changeEvents().map((e) => e.replayId);
        expect(events.length).toBeGreaterThan(0);
        const counts = {
            Lead: first.handle.count('Lead'),
            Contact: first.handle.count('Contact'),
            Account: first.handle.count('Account')
        };
        await first.close();

        const second = await startTestSandbox({ dataFile, seed: { seed: 4, accounts: 5, contacts: 10, leads: 10 } });
        try {
            expect({
                Lead: second.handle.count('Lead'),
                Contact: second.handle.count('Contact'),
                Account: second.handle.count('Account')
            }).toEqual(counts);
            expect(second.handle.getRecord(lead.id!)).toMatchObject({ Title: 'Kept', LastName: 'Durable' });
            expect(second.handle.users.integrationUserId).toBe(first.handle.users.integrationUserId);
            expect(second.handle.clock.now()).toBeGreaterThanOrEqual(clockAtClose);
            expect(second.handle.changeEvents().map((e) => e.replayId)).toEqual(events);
            const next = second.handle.createAsUser('Lead', { LastName: 'After', Company: 'Restart' });
            expect(String(next.Id) > lead.id!).toBe(true);
            expect(second.handle.query("SELECT Id FROM Lead WHERE Title = 'Kept'")).toHaveLength(1);
        } finally {
            await second.close();
        }
    });
});
