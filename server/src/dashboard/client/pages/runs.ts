/// <reference lib="dom" />
/** Runs: recent runs with their throughput, a chart over time, and buttons to start one. */
import type { StartedRun } from '../../../ops/ports';
import type { RunView, RunsView } from '../../../ops/views';
import { getJson, postJson } from '../api';
import { lineChart } from '../charts';
import { h, replaceChildren, table } from '../dom';
import { formatDateTime, formatDuration, formatNumber } from '../format';
import { act, badge, empty, liveRegion, load } from '../ui';

const statusTone: Record<RunView['status'], string> = { running: 'info', completed: 'ok', failed: 'danger' };

function outcomes(run: RunView): HTMLElement | string {
    const objects = Object.entries(run.byObject);
    if (objects.length === 0) return '—';
    return h(
        'ul',
        { class: 'plain' },
        ...objects.map(([object, counts]) =>
            h(
                'li',
                {},
                h('strong', {}, object),
                ': ',
                Object.entries(counts)
                    .map(([outcome, count]) => `${formatNumber(count)} ${outcome}`)
                    .join(', ')
            )
        )
    );
}

export function renderRuns(main: HTMLElement): void {
    const region = liveRegion();
    const body = h('div');
    const start = (dryRun: boolean) => (event: Event) =>
        act(event.currentTarget as HTMLButtonElement, region, async () => {
            const { runId } = await postJson<StartedRun>('/runs', { dryRun });
            void show();
            return `${dryRun ? 'Dry run' : 'Run'} #${runId} started.`;
        });
    const show = () =>
        load(
            body,
            'runs',
            () => getJson<RunsView>('/runs?limit=30'),
            ({ runs }) => {
                if (runs.length === 0) return empty('No runs yet. Start one with “Run now”.');
                const chronological = [...runs].reverse();
                return [
                    h(
                        'section',
                        { class: 'panel', 'aria-labelledby': 'runs-chart' },
                        h('h2', { id: 'runs-chart' }, 'Throughput'),
                        lineChart({
                            title: 'Records per second by run',
                            labels: chronological.map((run) => `#${run.id}`),
                            unit: 'rec/s',
                            series: [
                                {
                                    name: 'Records per second',
                                    tone: 'series-a',
                                    values: chronological.map((run) => run.recordsPerSecond ?? 0)
                                }
                            ]
                        })
                    ),
                    table(
                        'Recent runs, newest first',
                        ['Run', 'Mode', 'Status', 'Started', 'Duration', 'Records', 'Records/s', 'API calls (SF / HS)'],
                        runs.map((run) => [
                            `#${run.id}`,
                            run.mode.replace('_', ' '),
                            h(
                                'span',
                                {},
                                badge(run.status, statusTone[run.status]),
                                run.error ? h('span', { class: 'run-error message' }, run.error) : null
                            ),
                            formatDateTime(run.startedAt),
                            formatDuration(run.durationSeconds),
                            outcomes(run),
                            run.recordsPerSecond === null ? '—' : formatNumber(run.recordsPerSecond),
                            `${formatNumber(run.apiCalls.salesforce)} / ${formatNumber(run.apiCalls.hubspot)}`
                        ]),
                        { class: 'runs-table' }
                    )
                ];
            }
        );
    replaceChildren(
        main,
        h('h1', {}, 'Runs'),
        h(
            'div',
            { class: 'toolbar' },
            h('button', { type: 'button', class: 'primary', onClick: start(false) }, 'Run now'),
            h('button', { type: 'button', onClick: start(true) }, 'Dry run')
        ),
        region,
        body
    );
    void show();
}
