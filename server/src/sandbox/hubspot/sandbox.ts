import express, { type Express } from 'express';
import { SandboxClock } from '../common/clock';
import { FaultInjector } from '../common/faults';
import { listen } from '../common/listen';
import { RequestCounter } from '../common/request-counter';
import { ALL_SCOPES, TokenRegistry } from './auth';
import { OBJECT_TYPE_NAMES } from './catalogue/object-types';
import type { SandboxContext } from './context';
import { HubSpotSandboxHandle } from './handle';
import { HubSpotSandboxOptions, type HubSpotSandboxOptionsInput } from './options';
import { HubSpotRateLimiter } from './rate-limit';
import { associationsRouter } from './routes/associations';
import { controlRouter } from './routes/control';
import { objectsRouter } from './routes/objects';
import { pipelinesAndOwnersRouter } from './routes/pipelines-owners';
import { propertiesRouter } from './routes/properties';
import { timelineRouter } from './routes/timeline';
import { listsRouter } from './routes/lists';
import { ListStore } from './store/list-store';
import { CrmStore } from './store/crm-store';
import { MemoryPersistence, SqlitePersistence } from './store/persistence';
import { TimelineStore } from './store/timeline-store';
import { WebhookDispatcher } from './webhooks';
import {
    authenticate,
    classifyEndpoint,
    CONTROL_PREFIX,
    errorHandler,
    hubSpotFaultRenderer,
    isApiRequest,
    notFoundRoute,
    rateLimit,
    requireJsonBody
} from './wire';

export interface HubSpotSandbox {
    app: Express;
    handle: HubSpotSandboxHandle;
    /** Stops webhook delivery and closes the data file. */
    dispose(): void;
}

export interface RunningHubSpotSandbox {
    url: string;
    port: number;
    /** What `new Client({ basePath, accessToken })` needs. */
    /** `otherAppAccessToken`: a second private app's token, for edits that are not the client's own. */
    connection: { basePath: string; accessToken: string; otherAppAccessToken: string };
    handle: HubSpotSandboxHandle;
    close(): Promise<void>;
}

/** Builds the sandbox (Express app + control handle) without listening. */
export function createHubSpotSandbox(input: HubSpotSandboxOptionsInput = {}): HubSpotSandbox {
    const options = HubSpotSandboxOptions.parse(input);
    const clock = new SandboxClock();
    const persistence = options.dataFile ? new SqlitePersistence(options.dataFile) : new MemoryPersistence();
    const store = new CrmStore(persistence, clock);
    const timeline = new TimelineStore(persistence);
    const faults = new FaultInjector(options.faultSeed);
    faults.baseLatencyMs = options.baseLatencyMs;
    const tokens = new TokenRegistry();
    tokens.add(options.accessToken, { appId: options.appId, scopes: options.scopes });
    tokens.add(options.otherApp.accessToken, { appId: options.otherApp.appId, scopes: [...ALL_SCOPES] });
    const webhooks = options.webhooks
        ? new WebhookDispatcher(options.webhooks, {
              portalId: options.portalId,
              appId: options.appId,
              clock,
              seed: options.faultSeed
          })
        : undefined;
    if (webhooks) store.onChange((change) => webhooks.handle(change));
    const context: SandboxContext = {
        options,
        clock,
        store,
        timeline,
        lists: new ListStore(),
        faults,
        counter: new RequestCounter(),
        limiter: new HubSpotRateLimiter(clock, options.tier, options.appId),
        tokens,
        webhooks
    };
    const handle = new HubSpotSandboxHandle(context);
    const empty = OBJECT_TYPE_NAMES.every((type) => store.count(type) === 0);
    if (empty && options.seed !== 'empty') handle.seed(options.seed);

    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use(CONTROL_PREFIX, controlRouter(handle, options.maxBodyBytes));
    app.use(context.counter.middleware(classifyEndpoint));
    app.use(faults.middleware(hubSpotFaultRenderer, isApiRequest));
    app.use(authenticate(context));
    app.use(rateLimit(context));
    app.use(requireJsonBody);
    app.use(express.json({ limit: options.maxBodyBytes }));
    app.use(objectsRouter(context));
    app.use(propertiesRouter(context));
    app.use(associationsRouter(context));
    app.use(pipelinesAndOwnersRouter(context));
    app.use(timelineRouter(context));
    app.use(listsRouter(context));
    app.use(notFoundRoute);
    app.use(errorHandler);

    return {
        app,
        handle,
        dispose() {
            webhooks?.close();
            persistence.close();
        }
    };
}

/** Starts the sandbox on `port` (0 = ephemeral) and returns how to connect. */
export async function startHubSpotSandbox(input: HubSpotSandboxOptionsInput = {}): Promise<RunningHubSpotSandbox> {
    const options = HubSpotSandboxOptions.parse(input);
    const sandbox = createHubSpotSandbox(options);
    const server = await listen(sandbox.app, options.port, options.host).catch((error: unknown) => {
        sandbox.dispose();
        throw error;
    });
    return {
        url: server.url,
        port: server.port,
        connection: {
            basePath: server.url,
            accessToken: options.accessToken,
            otherAppAccessToken: options.otherApp.accessToken
        },
        handle: sandbox.handle,
        async close() {
            await server.close();
            sandbox.dispose();
        }
    };
}
