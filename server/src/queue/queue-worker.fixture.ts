/**
 * A separate process for the queue's multi-process tests: `drain` claims and completes until the queue is
 * empty, printing each claimed id; `hold` claims one batch, prints it and then hangs until killed.
 * Both wait for `go` on stdin so several workers start together.
 */
import { createInterface } from 'node:readline';

import { openWorkQueue } from './work-queue';

const [dataDir, workerId, mode, batchText, leaseText] = process.argv.slice(2);
if (!dataDir || !workerId || (mode !== 'drain' && mode !== 'hold') || !batchText || !leaseText) {
    process.stderr.write('usage: queue-worker.fixture.ts <dataDir> <workerId> drain|hold <batchSize> <leaseMs>\n');
    process.exit(2);
}
const batchSize = Number(batchText);
const leaseMs = Number(leaseText);
const queue = openWorkQueue({ dataDir });
const pause = new Int32Array(new SharedArrayBuffer(4));
process.stdout.write('ready\n');

createInterface({ input: process.stdin }).once('line', () => {
    if (mode === 'hold') {
        const batch = queue.claim(batchSize, leaseMs, workerId);
        process.stdout.write(`${JSON.stringify(batch.map((item) => item.id))}\n`);
        setInterval(() => undefined, 60_000);
        return;
    }
    const claimed: number[] = [];
    for (;;) {
        const batch = queue.claim(batchSize, leaseMs, workerId);
        if (batch.length === 0) break;
        claimed.push(...batch.map((item) => item.id));
        // Stand-in for the API calls a real batch makes, outside any transaction, so the workers interleave.
        Atomics.wait(pause, 0, 0, 2);
        queue.complete(batch);
    }
    queue.close();
    process.stdout.write(`${JSON.stringify(claimed)}\n`);
    process.exit(0);
});
