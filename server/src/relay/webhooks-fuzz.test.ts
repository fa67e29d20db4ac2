/**
 * Fuzzing the HubSpot webhook intake against the real relay app and a real SQLite-backed sink: every
 * hostile request gets a 4xx in the relay's one error envelope, the process keeps answering, and the
 * intake table gains rows only from valid batches. A seeded PRNG picks the cases, so a failure names the
 * seed and case number that reproduce it (`FUZZ_SEED=<n> npx jest server/src/relay/webhooks-fuzz`).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { seededRandom } from '../sandbox/common/faults';
import { stateStoreWebhookSink } from '../runtime/webhook-sink';
import { openSqliteStateStore, stateFileName, type SqliteStateStore } from '../state/sqlite-store';
import { CLIENT_SECRET, hubspotHeaders, readError, startRelay, testConfig, type TestRelay } from './__tests__/support';
import { MAX_EVENTS_PER_BATCH } from './webhooks/hubspot-events';
import { MAX_TIMESTAMP_SKEW_MS } from './webhooks/hubspot-signature';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const CASES_PER_FAMILY = 12;

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function validEvent(random: Random, overrides: Record<string, unknown> = {}) {
    return {
        eventId: between(random, 1, 2_000_000_000),
        subscriptionId: between(random, 1, 5_000),
        portalId: 62515,
        appId: 1234567,
        occurredAt: Date.now() - between(random, 0, 60_000),
        subscriptionType: pick(random, [
            'contact.propertyChange',
            'contact.creation',
            'deal.deletion',
            'company.merge'
        ]),
        attemptNumber: between(random, 0, 9),
        objectId: between(random, 1, 10_000_000),
        propertyName: 'firstname',
        propertyValue: `Name ${between(random, 0, 999)}`,
        changeSource: 'CRM_UI',
        ...overrides
    };
}

function validBatch(random: Random): Record<string, unknown>[] {
    return Array.from({ length: between(random, 1, 5) }, () => validEvent(random));
}

function randomBytesString(random: Random, length: number): string {
    return Array.from({ length }, () => String.fromCharCode(between(random, 0, 255))).join('');
}

/** HubSpot's older signature schemes: the relay accepts v3 only, so these must all be refused. */
function legacySignatureHeaders(version: 'v1' | 'v2', url: string, body: string): Record<string, string> {
    const source = version === 'v1' ? `${CLIENT_SECRET}${body}` : `${CLIENT_SECRET}POST${url}${body}`;
    return {
        'content-type': 'application/json',
        'x-hubspot-signature': createHash('sha256').update(source).digest('hex'),
        'x-hubspot-signature-version': version
    };
}

