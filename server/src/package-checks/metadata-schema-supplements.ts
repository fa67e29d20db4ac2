/**
 * Content models the Metadata WSDL leaves opaque but source files spell out as XML.
 *
 * `LightningComponentBundle.targetConfigs` is an `xsd:string` in the WSDL: the Metadata API receives the
 * bundle's `.js-meta.xml` as a file and the LWC compiler validates it. Its elements and attributes are
 * documented in the LWC guide ("XML Configuration File Elements"); the subset below is the one record,
 * app and home page components use, so a misspelt `<property>` attribute fails here instead of at deploy.
 */
import type { ComplexTypeDefinition, MetadataSchema, PropertyDefinition } from './metadata-schema';

const repeated = (typeName: string): PropertyDefinition => ({ typeName, repeated: true, required: false });
const single = (typeName: string): PropertyDefinition => ({ typeName, repeated: false, required: false });

function complexType(
    name: string,
    properties: Record<string, PropertyDefinition>,
    attributes: Record<string, string> = {}
): [string, ComplexTypeDefinition] {
    return [
        name,
        {
            name,
            base: undefined,
            properties: new Map(Object.entries(properties)),
            attributes: new Map(Object.entries(attributes))
        }
    ];
}

export const lightningComponentConfigSchema: MetadataSchema = {
    complexTypes: new Map([
        [
            'LightningComponentBundle',
            {
                name: 'LightningComponentBundle',
                base: 'Metadata',
                properties: new Map([['targetConfigs', single('LwcTargetConfigs')]])
            }
        ],
        complexType('LwcTargetConfigs', { targetConfig: repeated('LwcTargetConfig') }),
        complexType(
            'LwcTargetConfig',
            {
                property: repeated('LwcProperty'),
                objects: single('LwcObjects'),
                supportedFormFactors: single('LwcSupportedFormFactors')
            },
            { targets: 'string', configurationEditor: 'string' }
        ),
        complexType(
            'LwcProperty',
            {},
            {
                name: 'string',
                type: 'LwcPropertyType',
                label: 'string',
                description: 'string',
                default: 'string',
                required: 'boolean',
                min: 'number',
                max: 'number',
                datasource: 'string',
                placeholder: 'string',
                role: 'string',
                exposedTo: 'string'
            }
        ),
        complexType('LwcObjects', { object: repeated('string') }),
        complexType('LwcSupportedFormFactors', { supportedFormFactor: repeated('LwcSupportedFormFactor') }),
        complexType('LwcSupportedFormFactor', {}, { type: 'LwcFormFactor' })
    ]),
    enumerations: new Map([
        ['LwcPropertyType', new Set(['Boolean', 'Integer', 'String', 'Color', 'Date', 'DateTime'])],
        ['LwcFormFactor', new Set(['Small', 'Large'])]
    ])
};
