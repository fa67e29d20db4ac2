import { Client } from '@hubspot/api-client';
import { startHubSpotSandbox, type RunningHubSpotSandbox } from './sandbox';
import type { HubSpotSandboxOptionsInput } from './options';

/** A running sandbox with a real @hubspot/api-client pointed at it (for the tests). */
export interface SandboxUnderTest {
    sandbox: RunningHubSpotSandbox;
    client: Client;
}

export async function startWithClient(
    options: HubSpotSandboxOptionsInput = {},
    clientOptions: { numberOfApiCallRetries?: number } = {}
): Promise<SandboxUnderTest> {
    const sandbox = await startHubSpotSandbox(options);
    const client = new Client({ ...sandbox.connection, ...clientOptions });
    return { sandbox, client };
}

/** The ApiException (or any rejection) a call ends with; fails when the call succeeds. */
export async function rejectionOf(
    promise: Promise<unknown>
): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
    try {
        await promise;
    } catch (error) {
        return error as { code: number; body: Record<string, unknown>; headers: Record<string, string> };
    }
    throw new Error('expected the call to fail, but it succeeded');
}

/** Raw HTTP for deliberately malformed requests the real client cannot send. */
export async function rawRequest(
    sandbox: RunningHubSpotSandbox,
    method: string,
    path: string,
    init: { body?: string; contentType?: string; token?: string | null } = {}
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (init.token !== null) headers.authorization = `Bearer ${init.token ?? sandbox.connection.accessToken}`;
    if (init.contentType) headers['content-type'] = init.contentType;
    const response = await fetch(`${sandbox.url}${path}`, { method, headers, body: init.body });
    const text = await response.text();
    return {
        status: response.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        headers: response.headers
    };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
