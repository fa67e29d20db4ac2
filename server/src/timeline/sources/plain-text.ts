/**
 * Engagement bodies arrive as HTML (emails, notes, meetings). The component shows plain text, so tags
 * are dropped, block ends become line breaks, script/style/comments vanish with their content and
 * entities are decoded once. A single left-to-right scan: no regular expression backtracks over input.
 */

const BLOCK_TAGS = new Set([
    'address',
    'article',
    'blockquote',
    'br',
    'div',
    'dl',
    'dt',
    'dd',
    'footer',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'header',
    'hr',
    'li',
    'ol',
    'p',
    'pre',
    'section',
    'table',
    'tr',
    'ul'
]);
const MAX_ENTITY_LENGTH = 10;
const SKIPPED_CONTENT = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

const NAMED_ENTITIES: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: ' ',
    ndash: '–',
    mdash: '—',
    hellip: '…',
    rsquo: '’',
    lsquo: '‘',
    rdquo: '”',
    ldquo: '“',
    copy: '©',
    reg: '®',
    trade: '™',
    euro: '€',
    bull: '•'
};

function decodeEntity(entity: string): string | undefined {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return codePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return codePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity.toLowerCase()];
}

function codePoint(value: number): string | undefined {
    if (!Number.isInteger(value) || value <= 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
        return undefined;
    }
    return String.fromCodePoint(value);
}

function decodeEntities(text: string): string {
    let out = '';
    let index = 0;
    while (index < text.length) {
        const amp = text.indexOf('&', index);
        if (amp === -1) {
            out += text.slice(index);
            break;
        }
        out += text.slice(index, amp);
        // Entities are short: look for the `;` within a few characters only, so `&&&&…` stays linear.
        const end = text.slice(amp + 1, amp + 1 + MAX_ENTITY_LENGTH).indexOf(';');
        const decoded = end === -1 ? undefined : decodeEntity(text.slice(amp + 1, amp + 1 + end));
        if (decoded === undefined) {
            out += '&';
            index = amp + 1;
        } else {
            out += decoded;
            index = amp + end + 2;
        }
    }
    return out;
}

/** Lower-case name of a start or end tag (`b` of `<b class=x>` or `</b>`). */
function tagName(tag: string): string {
    const start = tag.startsWith('/') ? 1 : 0;
    let end = start;
    while (end < tag.length && /[A-Za-z0-9]/.test(tag[end]!)) end++;
    return tag.slice(start, end).toLowerCase();
}

/** As in HTML, `<` opens markup only before a letter, `/letter`, `!` or `?`; otherwise it is text. */
function opensMarkup(html: string, at: number): boolean {
    const next = html[at + 1] ?? '';
    if (/[A-Za-z!?]/.test(next)) return true;
    return next === '/' && /[A-Za-z]/.test(html[at + 2] ?? '');
}

/** Plain text of an HTML fragment: tags out, blocks as line breaks, entities decoded, whitespace tidied. */
export function htmlToPlainText(html: string): string {
    let out = '';
    let index = 0;
    const lower = html.toLowerCase();
    while (index < html.length) {
        const open = html.indexOf('<', index);
        if (open === -1) {
            out += html.slice(index);
            break;
        }
        out += html.slice(index, open);
        if (html.startsWith('<!--', open)) {
            const close = html.indexOf('-->', open + 4);
            index = close === -1 ? html.length : close + 3;
            continue;
        }
        if (!opensMarkup(html, open)) {
            out += '<';
            index = open + 1;
            continue;
        }
        const close = html.indexOf('>', open + 1);
        if (close === -1) {
            // No `>` anywhere after: the rest is text, not an endless run of tag starts.
            out += html.slice(open);
            break;
        }
        const tag = html.slice(open + 1, close);
        const name = tagName(tag);
        if (!tag.startsWith('/') && SKIPPED_CONTENT.has(name)) {
            const end = lower.indexOf(`</${name}`, close + 1);
            const endClose = end === -1 ? -1 : html.indexOf('>', end);
            index = endClose === -1 ? html.length : endClose + 1;
            continue;
        }
        if (BLOCK_TAGS.has(name)) out += '\n';
        else if (name === 'td' || name === 'th') out += ' ';
        index = close + 1;
    }
    return tidyWhitespace(decodeEntities(out));
}

function tidyWhitespace(text: string): string {
    return text
        .split('\n')
        .map((line) => line.replace(/[ \t\f\v\r\u00a0]+/g, ' ').trim())
        .filter((line) => line !== '')
        .join('\n')
        .trim();
}

/** Plain text for the timeline: HTML stripped, cut at `maxLength` characters with an ellipsis; null when empty. */
export function timelineBody(value: string | null | undefined, maxLength = 1000): string | null {
    if (!value) return null;
    const text = htmlToPlainText(value);
    if (!text) return null;
    return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
