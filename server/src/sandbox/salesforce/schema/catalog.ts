import { join } from 'node:path';
import { loadCustomFields, type CustomFieldLoad } from './custom-fields';
import { STANDARD_OBJECTS } from './standard-objects';
import { indexObject, type ChildRelationship, type ObjectDef } from './types';

/** Where the package's object metadata lives, relative to the repository root. */
export const DEFAULT_OBJECTS_DIRECTORY = join(__dirname, '../../../../../force-app/main/default/objects');

/** All objects of the sandbox org, looked up case-insensitively as the API does. */
export class SchemaCatalog {
    private readonly byLowerName = new Map<string, ObjectDef>();
    private readonly byKeyPrefix = new Map<string, ObjectDef>();

    constructor(
        readonly objects: ObjectDef[],
        readonly customFieldProblems: CustomFieldLoad['problems'] = []
    ) {
        for (const def of objects) {
            this.byLowerName.set(def.name.toLowerCase(), def);
            if (!this.byKeyPrefix.has(def.keyPrefix)) this.byKeyPrefix.set(def.keyPrefix, def);
        }
    }

    /** The child relationships of an object (Account -> Contacts, Opportunities, Tasks ...). */
    childRelationships(parent: ObjectDef): ChildRelationship[] {
        return this.objects.flatMap((childObject) =>
            childObject.fields
                .filter((f) => f.childRelationshipName !== null && f.referenceTo.includes(parent.name))
                .map((field) => ({ name: field.childRelationshipName!, childObject, field }))
        );
    }

    find(name: string): ObjectDef | undefined {
        return this.byLowerName.get(name.toLowerCase());
    }

    byPrefix(keyPrefix: string): ObjectDef | undefined {
        return this.byKeyPrefix.get(keyPrefix);
    }
}

export function buildCatalog(objectsDirectory = DEFAULT_OBJECTS_DIRECTORY): SchemaCatalog {
    const { fieldsByObject, problems } = loadCustomFields(objectsDirectory);
    const objects = STANDARD_OBJECTS.map((spec) => {
        const standardNames = new Set(spec.fields.map((f) => f.name.toLowerCase()));
        const custom = (fieldsByObject.get(spec.name) ?? []).filter((f) => !standardNames.has(f.name.toLowerCase()));
        return indexObject({
            name: spec.name,
            label: spec.label,
            labelPlural: spec.labelPlural,
            keyPrefix: spec.keyPrefix,
            createable: spec.createable ?? true,
            updateable: spec.createable ?? true,
            deletable: spec.createable ?? true,
            mergeable: spec.mergeable ?? false,
            fields: [...spec.fields, ...custom]
        });
    });
    return new SchemaCatalog(objects, problems);
}
