import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { SandboxClock } from '../common/clock';
import { FaultInjector, type FaultRenderer } from '../common/faults';
import { listen } from '../common/listen';
import { RequestCounter } from '../common/request-counter';
import { ApiUsage } from './api-usage';
import { AuthService, type Session } from './auth';
import { classify } from './endpoints';
import { bearerToken, header, sendError, sendJson } from './http-util';
import { createOAuthRouter } from './oauth-routes';
import { Bulk2Service } from './bulk2';
import { ChangeEventBus } from './cdc';
import { CometdServer } from './cometd';
import { createControlRouter, SandboxHandle } from './control';
import { DmlEngine, newTransactionKey, type WriteContext } from './dml';
import { invalidSession, SalesforceError } from './errors';
import { buildId } from './ids';
import { SalesforceSandboxOptions, type SalesforceSandboxOptionsInput } from './options';
import { setUpOrg } from './org-setup';
import { QueryService } from './query-service';
import { RestApi } from './rest-api';
import { buildCatalog, DEFAULT_OBJECTS_DIRECTORY } from './schema/catalog';
import { SEED_PRESETS, seedDataset } from './seed';
import { SoapService } from './soap';
import { RecordStore } from './store';

export interface SalesforceConnectionInfo {
    loginUrl: string;
    instanceUrl: string;
    apiVersion: string;
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
}

export interface SalesforceSandbox {
    app: Express;
    handle: SandboxHandle;
    /** Stops timers and closes the data file (the HTTP server, if any, is closed by its owner). */
    dispose(): void;
}

export interface RunningSalesforceSandbox {
    url: string;
    connection: SalesforceConnectionInfo;
    handle: SandboxHandle;
    close(): Promise<void>;
}

const SUPPORTED_VERSIONS = Array.from({ length: 68 - 31 + 1 }, (_, i) => `${31 + i}.0`);
const ORG_ID = buildId('00D', 1);

/** `Sforce-Call-Options: client=sync-app, defaultNamespace=x` -> `sync-app`. */
function callOptionsClient(req: Request): string | undefined {
    return /(?:^|,)\s*client\s*=\s*([^,\s]+)/i.exec(header(req, 'sforce-call-options') ?? '')?.[1];
}

function parseJsonBody(req: Request): unknown {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (raw.length === 0) return undefined;
    const contentType = header(req, 'content-type') ?? '';
    if (!/^application\/json/i.test(contentType)) {
        throw new SalesforceError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            `Content-Type header specified in HTTP request is not supported: ${contentType || '(none)'}`
        );
    }
    const text = raw.toString('utf8');
    try {
        return JSON.parse(text);
    } catch (error) {
        const position = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? text.length);
        const before = text.slice(0, position);
        const line = before.split('\n').length;
        const column = position - before.lastIndexOf('\n');
        const found = text[position];
        throw new SalesforceError(
            400,
            'JSON_PARSER_ERROR',
            found === undefined
                ? `Unexpected end-of-input: expected close marker at [line:${line}, column:${column}]`
                : `Unexpected character ('${found}' (code ${found.charCodeAt(0)})): expected a valid value at [line:${line}, column:${column}]`
        );
    }
}

