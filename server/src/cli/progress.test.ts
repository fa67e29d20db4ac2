/** The progress displays of `npm run sync`, fed the events a run produces. */
import { Writable } from 'node:stream';

import type { SyncProgress } from '../sync/engine/context';
import { barProgress, lineProgress, progressLine } from './progress';

const run: SyncProgress[] = [
    { runId: 7, state: 'started', phase: 'schemas', step: 1, totalSteps: 3, recordsRead: 0 },
    { runId: 7, state: 'finished', phase: 'schemas', step: 1, totalSteps: 3, recordsRead: 0 },
    {
        runId: 7,
        state: 'started',
        phase: 'records',
        objectType: 'contacts',
        mappingIds: ['lead_to_contact', 'contact_to_contact'],
        step: 2,
        totalSteps: 3,
        recordsRead: 0
    },
    {
        runId: 7,
        state: 'finished',
        phase: 'records',
        objectType: 'contacts',
        mappingIds: ['lead_to_contact', 'contact_to_contact'],
        step: 2,
        totalSteps: 3,
        recordsRead: 42
    },
    { runId: 7, state: 'started', phase: 'associations', step: 3, totalSteps: 3, recordsRead: 42 },
    { runId: 7, state: 'finished', phase: 'associations', step: 3, totalSteps: 3, recordsRead: 42 }
];

/** A stream that says it is a terminal and keeps what is drawn on it. */
class FakeTerminal extends Writable {
    readonly isTTY = true;
    readonly columns = 120;
    text = '';
    override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
        this.text += chunk.toString('utf8');
        callback();
    }
}

describe('sync progress display', () => {
    it('prints one line per step as it starts when there is no terminal', () => {
        const lines: string[] = [];
        const display = lineProgress((line) => lines.push(line));
        run.forEach((event) => display.onProgress(event));
        display.stop();
        expect(lines).toEqual([
            '[1/3] schemas, 0 records read so far',
            '[2/3] records: contacts (lead_to_contact, contact_to_contact), 0 records read so far',
            '[3/3] associations, 42 records read so far'
        ]);
        expect(progressLine(run[3])).toBe(
            '[2/3] records: contacts (lead_to_contact, contact_to_contact), 42 records read so far'
        );
    });

    it('draws a bar on a terminal and ends it with the last step', () => {
        const terminal = new FakeTerminal();
        const display = barProgress(terminal);
        run.forEach((event) => display.onProgress(event));
        expect(terminal.text).toContain('Run 7');
        expect(terminal.text).toMatch(/3\/3 steps \| associations \| 42 records read/);
        const drawn = terminal.text.length;
        display.stop();
        expect(terminal.text.length).toBe(drawn);
    });

    it('ends a bar left open by a run that failed half-way, and starts a fresh one for the next run', () => {
        const terminal = new FakeTerminal();
        const display = barProgress(terminal);
        run.slice(0, 3).forEach((event) => display.onProgress(event));
        display.stop();
        expect(terminal.text).toMatch(/1\/3 steps \| records: contacts/);
        display.onProgress({ ...run[0], runId: 8 });
        expect(terminal.text).toContain('Run 8');
        display.stop();
    });
});
