/// <reference lib="dom" />
/** The dashboard shell: navigation, the sync status line, and hash routing between pages. */
import type { StatusView } from '../../ops/views';
import { getJson } from './api';
import { h, replaceChildren } from './dom';
import { formatDateTime, formatDuration, formatNumber, plural } from './format';
import { renderConflicts } from './pages/conflicts';
import { renderDeadLetters } from './pages/dead-letters';
import { renderHealth } from './pages/health';
import { renderMappings } from './pages/mappings';
import { renderRecords } from './pages/records';
import { renderRuns } from './pages/runs';
import { renderTimeline } from './pages/timeline';
import { renderUsage } from './pages/usage';
import { describeError, onStatusChanged } from './ui';

interface Page {
    path: string;
    title: string;
    render(main: HTMLElement, params: URLSearchParams): void;
    /** What waits for the operator on this page; shown as a badge on its link when above zero. */
    count?: (status: StatusView) => number | null;
}

const pages: Page[] = [
    { path: 'health', title: 'Sync health', render: renderHealth },
    { path: 'usage', title: 'API usage', render: renderUsage },
    { path: 'runs', title: 'Runs', render: renderRuns },
    { path: 'conflicts', title: 'Conflicts', render: renderConflicts },
    {
        path: 'dead-letters',
        title: 'Dead letters',
        render: renderDeadLetters,
        count: (status) => status.deadLetters
    },
    { path: 'mappings', title: 'Mappings', render: renderMappings },
    { path: 'records', title: 'Record lookup', render: renderRecords },
    { path: 'timeline', title: 'Timeline preview', render: renderTimeline }
];

function route(): { page: Page; params: URLSearchParams } {
    const [path = '', search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
    return { page: pages.find((page) => page.path === path) ?? pages[0]!, params: new URLSearchParams(search) };
}

interface NavLink {
    page: Page;
    link: HTMLAnchorElement;
    count: HTMLElement;
}

function navLink(page: Page): NavLink {
    const count = h('span', { class: 'badge danger nav-count', hidden: true });
    return { page, link: h('a', { href: `#/${page.path}` }, page.title, count), count };
}

function showCounts(links: NavLink[], status: StatusView): void {
    for (const { page, link, count } of links) {
        const value = page.count?.(status) ?? 0;
        count.hidden = value === 0;
        count.textContent = value === 0 ? '' : formatNumber(value);
        if (value === 0) link.removeAttribute('aria-label');
        else link.setAttribute('aria-label', `${page.title}, ${formatNumber(value)} waiting`);
    }
}

async function showStatus(target: HTMLElement, links: NavLink[]): Promise<void> {
    try {
        const status = await getJson<StatusView>('/status');
        showCounts(links, status);
        const parts = [
            status.environment === 'sandbox' ? 'Sandbox mode' : 'Connected to live orgs',
            status.currentRun
                ? `run #${status.currentRun.id} in progress (${formatDuration(status.currentRun.durationSeconds)})`
                : status.lastRun
                  ? `last run #${status.lastRun.id} ${status.lastRun.status} ${formatDateTime(status.lastRun.endedAt)}`
                  : 'no runs yet',
            status.nextRunAt ? `next run ${formatDateTime(status.nextRunAt)}` : 'no run scheduled',
            `${plural(status.queueDepth, 'record')} queued`,
            status.deadLetters ? plural(status.deadLetters, 'dead letter') : null
        ].filter((part) => part !== null);
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
    const links = pages.map(navLink);
    const status = h('p', { class: 'status-line', role: 'status' }, 'Loading sync status…');
    const main = h('main', { id: 'main', tabindex: -1 });
    replaceChildren(
        root,
        h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
        h(
            'header',
            { class: 'top' },
            h('p', { class: 'brand' }, 'HubSpot ⇄ Salesforce bridge'),
            h('nav', { 'aria-label': 'Dashboard' }, h('ul', {}, ...links.map(({ link }) => h('li', {}, link)))),
            status
        ),
        main
    );
    const show = () => {
        const { page, params } = route();
        document.title = `${page.title} · HubSpot ⇄ Salesforce bridge`;
        for (const link of links) {
            if (link.page === page) link.link.setAttribute('aria-current', 'page');
            else link.link.removeAttribute('aria-current');
        }
        page.render(main, params);
        void showStatus(status, links);
    };
    onStatusChanged(() => void showStatus(status, links));
    // The skip link targets #main; it must not count as navigation.
    window.addEventListener('hashchange', () => {
        if (window.location.hash === '#main') main.focus();
        else show();
    });
    show();
}

start();
