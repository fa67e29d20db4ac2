/**
 * The CRM calls made on behalf of one piece of work while others run at the same time (the engine reads the next
 * window while the last one's writes land): each adapter notes every HTTP call it makes, and the note goes to the
 * scopes the call was made in. A port's `calls()` counter cannot tell whose call it was once calls overlap.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scopes = new AsyncLocalStorage<{ calls: number }[]>();

/** Called by an adapter for every HTTP call it sends (retries included). */
export function noteCall(): void {
    for (const scope of scopes.getStore() ?? []) scope.calls += 1;
}

/** Runs `work` and counts the calls made inside it (scopes nest: an outer scope counts them too). */
export async function callsWithin<T>(work: () => Promise<T>): Promise<{ value: T; calls: number }> {
    const scope = { calls: 0 };
    const value = await scopes.run([...(scopes.getStore() ?? []), scope], work);
    return { value, calls: scope.calls };
}
