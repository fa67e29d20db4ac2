/**
 * Email normalisation for matching: the one rule every identity decision uses.
 */

/** Deliberately loose: one @, something on both sides, a dot in the domain, no spaces. */
const plausibleEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed and lower-cased, or undefined when blank or not an email (such records never match). */
export function normaliseEmail(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    const email = value.trim().toLowerCase();
    return plausibleEmail.test(email) ? email : undefined;
}
