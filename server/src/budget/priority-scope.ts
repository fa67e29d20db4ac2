/**
 * Which kind of work the code running now belongs to, without passing it through the engine: the bridge
 * wraps each entry point (a scheduled run, the resync button, a full load, the fast-path worker) in
 * `runWithPriority`, and the budgeted ports read `currentPriority()` before each call. AsyncLocalStorage
 * carries the value through every await and timer started inside.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import type { Priority } from '../queue/priority';

const scope = new AsyncLocalStorage<Priority>();

export function runWithPriority<T>(priority: Priority, work: () => T): T {
    return scope.run(priority, work);
}

/** The priority of the enclosing `runWithPriority`, or `fallback` outside any (the scheduler's poll). */
export function currentPriority(fallback: Priority = 'poll'): Priority {
    return scope.getStore() ?? fallback;
}
