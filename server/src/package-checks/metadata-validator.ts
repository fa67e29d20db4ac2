/**
 * Validates one source-format metadata XML document against the Metadata API schema: the root element
 * is the expected type in the Metadata namespace, every element is known for its parent's type
 * (inherited elements included), single-valued elements appear once, required ones are present, and
 * simple values have the declared type (boolean, number, dateTime, enumeration). Pure: text in, problems out.
 */
import { parseXml, type XmlElement } from './metadata-xml';
import { isPrimitiveTypeName, type MetadataSchema, type PropertyDefinition, propertiesOf } from './metadata-schema';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

export interface XmlProblem {
    readonly line: number;
    readonly column: number;
    /** Element path from the root, e.g. `CustomField/valueSet/restricted`. */
    readonly path: string;
    readonly message: string;
}

type Reporter = (element: XmlElement, path: string, message: string) => void;

// The lexical spaces of xsd:boolean, xsd:int/xsd:double and xsd:date/xsd:dateTime.
const booleanPattern = /^(true|false|1|0)$/;
const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Levenshtein distance, for suggesting the element a typo meant. */
function editDistance(left: string, right: string): number {
    let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
    for (let i = 1; i <= left.length; i++) {
        const current = [i];
        for (let j = 1; j <= right.length; j++) {
            const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1);
            current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
        }
        previous = current;
    }
    return previous[right.length];
}

function closestName(name: string, candidates: Iterable<string>): string | undefined {
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
    }
    return best?.candidate;
}

export class MetadataXmlValidator {
    constructor(private readonly schema: MetadataSchema) {}

    validate(xml: string, expectedRootType: string): XmlProblem[] {
        const parsed = parseXml(xml);
        if (!parsed.wellFormed) {
            const { line, column, message } = parsed;
            return [{ line, column, path: '', message: `Not well-formed XML: ${message}` }];
        }
        const problems: XmlProblem[] = [];
        const report: Reporter = (element, path, message) =>
            problems.push({ line: element.line, column: element.column, path, message });

        const [root, ...others] = parsed.roots;
        if (!root || others.length > 0) {
            return [{ line: 1, column: 1, path: '', message: 'Expected exactly one root element' }];
        }
        if (root.name !== expectedRootType) {
            report(
                root,
                root.name,
                `Root element must be <${expectedRootType}> for this kind of file, found <${root.name}>`
            );
            return problems;
        }
        if (root.attributes.xmlns !== METADATA_NAMESPACE) {
            report(root, root.name, `Root element must declare xmlns="${METADATA_NAMESPACE}"`);
        }
        this.validateComplex(root, expectedRootType, root.name, report, true);
        return problems;
    }

    private validateComplex(
        element: XmlElement,
        typeName: string,
        path: string,
        report: Reporter,
        isRoot = false
    ): void {
        const properties = propertiesOf(this.schema, typeName);
        const allowedAttributes = this.schema.complexTypes.get(typeName)?.attributes ?? new Map<string, string>();
        for (const [attribute, value] of Object.entries(element.attributes)) {
            // Namespace declarations belong on the root; xsi:nil and xsi:type are legal on any element.
            const isNamespaceDeclaration = isRoot && (attribute === 'xmlns' || attribute.startsWith('xmlns:'));
            if (isNamespaceDeclaration || attribute.startsWith('xsi:')) continue;
            const attributeType = allowedAttributes.get(attribute);
            if (attributeType === undefined) {
                report(element, path, `Unknown attribute "${attribute}" on <${element.name}> (${typeName})`);
                continue;
            }
            const problem = this.simpleValueProblem(value, attributeType);
            if (problem) report(element, `${path}@${attribute}`, problem);
        }
        if (element.text.trim() !== '') {
            report(element, path, `<${element.name}> (${typeName}) holds elements, not text`);
        }
        const counts = new Map<string, number>();
        for (const child of element.children) {
            const childPath = `${path}/${child.name}`;
            const property = properties.get(child.name);
            if (!property) {
                const suggestion = closestName(child.name, properties.keys());
                const hint = suggestion ? `; did you mean <${suggestion}>?` : '';
                report(child, childPath, `Unknown element <${child.name}> in <${element.name}> (${typeName})${hint}`);
                continue;
            }
            const count = (counts.get(child.name) ?? 0) + 1;
            counts.set(child.name, count);
            if (count === 2 && !property.repeated) {
                report(child, childPath, `<${child.name}> may appear only once in <${element.name}>`);
            }
            this.validateProperty(child, property, childPath, report);
        }
        for (const [name, property] of properties) {
            if (property.required && !counts.has(name)) {
                report(element, path, `Missing required element <${name}> in <${element.name}> (${typeName})`);
            }
        }
    }

    private validateProperty(element: XmlElement, property: PropertyDefinition, path: string, report: Reporter): void {
        const { typeName } = property;
        if (this.schema.complexTypes.has(typeName)) {
            this.validateComplex(element, typeName, path, report);
            return;
        }
        // xsd:anyType, and the few names the generated snapshots reference without defining, admit any content.
        if (typeName === 'any' || !(isPrimitiveTypeName(typeName) || this.schema.enumerations.has(typeName))) return;
        const [nested] = element.children;
        if (nested) {
            report(nested, `${path}/${nested.name}`, `<${element.name}> holds a ${typeName} value, not elements`);
            return;
        }
        const unexpectedAttribute = Object.keys(element.attributes).find((attribute) => !attribute.startsWith('xsi:'));
        if (unexpectedAttribute !== undefined) {
            report(element, path, `Unknown attribute "${unexpectedAttribute}" on <${element.name}>`);
        }
        const problem = this.simpleValueProblem(element.text, typeName);
        if (problem) report(element, path, `<${element.name}>: ${problem}`);
    }

    /** Returns a message when `raw` is not a valid value of the simple type, undefined when it is. */
    private simpleValueProblem(raw: string, typeName: string): string | undefined {
        const value = raw.trim();
        const enumeration = this.schema.enumerations.get(typeName);
        if (enumeration) {
            return enumeration.has(value)
                ? undefined
                : `"${value}" is not a ${typeName}; expected one of ${[...enumeration].join(', ')}`;
        }
        switch (typeName) {
            case 'boolean':
                return booleanPattern.test(value) ? undefined : `"${value}" is not a boolean (true or false)`;
            case 'number':
                return numberPattern.test(value) ? undefined : `"${value}" is not a number`;
            case 'dateTime':
                return dateTimePattern.test(value) ? undefined : `"${value}" is not an ISO 8601 date or date-time`;
            default:
                return undefined;
        }
    }
}
