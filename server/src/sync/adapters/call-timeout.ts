/**
 * Every CRM call gets a deadline. Neither client bounds a call the server never answers (jsforce waits
 * 30 minutes, the HubSpot client forever), and one such call would hold the run, and with it every later
 * run, indefinitely. The deadline applies per call and per page of a paged read.
 */

export class CallTimeoutError extends Error {
    readonly errorCode = 'CALL_TIMEOUT';

    constructor(
        readonly side: 'salesforce' | 'hubspot',
        readonly operation: string,
        readonly timeoutMs: number
    ) {
        super(`${side} ${operation} got no answer within ${Math.round(timeoutMs / 1000)} s; the call was abandoned`);
        this.name = 'CallTimeoutError';
    }
}

export const defaultCallTimeoutMs = 120_000;

function deadline<T>(work: Promise<T>, onTimeout: () => Error, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), timeoutMs);
        timer.unref();
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
    return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The port with a deadline on each promise it returns and on each step of each async iterable. */
export function withCallTimeouts<T extends object>(port: T, side: 'salesforce' | 'hubspot', timeoutMs: number): T {
    return new Proxy(port, {
        get(target, property, receiver) {
            const value: unknown = Reflect.get(target, property, receiver);
            if (typeof value !== 'function') return value;
            const operation = String(property);
            return (...args: unknown[]) => {
                const result: unknown = value.apply(target, args);
                const timeout = () => new CallTimeoutError(side, operation, timeoutMs);
                if (result instanceof Promise) return deadline(result, timeout, timeoutMs);
                if (isAsyncIterable(result)) {
                    return {
                        [Symbol.asyncIterator]() {
                            const iterator = result[Symbol.asyncIterator]();
                            let abandoned = false;
                            return {
                                next: () =>
                                    deadline(iterator.next(), timeout, timeoutMs).catch((error: unknown) => {
                                        if (error instanceof CallTimeoutError) abandoned = true;
                                        throw error;
                                    }),
                                return: async (returned?: unknown) => {
                                    // An async generator's return() waits for the step in flight, which a
                                    // call that was never answered never ends: the consumer's cleanup
                                    // (a for-await's exit, a finally) would hang in its place.
                                    if (abandoned) {
                                        iterator.return?.(returned).catch(() => undefined);
                                        return { done: true, value: returned };
                                    }
                                    return iterator.return
                                        ? iterator.return(returned)
                                        : { done: true, value: returned };
                                }
                            };
                        }
                    };
                }
                return result;
            };
        }
    });
}
