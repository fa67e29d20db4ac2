/**
 * Forks a TypeScript module of this folder with the parent's tsx loader and talks to it over IPC, one
 * request at a time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ForkedChild<Answer> {
    readonly process: ChildProcess;
    /** The next message the child sends; rejects when the child exits first. */
    next(): Promise<Answer>;
    send(message: unknown): void;
    close(): void;
}

/**
 * The child inherits the loader flags but none of the parent's `--max-…` V8 flags: a heap cap is each
 * process's own business, given in `v8Flags`.
 */
export function forkSupportModule<Answer>(file: string, options: { v8Flags?: string[] } = {}): ForkedChild<Answer> {
    const execArgv = [...process.execArgv.filter((flag) => !flag.startsWith('--max-')), ...(options.v8Flags ?? [])];
    const child = fork(join(__dirname, file), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // How the child ended, once it has: an exit code, or the signal that killed it (SIGABRT when V8 runs out of heap).
    let ended: string | undefined;
    const describeEnd = (code: number | null, signal: NodeJS.Signals | null) =>
        signal ? `${file} was killed by ${signal}` : `${file} exited with code ${code}`;
    child.once('exit', (code, signal) => {
        ended = describeEnd(code, signal);
    });
    return {
        process: child,
        next: () =>
            new Promise<Answer>((resolve, reject) => {
                if (ended !== undefined) {
                    reject(new Error(ended));
                    return;
                }
                const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
                    child.off('message', onMessage);
                    reject(new Error(describeEnd(code, signal)));
                };
                const onMessage = (message: Answer) => {
                    child.off('exit', onExit);
                    resolve(message);
                };
                child.once('exit', onExit);
                child.once('message', onMessage);
            }),
        send: (message) => child.send(message as object),
        close: () => {
            if (child.connected) child.disconnect();
        }
    };
}
