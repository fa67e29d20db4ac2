/// <reference lib="dom" />
/** Calls to the operator API; the browser sends the Basic login it already holds (same origin). */
export const API_BASE = '/ops/api';

export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string
    ) {
        super(message);
        this.name = 'ApiError';
    }
}

async function request<T>(path: string, init: RequestInit): Promise<T> {
    const response = await fetch(`${API_BASE}${path}`, {
        ...init,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) }
    });
    const text = await response.text();
    let body: unknown = null;
    try {
        body = text ? JSON.parse(text) : null;
    } catch {
        throw new ApiError(response.status, 'BAD_RESPONSE', `The relay answered ${response.status} without JSON.`);
    }
    if (!response.ok) {
        const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
        throw new ApiError(
            response.status,
            error?.code ?? 'HTTP_ERROR',
            error?.message ?? `The relay answered ${response.status}.`
        );
    }
    return body as T;
}

export function getJson<T>(path: string): Promise<T> {
    return request<T>(path, { method: 'GET' });
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
    return request<T>(path, { method: 'POST', body: JSON.stringify(body) });
}

export function query(params: Record<string, string | number | undefined>): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params))
        if (value !== undefined && value !== '') search.set(name, String(value));
    const text = search.toString();
    return text ? `?${text}` : '';
}
