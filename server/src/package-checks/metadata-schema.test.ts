import { ApiSchemas } from 'jsforce/lib/api/metadata/schema';
import {
    loadMetadataSchema,
    mergeSchemas,
    propertiesOf,
    schemaFromJsforce,
    schemaFromTypeDeclarations
} from './metadata-schema';

const declarations = `export type ID = string;
export type FieldType = 'Text' | 'Number';
export type Metadata = {
    fullName?: string;
};
export type CustomField = Metadata & {
    label: string;
    length?: number;
    owner?: ID;
    type?: FieldType;
    values: CustomValue[];
};
export type deploy = string;
`;

describe('schemaFromTypeDeclarations', () => {
    const schema = schemaFromTypeDeclarations(declarations);

    it('reads enumerations, inheritance, repetition, requiredness and primitive aliases', () => {
        expect([...(schema.enumerations.get('FieldType') ?? [])]).toEqual(['Text', 'Number']);
        expect(schema.complexTypes.get('CustomField')?.base).toBe('Metadata');
        const properties = propertiesOf(schema, 'CustomField');
        expect(properties.get('fullName')).toEqual({ typeName: 'string', repeated: false, required: false });
        expect(properties.get('label')).toEqual({ typeName: 'string', repeated: false, required: true });
        expect(properties.get('owner')?.typeName).toBe('string');
        expect(properties.get('type')?.typeName).toBe('FieldType');
        expect(properties.get('values')).toEqual({ typeName: 'CustomValue', repeated: true, required: false });
    });

    it('refuses a declaration it cannot read rather than skipping it', () => {
        expect(() => schemaFromTypeDeclarations('export type A = {\n    b: Map<string, string>;\n};\n')).toThrow(
            'Unexpected line in type A'
        );
        expect(() => schemaFromTypeDeclarations('export type A = {\n    b: string;')).toThrow('Type A is not closed');
    });
});

describe('schemaFromJsforce', () => {
    it('reads optional, repeated and optional-repeated properties', () => {
        const schema = schemaFromJsforce({
            Rule: { type: 'Rule', props: { name: 'string', note: '?string', items: ['Item'], matches: ['?', 'Match'] } }
        });
        const properties = propertiesOf(schema, 'Rule');
        expect(properties.get('name')).toEqual({ typeName: 'string', repeated: false, required: true });
        expect(properties.get('note')).toEqual({ typeName: 'string', repeated: false, required: false });
        expect(properties.get('items')).toEqual({ typeName: 'Item', repeated: true, required: false });
        expect(properties.get('matches')).toEqual({ typeName: 'Match', repeated: true, required: false });
    });
});

describe('mergeSchemas', () => {
    it('keeps elements only the older snapshot knows and lets the newer one win per element', () => {
        const older = schemaFromJsforce({
            Metadata: { type: 'Metadata', props: { fullName: '?string' } },
            CustomField: {
                type: 'CustomField',
                props: { legacyFlag: '?boolean', type: '?string' },
                extends: 'Metadata'
            }
        });
        const merged = mergeSchemas(older, schemaFromTypeDeclarations(declarations));
        const properties = propertiesOf(merged, 'CustomField');
        expect(properties.get('legacyFlag')?.typeName).toBe('boolean');
        expect(properties.get('type')?.typeName).toBe('FieldType');
        expect(merged.enumerations.has('FieldType')).toBe(true);
    });
});

describe('loadMetadataSchema', () => {
    const schema = loadMetadataSchema();

    it('covers everything jsforce ships plus the newer types the package uses', () => {
        for (const name of Object.keys(ApiSchemas)) expect(schema.complexTypes.has(name)).toBe(true);
        expect(propertiesOf(schema, 'ExternalCredential').get('authenticationProtocol')?.typeName).toBe(
            'AuthenticationProtocol'
        );
        expect(propertiesOf(schema, 'PermissionSet').get('externalCredentialPrincipalAccesses')?.repeated).toBe(true);
        expect(propertiesOf(schema, 'ApexClass').get('content')?.typeName).toBe('string');
    });

    it('fails clearly on a type that does not exist', () => {
        expect(() => propertiesOf(schema, 'NoSuchType')).toThrow('Unknown Metadata type NoSuchType');
    });
});
