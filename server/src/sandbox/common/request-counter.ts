import type { RequestHandler } from 'express';

/**
 * Counts API requests per endpoint (method + route template, e.g. `PATCH /composite/sobjects`).
 * Benchmarks read API-call efficiency from these counts; control routes are never counted.
 */
export class RequestCounter {
    private readonly counts = new Map<string, number>();

    record(endpoint: string): void {
        this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
    }

    snapshot(): { total: number; byEndpoint: Record<string, number> } {
        const byEndpoint = Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
        const total = [...this.counts.values()].reduce((sum, n) => sum + n, 0);
        return { total, byEndpoint };
    }

    reset(): void {
        this.counts.clear();
    }

    /**
     * Middleware that counts a request once its route is known. `classify` maps a request to its
     * endpoint name; returning undefined leaves it uncounted.
     */
    middleware(classify: (method: string, path: string) => string | undefined): RequestHandler {
        return (req, _res, next) => {
            const endpoint = classify(req.method, req.path);
            if (endpoint !== undefined) this.record(endpoint);
            next();
        };
    }
}
