import { DeadlineExceededError, withDeadline } from '../timeline/deadline';

/** One dependency the relay needs to do its work (state database, Salesforce, HubSpot). Throws when unusable. */
export interface ReadinessCheck {
    name: string;
    check(signal: AbortSignal): Promise<void>;
}

export type CheckReport =
    { status: 'ok'; durationMs: number } | { status: 'error'; durationMs: number; message: string };

export interface ReadinessReport {
    status: 'ready' | 'unready';
    checks: Record<string, CheckReport>;
}

const MAX_MESSAGE_LENGTH = 200;

/** Runs every check in parallel, each under its own deadline. */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessReport> {
    const reports = await Promise.all(
        checks.map(async (check): Promise<[string, CheckReport]> => {
            const started = performance.now();
            const durationMs = () => Math.round(performance.now() - started);
            try {
                await withDeadline(timeoutMs, (signal) => check.check(signal));
                return [check.name, { status: 'ok', durationMs: durationMs() }];
            } catch (error) {
                const message =
                    error instanceof DeadlineExceededError
                        ? `did not answer within ${timeoutMs} ms`
                        : error instanceof Error
                          ? error.message
                          : String(error);
                return [
                    check.name,
                    { status: 'error', durationMs: durationMs(), message: message.slice(0, MAX_MESSAGE_LENGTH) }
                ];
            }
        })
    );
    return {
        status: reports.every(([, report]) => report.status === 'ok') ? 'ready' : 'unready',
        checks: Object.fromEntries(reports)
    };
}
