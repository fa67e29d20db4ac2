import type { Logger } from 'pino';

declare global {
    namespace Express {
        interface Request {
            /** Correlates log lines and error reports; echoed as `X-Request-Id`. */
            id: string;
            log: Logger;
        }
    }
}
