import jsforce, { type Connection } from 'jsforce';
import { startSalesforceSandbox, type RunningSalesforceSandbox } from './sandbox';
import type { SalesforceSandboxOptionsInput } from './options';

/** Test helpers: a sandbox on an ephemeral port and real jsforce connections to it. */
export async function startTestSandbox(options: SalesforceSandboxOptionsInput = {}): Promise<RunningSalesforceSandbox> {
    return startSalesforceSandbox({ objectsDirectory: `${__dirname}/__fixtures__/objects`, ...options });
}

export function oauthConnection(sandbox: RunningSalesforceSandbox, extra: Record<string, unknown> = {}): Connection {
    const c = sandbox.connection;
    return new jsforce.Connection({
        loginUrl: c.loginUrl,
        version: c.apiVersion,
        oauth2: { loginUrl: c.loginUrl, clientId: c.clientId, clientSecret: c.clientSecret },
        ...extra
    });
}

export async function loggedIn(
    sandbox: RunningSalesforceSandbox,
    extra: Record<string, unknown> = {}
): Promise<Connection> {
    const conn = oauthConnection(sandbox, extra);
    await conn.login(sandbox.connection.username, sandbox.connection.password);
    return conn;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
    promise: PromiseLike<unknown>
): Promise<Error & { errorCode?: string; data?: unknown }> {
    try {
        await promise;
    } catch (error) {
        return error as Error & { errorCode?: string };
    }
    throw new Error('expected the call to fail');
}
