/** Nearest-rank percentile: the smallest sample with at least `percent`% of the samples at or below it. */
export function percentile(samples: readonly number[], percent: number): number {
    if (samples.length === 0) throw new RangeError('no samples');
    if (!(percent > 0 && percent <= 100)) throw new RangeError(`percent must be in (0, 100], not ${percent}`);
    const sorted = [...samples].sort((left, right) => left - right);
    return sorted[Math.ceil((percent / 100) * sorted.length) - 1]!;
}

export function sum(values: readonly number[]): number {
    return values.reduce((total, value) => total + value, 0);
}
