/** The error a deadline rejects with; callers tell timeouts apart from the work's own failures by it. */
export class DeadlineExceededError extends Error {
    constructor(readonly timeoutMs: number) {
        super(`no answer within ${timeoutMs} ms`);
        this.name = 'DeadlineExceededError';
    }
}

/**
 * Runs `work` with an AbortSignal that fires after `timeoutMs`. Work that ignores the signal still
 * loses the race, so a hung dependency can never hold the caller past its deadline.
 */
export async function withDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
            const error = new DeadlineExceededError(timeoutMs);
            controller.abort(error);
            reject(error);
        }, timeoutMs);
    });
    try {
        return await Promise.race([work(controller.signal), deadline]);
    } finally {
        clearTimeout(timer);
    }
}
