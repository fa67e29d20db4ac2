/**
 * Builds the two adapters from the relay configuration (`loadRelayConfig` parses the environment
 * variables) or from explicit connection details (the sandboxes). Salesforce logs in with the
 * username-password flow or the JWT bearer flow; every request carries `client=hubspot-bridge`.
 */
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { Client } from '@hubspot/api-client';
import { Connection } from 'jsforce';

import type { HubSpotConnectionConfig, SalesforceConnectionConfig } from '../../relay/config';
import { defaultCallTimeoutMs, withCallTimeouts } from './call-timeout';
import { HubSpotClientAdapter } from './hubspot';
import { HubSpotRequestCounter } from './hubspot-request-counter';
import { JsforceSalesforceAdapter } from './salesforce';

/** The `Sforce-Call-Options` client name: CDC reports it as `changeOrigin`, so our own writes are known. */
export const salesforceClientName = 'hubspot-bridge';

export class ConnectionError extends Error {
    constructor(
        readonly side: 'salesforce' | 'hubspot',
        message: string
    ) {
        super(message);
        this.name = 'ConnectionError';
    }
}

function base64url(value: string | Buffer): string {
    return Buffer.from(value).toString('base64url');
}

/** RS256 assertion for the OAuth 2.0 JWT bearer flow (Salesforce connected app with a certificate). */
export function jwtAssertion(config: SalesforceConnectionConfig, privateKeyPem: string, nowMs = Date.now()): string {
    const header = base64url(JSON.stringify({ alg: 'RS256' }));
    const claims = base64url(
        JSON.stringify({
            iss: config.clientId,
            sub: config.username,
            aud: config.loginUrl,
            exp: Math.floor(nowMs / 1000) + 180
        })
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKeyPem);
    return `${header}.${claims}.${base64url(signature)}`;
}

/**
 * A logged-in jsforce connection (username-password or JWT bearer flow) carrying `client=hubspot-bridge`.
 * JWT sessions are renewed with a fresh assertion when Salesforce expires them (jsforce renews
 * username-password sessions by logging in again on its own). `purpose` names the session in errors.
 */
export async function loginSalesforce(
    config: SalesforceConnectionConfig,
    apiVersion: string,
    options: { callTimeoutMs?: number; purpose?: string } = {}
): Promise<Connection> {
    const auth = config.auth;
    const authorizeWithJwt = async (connection: Connection, keyFile: string) => {
        const assertion = jwtAssertion(config, readFileSync(keyFile, 'utf8'));
        await connection.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    };
    const connection: Connection = new Connection({
        loginUrl: config.loginUrl,
        version: apiVersion,
        oauth2: {
            loginUrl: config.loginUrl,
            clientId: config.clientId,
            ...(auth.kind === 'password' ? { clientSecret: auth.clientSecret } : {})
        },
        callOptions: { client: salesforceClientName },
        ...(auth.kind === 'jwt'
            ? {
                  refreshFn: (_connection: unknown, callback: (error: Error | null, token?: string) => void) => {
                      authorizeWithJwt(connection, auth.keyFile).then(
                          () => callback(null, connection.accessToken ?? undefined),
                          (error: unknown) => callback(error as Error)
                      );
                  }
              }
            : {})
    });
    try {
        const login =
            auth.kind === 'password'
                ? connection.login(config.username, auth.password).then(() => undefined)
                : authorizeWithJwt(connection, auth.keyFile);
        const timeoutMs = options.callTimeoutMs ?? defaultCallTimeoutMs;
        await withCallTimeouts({ login: () => login }, 'salesforce', timeoutMs).login();
    } catch (error) {
        const what = options.purpose ? `Salesforce ${options.purpose} login` : 'Salesforce login';
        throw new ConnectionError(
            'salesforce',
            `${what} as ${config.username} at ${config.loginUrl} failed: ${(error as Error).message}`
        );
    }
    return connection;
}

export async function connectSalesforce(
    config: SalesforceConnectionConfig,
    apiVersion: string,
    options: { callTimeoutMs?: number } = {}
): Promise<JsforceSalesforceAdapter> {
    const connection = await loginSalesforce(config, apiVersion, options);
    return withCallTimeouts(
        new JsforceSalesforceAdapter(connection),
        'salesforce',
        options.callTimeoutMs ?? defaultCallTimeoutMs
    );
}

export function connectHubSpot(
    config: Pick<HubSpotConnectionConfig, 'baseUrl' | 'accessToken'>,
    options: { callTimeoutMs?: number; paceSearches?: boolean } = {}
): HubSpotClientAdapter {
    // The client retries a 5xx (200 ms × attempt) and a ten-secondly 429 (10 s × attempt) itself, without
    // reading Retry-After; every attempt counts against the portal, so every attempt is counted.
    const counter = new HubSpotRequestCounter();
    const client = new Client({
        accessToken: config.accessToken,
        basePath: config.baseUrl.replace(/\/+$/, ''),
        numberOfApiCallRetries: 3,
        middleware: counter.middleware
    });
    return withCallTimeouts(
        new HubSpotClientAdapter(client, () => counter.requests(), {
            ...(options.paceSearches === undefined ? {} : { paceSearches: options.paceSearches })
        }),
        'hubspot',
        options.callTimeoutMs ?? defaultCallTimeoutMs
    );
}