describe(`webhook intake fuzz (seed ${SEED})`, () => {
    let dataDir: string;
    let store: SqliteStateStore;
    let intake: DatabaseSync;
    let relay: TestRelay;
    let url: string;

    beforeAll(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'webhook-fuzz-'));
        store = openSqliteStateStore({ dataDir });
        // A second connection counts rows as another process would see them (WAL: committed rows only).
        intake = new DatabaseSync(join(dataDir, stateFileName));
        relay = await startRelay({
            config: testConfig({ RATE_LIMIT_PER_MINUTE: '1000000' }),
            webhookSink: stateStoreWebhookSink(store)
        });
        url = `${relay.url}/webhooks/hubspot`;
    });

    afterAll(async () => {
        await relay.server.close();
        intake.close();
        store.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    const intakeRows = () =>
        Number((intake.prepare('SELECT count(*) AS n FROM event_intake').get() as { n: number }).n);

    /** Sends one hostile request; what came back, what the intake gained and whether the relay still answers. */
    async function refusal(label: string, request: { body: string; headers: Record<string, string> }) {
        const before = intakeRows();
        const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
        const error = await readError(response);
        return {
            label,
            status: response.status,
            code: error.code,
            explained: error.message.length > 0,
            rowsAdded: intakeRows() - before,
            relayAlive: (await fetch(`${relay.url}/healthz`)).status === 200
        };
    }
    const refused = (label: string, status: number, code: string) => ({
        label,
        status,
        code,
        explained: true,
        rowsAdded: 0,
        relayAlive: true
    });

    it('refuses bad signatures: legacy v1/v2, wrong secret, tampered body, garbage, missing headers', async () => {
        const random = seededRandom(SEED);
        for (let index = 0; index < CASES_PER_FAMILY; index++) {
            const body = JSON.stringify(validBatch(random));
            const signed = hubspotHeaders(url, body);
            const variants: [string, Record<string, string>, string][] = [
                ['v1 signature', legacySignatureHeaders('v1', url, body), body],
                ['v2 signature', legacySignatureHeaders('v2', url, body), body],
                ['v3 with another secret', hubspotHeaders(url, body, { secret: `not-${CLIENT_SECRET}` }), body],
                ['v3 over another body', signed, body.replace(/"eventId":(\d)/, '"eventId":9$1')],
                [
                    'v3 of random bytes',
                    {
                        ...signed,
                        'x-hubspot-signature-v3': Buffer.from(randomBytesString(random, 32), 'latin1').toString(
                            'base64'
                        )
                    },
                    body
                ],
                ['v3 for another URL', hubspotHeaders(`${url}?extra=1`, body), body],
                ['no timestamp', { ...signed, 'x-hubspot-request-timestamp': '' }, body],
                ['no signature', { 'content-type': 'application/json' }, body]
            ];
            const [label, headers, sentBody] = pick(random, variants);
            expect(await refusal(`case ${index}: ${label}`, { body: sentBody, headers })).toEqual(
                refused(`case ${index}: ${label}`, 401, 'UNAUTHORIZED')
            );
        }
    });

    it('refuses stale, future and malformed timestamps even when the signature matches them', async () => {
        const random = seededRandom(SEED + 1);
        for (let index = 0; index < CASES_PER_FAMILY; index++) {
            const body = JSON.stringify(validBatch(random));
            const skew = MAX_TIMESTAMP_SKEW_MS + between(random, 1_000, 30 * 24 * 3_600_000);
            const timestamp = pick(random, [Date.now() - skew, Date.now() + skew]);
            expect(
                await refusal(`case ${index}: timestamp off by ${skew} ms`, {
                    body,
                    headers: hubspotHeaders(url, body, { timestamp })
                })
            ).toEqual(refused(`case ${index}: timestamp off by ${skew} ms`, 401, 'UNAUTHORIZED'));
            const headers = hubspotHeaders(url, body);
            const malformed = pick(random, ['1e12', '-1', 'now', '17636300000000000000', ' 1763630000000', '0x1a']);
            expect(
                await refusal(`case ${index}: timestamp "${malformed}"`, {
                    body,
                    headers: { ...headers, 'x-hubspot-request-timestamp': malformed }
                })
            ).toEqual(refused(`case ${index}: timestamp "${malformed}"`, 401, 'UNAUTHORIZED'));
        }
    });

    it('refuses malformed and truncated JSON with a valid signature', async () => {
        const random = seededRandom(SEED + 2);
        for (let index = 0; index < CASES_PER_FAMILY; index++) {
            const complete = JSON.stringify(validBatch(random));
            const body = pick(random, [
                complete.slice(0, between(random, 1, complete.length - 1)),
                `${complete.slice(0, -1)},]`,
                randomBytesString(random, between(random, 1, 200)),
                complete.replace(/"/g, "'"),
                `${complete}${complete}`,
                ''
            ]);
            const parses = (() => {
                try {
                    JSON.parse(body);
                    return true;
                } catch {
                    return false;
                }
            })();
            if (parses) continue;
            expect(
                await refusal(`case ${index}: ${JSON.stringify(body.slice(0, 40))}`, {
                    body,
                    headers: hubspotHeaders(url, body)
                })
            ).toEqual(refused(`case ${index}: ${JSON.stringify(body.slice(0, 40))}`, 400, 'VALIDATION_ERROR'));
        }
    });

    it('refuses oversized bodies before reading them whole', async () => {
        const random = seededRandom(SEED + 3);
        for (let index = 0; index < 4; index++) {
            const huge = 'x'.repeat(1024 * 1024 + between(random, 1, 512 * 1024));
            const body = JSON.stringify([validEvent(random, { propertyValue: huge })]);
            expect(
                await refusal(`case ${index}: ${body.length} bytes`, { body, headers: hubspotHeaders(url, body) })
            ).toEqual(refused(`case ${index}: ${body.length} bytes`, 413, 'PAYLOAD_TOO_LARGE'));
        }
    });

    it('refuses bodies that are not declared as JSON', async () => {
        const random = seededRandom(SEED + 4);
        for (let index = 0; index < CASES_PER_FAMILY; index++) {
            const body = JSON.stringify(validBatch(random));
            const contentType = pick(random, [
                'text/plain',
                'application/x-www-form-urlencoded',
                'multipart/form-data; boundary=x',
                'application/xml',
                'application/octet-stream'
            ]);
            expect(
                await refusal(`case ${index}: ${contentType}`, {
                    body,
                    headers: { ...hubspotHeaders(url, body), 'content-type': contentType }
                })
            ).toEqual(refused(`case ${index}: ${contentType}`, 415, 'UNSUPPORTED_MEDIA_TYPE'));
        }
    });

    it('refuses whole batches with a bad event, huge numbers, wrong shapes or malformed event types', async () => {
        const random = seededRandom(SEED + 5);
        const badEvents: [string, (event: Record<string, unknown>) => unknown][] = [
            ['eventId beyond 2^53', (event) => `${JSON.stringify(event).slice(0, -1)},"eventId":18446744073709551616}`],
            ['objectId 1e400', (event) => `${JSON.stringify(event).slice(0, -1)},"objectId":1e400}`],
            ['negative portalId', (event) => ({ ...event, portalId: -between(random, 1, 99) })],
            ['fractional objectId', (event) => ({ ...event, objectId: 1.5 })],
            ['occurredAt past year 275760', (event) => ({ ...event, occurredAt: 8_640_000_000_000_001 })],
            ['string eventId', (event) => ({ ...event, eventId: String(event.eventId) })],
            ['event type with spaces', (event) => ({ ...event, subscriptionType: 'contact property change' })],
            ['event type without object', (event) => ({ ...event, subscriptionType: '.creation' })],
            ['event type of 200 characters', (event) => ({ ...event, subscriptionType: `contact.${'a'.repeat(200)}` })],
            ['missing attemptNumber', ({ attemptNumber: _dropped, ...event }) => event],
            ['null event', () => null],
            ['nested array', (event) => [event]]
        ];
        for (let index = 0; index < CASES_PER_FAMILY; index++) {
            const [label, spoil] = pick(random, badEvents);
            const good = validBatch(random).map((event) => JSON.stringify(event));
            const spoiled = spoil(validEvent(random));
            good.splice(
                between(random, 0, good.length),
                0,
                typeof spoiled === 'string' ? spoiled : JSON.stringify(spoiled)
            );
            const body = `[${good.join(',')}]`;
            expect(await refusal(`case ${index}: ${label}`, { body, headers: hubspotHeaders(url, body) })).toEqual(
                refused(`case ${index}: ${label}`, 400, 'VALIDATION_ERROR')
            );
        }
        const shapes: [string, string][] = [
            ['empty array', '[]'],
            ['object instead of array', JSON.stringify(validEvent(random))],
            ['number', '42'],
            [
                'too many events',
                JSON.stringify(Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => validEvent(random)))
            ]
        ];
        for (const [label, body] of shapes) {
            expect(await refusal(label, { body, headers: hubspotHeaders(url, body) })).toEqual(
                refused(label, 400, 'VALIDATION_ERROR')
            );
        }
    });

    it('stores valid batches exactly once, unknown but well-formed event types as ignored', async () => {
        const random = seededRandom(SEED + 6);
        for (let index = 0; index < CASES_PER_FAMILY; index++) {
            const batch = validBatch(random);
            const unknownType = `${pick(random, ['contact', 'ticket', 'product'])}.${pick(random, ['sparkle', 'reassign'])}`;
            batch.push(validEvent(random, { subscriptionType: unknownType }));
            const body = JSON.stringify(batch);
            const keys = new Set(batch.map((event) => `${event.portalId}:${event.subscriptionId}:${event.eventId}`));
            const before = intakeRows();
            const response = await fetch(url, { method: 'POST', headers: hubspotHeaders(url, body), body });
            expect(response.status).toBe(200);
            const receipt = (await response.json()) as { accepted: number; ignored: number };
            expect(receipt.accepted).toBe(keys.size);
            expect(receipt.ignored).toBeGreaterThanOrEqual(1);
            expect(intakeRows()).toBe(before + keys.size);

            // A redelivery (HubSpot retries) writes nothing new.
            const again = await fetch(url, { method: 'POST', headers: hubspotHeaders(url, body), body });
            expect(await again.json()).toMatchObject({ accepted: 0, duplicates: batch.length });
            expect(intakeRows()).toBe(before + keys.size);
        }
    });
});
