/// <reference lib="dom" />
/** Small inline SVG charts: scalable (viewBox), labelled for screen readers, coloured from the stylesheet. */
import { h, s } from './dom';
import { formatNumber } from './format';

export interface Series {
    name: string;
    /** CSS class that colours the series (`series-a`, `series-b`). */
    tone: string;
    values: number[];
}

export interface ChartInput {
    title: string;
    /** One label per position on the x axis (run numbers). */
    labels: string[];
    series: Series[];
    /** Unit shown after the y-axis maximum. */
    unit: string;
}

const WIDTH = 960;
const HEIGHT = 240;
const PAD = { top: 14, right: 12, bottom: 28, left: 72 };

function niceMax(values: number[]): number {
    const max = Math.max(1, ...values);
    const magnitude = 10 ** Math.floor(Math.log10(max));
    return Math.ceil(max / magnitude) * magnitude;
}

function frame(input: ChartInput, kind: string, plot: (scaleY: (v: number) => number, step: number) => SVGElement[]) {
    const max = niceMax(input.series.flatMap((series) => series.values));
    const innerHeight = HEIGHT - PAD.top - PAD.bottom;
    const innerWidth = WIDTH - PAD.left - PAD.right;
    const scaleY = (value: number) => PAD.top + innerHeight - (value / max) * innerHeight;
    const step = innerWidth / Math.max(1, input.labels.length);
    const id = `chart-${kind}-${input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const summary = input.series
        .map((series) => `${series.name}: ${series.values.map((value) => formatNumber(value)).join(', ')}`)
        .join('; ');
    // Label every position when few, otherwise about eight evenly spaced ones.
    const labelEvery = Math.max(1, Math.ceil(input.labels.length / 8));
    const grid = [0, 0.5, 1].map((fraction) =>
        s(
            'g',
            { class: 'grid' },
            s('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: scaleY(max * fraction), y2: scaleY(max * fraction) }),
            s(
                'text',
                { x: PAD.left - 6, y: scaleY(max * fraction) + 4, 'text-anchor': 'end' },
                fraction === 1 ? `${formatNumber(max)} ${input.unit}` : formatNumber(max * fraction)
            )
        )
    );
    const xLabels = input.labels.map((label, index) =>
        index % labelEvery === 0
            ? s('text', { x: PAD.left + step * (index + 0.5), y: HEIGHT - 8, 'text-anchor': 'middle' }, label)
            : null
    );
    return h(
        'figure',
        { class: 'chart' },
        h('figcaption', { id: `${id}-title` }, input.title),
        s(
            'svg',
            {
                viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
                role: 'img',
                'aria-labelledby': `${id}-title ${id}-desc`,
                class: `chart-${kind}`
            },
            s('desc', { id: `${id}-desc` }, summary),
            ...grid,
            ...plot(scaleY, step),
            s('g', { class: 'axis' }, ...xLabels)
        ),
        h(
            'ul',
            { class: 'legend' },
            ...input.series.map((series) => h('li', {}, h('span', { class: `swatch ${series.tone}` }), series.name))
        )
    );
}

/** Grouped bars: one group per label, one bar per series. */
export function barChart(input: ChartInput): HTMLElement {
    return frame(input, 'bars', (scaleY, step) => {
        const barWidth = (step * 0.8) / input.series.length;
        return input.series.flatMap((series, seriesIndex) =>
            series.values.map((value, index) =>
                s(
                    'rect',
                    {
                        class: `bar ${series.tone}`,
                        x: PAD.left + step * index + step * 0.1 + barWidth * seriesIndex,
                        y: scaleY(value),
                        width: Math.max(1, barWidth - 1),
                        height: Math.max(0, scaleY(0) - scaleY(value))
                    },
                    s('title', {}, `${input.labels[index]}: ${series.name} ${formatNumber(value)} ${input.unit}`)
                )
            )
        );
    });
}

/** Lines with a dot per point. */
export function lineChart(input: ChartInput): HTMLElement {
    return frame(input, 'lines', (scaleY, step) =>
        input.series.flatMap((series) => {
            const points = series.values.map((value, index) => [PAD.left + step * (index + 0.5), scaleY(value)]);
            return [
                s('polyline', { class: `line ${series.tone}`, points: points.map((p) => p.join(',')).join(' ') }),
                ...points.map(([x, y], index) =>
                    s(
                        'circle',
                        { class: `dot ${series.tone}`, cx: x, cy: y, r: 3.5 },
                        s('title', {}, `${input.labels[index]}: ${formatNumber(series.values[index]!)} ${input.unit}`)
                    )
                )
            ];
        })
    );
}

/** A horizontal meter: used against a limit, with an optional marker (the admin's cap). */
export function meter(label: string, used: number, limit: number, marker?: { at: number; label: string }) {
    const ratio = limit > 0 ? Math.min(1, used / limit) : 0;
    const tone = ratio >= 0.9 ? 'danger' : ratio >= 0.7 ? 'warn' : 'ok';
    return h(
        'div',
        { class: 'meter-block' },
        h(
            'div',
            { class: 'meter-label' },
            h('span', {}, label),
            h('span', {}, `${formatNumber(used)} of ${formatNumber(limit)} (${Math.round(ratio * 100)}%)`)
        ),
        s(
            'svg',
            {
                class: 'meter',
                viewBox: '0 0 100 8',
                preserveAspectRatio: 'none',
                role: 'meter',
                'aria-label': label,
                'aria-valuemin': 0,
                'aria-valuemax': limit,
                'aria-valuenow': used
            },
            s('rect', { class: 'meter-track', x: 0, y: 0, width: 100, height: 8 }),
            s('rect', { class: `meter-fill ${tone}`, x: 0, y: 0, width: ratio * 100, height: 8 }),
            marker && limit > 0
                ? s('rect', {
                      class: 'meter-marker',
                      x: Math.min(99.5, (marker.at / limit) * 100),
                      y: 0,
                      width: 0.6,
                      height: 8
                  })
                : null
        ),
        marker ? h('p', { class: 'meter-note' }, `${marker.label}: ${formatNumber(marker.at)}`) : null
    );
}
