import { loadMetadataSchema } from './metadata-schema';
import { METADATA_NAMESPACE, MetadataXmlValidator } from './metadata-validator';

const validator = new MetadataXmlValidator(loadMetadataSchema());

function document(root: string, body: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${METADATA_NAMESPACE}">\n${body}\n</${root}>\n`;
}

const textField = `    <fullName>HubSpot_Id__c</fullName>
    <externalId>true</externalId>
    <label>HubSpot ID</label>
    <length>64</length>
    <type>Text</type>
    <unique>true</unique>`;

describe('MetadataXmlValidator', () => {
    it('accepts a valid custom field', () => {
        expect(validator.validate(document('CustomField', textField), 'CustomField')).toEqual([]);
    });

    it('accepts elements inherited from a base type and a restricted picklist', () => {
        const picklist = `    <fullName>Status__c</fullName>
    <label>Status</label>
    <type>Picklist</type>
    <valueSet>
        <restricted>true</restricted>
        <valueSetDefinition>
            <sorted>false</sorted>
            <value><fullName>Synced</fullName><default>true</default><label>Synced</label></value>
            <value><fullName>Error</fullName><default>false</default><label>Error</label></value>
        </valueSetDefinition>
    </valueSet>`;
        expect(validator.validate(document('CustomField', picklist), 'CustomField')).toEqual([]);
    });

    it('reports an unknown element with its line and column', () => {
        const problems = validator.validate(
            document('CustomField', `${textField}\n    <lenght>64</lenght>`),
            'CustomField'
        );
        expect(problems).toEqual([
            {
                line: 9,
                column: 5,
                path: 'CustomField/lenght',
                message: 'Unknown element <lenght> in <CustomField> (CustomField); did you mean <length>?'
            }
        ]);
    });

    it('reports a boolean that is not true or false', () => {
        const problems = validator.validate(
            document('CustomField', textField.replace('<unique>true', '<unique>yes')),
            'CustomField'
        );
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatchObject({ path: 'CustomField/unique', line: 8 });
        expect(problems[0].message).toContain('"yes" is not a boolean');
    });

    it('reports a number that is not a number', () => {
        const problems = validator.validate(
            document('CustomField', textField.replace('<length>64', '<length>sixty')),
            'CustomField'
        );
        expect(problems.map((problem) => problem.message)).toEqual(['<length>: "sixty" is not a number']);
    });

    it('reports a value outside its enumeration', () => {
        const problems = validator.validate(
            document('CustomField', textField.replace('<type>Text', '<type>Txt')),
            'CustomField'
        );
        expect(problems).toHaveLength(1);
        expect(problems[0].message).toMatch(/^<type>: "Txt" is not a FieldType; expected one of .*LongTextArea/);
    });

    it('reports an error nested deep inside complex elements', () => {
        const body = `    <fullName>Stage__c</fullName>
    <label>Stage</label>
    <type>Picklist</type>
    <valueSet>
        <valueSetDefinition>
            <sorted>false</sorted>
            <value>
                <fullName>lead</fullName>
                <defualt>false</defualt>
                <label>Lead</label>
            </value>
        </valueSetDefinition>
    </valueSet>`;
        const problems = validator.validate(document('CustomField', body), 'CustomField');
        expect(problems).toEqual([
            {
                line: 11,
                column: 17,
                path: 'CustomField/valueSet/valueSetDefinition/value/defualt',
                message: 'Unknown element <defualt> in <value> (CustomValue); did you mean <default>?'
            },
            {
                line: 9,
                column: 13,
                path: 'CustomField/valueSet/valueSetDefinition/value',
                message: 'Missing required element <default> in <value> (CustomValue)'
            }
        ]);
    });

    it('suggests nothing when no known element is close', () => {
        const problems = validator.validate(
            document('CustomField', `${textField}\n    <colour>red</colour>`),
            'CustomField'
        );
        expect(problems.map((problem) => problem.message)).toEqual([
            'Unknown element <colour> in <CustomField> (CustomField)'
        ]);
    });

    it('reports a single-valued element that repeats and text where elements belong', () => {
        const body = `${textField}\n    <label>Again</label>\n    <valueSet>stray text</valueSet>`;
        const messages = validator
            .validate(document('CustomField', body), 'CustomField')
            .map((problem) => problem.message);
        expect(messages).toEqual([
            '<label> may appear only once in <CustomField>',
            '<valueSet> (ValueSet) holds elements, not text'
        ]);
    });

    it('reports elements inside a simple value', () => {
        const problems = validator.validate(
            document('CustomField', `${textField}\n    <description><b>bold</b></description>`),
            'CustomField'
        );
        expect(problems.map((problem) => problem.message)).toEqual([
            '<description> holds a string value, not elements'
        ]);
    });

    it('reports a missing required element', () => {
        const problems = validator.validate(
            document('PermissionSet', '    <description>No label</description>'),
            'PermissionSet'
        );
        expect(problems.map((problem) => problem.message)).toEqual([
            'Missing required element <label> in <PermissionSet> (PermissionSet)'
        ]);
    });

    it('reports the wrong root element and stops there', () => {
        const problems = validator.validate(document('CustomObject', textField), 'CustomField');
        expect(problems.map((problem) => problem.message)).toEqual([
            'Root element must be <CustomField> for this kind of file, found <CustomObject>'
        ]);
    });

    it('reports a missing Metadata namespace', () => {
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField>\n${textField}\n</CustomField>\n`;
        expect(validator.validate(xml, 'CustomField').map((problem) => problem.message)).toEqual([
            `Root element must declare xmlns="${METADATA_NAMESPACE}"`
        ]);
    });

    it('reports XML that is not well-formed with its position', () => {
        const problems = validator.validate(document('CustomField', '    <label>Open'), 'CustomField');
        expect(problems).toHaveLength(1);
        expect(problems[0].message).toMatch(/^Not well-formed XML: /);
        expect(problems[0].line).toBeGreaterThan(1);
    });

    it('ignores comments and accepts xsi attributes', () => {
        const body = `    <!-- why this field exists -->\n${textField}\n    <description xsi:nil="true" />`;
        const xml = document('CustomField', body).replace(
            `xmlns="${METADATA_NAMESPACE}"`,
            `xmlns="${METADATA_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
        );
        expect(validator.validate(xml, 'CustomField')).toEqual([]);
    });

    it('reports an unknown attribute on a metadata element', () => {
        const problems = validator.validate(
            document('CustomField', textField.replace('<label>', '<label lang="en">')),
            'CustomField'
        );
        expect(problems.map((problem) => problem.message)).toEqual(['Unknown attribute "lang" on <label>']);
    });

    describe('Lightning component configuration (the targetConfigs supplement)', () => {
        const bundle = (property: string) =>
            document(
                'LightningComponentBundle',
                `    <apiVersion>68.0</apiVersion>
    <isExposed>true</isExposed>
    <targets><target>lightning__RecordPage</target></targets>
    <targetConfigs>
        <targetConfig targets="lightning__RecordPage">
            ${property}
            <objects><object>Lead</object><object>Contact</object></objects>
        </targetConfig>
    </targetConfigs>`
            );

        it('accepts design properties', () => {
            const xml = bundle('<property name="height" type="Integer" default="350" label="Height" min="100" />');
            expect(validator.validate(xml, 'LightningComponentBundle')).toEqual([]);
        });

        it('reports a property type that LWC does not know and an unknown attribute', () => {
            const xml = bundle('<property name="height" type="Int" lable="Height" />');
            const problems = validator.validate(xml, 'LightningComponentBundle');
            expect(problems.map((problem) => problem.path)).toEqual([
                'LightningComponentBundle/targetConfigs/targetConfig/property@type',
                'LightningComponentBundle/targetConfigs/targetConfig/property'
            ]);
            expect(problems[0].message).toContain('"Int" is not a LwcPropertyType');
            expect(problems[1].message).toBe('Unknown attribute "lable" on <property> (LwcProperty)');
        });
    });
});
