/// <reference lib="dom" />
/** Sync health: a card per error category, the records behind it, resync and CSV export. */
import type { SyncErrorRecord } from '../../../state/store';
import type { ErrorCategory } from '../../../sync/errors';
import type { ErrorSummaryView, ErrorsView } from '../../../ops/views';
import { API_BASE, getJson, postJson, query } from '../api';
import { h, replaceChildren, table } from '../dom';
import { categoryLabels, formatDateTime, formatNumber, plural } from '../format';
import { Selection, act, empty, liveRegion, load, pager } from '../ui';

const PAGE_SIZE = 25;

export function renderHealth(main: HTMLElement): void {
    let category: ErrorCategory | undefined;
    const cards = h('div', { class: 'cards' });
    const list = h('section', { class: 'panel', 'aria-labelledby': 'errors-heading' });
    const region = liveRegion();

    const showCards = () =>
        load(
            cards,
            'error categories',
            () => getJson<ErrorSummaryView>('/errors/summary'),
            (summary) => [
                h(
                    'p',
                    { class: 'lead' },
                    summary.totalErrors === 0
                        ? 'No open sync errors.'
                        : `${plural(summary.totalErrors, 'open error')} on ${plural(summary.totalRecords, 'record')}.`
                ),
                h(
                    'ul',
                    { class: 'card-grid' },
                    ...summary.categories.map((entry) =>
                        h(
                            'li',
                            {},
                            h(
                                'button',
                                {
                                    type: 'button',
                                    class: `card${entry.errors > 0 ? ' has-errors' : ''}`,
                                    'aria-pressed': String(category === entry.category),
                                    'data-category': entry.category,
                                    onClick: () => {
                                        category = category === entry.category ? undefined : entry.category;
                                        void showCards();
                                        void showList(0);
                                    }
                                },
                                h('span', { class: 'card-title' }, categoryLabels[entry.category]),
                                h('span', { class: 'card-count' }, formatNumber(entry.errors)),
                                h(
                                    'span',
                                    { class: 'card-detail' },
                                    `${plural(entry.errors, 'error')} · ${plural(entry.records, 'record')}`
                                )
                            )
                        )
                    )
                )
            ]
        );

    const showList = (offset: number) =>
        load(
            list,
            'errors',
            () => getJson<ErrorsView>(`/errors${query({ category, limit: PAGE_SIZE, offset })}`),
            (page) => {
                const resync = h('button', { type: 'button', class: 'primary', disabled: true }, 'Resync selected');
                const selection = new Selection<SyncErrorRecord>('Select all records on this page', (selected) => {
                    resync.disabled = selected.length === 0;
                    resync.textContent = selected.length ? `Resync selected (${selected.length})` : 'Resync selected';
                });
                resync.addEventListener('click', () =>
                    act(resync, region, async () => {
                        const records = selection.selected().map((error) => ({
                            salesforceObject: error.salesforceObject!,
                            salesforceId: error.salesforceId!
                        }));
                        const { queued } = await postJson<{ queued: number }>('/resync', { records });
                        return `${plural(queued, 'record')} queued for resync.`;
                    })
                );
                const csv = h(
                    'a',
                    { class: 'button', href: `${API_BASE}/errors.csv${query({ category })}`, download: '' },
                    'Export CSV'
                );
                const heading = h(
                    'h2',
                    { id: 'errors-heading' },
                    category ? `${categoryLabels[category]} errors` : 'All open errors'
                );
                if (page.total === 0) return [heading, empty('No records with open errors in this category.')];
                const rows = page.items.map((error) => {
                    const canResync = Boolean(error.salesforceObject && error.salesforceId);
                    const record = error.salesforceId
                        ? h(
                              'a',
                              {
                                  class: 'nowrap',
                                  href: `#/records${query({ side: 'salesforce', object: error.salesforceObject, id: error.salesforceId })}`
                              },
                              `${error.salesforceObject} ${error.salesforceId}`
                          )
                        : error.hubspotId
                          ? `${error.hubspotObjectType} ${error.hubspotId}`
                          : error.mappingId;
                    return [
                        selection.box(
                            error,
                            `Select ${error.salesforceId ?? error.hubspotId ?? error.mappingId}`,
                            canResync
                        ),
                        record,
                        categoryLabels[error.category],
                        error.field ?? '—',
                        h('span', { class: 'message' }, error.message),
                        formatNumber(error.occurrences),
                        formatDateTime(error.lastSeenAt)
                    ];
                });
                return [
                    heading,
                    h('div', { class: 'toolbar' }, resync, csv),
                    region,
                    table(
                        'Records with open errors',
                        [selection.all, 'Record', 'Category', 'Field', 'Error', 'Runs', 'Last seen'],
                        rows,
                        { class: 'errors-table' }
                    ),
                    pager(page, (next) => void showList(next))
                ];
            }
        );

    replaceChildren(main, h('h1', {}, 'Sync health'), cards, list);
    void showCards();
    void showList(0);
}
