import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { recordIntelligenceExamples, timelineResponseExamples } from './examples';

const repositoryRoot = path.resolve(__dirname, '..', '..', '..');
const lwcFixtureFolder = 'force-app/main/default/lwc/hubspotIntelligence/__tests__/data';
const runFile = promisify(execFile);

async function readJson(relativePath: string): Promise<unknown> {
    return JSON.parse(await readFile(path.join(repositoryRoot, relativePath), 'utf8'));
}

describe('exported contract files (out of date? run `npm run contract:export`)', () => {
    it.each(Object.entries(recordIntelligenceExamples))(
        'LWC fixture %s.json equals its example',
        async (name, example) => {
            expect(await readJson(`${lwcFixtureFolder}/${name}.json`)).toEqual(example);
        }
    );

    it('the Apex static resource holds every TimelineResponse example by name', async () => {
        expect(await readJson('force-app/main/default/staticresources/HubSpotTimelineFixtures.json')).toEqual(
            timelineResponseExamples
        );
    });

    it('the JSON Schema describes every contract shape', async () => {
        const schema = (await readJson('server/src/contract/timeline.schema.json')) as { $defs: object };
        expect(Object.keys(schema.$defs).sort()).toEqual([
            'ErrorEnvelope',
            'RecordIntelligence',
            'ResyncAccepted',
            'SequenceEnrollmentAccepted',
            'TimelineResponse'
        ]);
    });

    // Byte-for-byte, formatting included. Prettier 3 cannot load inside Jest's module sandbox, so the export
    // script runs as its own process in --check mode and lists what is stale.
    it('every exported file is exactly what `npm run contract:export` writes', async () => {
        const tsxCli = require.resolve('tsx/cli');
        const script = path.join(repositoryRoot, 'server/scripts/contract-export.ts');
        const result = await runFile(process.execPath, [tsxCli, script, '--check'], { cwd: repositoryRoot }).then(
            () => ({ exitCode: 0, stderr: '' }),
            (error: { code: number; stderr: string }) => ({ exitCode: error.code, stderr: error.stderr })
        );
        expect(result).toEqual({ exitCode: 0, stderr: '' });
    }, 30_000);
});
