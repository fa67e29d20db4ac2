import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

/**
 * Faults an operator or a test can inject per route. Each sandbox renders the HTTP body of a
 * status fault in its own API's error format (see `FaultRenderer`).
 */
export const FaultRule = z.strictObject({
    /** HTTP method to match, or `*`. */
    method: z.string().default('*'),
    /** Regular expression source matched against the request path (without query string). */
    path: z.string().min(1),
    kind: z.enum(['status', 'delay', 'timeout', 'reset', 'expired-session', 'partial']),
    /** For `status`: the HTTP status to answer (429, 500, 503, ...). */
    status: z.number().int().min(400).max(599).optional(),
    /** For `status` 429: seconds to put in `Retry-After`. */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** For `delay`: added latency in milliseconds before the real handler runs. */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** For `partial`: share of batch items (0..1) that fail; the sandbox decides which, deterministically. */
    failureRate: z.number().min(0).max(1).optional(),
    /** How many matching requests the rule applies to; absent means until cleared. */
    times: z.number().int().positive().optional(),
    /** Probability (0..1) that a matching request is affected; 1 by default. */
    probability: z.number().min(0).max(1).default(1)
});
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultRuleInput = z.input<typeof FaultRule>;

export interface ActiveFault {
    id: number;
    rule: FaultRule;
    remaining: number | undefined;
    hits: number;
}

/** How a sandbox answers a fault in its own wire format. */
export interface FaultRenderer {
    status(res: Response, status: number, rule: FaultRule): void;
    expiredSession(res: Response): void;
}

/** A seedable PRNG (mulberry32) so fault sequences and seeded datasets are reproducible. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export class FaultInjector {
    private readonly faults: ActiveFault[] = [];
    private nextId = 1;
    private random: () => number;
    /** Latency added to every API request (benchmarks use 50 ms), on top of any delay rule. */
    baseLatencyMs = 0;

    constructor(seed = 42) {
        this.random = seededRandom(seed);
    }

    add(input: FaultRuleInput): ActiveFault {
        const rule = FaultRule.parse(input);
        new RegExp(rule.path); // fail early on a bad pattern
        const fault: ActiveFault = { id: this.nextId++, rule, remaining: rule.times, hits: 0 };
        this.faults.push(fault);
        return fault;
    }

    clear(id?: number): void {
        if (id === undefined) this.faults.length = 0;
        else this.faults.splice(0, this.faults.length, ...this.faults.filter((f) => f.id !== id));
    }

    list(): ActiveFault[] {
        return this.faults.map((f) => ({ ...f }));
    }

    reseed(seed: number): void {
        this.random = seededRandom(seed);
    }

    /** The first active rule matching this request that fires (consumes one use). */
    take(method: string, path: string, kinds?: FaultRule['kind'][]): FaultRule | undefined {
        for (const fault of this.faults) {
            const { rule } = fault;
            if (kinds && !kinds.includes(rule.kind)) continue;
            if (rule.method !== '*' && rule.method.toUpperCase() !== method.toUpperCase()) continue;
            if (!new RegExp(rule.path).test(path)) continue;
            if (fault.remaining === 0) continue;
            if (rule.probability < 1 && this.random() >= rule.probability) continue;
            fault.hits++;
            if (fault.remaining !== undefined) fault.remaining--;
            return rule;
        }
        return undefined;
    }

    /** Deterministic choice for `partial` faults: should item `index` of a batch fail? */
    failsItem(rule: FaultRule, index: number): boolean {
        const rate = rule.failureRate ?? 0.5;
        return ((index * 2654435761) >>> 0) / 4294967296 < rate;
    }

    /**
     * Middleware applying latency and the request-level faults. `partial` rules are left for the
     * batch handlers, which call `take(method, path, ['partial'])` themselves.
     */
    middleware(renderer: FaultRenderer, isApiRequest: (req: Request) => boolean): RequestHandler {
        return (req, res, next) => {
            if (!isApiRequest(req)) return next();
            const rule = this.take(req.method, req.path, ['status', 'delay', 'timeout', 'reset', 'expired-session']);
            const proceed = () => {
                if (!rule || rule.kind === 'delay') return next();
                switch (rule.kind) {
                    case 'status':
                        return renderer.status(res, rule.status ?? 503, rule);
                    case 'expired-session':
                        return renderer.expiredSession(res);
                    case 'reset':
                        // A TCP RST (ECONNRESET on the client), as a real connection reset looks;
                        // a plain destroy() would close gracefully instead.
                        req.socket.resetAndDestroy();
                        return;
                    case 'timeout':
                        // Never answer; the client's own timeout (or the socket close) ends it.
                        req.socket.setTimeout(0);
                        return;
                }
            };
            const wait = this.baseLatencyMs + (rule?.kind === 'delay' ? (rule.delayMs ?? 0) : 0);
            if (wait > 0) setTimeout(proceed, wait);
            else proceed();
        };
    }
}
