import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';

export interface RunningServer {
    url: string;
    port: number;
    server: Server;
    close(): Promise<void>;
}

/** Starts an Express app on 127.0.0.1 (port 0 = ephemeral) and resolves once it accepts connections. */
export async function listen(app: Express, port = 0, host = '127.0.0.1'): Promise<RunningServer> {
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return {
        url: `http://${host}:${address.port}`,
        port: address.port,
        server,
        close: () =>
            new Promise<void>((resolve, reject) => {
                server.closeAllConnections();
                server.close((err) => (err ? reject(err) : resolve()));
            })
    };
}
