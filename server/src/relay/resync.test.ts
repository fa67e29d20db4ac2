import { ResyncAccepted } from '../contract/timeline';
import { type TestRelay, bearer, readError, startRelay } from './__tests__/support';
import type { ValidationIssue } from './http-error';

describe('POST /api/v1/records/:sfObject/:sfId/resync', () => {
    let relay: TestRelay;
    beforeEach(async () => {
        relay = await startRelay();
    });
    afterEach(() => relay.server.close());

    const resync = (path: string, init: RequestInit = {}) =>
        fetch(`${relay.url}/api/v1/records/${path}/resync`, {
            method: 'POST',
            ...init,
            headers: { ...bearer(), ...init.headers }
        });

    it('queues the record and answers 202 ResyncAccepted', async () => {
        const response = await resync('Account/001A0000006Vm9rIAC');
        expect(response.status).toBe(202);
        const body = await response.json();
        expect(ResyncAccepted.safeParse(body).error).toBeUndefined();
        expect(body).toEqual({ status: 'QUEUED', jobId: 'job-1', sfObject: 'Account', sfId: '001A0000006Vm9rIAC' });
        expect(relay.queue.requests).toEqual([
            {
                sfObject: 'Account',
                sfId: '001A0000006Vm9rIAC',
                requestedAt: expect.any(String),
                requestId: response.headers.get('x-request-id')
            }
        ]);
    });

    it('accepts an empty JSON body, as Apex may send one', async () => {
        const response = await resync('Contact/003000000000001AAA', {
            body: '{}',
            headers: { 'content-type': 'application/json' }
        });
        expect(response.status).toBe(202);
    });

    it.each([
        ['an object that is not synced', 'Case/500000000000001AAA', 'params.sfObject'],
        ['an object name with injection', "Account'%20OR%201=1/001A0000006Vm9rIAC", 'params.sfObject'],
        ['a 15-character id', 'Account/001A0000006Vm9r', 'params.sfId'],
        ['a bad checksum', 'Account/001A0000006Vm9rIAD', 'params.sfId'],
        ['an id of another object', 'Contact/001A0000006Vm9rIAC', 'params.sfId'],
        ['SOQL in the id', "Account/001'%20OR%20Id!=null--", 'params.sfId']
    ])('refuses %s with VALIDATION_ERROR and queues nothing', async (_case, path, field) => {
        const envelope = await readError(await resync(path));
        expect(envelope).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect((envelope.details as ValidationIssue[]).map((issue) => `${issue.location}.${issue.path}`)).toContain(
            field
        );
        expect(relay.queue.requests).toHaveLength(0);
    });

    it('refuses GET and unauthenticated calls', async () => {
        expect(
            await readError(
                await fetch(`${relay.url}/api/v1/records/Account/001A0000006Vm9rIAC/resync`, { headers: bearer() })
            )
        ).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        expect(
            await readError(
                await fetch(`${relay.url}/api/v1/records/Account/001A0000006Vm9rIAC/resync`, { method: 'POST' })
            )
        ).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
        expect(relay.queue.requests).toHaveLength(0);
    });
});
