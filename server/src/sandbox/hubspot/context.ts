import type { SandboxClock } from '../common/clock';
import type { FaultInjector } from '../common/faults';
import type { RequestCounter } from '../common/request-counter';
import type { TokenRegistry } from './auth';
import type { HubSpotSandboxOptions } from './options';
import type { HubSpotRateLimiter } from './rate-limit';
import type { CrmStore } from './store/crm-store';
import type { ListStore } from './store/list-store';
import type { TimelineStore } from './store/timeline-store';
import type { WebhookDispatcher } from './webhooks';

/** Everything a route needs; one per sandbox instance. */
export interface SandboxContext {
    options: HubSpotSandboxOptions;
    clock: SandboxClock;
    store: CrmStore;
    timeline: TimelineStore;
    lists: ListStore;
    faults: FaultInjector;
    counter: RequestCounter;
    limiter: HubSpotRateLimiter;
    tokens: TokenRegistry;
    webhooks: WebhookDispatcher | undefined;
}
