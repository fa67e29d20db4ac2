/**
 * The JSON Schema editors use to complete config/sync-mapping.yaml, generated from the zod schema so the
 * two never disagree (a test fails when the committed copy is stale).
 */
import { resolve } from 'node:path';

import { format, resolveConfig } from 'prettier';
import { z } from 'zod';

import { MappingFile } from './schema';

export const mappingJsonSchemaPath = resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.schema.json');

/** The schema exactly as `npm run mapping:schema` writes it, formatted with the repository's Prettier settings. */
export async function mappingJsonSchemaText(): Promise<string> {
    const schema = z.toJSONSchema(MappingFile, { io: 'input', unrepresentable: 'any' });
    const document = {
        ...schema,
        title: 'HubSpot ⇄ Salesforce bridge: sync mapping',
        description:
            'config/sync-mapping.yaml. Generated from server/src/sync/mapping/schema.ts by `npm run mapping:schema`.'
    };
    const options = await resolveConfig(mappingJsonSchemaPath);
    return format(JSON.stringify(document), { ...options, filepath: mappingJsonSchemaPath });
}
