/// <reference lib="dom" />
/** The dashboard shell: navigation, the sync status line, and hash routing between pages. */
import type { StatusView } from '../../ops/views';
import { getJson } from './api';
import { h, replaceChildren } from './dom';
import { formatDateTime, formatDuration, plural } from './format';
import { renderConflicts } from './pages/conflicts';
import { renderHealth } from './pages/health';
import { renderMappings } from './pages/mappings';
import { renderRecords } from './pages/records';
import { renderRuns } from './pages/runs';
import { renderTimeline } from './pages/timeline';
import { renderUsage } from './pages/usage';
import { describeError } from './ui';

interface Page {
    path: string;
    title: string;
    render(main: HTMLElement, params: URLSearchParams): void;
}

const pages: Page[] = [
    { path: 'health', title: 'Sync health', render: renderHealth },
    { path: 'usage', title: 'API usage', render: renderUsage },
    { path: 'runs', title: 'Runs', render: renderRuns },
    { path: 'conflicts', title: 'Conflicts', render: renderConflicts },
    { path: 'mappings', title: 'Mappings', render: renderMappings },
    { path: 'records', title: 'Record lookup', render: renderRecords },
    { path: 'timeline', title: 'Timeline preview', render: renderTimeline }
];

function route(): { page: Page; params: URLSearchParams } {
    const [path = '', search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
    return { page: pages.find((page) => page.path === path) ?? pages[0]!, params: new URLSearchParams(search) };
}

async function showStatus(target: HTMLElement): Promise<void> {
    try {
        const status = await getJson<StatusView>('/status');
        const parts = [
            status.environment === 'sandbox' ? 'Sandbox mode' : 'Connected to live orgs',
            status.currentRun
                ? `run #${status.currentRun.id} in progress (${formatDuration(status.currentRun.durationSeconds)})`
                : status.lastRun
                  ? `last run #${status.lastRun.id} ${status.lastRun.status} ${formatDateTime(status.lastRun.endedAt)}`
                  : 'no runs yet',
            status.nextRunAt ? `next run ${formatDateTime(status.nextRunAt)}` : 'no run scheduled',
            `${plural(status.queueDepth, 'record')} queued`
        ];
        target.textContent = parts.join(' · ');
        target.classList.remove('error');
    } catch (error) {
        target.textContent = `Sync status unavailable: ${describeError(error)}`;
        target.classList.add('error');
    }
}

function start(): void {
    const root = document.getElementById('app');
    if (!root) return;
    const links = pages.map((page) => h('a', { href: `#/${page.path}` }, page.title));
    const status = h('p', { class: 'status-line', role: 'status' }, 'Loading sync status…');
    const main = h('main', { id: 'main', tabindex: -1 });
    replaceChildren(
        root,
        h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
        h(
            'header',
            { class: 'top' },
            h('p', { class: 'brand' }, 'HubSpot ⇄ Salesforce bridge'),
            h('nav', { 'aria-label': 'Dashboard' }, h('ul', {}, ...links.map((link) => h('li', {}, link)))),
            status
        ),
        main
    );
    const show = () => {
        const { page, params } = route();
        document.title = `${page.title} · HubSpot ⇄ Salesforce bridge`;
        links.forEach((link, index) => {
            if (pages[index] === page) link.setAttribute('aria-current', 'page');
            else link.removeAttribute('aria-current');
        });
        page.render(main, params);
        void showStatus(status);
    };
    // The skip link targets #main; it must not count as navigation.
    window.addEventListener('hashchange', () => {
        if (window.location.hash === '#main') main.focus();
        else show();
    });
    show();
}

start();
