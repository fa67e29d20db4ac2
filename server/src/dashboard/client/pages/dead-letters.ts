/// <reference lib="dom" />
/** Dead letters: fast-path work that used every retry, why it failed, and replay of one or all of it. */
import type { DeadLetterView, DeadLettersView } from '../../../ops/views';
import { ApiError, getJson, postJson, query } from '../api';
import { type DeadLetterWork, describeDeadLetterWork } from '../dead-letter-work';
import { h, replaceChildren, table } from '../dom';
import { formatDateTime, formatNumber, plural } from '../format';
import { act, announceStatusChanged, badge, describeError, empty, liveRegion, load, pager } from '../ui';

const PAGE_SIZE = 50;

type ReplayRequest = { ids: number[] } | { all: true };

/** The relay mounts the dead-letter API only with a work queue; without one the route answers 404. */
async function fetchDeadLetters(offset: number): Promise<DeadLettersView | null> {
    try {
        const page = await getJson<DeadLettersView>(
            `/dead-letters${query({ order: 'newest', limit: PAGE_SIZE, offset })}`
        );
        // A replay can empty the last page; show the page before it instead of nothing.
        if (page.items.length === 0 && page.total > 0 && offset > 0) {
            return fetchDeadLetters(Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
        }
        return page;
    } catch (error) {
        if (error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND') return null;
        throw error;
    }
}

function recordCell(work: DeadLetterWork): Node {
    return work.lookupHash
        ? h('a', { class: 'nowrap', href: work.lookupHash }, work.label)
        : h('span', { class: 'nowrap' }, work.label);
}

function workCell(letter: DeadLetterView, work: DeadLetterWork): Node {
    return h(
        'span',
        { class: 'stack' },
        work.kind,
        h('br'),
        h('span', { class: 'detail' }, `${letter.reason} · queued ${formatDateTime(letter.enqueuedAt)}`)
    );
}

export function renderDeadLetters(main: HTMLElement): void {
    const region = liveRegion();
    // A replayed row disappears with the button that was pressed; the outcome then takes the focus.
    region.setAttribute('tabindex', '-1');
    const body = h('div');
    let offset = 0;

    const show = (at: number) => load(body, 'dead letters', () => fetchDeadLetters(at), render);

    const replay = async (button: HTMLButtonElement, request: ReplayRequest) => {
        await act(button, region, async () => {
            let replayed: number;
            try {
                ({ replayed } = await postJson<{ replayed: number }>('/dead-letters/replay', request));
            } catch (error) {
                const gone = error instanceof ApiError && error.status === 404;
                if (gone) {
                    await show(offset);
                    announceStatusChanged();
                }
                throw new Error(
                    `Nothing was replayed: ${describeError(error)} ` +
                        (gone
                            ? 'It was replayed or synced meanwhile; the list now shows the current dead letters.'
                            : 'The dead letters are unchanged; try again.')
                );
            }
            await show(offset);
            announceStatusChanged();
            return `${plural(replayed, 'dead letter')} back in the queue; the fast path syncs ${replayed === 1 ? 'it' : 'them'} within seconds.`;
        });
        if (!button.isConnected) region.focus();
    };

    function render(page: DeadLettersView | null) {
        if (page === null) {
            return empty('This relay runs without the fast path’s work queue, so there are no dead letters.');
        }
        offset = page.offset;
        if (page.total === 0) return empty('No dead letters. Every change the fast path received was synced.');
        const replayAll = h('button', { type: 'button', class: 'primary' }, `Replay all (${formatNumber(page.total)})`);
        replayAll.addEventListener('click', () => void replay(replayAll, { all: true }));
        const rows = page.items.map((letter) => {
            const work = describeDeadLetterWork(letter.stream, letter.recordKey);
            const button = h('button', { type: 'button', 'aria-label': `Replay ${work.label}` }, 'Replay');
            button.addEventListener('click', () => void replay(button, { ids: [letter.id] }));
            return [
                recordCell(work),
                workCell(letter, work),
                badge(formatNumber(letter.attempts), 'danger'),
                h('span', { class: 'message' }, letter.lastError ?? 'No error was recorded.'),
                h('span', { class: 'nowrap' }, formatDateTime(letter.deadAt)),
                button
            ];
        });
        return [
            h(
                'p',
                { class: 'lead' },
                `${plural(page.total, 'dead letter')}. The next scheduled sync that completes covers their records and clears them; replay syncs them now.`
            ),
            h('div', { class: 'toolbar' }, replayAll),
            table('Dead letters, newest first', ['Record', 'Work', 'Attempts', 'Last error', 'Died', 'Action'], rows, {
                class: 'dead-letters-table'
            }),
            pager(page, (next) => void show(next))
        ];
    }

    replaceChildren(
        main,
        h('h1', {}, 'Dead letters'),
        h(
            'p',
            { class: 'lead' },
            'Changes from Salesforce Change Data Capture and HubSpot webhooks that failed on every attempt. ',
            'A replay puts them back in the queue with their attempts reset; syncs are idempotent, so a replay ',
            'never duplicates a record or an activity. The CLI does the same: ',
            h('code', {}, 'npm run cli -- replay all'),
            '.'
        ),
        region,
        body
    );
    void show(0);
}
