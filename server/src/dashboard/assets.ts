/**
 * The dashboard's three files: the page, the stylesheet, and the script bundled from `client/` with
 * esbuild. Built once (at start-up through `prepare()`, or on the first request) and kept in memory.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface Asset {
    body: string;
    contentType: string;
    etag: string;
}

export interface DashboardAssets {
    page: Asset;
    script: Asset;
    style: Asset;
}

const clientEntry = join(__dirname, 'client', 'main.ts');
const publicDir = join(__dirname, 'public');

function asset(body: string, contentType: string): Asset {
    return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

export async function bundleClient(): Promise<string> {
    const result = await build({
        entryPoints: [clientEntry],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: ['chrome115', 'firefox115', 'safari16'],
        minify: true,
        legalComments: 'none',
        charset: 'utf8',
        logLevel: 'silent'
    });
    return result.outputFiles[0]!.text;
}

async function buildAssets(): Promise<DashboardAssets> {
    const [script, page, style] = await Promise.all([
        bundleClient(),
        readFile(join(publicDir, 'index.html'), 'utf8'),
        readFile(join(publicDir, 'dashboard.css'), 'utf8')
    ]);
    return {
        page: asset(page, 'text/html; charset=utf-8'),
        script: asset(script, 'text/javascript; charset=utf-8'),
        style: asset(style, 'text/css; charset=utf-8')
    };
}

/** One build per process; a failed build is not cached, so the next request tries again. */
export class DashboardAssetCache {
    private pending: Promise<DashboardAssets> | undefined;

    get(): Promise<DashboardAssets> {
        if (!this.pending) {
            this.pending = buildAssets();
            this.pending.catch(() => {
                this.pending = undefined;
            });
        }
        return this.pending;
    }

    /** Builds now so the first visitor does not wait; rejects when the client does not bundle. */
    async prepare(): Promise<void> {
        await this.get();
    }
}
