/**
 * Salesforce record IDs: a 3-character key prefix naming the object, 12 characters of case-sensitive
 * base-62, then a 3-character suffix that makes the 18-character form unique case-insensitively.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{18}$/;

/** The case-insensitivity suffix: for each 5-character chunk, bit i is set when char i is upper case. */
export function checksumSuffix(id15: string): string {
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const c = id15.charCodeAt(chunk * 5 + i);
            if (c >= 65 && c <= 90) bits |= 1 << i;
        }
        suffix += SUFFIX_ALPHABET[bits];
    }
    return suffix;
}

/**
 * Normalises a 15- or 18-character ID to its 18-character form, or returns undefined when the text is
 * not an ID (wrong length, bad characters, or an 18-character ID whose suffix does not match).
 */
export function toId18(text: string): string | undefined {
    if (ID_15.test(text)) return text + checksumSuffix(text);
    if (!ID_18.test(text)) return undefined;
    const head = text.slice(0, 15);
    return checksumSuffix(head) === text.slice(15).toUpperCase() ? head + checksumSuffix(head) : undefined;
}

export function keyPrefixOf(id: string): string {
    return id.slice(0, 3);
}

/** Two fixed characters after the key prefix stand for the pod/instance, as in real IDs. */
const INSTANCE = '5g';

export function buildId(keyPrefix: string, sequence: number): string {
    let body = '';
    let n = sequence;
    for (let i = 0; i < 10; i++) {
        body = BASE62[n % 62] + body;
        n = Math.floor(n / 62);
    }
    const id15 = keyPrefix + INSTANCE + body;
    return id15 + checksumSuffix(id15);
}

/** Allocates IDs; the sequence is shared by all objects so IDs sort in creation order. */
export class IdAllocator {
    constructor(private sequence = 0) {}

    next(keyPrefix: string): string {
        this.sequence += 1;
        return buildId(keyPrefix, this.sequence);
    }

    get current(): number {
        return this.sequence;
    }

    /** Moves the sequence forward (used when loading a persisted store). */
    ensureAtLeast(sequence: number): void {
        if (sequence > this.sequence) this.sequence = sequence;
    }
}

/** Inverse of `buildId` for the sequence part, so a persisted store can resume its counter. */
export function sequenceOf(id: string): number {
    let n = 0;
    for (const ch of id.slice(5, 15)) n = n * 62 + BASE62.indexOf(ch);
    return n;
}
