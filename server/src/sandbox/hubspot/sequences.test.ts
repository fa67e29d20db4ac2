/** `POST /automation/v4/sequences/enrollments`: the enrollment and each refusal, as the wire carries them. */
import type { RunningHubSpotSandbox } from './sandbox';
import { rawRequest, startWithClient } from './test-support';

const SENDER = 'grace.hopper@example.com';
const GRACE_USER_ID = '9000002';

describe('sequence enrollment', () => {
    let sandbox: RunningHubSpotSandbox;
    let contactId: string;
    beforeEach(async () => {
        ({ sandbox } = await startWithClient());
        contactId = String(sandbox.handle.createAsUser('contacts', { email: 'ada@example.org' }).id);
    });
    afterEach(() => sandbox.close());

    const enroll = (body: Record<string, unknown>, userId = GRACE_USER_ID, token?: string) =>
        rawRequest(sandbox, 'POST', `/automation/v4/sequences/enrollments?userId=${userId}`, {
            body: JSON.stringify(body),
            contentType: 'application/json',
            token
        });
    const valid = () => ({ contactId, sequenceId: '4200002', senderEmail: SENDER });

    it('enrolls the contact, answers the documented shape and serves it back by contact', async () => {
        const created = await enroll(valid());
        expect(created).toMatchObject({
            status: 200,
            body: { id: expect.any(String), toEmail: 'ada@example.org', enrolledAt: expect.any(String) }
        });
        expect(Object.keys(created.body).sort()).toEqual(['enrolledAt', 'id', 'toEmail', 'updatedAt']);
        const read = await rawRequest(sandbox, 'GET', `/automation/v4/sequences/enrollments/contact/${contactId}`);
        expect(read.body).toMatchObject({ id: created.body.id, sequenceId: '4200002', enrolledByEmail: SENDER });
    });

    it.each([
        ['no userId', valid, '', 400, 'VALIDATION_ERROR', undefined],
        ['a missing field', () => ({ contactId }), GRACE_USER_ID, 400, 'VALIDATION_ERROR', undefined],
        ['an unknown user', valid, '1', 400, 'VALIDATION_ERROR', 'USER_NOT_FOUND'],
        [
            'a sender of another user',
            () => ({ ...valid(), senderEmail: 'alan.turing@example.com' }),
            GRACE_USER_ID,
            400,
            'VALIDATION_ERROR',
            'INVALID_SENDER'
        ],
        [
            'an unknown sequence',
            () => ({ ...valid(), sequenceId: '1' }),
            GRACE_USER_ID,
            404,
            'OBJECT_NOT_FOUND',
            'SEQUENCE_NOT_FOUND'
        ],
        [
            'an unknown contact',
            () => ({ ...valid(), contactId: '999999' }),
            GRACE_USER_ID,
            404,
            'OBJECT_NOT_FOUND',
            'CONTACT_NOT_FOUND'
        ]
    ])('refuses %s', async (_case, body, userId, status, category, subCategory) => {
        const refused = await enroll(body(), userId);
        expect(refused.status).toBe(status);
        expect(refused.body).toMatchObject({ status: 'error', category });
        expect(refused.body.subCategory).toBe(subCategory && `SequenceEnrollmentError.${subCategory}`);
        expect(sandbox.handle.timeline.sequenceEnrollments).toHaveLength(0);
    });

    it('refuses unsubscribed contacts, contacts without email and a second enrollment', async () => {
        const optedOut = String(
            sandbox.handle.createAsUser('contacts', { email: 'x@example.org', hs_email_optout: 'true' }).id
        );
        expect((await enroll({ ...valid(), contactId: optedOut })).body.subCategory).toBe(
            'SequenceEnrollmentError.CONTACT_UNSUBSCRIBED'
        );
        const noEmail = String(sandbox.handle.createAsUser('contacts', { firstname: 'Nomail' }).id);
        expect((await enroll({ ...valid(), contactId: noEmail })).body.subCategory).toBe(
            'SequenceEnrollmentError.CONTACT_MISSING_EMAIL'
        );

        expect((await enroll(valid())).status).toBe(200);
        const again = await enroll({ ...valid(), sequenceId: '4200001' });
        expect(again).toMatchObject({
            status: 409,
            body: { category: 'CONFLICT', subCategory: 'SequenceEnrollmentError.CONTACT_ALREADY_ENROLLED' }
        });
        expect(sandbox.handle.timeline.sequenceEnrollments).toHaveLength(1);
    });

    it('requires the enrollments write scope', async () => {
        sandbox.handle.tokens.add('pat-na1-read-only', { appId: 78, scopes: ['automation.sequences.read'] });
        const refused = await enroll(valid(), GRACE_USER_ID, 'pat-na1-read-only');
        expect(refused).toMatchObject({ status: 403, body: { category: 'MISSING_SCOPES' } });
    });
});
