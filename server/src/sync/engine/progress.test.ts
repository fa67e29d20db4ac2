/** `SyncEngineOptions.onProgress`: the steps a run reports, against both sandboxes. */
import type { SyncProgress } from './context';
import { SyncEngine, type SyncEngineOptions } from './engine';
import { startEngineWorld, type EngineWorld } from './test-support';

describe('SyncEngine progress', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
    });
    afterEach(() => world.close());

    const engineWith = (onProgress: SyncEngineOptions['onProgress']) =>
        new SyncEngine({
            salesforce: world.salesforce,
            hubspot: world.hubspot,
            store: world.store,
            mapping: world.mapping,
            onProgress
        });

    it('reports every step starting and finishing, in order, with the records read so far', async () => {
        world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        world.createInSalesforce('Account', { Name: 'Acme' });
        const events: SyncProgress[] = [];
        const report = await engineWith((progress) => events.push(progress)).run({ mode: 'incremental' });

        expect(report.status).toBe('completed');
        const steps = events.map((e) => `${e.state} ${e.step}/${e.totalSteps} ${e.phase} ${e.objectType ?? ''}`.trim());
        const totalSteps = events.at(-1)!.totalSteps;
        const groups = events.filter((e) => e.phase === 'records' && e.state === 'started');
        expect(totalSteps).toBe(1 + groups.length + 2);
        expect(groups.map((e) => e.objectType).slice(0, 3)).toEqual(['companies', 'contacts', 'deals']);
        expect(groups.find((e) => e.objectType === 'contacts')!.mappingIds).toEqual(
            expect.arrayContaining(['contact_to_contact'])
        );
        expect(steps.slice(0, 4)).toEqual([
            `started 1/${totalSteps} schemas`,
            `finished 1/${totalSteps} schemas`,
            `started 2/${totalSteps} records companies`,
            `finished 2/${totalSteps} records companies`
        ]);
        expect(steps.slice(-4)).toEqual([
            `started ${totalSteps - 1}/${totalSteps} associations`,
            `finished ${totalSteps - 1}/${totalSteps} associations`,
            `started ${totalSteps}/${totalSteps} activities`,
            `finished ${totalSteps}/${totalSteps} activities`
        ]);
        expect(events.every((e) => e.runId === report.runId)).toBe(true);
        const recordsRead = events.map((e) => e.recordsRead);
        expect(recordsRead).toEqual([...recordsRead].sort((a, b) => a - b));
        expect(events.at(-1)!.recordsRead).toBe(2);
    });

    it('has an association step (lookups) and no activity step when syncing chosen ids', async () => {
        const id = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const events: SyncProgress[] = [];
        await engineWith((progress) => events.push(progress)).run({ mode: 'incremental', ids: [id] });
        expect(events.map((e) => e.phase)).not.toContain('activities');
        expect(events.at(-1)).toMatchObject({ phase: 'associations', state: 'finished' });
        expect(events.at(-1)!.step).toBe(events.at(-1)!.totalSteps);
    });

    it('a callback that throws changes nothing about the run', async () => {
        world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const report = await engineWith(() => {
            throw new Error('terminal went away');
        }).run({ mode: 'incremental' });
        expect(report.status).toBe('completed');
        expect(report.counts['contact_to_contact.created_in_hubspot']).toBe(1);
        expect(world.hubspotObjects('contacts')).toHaveLength(1);
    });
});
