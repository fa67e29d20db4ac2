/** The bridge's connections to a running sandbox pair, as `npm start` makes them in sandbox mode. */
import type { SalesforceConnectionConfig } from '../relay/config';
import type { SandboxPair } from '../sandbox/pair';
import type { SalesforceConnectionInfo } from '../sandbox/salesforce';
import type { BridgeConnections } from './bridge';

/** The Salesforce sandbox's login (username and password through its connected app). */
export function sandboxSalesforceLogin(info: SalesforceConnectionInfo): SalesforceConnectionConfig {
    return {
        loginUrl: info.loginUrl,
        clientId: info.clientId,
        username: info.username,
        auth: { kind: 'password', clientSecret: info.clientSecret, password: info.password }
    };
}

export function sandboxConnections(pair: SandboxPair): BridgeConnections {
    const { salesforce, hubspot } = pair.connectionInfo();
    return {
        salesforce: sandboxSalesforceLogin(salesforce),
        hubspot: { baseUrl: hubspot.basePath, accessToken: hubspot.accessToken },
        hubspotPortalId: pair.hubspot.handle.portalId
    };
}
