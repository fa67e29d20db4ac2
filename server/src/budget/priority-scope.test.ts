import { setTimeout as sleep } from 'node:timers/promises';

import { currentPriority, runWithPriority } from './priority-scope';

describe('priority scope', () => {
    it('falls back outside any scope', () => {
        expect(currentPriority()).toBe('poll');
        expect(currentPriority('backfill')).toBe('backfill');
    });

    it('carries the priority through awaits and timers, and keeps concurrent scopes apart', async () => {
        const seen = async (delayMs: number) => {
            await sleep(delayMs);
            return new Promise<string>((resolve) => setTimeout(() => resolve(currentPriority()), delayMs));
        };
        const [interactive, backfill] = await Promise.all([
            runWithPriority('interactive', () => seen(5)),
            runWithPriority('backfill', () => seen(1))
        ]);
        expect([interactive, backfill]).toEqual(['interactive', 'backfill']);
        expect(currentPriority()).toBe('poll');
    });

    it('lets an inner scope override an outer one', () => {
        expect(runWithPriority('poll', () => runWithPriority('interactive', () => currentPriority()))).toBe(
            'interactive'
        );
    });
});
