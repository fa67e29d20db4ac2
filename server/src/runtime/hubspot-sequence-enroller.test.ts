/**
 * Sequence enrollment end to end: the relay route over HTTP, the runtime enroller with the real
 * @hubspot/api-client against the HubSpot sandbox, and links in a real SQLite state store.
 */
import { Client } from '@hubspot/api-client';
import { SequenceEnrollmentAccepted } from '../contract/timeline';
import { type TestRelay, bearer, readError, startRelay } from '../relay/__tests__/support';
import type { ValidationIssue } from '../relay/http-error';
import { type RunningHubSpotSandbox, startHubSpotSandbox } from '../sandbox/hubspot';
import { type SqliteStateStore, openSqliteStateStore } from '../state/sqlite-store';
import { hubSpotSequenceEnroller } from './hubspot-sequence-enroller';

const CONTACT_SF_ID = '003000000000001AAA';
const LEAD_SF_ID = '00Q000000000001EAA';
const UNSYNCED_SF_ID = '003000000000002AAA';
const SEQUENCE_ID = '4200001';
const SENDER = 'ada.lovelace@example.com';

describe('POST /api/v1/records/:sfObject/:sfId/sequence-enrollments', () => {
    let sandbox: RunningHubSpotSandbox;
    let store: SqliteStateStore;
    let relay: TestRelay;
    let contactId: string;
    let leadContactId: string;

    const enrollmentsOf = (hubspotId: string) =>
        sandbox.handle.timeline.sequenceEnrollments.filter((e) => String(e.contactId) === hubspotId);

    const link = (salesforceObject: string, salesforceId: string, hubspotId: string) =>
        store.upsertLinks([
            { mappingId: salesforceObject, salesforceObject, salesforceId, hubspotObjectType: 'contacts', hubspotId }
        ]);

    const startRelayWith = (client: Client) =>
        startRelay({ sequenceEnroller: hubSpotSequenceEnroller({ client, store }) });

    beforeEach(async () => {
        sandbox = await startHubSpotSandbox();
        store = openSqliteStateStore({ path: ':memory:' });
        contactId = String(sandbox.handle.createAsUser('contacts', { email: 'ada@example.org', firstname: 'Ada' }).id);
        leadContactId = String(sandbox.handle.createAsUser('contacts', { email: 'lin@example.org' }).id);
        link('Contact', CONTACT_SF_ID, contactId);
        link('Lead', LEAD_SF_ID, leadContactId);
        relay = await startRelayWith(new Client(sandbox.connection));
    });
    afterEach(async () => {
        await relay.server.close();
        await sandbox.close();
        store.close();
    });

    const enroll = (path: string, body: unknown = { sequenceId: SEQUENCE_ID, senderEmail: SENDER }, init = {}) =>
        fetch(`${relay.url}/api/v1/records/${path}/sequence-enrollments`, {
            method: 'POST',
            headers: { ...bearer(), 'content-type': 'application/json' },
            body: typeof body === 'string' ? body : JSON.stringify(body),
            ...init
        });

    it('enrolls the linked contact and answers 201 SequenceEnrollmentAccepted', async () => {
        const response = await enroll(`Contact/${CONTACT_SF_ID}`);
        expect(response.status).toBe(201);
        const body = await response.json();
        expect(SequenceEnrollmentAccepted.safeParse(body).error).toBeUndefined();
        const [stored] = enrollmentsOf(contactId);
        expect(body).toEqual({
            status: 'ENROLLED',
            enrollmentId: stored.id,
            sequenceId: SEQUENCE_ID,
            sfObject: 'Contact',
            sfId: CONTACT_SF_ID,
            hubspotContactId: contactId,
            toEmail: 'ada@example.org',
            enrolledAt: new Date(stored.enrolledAt).toISOString()
        });
        expect(stored).toMatchObject({ sequenceId: SEQUENCE_ID, enrolledBy: '9000001', enrolledByEmail: SENDER });
    });

    it('enrolls a synced Lead through its linked contact', async () => {
        const response = await enroll(`Lead/${LEAD_SF_ID}`, { sequenceId: '4200002', senderEmail: SENDER });
        expect(response.status).toBe(201);
        expect(enrollmentsOf(leadContactId)).toHaveLength(1);
    });

    it('answers 404 NOT_FOUND for a record that is not synced, without calling HubSpot', async () => {
        sandbox.handle.counter.reset();
        const error = await readError(await enroll(`Contact/${UNSYNCED_SF_ID}`));
        expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        expect(error.message).toContain('not synced');
        expect(sandbox.handle.counter.snapshot().total).toBe(0);
    });

    it('answers 404 NOT_FOUND when the linked contact was deleted in HubSpot', async () => {
        link('Contact', UNSYNCED_SF_ID, '987654321');
        expect(await readError(await enroll(`Contact/${UNSYNCED_SF_ID}`))).toMatchObject({
            status: 404,
            code: 'NOT_FOUND'
        });
    });

    it('answers 409 CONFLICT when the contact is already in a sequence, and keeps one enrollment', async () => {
        expect((await enroll(`Contact/${CONTACT_SF_ID}`)).status).toBe(201);
        const error = await readError(
            await enroll(`Contact/${CONTACT_SF_ID}`, { sequenceId: '4200002', senderEmail: SENDER })
        );
        expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: { reason: 'ALREADY_ENROLLED' } });
        expect(enrollmentsOf(contactId)).toHaveLength(1);
    });

    it('answers 409 CONFLICT for a contact who unsubscribed from email', async () => {
        sandbox.handle.editAsUser('contacts', contactId, { hs_email_optout: 'true' });
        const error = await readError(await enroll(`Contact/${CONTACT_SF_ID}`));
        expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: { reason: 'CONTACT_UNSUBSCRIBED' } });
        expect(enrollmentsOf(contactId)).toHaveLength(0);
    });

    it.each([
        ['an unknown sequence', { sequenceId: '4299999', senderEmail: SENDER }, 'sequenceId'],
        [
            'a sender who is not a HubSpot user',
            { sequenceId: SEQUENCE_ID, senderEmail: 'eve@example.com' },
            'senderEmail'
        ]
    ])('answers 400 VALIDATION_ERROR for %s', async (_case, body, field) => {
        const error = await readError(await enroll(`Contact/${CONTACT_SF_ID}`, body));
        expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect((error.details as ValidationIssue[]).map((issue) => `${issue.location}.${issue.path}`)).toEqual([
            `body.${field}`
        ]);
        expect(enrollmentsOf(contactId)).toHaveLength(0);
    });

    it('answers 503 HUBSPOT_UNAVAILABLE when HubSpot fails, with Retry-After when rate limited', async () => {
        sandbox.handle.addFault({
            method: 'POST',
            path: '^/automation/v4/sequences/enrollments$',
            kind: 'status',
            status: 503,
            times: 1
        });
        expect(await readError(await enroll(`Contact/${CONTACT_SF_ID}`))).toMatchObject({
            status: 503,
            code: 'HUBSPOT_UNAVAILABLE'
        });

        sandbox.handle.addFault({
            method: 'POST',
            path: '^/automation/v4/sequences/enrollments$',
            kind: 'status',
            status: 429,
            retryAfterSeconds: 10,
            times: 1
        });
        const limited = await enroll(`Contact/${CONTACT_SF_ID}`);
        expect(limited.headers.get('retry-after')).toBe('10');
        expect(await readError(limited)).toMatchObject({ status: 503, code: 'HUBSPOT_UNAVAILABLE' });
        expect(enrollmentsOf(contactId)).toHaveLength(0);
    });

    it('answers 503 when HubSpot is unreachable and 502 when the token is refused', async () => {
        await relay.server.close();
        const unreachable = new Client({ ...sandbox.connection, basePath: 'http://127.0.0.1:1' });
        relay = await startRelayWith(unreachable);
        expect(await readError(await enroll(`Contact/${CONTACT_SF_ID}`))).toMatchObject({
            status: 503,
            code: 'HUBSPOT_UNAVAILABLE'
        });

        await relay.server.close();
        relay = await startRelayWith(new Client({ ...sandbox.connection, accessToken: 'pat-na1-revoked' }));
        const refused = await readError(await enroll(`Contact/${CONTACT_SF_ID}`));
        expect(refused).toMatchObject({ status: 502, code: 'HUBSPOT_UNAVAILABLE' });
        expect(refused.message).not.toContain('pat-na1');
    });

    it.each([
        ['an object that cannot be enrolled', `Account/001A0000006Vm9rIAC`, undefined, 'params.sfObject'],
        ['a bad checksum', 'Contact/003000000000001AAB', undefined, 'params.sfId'],
        ['an id of another object', `Contact/${LEAD_SF_ID}`, undefined, 'params.sfId'],
        ['SOQL in the id', "Contact/003'%20OR%20Id!=null--", undefined, 'params.sfId'],
        ['a missing body', `Contact/${CONTACT_SF_ID}`, {}, 'body.sequenceId'],
        [
            'a non-numeric sequence id',
            `Contact/${CONTACT_SF_ID}`,
            { sequenceId: '42; DROP', senderEmail: SENDER },
            'body.sequenceId'
        ],
        [
            'a bad sender email',
            `Contact/${CONTACT_SF_ID}`,
            { sequenceId: SEQUENCE_ID, senderEmail: '<script>@x' },
            'body.senderEmail'
        ],
        [
            'an unknown body field',
            `Contact/${CONTACT_SF_ID}`,
            { sequenceId: SEQUENCE_ID, senderEmail: SENDER, contactId: '1' },
            'body'
        ],
        ['a JSON array body', `Contact/${CONTACT_SF_ID}`, [SEQUENCE_ID], 'body']
    ])('refuses %s with VALIDATION_ERROR and enrolls nothing', async (_case, path, body, field) => {
        sandbox.handle.counter.reset();
        const error = await readError(await enroll(path, body));
        expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect(
            (error.details as ValidationIssue[]).map((issue) => `${issue.location}.${issue.path}`.replace(/\.$/, ''))
        ).toContain(field);
        expect(sandbox.handle.counter.snapshot().total).toBe(0);
    });

    it('refuses malformed JSON, other content types, oversized bodies and unauthenticated calls', async () => {
        sandbox.handle.counter.reset();
        const path = `Contact/${CONTACT_SF_ID}`;
        expect(await readError(await enroll(path, '{"sequenceId":'))).toMatchObject({
            status: 400,
            code: 'VALIDATION_ERROR'
        });
        expect(
            await readError(
                await enroll(path, 'sequenceId=4200001', { headers: { ...bearer(), 'content-type': 'text/plain' } })
            )
        ).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        expect(
            await readError(
                await enroll(path, { sequenceId: SEQUENCE_ID, senderEmail: SENDER, pad: 'x'.repeat(300_000) })
            )
        ).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
        expect(
            await readError(await enroll(path, undefined, { headers: { 'content-type': 'application/json' } }))
        ).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
        expect(sandbox.handle.counter.snapshot().total).toBe(0);
        expect(enrollmentsOf(contactId)).toHaveLength(0);
    });
});
