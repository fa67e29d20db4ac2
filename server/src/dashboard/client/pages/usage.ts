/// <reference lib="dom" />
/** API usage: both CRMs' quotas and the calls each run spent. */
import type { UsageView } from '../../../ops/views';
import { getJson } from '../api';
import { barChart, meter } from '../charts';
import { h, replaceChildren } from '../dom';
import { formatDateTime } from '../format';
import { empty, load } from '../ui';

export function renderUsage(main: HTMLElement): void {
    const body = h('div');
    replaceChildren(main, h('h1', {}, 'API usage'), body);
    void load(
        body,
        'API usage',
        () => getJson<UsageView>('/usage'),
        (usage) => [
            h('p', { class: 'lead' }, `Measured ${formatDateTime(usage.measuredAt)}.`),
            h(
                'div',
                { class: 'panels' },
                h(
                    'section',
                    { class: 'panel', 'aria-labelledby': 'usage-sf' },
                    h('h2', { id: 'usage-sf' }, 'Salesforce'),
                    meter(
                        'Daily API requests (org limit)',
                        usage.salesforce.used,
                        usage.salesforce.limit,
                        usage.salesforce.adminCap === null
                            ? undefined
                            : { at: usage.salesforce.adminCap, label: 'Admin cap for the bridge' }
                    )
                ),
                h(
                    'section',
                    { class: 'panel', 'aria-labelledby': 'usage-hs' },
                    h('h2', { id: 'usage-hs' }, 'HubSpot'),
                    meter('Daily API calls', usage.hubspot.daily.used, usage.hubspot.daily.limit),
                    meter(
                        'Calls in the last ten seconds',
                        usage.hubspot.tenSecondly.used,
                        usage.hubspot.tenSecondly.limit
                    )
                )
            ),
            h(
                'section',
                { class: 'panel', 'aria-labelledby': 'usage-runs' },
                h('h2', { id: 'usage-runs' }, 'Calls per run'),
                usage.runs.length === 0
                    ? empty('No runs yet.')
                    : barChart({
                          title: `API calls of the last ${usage.runs.length} runs`,
                          labels: usage.runs.map((run) => `#${run.id}`),
                          unit: 'calls',
                          series: [
                              { name: 'Salesforce', tone: 'series-a', values: usage.runs.map((run) => run.salesforce) },
                              { name: 'HubSpot', tone: 'series-b', values: usage.runs.map((run) => run.hubspot) }
                          ]
                      })
            )
        ]
    );
}
