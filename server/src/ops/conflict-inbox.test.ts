import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteConflictInbox } from './conflict-inbox';

describe('SqliteConflictInbox', () => {
    let dataDir: string;

    beforeEach(() => {
        dataDir = mkdtempSync(join(tmpdir(), 'ops-inbox-'));
    });

    afterEach(() => {
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('keeps acknowledgements across restarts and counts only new ones', () => {
        const at = new Date('2026-11-20T09:30:00.000Z');
        const inbox = SqliteConflictInbox.open({ dataDir }, () => at);
        expect(inbox.acknowledge([3, 5, 5], 'operator')).toBe(2);
        expect(inbox.acknowledge([5, 8], 'operator')).toBe(1);
        inbox.close();

        const reopened = SqliteConflictInbox.open({ dataDir });
        expect(reopened.acknowledged([3, 4, 8])).toEqual(
            new Map([
                [3, { at: at.toISOString(), by: 'operator' }],
                [8, { at: at.toISOString(), by: 'operator' }]
            ])
        );
        expect(reopened.acknowledged([])).toEqual(new Map());
        reopened.close();
    });
});
