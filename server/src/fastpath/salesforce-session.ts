/**
 * The streaming session CDC subscribes with: a login of its own, separate from the engine's REST
 * connection, because the faye client keeps the access token it was created with. When Salesforce
 * expires it, the subscriber simply calls this again (see `CdcSubscriber`).
 */
import type { Connection } from 'jsforce';

import type { SalesforceConnectionConfig } from '../relay/config';
import { loginSalesforce } from '../sync/adapters/connect';

export function loginStreamingSession(config: SalesforceConnectionConfig, apiVersion: string): Promise<Connection> {
    return loginSalesforce(config, apiVersion, { purpose: 'streaming' });
}
