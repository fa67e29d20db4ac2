import type { Logger } from 'pino';

/** The part of the relay's pino logger the fast path writes to. */
export type FastPathLogger = Pick<Logger, 'info' | 'warn' | 'error'>;
