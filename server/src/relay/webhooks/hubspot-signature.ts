/**
 * HubSpot request signatures, version 3:
 *   X-HubSpot-Signature-v3 = base64(HMAC-SHA256(clientSecret, method + uri + rawBody + timestamp))
 * where uri is the full URL HubSpot called and timestamp is X-HubSpot-Request-Timestamp (epoch ms).
 * Requests older or newer than five minutes are refused so a captured request cannot be replayed.
 */
import { createHmac } from 'node:crypto';
import { secretsEqual } from '../middleware/auth';

export const MAX_TIMESTAMP_SKEW_MS = 5 * 60 * 1000;

// HubSpot signs the URI with these percent-encodings decoded; decoding only them keeps everything else verbatim.
const decodedInSignature: Record<string, string> = {
    '%3A': ':',
    '%2F': '/',
    '%3F': '?',
    '%40': '@',
    '%21': '!',
    '%24': '$',
    '%27': "'",
    '%28': '(',
    '%29': ')',
    '%2A': '*',
    '%2C': ',',
    '%3B': ';'
};

export function normaliseSignedUri(uri: string): string {
    return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (match) => decodedInSignature[match.toUpperCase()]!);
}

export interface SignedRequest {
    method: string;
    uri: string;
    rawBody: Buffer;
    timestamp: string;
}

export function signV3(secret: string, request: SignedRequest): string {
    return createHmac('sha256', secret)
        .update(`${request.method.toUpperCase()}${normaliseSignedUri(request.uri)}`, 'utf8')
        .update(request.rawBody)
        .update(request.timestamp, 'utf8')
        .digest('base64');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyV3(
    secret: string,
    request: SignedRequest & { signature: string | undefined },
    nowMs: number
): SignatureCheck {
    if (!request.signature) return { ok: false, reason: 'The X-HubSpot-Signature-v3 header is missing.' };
    if (!request.timestamp) return { ok: false, reason: 'The X-HubSpot-Request-Timestamp header is missing.' };
    if (!/^[0-9]{1,16}$/.test(request.timestamp)) {
        return { ok: false, reason: 'X-HubSpot-Request-Timestamp must be milliseconds since the epoch.' };
    }
    if (Math.abs(nowMs - Number(request.timestamp)) > MAX_TIMESTAMP_SKEW_MS) {
        return { ok: false, reason: 'X-HubSpot-Request-Timestamp is more than 5 minutes away from now.' };
    }
    if (!secretsEqual(request.signature, signV3(secret, request))) {
        return { ok: false, reason: 'The webhook signature does not match.' };
    }
    return { ok: true };
}
