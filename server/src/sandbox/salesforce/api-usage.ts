import type { SandboxClock } from '../common/clock';

const DAY_MS = 86_400_000;

/** The org's daily API request counter (rolling over at midnight UTC of the sandbox clock). */
export class ApiUsage {
    private used = 0;
    private day: number;

    constructor(
        private readonly clock: SandboxClock,
        readonly max: number
    ) {
        this.day = Math.floor(clock.now() / DAY_MS);
    }

    /** Counts one request; false when the allowance was already spent. */
    consume(): boolean {
        this.rollOver();
        if (this.used >= this.max) return false;
        this.used++;
        return true;
    }

    snapshot(): { used: number; max: number } {
        this.rollOver();
        return { used: this.used, max: this.max };
    }

    set(used: number): void {
        this.rollOver();
        this.used = Math.max(0, Math.min(used, this.max));
    }

    header(): string {
        const { used, max } = this.snapshot();
        return `api-usage=${used}/${max}`;
    }

    private rollOver(): void {
        const today = Math.floor(this.clock.now() / DAY_MS);
        if (today !== this.day) {
            this.day = today;
            this.used = 0;
        }
    }
}
