/**
 * Parses a metadata XML document into a small element tree that keeps each element's line and column,
 * so every check can point at the exact place of a problem. Comments and processing instructions are
 * dropped; text is kept per element.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
    readonly name: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly children: readonly XmlElement[];
    /** The element's own text (entities decoded), without its children's. */
    readonly text: string;
    readonly line: number;
    /** 1-based column of the element's `<`. */
    readonly column: number;
}

export type XmlParseResult =
    | { readonly wellFormed: true; readonly roots: readonly XmlElement[] }
    | { readonly wellFormed: false; readonly line: number; readonly column: number; readonly message: string };

const ATTRIBUTE_PREFIX = '@_';
const ATTRIBUTES_KEY = ':@';
const TEXT_KEY = '#text';
const COMMENT_KEY = '#comment';

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    commentPropName: COMMENT_KEY,
    captureMetaData: true
});
const metadataSymbol = XMLParser.getMetaDataSymbol() as unknown as string;

class LineIndex {
    private readonly lineStarts: number[] = [0];

    constructor(text: string) {
        for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) {
            this.lineStarts.push(index + 1);
        }
    }

    position(offset: number): { line: number; column: number } {
        let low = 0;
        let high = this.lineStarts.length - 1;
        while (low < high) {
            const middle = (low + high + 1) >> 1;
            if (this.lineStarts[middle] <= offset) low = middle;
            else high = middle - 1;
        }
        return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
    }
}

function toElements(nodes: readonly OrderedNode[], lines: LineIndex): XmlElement[] {
    const elements: XmlElement[] = [];
    for (const node of nodes) {
        const name = Object.keys(node).find((key) => key !== ATTRIBUTES_KEY);
        if (name === undefined || name === TEXT_KEY || name === COMMENT_KEY || name.startsWith('?')) continue;
        const attributes: Record<string, string> = {};
        for (const [key, value] of Object.entries((node[ATTRIBUTES_KEY] as Record<string, unknown>) ?? {})) {
            attributes[key.slice(ATTRIBUTE_PREFIX.length)] = String(value);
        }
        const content = node[name] as OrderedNode[];
        const text = content
            .filter((child) => TEXT_KEY in child)
            .map((child) => String(child[TEXT_KEY]))
            .join('');
        const meta = node[metadataSymbol] as { startIndex?: number } | undefined;
        const { line, column } = lines.position(meta?.startIndex ?? 0);
        elements.push({ name, attributes, children: toElements(content, lines), text, line, column });
    }
    return elements;
}

export function parseXml(xml: string): XmlParseResult {
    const validation = XMLValidator.validate(xml);
    if (validation !== true) {
        const { line, col, msg } = validation.err;
        return { wellFormed: false, line, column: col, message: msg };
    }
    return { wellFormed: true, roots: toElements(parser.parse(xml) as OrderedNode[], new LineIndex(xml)) };
}

/** The text of the first child element called `name`, trimmed; undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
    return element.children.find((child) => child.name === name)?.text.trim();
}
