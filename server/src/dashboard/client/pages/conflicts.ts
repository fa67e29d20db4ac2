/// <reference lib="dom" />
/** Conflicts inbox: fields both sides changed; the later change won, the operator acknowledges. */
import type { ConflictView, ConflictsView } from '../../../ops/views';
import { getJson, postJson, query } from '../api';
import { h, replaceChildren, table } from '../dom';
import { formatDateTime, formatValue, plural } from '../format';
import { Selection, act, badge, empty, liveRegion, load, pager } from '../ui';

type Status = 'open' | 'acknowledged' | 'all';

export function renderConflicts(main: HTMLElement): void {
    let status: Status = 'open';
    const region = liveRegion();
    const body = h('div');
    const filter = h(
        'select',
        {
            id: 'conflict-status',
            onChange: (event: Event) => {
                status = (event.target as HTMLSelectElement).value as Status;
                void show(0);
            }
        },
        h('option', { value: 'open' }, 'Not acknowledged'),
        h('option', { value: 'acknowledged' }, 'Acknowledged'),
        h('option', { value: 'all' }, 'All')
    );
    const show = (offset: number) =>
        load(
            body,
            'conflicts',
            () => getJson<ConflictsView>(`/conflicts${query({ status, offset, limit: 50 })}`),
            (page) => {
                if (page.total === 0) return empty('No conflicts here. Both sides agree.');
                const acknowledge = h(
                    'button',
                    { type: 'button', class: 'primary', disabled: true },
                    'Acknowledge selected'
                );
                const selection = new Selection<ConflictView>('Select all conflicts on this page', (selected) => {
                    acknowledge.disabled = selected.length === 0;
                });
                acknowledge.addEventListener('click', () =>
                    act(acknowledge, region, async () => {
                        const ids = selection.selected().map((conflict) => conflict.id);
                        const { acknowledged } = await postJson<{ acknowledged: number }>('/conflicts/acknowledge', {
                            ids
                        });
                        void show(page.offset);
                        return `${plural(acknowledged, 'conflict')} acknowledged.`;
                    })
                );
                return [
                    h('div', { class: 'toolbar' }, acknowledge),
                    table(
                        'Conflicts, newest first',
                        [
                            selection.all,
                            'Record',
                            'Field',
                            'Salesforce value',
                            'HubSpot value',
                            'Changed',
                            'Winner',
                            'State'
                        ],
                        page.items.map((conflict) => [
                            selection.box(conflict, `Select conflict ${conflict.id}`, conflict.acknowledgedAt === null),
                            h(
                                'a',
                                {
                                    href: `#/records${query({ side: 'salesforce', object: conflict.salesforceObject, id: conflict.salesforceId })}`
                                },
                                `${conflict.salesforceObject} ${conflict.salesforceId}`
                            ),
                            `${conflict.field} ↔ ${conflict.property}`,
                            formatValue(conflict.salesforceValue),
                            formatValue(conflict.hubspotValue),
                            h(
                                'span',
                                { class: 'stack' },
                                `Salesforce ${formatDateTime(conflict.salesforceChangedAt)}`,
                                h('br'),
                                `HubSpot ${formatDateTime(conflict.hubspotChangedAt)}`
                            ),
                            badge(conflict.winner === 'salesforce' ? 'Salesforce' : 'HubSpot', 'info'),
                            conflict.acknowledgedAt
                                ? `Acknowledged ${formatDateTime(conflict.acknowledgedAt)}`
                                : badge('Open', 'warn')
                        ])
                    ),
                    pager(page, (next) => void show(next))
                ];
            }
        );
    replaceChildren(
        main,
        h('h1', {}, 'Conflicts'),
        h(
            'p',
            { class: 'lead' },
            'Fields changed on both sides between two runs. The later change was kept; review and acknowledge them here.'
        ),
        h('div', { class: 'toolbar' }, h('label', { for: 'conflict-status' }, 'Show'), filter),
        region,
        body
    );
    void show(0);
}
