/** The parent's side of the sandbox process: start it, ask it things, close it. */
import type { HubSpotSandboxOptionsInput } from '../../src/sandbox/hubspot';
import type { SalesforceSandboxOptionsInput } from '../../src/sandbox/salesforce';
import { forkSupportModule } from './child-process';
import type { SandboxAnswer, SandboxCommand, SandboxConnections, SandboxStart } from './sandbox-protocol';

export interface SandboxProcess {
    connections: SandboxConnections;
    ask<T>(command: SandboxCommand): Promise<T>;
    close(): void;
}

export async function startSandboxProcess(options: {
    salesforce: SalesforceSandboxOptionsInput;
    hubspot: HubSpotSandboxOptionsInput;
}): Promise<SandboxProcess> {
    const child = forkSupportModule<SandboxAnswer>('sandbox-child.ts');
    const start: SandboxStart = { kind: 'start', ...options };
    const ready = child.next();
    child.send(start);
    const first = await ready;
    if (first.kind !== 'ready') {
        child.close();
        throw new Error(`the sandbox process did not start: ${first.kind === 'failed' ? first.message : first.kind}`);
    }
    const { salesforce, hubspot } = first;
    // One request at a time: answers carry no request id, so requests queue behind each other.
    let queue: Promise<unknown> = Promise.resolve();
    const ask = <T>(command: SandboxCommand): Promise<T> => {
        const result = queue.then(async () => {
            const reply = child.next();
            child.send(command);
            const message = await reply;
            if (message.kind === 'failed') throw new Error(`sandbox process: ${message.message}`);
            if (message.kind !== 'done') throw new Error('unexpected answer from the sandbox process');
            return message.result as T;
        });
        queue = result.catch(() => undefined);
        return result;
    };
    return { connections: { salesforce, hubspot }, ask, close: () => child.close() };
}
