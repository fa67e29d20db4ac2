import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkApexSyntax, checkMetadataSchema, checkSourceConverts } from './package-checks';
import { problemsFrom } from './source-convert';

describe('package checks over a package folder', () => {
    let root: string;
    const files: string[] = [];

    async function write(path: string, content: string): Promise<void> {
        const file = join(root, path);
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, content);
        files.push(file);
    }

    beforeAll(async () => {
        root = await mkdtemp(join(tmpdir(), 'package-checks-test-'));
        const meta =
            '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">';
        await write('force-app/classes/Good.cls', 'public class Good {}');
        await write(
            'force-app/classes/Good.cls-meta.xml',
            `${meta}<apiVersion>68.0</apiVersion><status>Active</status></ApexClass>`
        );
        await write('force-app/classes/Bad.cls', 'public class Bad {\n  void m( {}\n}');
        await write(
            'force-app/classes/Bad.cls-meta.xml',
            `${meta}\n<apiVersion>68.0</apiVersion><status>On</status></ApexClass>`
        );
        await write('force-app/widgets/Thing.widget-meta.xml', '<Widget/>');
    });

    afterAll(async () => {
        await rm(root, { recursive: true, force: true });
    });

    it('lists every metadata problem with file, position and element path, including unknown file kinds', async () => {
        const outcome = await checkMetadataSchema(root, files);
        expect(outcome.subject).toBe('3 -meta.xml files');
        expect(outcome.problems).toEqual([
            expect.stringMatching(
                /^force-app\/classes\/Bad\.cls-meta\.xml:3:\d+ ApexClass\/status: <status>: "On" is not a ApexCodeUnitStatus/
            ),
            'force-app/widgets/Thing.widget-meta.xml: unknown kind of metadata file; add its suffix to metadata-file-types.ts'
        ]);
    });

    it('reports the file sf project convert source cannot place', async () => {
        await writeFile(
            join(root, 'sfdx-project.json'),
            JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '68.0' })
        );
        const outcome = await checkSourceConverts(root, 'force-app');
        expect(outcome.problems).toEqual([
            expect.stringMatching(/^TypeInferenceError: .*Thing\.widget-meta\.xml: Could not infer a metadata type/)
        ]);
    }, 30_000);

    it('lists Apex syntax errors as file:line:column', async () => {
        const outcome = await checkApexSyntax(root, files);
        expect(outcome.subject).toBe('2 classes and triggers');
        expect(outcome.problems.length).toBeGreaterThan(0);
        expect(outcome.problems[0]).toMatch(/^force-app\/classes\/Bad\.cls:2:\d+ /);
    });
});

describe('problemsFrom (sf project convert source --json)', () => {
    it('reads success and failure results', () => {
        expect(problemsFrom('{"status":0,"result":{"location":"/tmp/x"},"warnings":[]}')).toEqual([]);
        expect(
            problemsFrom('{"status":1,"name":"TypeInferenceError","message":"Could not infer a metadata type"}')
        ).toEqual(['TypeInferenceError: Could not infer a metadata type']);
        expect(
            problemsFrom('{"status":1,"name":"E","message":"Bad","actions":["", "Did you mean .wdpr-meta.xml?"]}')
        ).toEqual(['E: Bad (Did you mean .wdpr-meta.xml?)']);
    });

    it('reports output that is not the expected JSON', () => {
        expect(problemsFrom('Warning: something odd')[0]).toMatch(/^sf project convert source printed no JSON result/);
        expect(problemsFrom('{"result":1}')[0]).toMatch(/^Unexpected sf project convert source result/);
    });
});
