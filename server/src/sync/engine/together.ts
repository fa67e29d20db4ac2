/**
 * Independent calls made at the same time. Unlike `Promise.all`, it waits for every one of them even when
 * one fails, so nothing is still reading (or filling the run's staging) once the caller has the error; the
 * first failure, in the order given, is thrown.
 */
export async function together<T extends readonly unknown[]>(work: {
    readonly [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
    const outcomes = await Promise.allSettled(work as readonly Promise<unknown>[]);
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