/** Builds the sandbox: the Express app (not listening) and its control handle. */
export function createSalesforceSandbox(input: SalesforceSandboxOptionsInput = {}): SalesforceSandbox {
    const options = SalesforceSandboxOptions.parse(input);
    const clock = new SandboxClock();
    const faults = new FaultInjector(options.faultSeed);
    faults.baseLatencyMs = options.baseLatencyMs;
    const counter = new RequestCounter();
    const catalog = buildCatalog(options.objectsDirectory ?? DEFAULT_OBJECTS_DIRECTORY);
    const store = new RecordStore(catalog, options.dataFile);
    // A restarted sandbox resumes its clock where it stopped, never earlier (it only moves forward).
    const storedClock = Number(store.readMeta('clock') ?? 0);
    if (storedClock > clock.now()) clock.set(storedClock);
    const now = () => clock.now();
    const dml = new DmlEngine(catalog, store, now, {
        validationRules: options.validationRules,
        emailDuplicateRule: options.emailDuplicateRule
    });
    const users = setUpOrg(catalog, store, dml, options.username, now());
    const wasEmpty = ['Lead', 'Contact', 'Account'].every((object) => store.table(object).size === 0);
    if (wasEmpty && options.seed !== 'empty') {
        const shape = typeof options.seed === 'string' ? SEED_PRESETS[options.seed] : options.seed;
        seedDataset(shape, {
            catalog,
            store,
            dml,
            ownerIds: [users.integrationUserId, ...users.salesRepIds],
            now: now()
        });
    }
    let loginUrl = '';
    const auth = new AuthService(
        {
            clientId: options.clientId,
            clientSecret: options.clientSecret,
            username: options.username,
            password: options.password,
            sessionTimeoutMs: options.sessionTimeoutMs,
            jwtCertificate: options.jwtCertificate
        },
        ORG_ID,
        users.integrationUserId,
        clock,
        () => loginUrl,
        (username) =>
            [...store.table('User').values()].find((user) => user.Username === username && user.IsActive === true)
                ?.Id as string | undefined
    );
    const bus = new ChangeEventBus(catalog, clock, store.persistent ? store : undefined);
    dml.onChange((change) => bus.recordChange(change));
    const cometd = new CometdServer(bus, auth, options.streamingPollMs);
    const usage = new ApiUsage(clock, options.dailyApiLimit);
    const queryEnv = { catalog, store, now };
    const queries = new QueryService(queryEnv);
    const rest = new RestApi({
        catalog,
        store,
        dml,
        queries,
        now,
        limits: () => ({ dailyApiRequests: usage.snapshot() }),
        partialFault: (method, path) => {
            const rule = faults.take(method, path, ['partial']);
            return rule ? { rule, failsItem: (index) => faults.failsItem(rule, index) } : undefined;
        }
    });
    const bulk = new Bulk2Service(dml, queryEnv, options.bulkQueryPageSize);
    const soap = new SoapService(auth, store, dml, now, options.leadFieldMapping);
    const handle = new SandboxHandle({
        options,
        clock,
        faults,
        counter,
        catalog,
        store,
        dml,
        auth,
        bus,
        usage,
        bulk,
        users,
        queries
    });

    const app = express();
    app.disable('x-powered-by');
    app.set('query parser', 'simple');
    app.use(express.raw({ type: () => true, limit: options.maxBodyBytes }));

    app.use('/__sandbox', createControlRouter(handle));

    const renderer: FaultRenderer = {
        status(res, status, rule) {
            if (status === 429 && rule.retryAfterSeconds !== undefined) {
                res.setHeader('Retry-After', String(rule.retryAfterSeconds));
            }
            const errors: Record<number, SalesforceError> = {
                429: new SalesforceError(429, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
                500: new SalesforceError(
                    500,
                    'UNKNOWN_EXCEPTION',
                    'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'
                ),
                502: new SalesforceError(502, 'BAD_GATEWAY', 'Bad Gateway'),
                503: new SalesforceError(503, 'SERVER_UNAVAILABLE', 'Server is unavailable; please try again later'),
                504: new SalesforceError(504, 'GATEWAY_TIMEOUT', 'Gateway Timeout')
            };
            sendError(res, errors[status] ?? new SalesforceError(status, `ERROR_HTTP_${status}`, `HTTP ${status}`));
        },
        expiredSession(res) {
            const token = bearerToken(res.req);
            if (token) auth.endSession(token);
            sendError(res, invalidSession());
        }
    };
    const isApi = (req: Request) => !req.path.startsWith('/__sandbox');
    app.use(counter.middleware((method, path) => (path.startsWith('/__sandbox') ? undefined : classify(method, path))));
    app.use(faults.middleware(renderer, isApi));

    app.use(
        createOAuthRouter(
            auth,
            ORG_ID,
            (origin) => (loginUrl = origin),
            (origin, session) => handle.identity(origin, session)
        )
    );

    app.get(['/services/data', '/services/data/'], (req, res) => {
        sendJson(
            res,
            200,
            SUPPORTED_VERSIONS.map((version) => ({
                label: `API ${version}`,
                url: `/services/data/v${version}`,
                version
            }))
        );
    });

    /** Authenticates, counts against the daily allowance and sets `Sforce-Limit-Info`. */
    const apiSession = (req: Request, res: Response): Session | undefined => {
        const session = auth.authenticate(bearerToken(req));
        if (!session) {
            sendError(res, invalidSession());
            return undefined;
        }
        if (!usage.consume()) {
            res.setHeader('Sforce-Limit-Info', usage.header());
            sendError(res, new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
            return undefined;
        }
        res.setHeader('Sforce-Limit-Info', usage.header());
        return session;
    };
    const writeContext = (req: Request, session: Session, apiVersion: string, api: 'rest' | 'bulk'): WriteContext => {
        const client = callOptionsClient(req);
        return {
            userId: session.userId,
            changeOrigin: `com/salesforce/api/${api}/${apiVersion}${client ? `;client=${client}` : ''}`,
            transactionKey: newTransactionKey(),
            allowDuplicateSave: /allowSave\s*=\s*true/i.test(header(req, 'sforce-duplicate-rule-header') ?? '')
        };
    };

    app.use('/services/data', (req, res) => {
        const match = /^\/v(\d+\.\d)(\/.*)?$/.exec(req.path);
        if (!match || !SUPPORTED_VERSIONS.includes(match[1])) {
            return sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
        }
        const apiVersion = match[1];
        const session = apiSession(req, res);
        if (!session) return;
        let segments: string[];
        try {
            segments = (match[2] ?? '')
                .split('/')
                .filter((s) => s !== '')
                .map(decodeURIComponent);
        } catch {
            return sendJson(res, 400, [{ errorCode: 'INVALID_URL', message: 'The URL is not well-formed' }]);
        }
        const query = new URLSearchParams(req.url.split('?')[1] ?? '');
        if (segments[0] === 'jobs') {
            const result = bulk.handle(
                req.method,
                segments.slice(1),
                query,
                Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
                header(req, 'content-type') ?? '',
                apiVersion,
                writeContext(req, session, apiVersion, 'bulk')
            );
            for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
            if (result.contentType === 'csv') {
                res.status(result.status)
                    .setHeader('Content-Type', 'text/csv')
                    .end(Buffer.from(result.body as string));
                return;
            }
            return sendJson(res, result.status, result.body);
        }
        let body: unknown;
        try {
            body = parseJsonBody(req);
        } catch (error) {
            return sendError(res, error as SalesforceError);
        }
        const response = rest.dispatch({
            method: req.method,
            path: req.originalUrl.split('?')[0],
            segments,
            query,
            body,
            headers: Object.fromEntries(
                Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])
            ),
            apiVersion,
            write: writeContext(req, session, apiVersion, 'rest')
        });
        sendJson(res, response.status, response.body, response.headers);
    });

    app.post('/services/Soap/u/:version', (req, res) => {
        const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
        const result = soap.handle(body, req.params.version, () => usage.consume());
        res.setHeader('Sforce-Limit-Info', usage.header());
        res.status(result.status).setHeader('Content-Type', 'text/xml;charset=UTF-8').end(Buffer.from(result.body));
    });

    app.post('/cometd/:version', cometd.handle);

    app.use((req: Request, res: Response) => {
        sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    });
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
        const status = (error as { status?: number }).status;
        if (status === 413) {
            return sendJson(res, 413, [{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'Request entity too large' }]);
        }
        if (error instanceof SalesforceError) return sendError(res, error);
        sendJson(res, 500, [
            { errorCode: 'UNKNOWN_EXCEPTION', message: error instanceof Error ? error.message : String(error) }
        ]);
    });

    return {
        app,
        handle,
        dispose() {
            cometd.close();
            store.writeMeta('clock', String(clock.now()));
            store.close();
        }
    };
}

/** Starts a sandbox on 127.0.0.1 (port 0 = ephemeral) and returns what a client needs to connect. */
export async function startSalesforceSandbox(
    input: SalesforceSandboxOptionsInput = {}
): Promise<RunningSalesforceSandbox> {
    const options = SalesforceSandboxOptions.parse(input);
    const sandbox = createSalesforceSandbox(options);
    const server = await listen(sandbox.app, options.port, options.host);
    const connection: SalesforceConnectionInfo = {
        loginUrl: server.url,
        instanceUrl: server.url,
        apiVersion: options.apiVersion,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        username: options.username,
        password: options.password
    };
    sandbox.handle.attach(connection);
    return {
        url: server.url,
        connection,
        handle: sandbox.handle,
        async close() {
            sandbox.dispose();
            await server.close();
        }
    };
}
