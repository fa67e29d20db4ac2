import { createHmac } from 'node:crypto';
import { SandboxClock } from '../common/clock';
import { associationType, associationTypesBetween, defaultAssociationType } from './catalogue/associations';
import { defaultProperties } from './catalogue/properties';
import { parseInstant, validateProperties } from './property-values';
import { HubSpotRateLimiter } from './rate-limit';
import { checkSearchRequest, SearchRequestSchema } from './search';
import { signatureV3 } from './webhooks';
import { classifyEndpoint } from './wire';

describe('HubSpot sandbox building blocks', () => {
    const contacts = new Map(defaultProperties('contacts').map((p) => [p.name, p]));

    it('validates and normalizes property writes per type', () => {
        const { values, issues } = validateProperties(contacts, {
            email: 'A@B.test',
            createdate: '1735689600000',
            date_of_birth: '2000-02-29',
            hs_email_optout: true,
            firstname: null
        });
        expect(issues).toEqual([]);
        expect(values).toEqual({
            email: 'a@b.test',
            createdate: '2025-01-01T00:00:00.000Z',
            date_of_birth: '2000-02-29',
            hs_email_optout: 'true',
            firstname: ''
        });
        const rejected = validateProperties(contacts, {
            hs_email_optout: 'yes',
            createdate: 'tomorrow',
            nope: 'x',
            hs_object_id: '1'
        });
        expect(rejected.issues.map((issue) => issue.error)).toEqual([
            'INVALID_BOOLEAN',
            'INVALID_DATE',
            'PROPERTY_DOESNT_EXIST',
            'READ_ONLY_VALUE'
        ]);
        expect(validateProperties(contacts, { hubspotscore: '12' }, true).issues).toEqual([]);
    });

    it('parses epoch milliseconds and ISO instants only', () => {
        expect(parseInstant('1735689600000')).toBe(1_735_689_600_000);
        expect(parseInstant('2025-01-01T00:00:00Z')).toBe(1_735_689_600_000);
        expect(parseInstant('01/01/2025')).toBeUndefined();
        expect(parseInstant('2025-13-45')).toBeUndefined();
    });

    it('knows HubSpot association type ids with their inverses', () => {
        expect(associationType(279)).toMatchObject({
            from: 'contacts',
            to: 'companies',
            inverseTypeId: 280,
            label: null
        });
        expect(associationType(1)).toMatchObject({ label: 'Primary', primary: true, inverseTypeId: 2 });
        expect(defaultAssociationType('deals', 'companies')?.typeId).toBe(341);
        expect(defaultAssociationType('notes', 'contacts')?.typeId).toBe(202);
        expect(associationTypesBetween('contacts', 'deals').map((t) => t.typeId)).toEqual([4]);
        expect(defaultAssociationType('notes', 'tasks')).toBeUndefined();
    });

    it('rolls the ten-second window and the daily budget on the sandbox clock', () => {
        const clock = new SandboxClock();
        const limiter = new HubSpotRateLimiter(clock, 'starter', 1);
        for (let n = 0; n < 100; n++) expect(limiter.take('standard').error).toBeUndefined();
        expect(limiter.take('standard').error?.body.policyName).toBe('TEN_SECONDLY_ROLLING');
        clock.advance(10_000);
        const outcome = limiter.take('standard');
        expect(outcome.error).toBeUndefined();
        expect(outcome.headers['X-HubSpot-RateLimit-Remaining']).toBe('99');
        expect(outcome.headers['X-HubSpot-RateLimit-Daily-Remaining']).toBe(String(40_000 - 101));
        limiter.tier = 'unlimited';
        expect(limiter.take('standard').headers).toEqual({});
    });

    it('signs webhooks as HubSpot v3 does', () => {
        const expected = createHmac('sha256', 'secret').update('POSThttp://x/hook[]1700000000000').digest('base64');
        expect(signatureV3('secret', 'POST', 'http://x/hook', '[]', 1_700_000_000_000)).toBe(expected);
    });

    it('names endpoints by route template for request counts', () => {
        expect(classifyEndpoint('get', '/crm/v3/objects/contacts/123')).toBe('GET /crm/v3/objects/contacts/{id}');
        expect(classifyEndpoint('GET', '/crm/v3/objects/contacts/a%40b.test')).toBe(
            'GET /crm/v3/objects/contacts/{id}'
        );
        expect(classifyEndpoint('GET', '/crm/v3/owners/')).toBe('GET /crm/v3/owners');
        expect(classifyEndpoint('POST', '/__sandbox/seed')).toBeUndefined();
    });

    it('checks search requests against HubSpot limits before running them', () => {
        const parse = (body: unknown) => SearchRequestSchema.parse(body);
        expect(checkSearchRequest(parse({ after: '200', limit: 200 }))).toBe(200);
        expect(() => checkSearchRequest(parse({ sorts: ['a', 'b'] }))).toThrow('Only one sort');
        expect(() =>
            checkSearchRequest(
                parse({ filterGroups: [{ filters: [{ propertyName: 'x', operator: 'BETWEEN', value: '1' }] }] })
            )
        ).toThrow('missing its value');
        expect(parse({ sorts: ['-createdate'] }).sorts).toEqual([
            { propertyName: 'createdate', direction: 'DESCENDING' }
        ]);
    });
});
