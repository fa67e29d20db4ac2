/**
 * The short soak inside `npm test`: `npm run soak` itself (a child process, as an operator runs it) with a
 * small population, 15 s of field edits and same-field conflicts on both sides, one SIGKILL mid-run and 10%
 * faults on the relay's calls, then two cycles and the oracle's comparison, read back from its JSON. Each
 * must-be-zero figure is its own test. Creates, duplicate emails, conversions, deletes and merges are the
 * full `npm run soak`'s (see server/soak/README.md for what it still finds).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { soakJson } from './report';

const repoRoot = resolve(__dirname, '../..');

describe('chaos soak (short)', () => {
    let figures: ReturnType<typeof soakJson>;

    beforeAll(() => {
        const dir = mkdtempSync(join(tmpdir(), 'soak-test-'));
        try {
            const json = join(dir, 'soak.json');
            const args = ['--seconds', '15', '--seed', '7', '--people', '10', '--kills', '1'];
            args.push('--max-operations', '120', '--cycle-timeout', '15', '--fields-only', '--json', json);
            const run = spawnSync(
                join(repoRoot, 'node_modules/.bin/node'),
                ['--import', pathToFileURL(require.resolve('tsx')).href, join(__dirname, 'cli.ts'), ...args],
                { cwd: repoRoot, encoding: 'utf8', timeout: 150_000 }
            );
            process.stdout.write(run.stdout);
            // Exit 1 = a must-be-zero figure failed (asserted one by one below); anything else = the soak could not run.
            if (run.status !== 0 && run.status !== 1) throw new Error(`the soak could not run:\n${run.stderr}`);
            figures = JSON.parse(readFileSync(json, 'utf8')) as ReturnType<typeof soakJson>;
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }, 160_000);

    it('exercised what it claims: edits on both sides, a SIGKILL, injected faults', () => {
        expect(figures.relay.kills).toBeGreaterThanOrEqual(1);
        expect(figures.faultsInjected.salesforce + figures.faultsInjected.hubspot).toBeGreaterThan(0);
        expect(figures.edits.salesforce_update ?? 0).toBeGreaterThan(0);
        expect(figures.edits.hubspot_update ?? 0).toBeGreaterThan(0);
        expect(figures.details.editFailures).toEqual([]);
    });

    it('recovers the runs a SIGKILL cut off on its own: none is left running', () => {
        // A run the kill caught is marked failed ("cut off") by the restarted relay's next run.
        expect(figures.runs.interrupted).toBe(0);
        expect(figures.runs.recovered).toBeLessThanOrEqual(figures.relay.kills);
    });

    it('completes two sync cycles once the faults stop', () => {
        expect(figures.cyclesCompleted).toBe(2);
    });

    it('converges without restarting a run hung during the faults', () => {
        expect(figures.hungRunRestart).toBe(false);
    });

    it('loses no update', () => {
        expect(figures.details.lostUpdates).toEqual([]);
    });

    it('creates no duplicate and loses no record', () => {
        expect(figures.details.duplicateRecords).toEqual([]);
        expect(figures.details.missingRecords).toEqual([]);
    });

    it('re-creates nothing deleted or merged away', () => {
        expect(figures.details.resurrected).toEqual([]);
    });

    it('leaves no record stuck in error without a validation failure to explain it', () => {
        expect(figures.details.stuckErrors).toEqual([]);
    });
});
