/// <reference lib="dom" />
/**
 * The only way the dashboard builds markup: elements and text nodes, never HTML strings, so data from
 * the CRMs (names, error messages, field values) is always shown as text.
 */
export type Child = Node | string | number | null | undefined | false;
type Listener = (event: Event) => void;
export type Attributes = Record<string, string | number | boolean | null | undefined | Listener>;

function append(parent: Node, children: Child[]): void {
    for (const child of children) {
        if (child === null || child === undefined || child === false) continue;
        parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
}

function applyAttributes(element: Element, attributes: Attributes): void {
    for (const [name, value] of Object.entries(attributes)) {
        if (value === null || value === undefined || value === false) continue;
        if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
        else element.setAttribute(name, value === true ? '' : String(value));
    }
}

/** `h('button', { class: 'primary', onClick: run }, 'Run now')`; `on…` attributes become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes: Attributes = {},
    ...children: Child[]
): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    applyAttributes(element, attributes);
    append(element, children);
    return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s<K extends keyof SVGElementTagNameMap>(
    tag: K,
    attributes: Attributes = {},
    ...children: Child[]
): SVGElementTagNameMap[K] {
    const element = document.createElementNS(SVG_NS, tag);
    applyAttributes(element, attributes);
    append(element, children);
    return element;
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
    parent.replaceChildren();
    append(parent, children);
}

/** A table with a caption and column headers; rows are lists of cells. */
export function table(caption: string, headers: Child[], rows: Child[][], attributes: Attributes = {}): HTMLElement {
    return h(
        'div',
        { class: 'table-wrap' },
        h(
            'table',
            attributes,
            h('caption', {}, caption),
            h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
            h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell)))))
        )
    );
}
