/**
 * Sandbox time. Real time plus an offset the tests can move, so that session expiry, CDC retention,
 * rate-limit windows and "last modified" timestamps can be exercised without waiting.
 */
export class SandboxClock {
    private offsetMs = 0;

    now(): number {
        return Date.now() + this.offsetMs;
    }

    date(): Date {
        return new Date(this.now());
    }

    advance(ms: number): void {
        if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the sandbox clock only moves forward');
        this.offsetMs += ms;
    }

    /** Jump to an absolute instant (only forward). */
    set(epochMs: number): void {
        this.advance(Math.max(0, epochMs - this.now()));
    }
}
