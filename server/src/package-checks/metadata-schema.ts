/**
 * One in-memory model of the Metadata API schema, built from the two generated copies of Salesforce's
 * Metadata WSDL that node_modules already holds:
 *
 * - jsforce's `ApiSchemas` (lib/api/metadata/schema.js): element names and value types of every complex
 *   type, with inheritance. Its snapshot predates External Credentials and the newer Named Credential and
 *   permission-set elements, and it flattens every enumeration to `string`.
 * - `@salesforce/types` (lib/metadata.d.ts, the declarations the Salesforce CLI itself compiles against):
 *   a newer snapshot of the same WSDL that keeps the enumerations as string-literal unions.
 *
 * The newer snapshot wins where both define a property, so an element only the older WSDL knew stays
 * accepted and a value the newer WSDL restricts to an enumeration is checked against it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiSchemas } from 'jsforce/lib/api/metadata/schema';
import { lightningComponentConfigSchema } from './metadata-schema-supplements';

export type PrimitiveTypeName = 'string' | 'boolean' | 'number' | 'dateTime' | 'any';

export interface PropertyDefinition {
    /** A primitive, an enumeration name or a complex type name. */
    readonly typeName: string;
    /** Whether the element may repeat (an array in the WSDL). */
    readonly repeated: boolean;
    /** Whether the WSDL requires the element (minOccurs 1 on a single-valued element). */
    readonly required: boolean;
}

export interface ComplexTypeDefinition {
    readonly name: string;
    readonly base: string | undefined;
    readonly properties: ReadonlyMap<string, PropertyDefinition>;
    /** XML attributes the element may carry, with their value types. The WSDL itself declares none. */
    readonly attributes?: ReadonlyMap<string, string>;
}

export interface MetadataSchema {
    readonly complexTypes: ReadonlyMap<string, ComplexTypeDefinition>;
    readonly enumerations: ReadonlyMap<string, ReadonlySet<string>>;
}

const primitiveAliases: ReadonlyMap<string, PrimitiveTypeName> = new Map([
    ['string', 'string'],
    ['boolean', 'boolean'],
    ['number', 'number'],
    ['any', 'any'],
    ['Date', 'dateTime']
]);

export function isPrimitiveTypeName(typeName: string): typeName is PrimitiveTypeName {
    return (
        typeName === 'string' ||
        typeName === 'boolean' ||
        typeName === 'number' ||
        typeName === 'dateTime' ||
        typeName === 'any'
    );
}

type JsforcePropertyType = string | readonly string[];
type JsforceSchemas = Readonly<
    Record<string, { type: string; props: Readonly<Record<string, JsforcePropertyType>>; extends?: string }>
>;

/** jsforce writes `'?string'` for optional, `['Type']` for repeated and `['?', 'Type']` for optional repeated. */
function fromJsforceProperty(raw: JsforcePropertyType): PropertyDefinition {
    const repeated = Array.isArray(raw);
    const last = repeated ? raw[raw.length - 1] : (raw as string);
    const optional = last.startsWith('?') || (repeated && raw[0] === '?');
    const bare = last.replace(/^\?/, '');
    return { typeName: primitiveAliases.get(bare) ?? bare, repeated, required: !repeated && !optional };
}

export function schemaFromJsforce(schemas: JsforceSchemas): MetadataSchema {
    const complexTypes = new Map<string, ComplexTypeDefinition>();
    for (const [name, definition] of Object.entries(schemas)) {
        const properties = new Map<string, PropertyDefinition>();
        for (const [property, raw] of Object.entries(definition.props)) {
            properties.set(property, fromJsforceProperty(raw));
        }
        complexTypes.set(name, { name, base: definition.extends, properties });
    }
    return { complexTypes, enumerations: new Map() };
}

