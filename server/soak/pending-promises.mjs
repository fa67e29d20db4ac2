/**
 * A diagnostic the soak loads into the relay with `--probe-hangs` (`node --import`): it remembers where each
 * promise still pending was created (stacks through server/src only) and, on SIGUSR2, writes those pending
 * for more than 15 s, grouped by stack and oldest first, to `pending-promises-<pid>.txt` in the working
 * folder. A run that hangs shows there what it waits for. It slows the relay (a stack per promise).
 */
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pendingForMs = 15_000;
const pending = new Map();
Error.stackTraceLimit = 30;

createHook({
    init(asyncId, type) {
        if (type !== 'PROMISE') return;
        const stack = new Error().stack ?? '';
        if (stack.includes('/server/src/')) pending.set(asyncId, { createdAt: Date.now(), stack });
    },
    promiseResolve(asyncId) {
        pending.delete(asyncId);
    },
    destroy(asyncId) {
        pending.delete(asyncId);
    }
}).enable();

process.on('SIGUSR2', () => {
    const now = Date.now();
    const groups = new Map();
    for (const { createdAt, stack } of pending.values()) {
        if (now - createdAt < pendingForMs) continue;
        const frames = stack
            .split('\n')
            .filter((line) => line.includes('/server/src/'))
            .slice(0, 12)
            .join('\n');
        const group = groups.get(frames) ?? { count: 0, oldest: now };
        group.count += 1;
        group.oldest = Math.min(group.oldest, createdAt);
        groups.set(frames, group);
    }
    const report = [...groups]
        .sort(([, a], [, b]) => a.oldest - b.oldest)
        .map(([frames, group]) => `# ${group.count} pending, oldest ${(now - group.oldest) / 1000} s\n${frames}`)
        .join('\n\n');
    writeFileSync(join(process.cwd(), `pending-promises-${process.pid}.txt`), `${report}\n`);
});
