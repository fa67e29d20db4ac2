/**
 * Writes config/sync-mapping.schema.json from the zod mapping schema (`npm run mapping:schema`).
 * With `--check` it writes nothing and exits 1 when the committed file differs from what it would write.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { mappingJsonSchemaPath, mappingJsonSchemaText } from '../src/sync/mapping/json-schema';

async function main(): Promise<void> {
    const generated = await mappingJsonSchemaText();
    if (process.argv.includes('--check')) {
        const committed = existsSync(mappingJsonSchemaPath) ? readFileSync(mappingJsonSchemaPath, 'utf8') : '';
        if (committed !== generated) {
            console.error(`${mappingJsonSchemaPath} is stale: run npm run mapping:schema`);
            process.exitCode = 1;
        }
        return;
    }
    writeFileSync(mappingJsonSchemaPath, generated);
    console.log(`wrote ${mappingJsonSchemaPath}`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