const enumerationLine = /^export type (\w+) = ('[^']*'(?: \| '[^']*')*);$/;
const primitiveAliasLine = /^export type (\w+) = (string|boolean|number);$/;
const objectTypeStart = /^export type (\w+) = (?:(\w+) & )?\{$/;
const propertyLine = /^\s+(\w+)(\?)?: (\w+)(\[\])?;$/;

/**
 * Reads the `export type` declarations of `@salesforce/types/lib/metadata.d.ts`. The file is generated, so
 * four line shapes cover it: a string-literal union, an alias of a primitive (`export type ID = string;`),
 * `export type X = Base & {` / `export type X = {` followed by one `name?: Type;` line per property, and
 * `};`. Property types that name a primitive alias are resolved to the primitive.
 */
export function schemaFromTypeDeclarations(source: string): MetadataSchema {
    type TypeUnderConstruction = {
        name: string;
        base: string | undefined;
        properties: Map<string, PropertyDefinition>;
    };
    const complexTypes = new Map<string, TypeUnderConstruction>();
    const enumerations = new Map<string, ReadonlySet<string>>();
    const aliases = new Map<string, PrimitiveTypeName>(primitiveAliases);
    let current: TypeUnderConstruction | undefined;
    for (const line of source.split('\n')) {
        if (current) {
            if (line.startsWith('};')) {
                complexTypes.set(current.name, current);
                current = undefined;
                continue;
            }
            const property = propertyLine.exec(line);
            if (!property) throw new Error(`Unexpected line in type ${current.name}: ${line}`);
            const [, name, optional, type, array] = property;
            const repeated = array !== undefined;
            current.properties.set(name, {
                typeName: type,
                repeated,
                required: !repeated && optional === undefined
            });
            continue;
        }
        const enumeration = enumerationLine.exec(line);
        if (enumeration) {
            const values = enumeration[2].split(' | ').map((literal) => literal.slice(1, -1));
            enumerations.set(enumeration[1], new Set(values));
            continue;
        }
        const alias = primitiveAliasLine.exec(line);
        if (alias) {
            aliases.set(alias[1], primitiveAliases.get(alias[2]) ?? 'string');
            continue;
        }
        const objectStart = objectTypeStart.exec(line);
        if (objectStart) current = { name: objectStart[1], base: objectStart[2], properties: new Map() };
    }
    if (current) throw new Error(`Type ${current.name} is not closed`);
    // Aliases may be declared after their first use, so resolve once every line is read.
    for (const type of complexTypes.values()) {
        for (const [name, property] of type.properties) {
            const primitive = aliases.get(property.typeName);
            if (primitive) type.properties.set(name, { ...property, typeName: primitive });
        }
    }
    return { complexTypes, enumerations };
}

/** Union of two snapshots; `newer` wins per property and per enumeration. */
export function mergeSchemas(older: MetadataSchema, newer: MetadataSchema): MetadataSchema {
    const complexTypes = new Map<string, ComplexTypeDefinition>(older.complexTypes);
    for (const [name, newerType] of newer.complexTypes) {
        const olderType = older.complexTypes.get(name);
        if (!olderType) {
            complexTypes.set(name, newerType);
            continue;
        }
        complexTypes.set(name, {
            name,
            base: newerType.base ?? olderType.base,
            properties: new Map([...olderType.properties, ...newerType.properties]),
            attributes: newerType.attributes ?? olderType.attributes
        });
    }
    return { complexTypes, enumerations: new Map([...older.enumerations, ...newer.enumerations]) };
}

/** Every property of a type including the inherited ones; a subtype's definition overrides its base's. */
export function propertiesOf(schema: MetadataSchema, typeName: string): ReadonlyMap<string, PropertyDefinition> {
    const chain: ComplexTypeDefinition[] = [];
    const seen = new Set<string>();
    for (let name: string | undefined = typeName; name !== undefined;) {
        if (seen.has(name)) throw new Error(`Inheritance cycle in the Metadata schema at ${name}`);
        seen.add(name);
        const definition = schema.complexTypes.get(name);
        if (!definition) throw new Error(`Unknown Metadata type ${name}`);
        chain.push(definition);
        name = definition.base;
    }
    const properties = new Map<string, PropertyDefinition>();
    for (const definition of chain.reverse()) {
        for (const [property, type] of definition.properties) properties.set(property, type);
    }
    return properties;
}

let loaded: MetadataSchema | undefined;

/** The merged schema from node_modules plus the source-format supplements, built once per process. */
export function loadMetadataSchema(): MetadataSchema {
    if (!loaded) {
        // The package exports only the compiled module; its declarations sit next to it.
        const declarationsPath = join(dirname(require.resolve('@salesforce/types/metadata')), 'metadata.d.ts');
        const declarations = readFileSync(declarationsPath, 'utf8');
        const wsdl = mergeSchemas(
            schemaFromJsforce(ApiSchemas as unknown as JsforceSchemas),
            schemaFromTypeDeclarations(declarations)
        );
        loaded = mergeSchemas(wsdl, lightningComponentConfigSchema);
    }
    return loaded;
}
