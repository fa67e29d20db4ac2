import { createHash } from 'node:crypto';

/** A weak validator from the serialized body: equal bodies, equal tags. */
export function weakEtag(body: string): string {
    return `W/"${createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
    if (!header) return false;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
