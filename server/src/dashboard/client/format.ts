/** Display formats; the browser's locale decides separators and date order. */
import type { ErrorCategory } from '../../sync/errors';
import type { SyncRule } from '../../sync/mapping/schema';

const numberFormat = new Intl.NumberFormat();
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

export const formatNumber = (value: number): string => numberFormat.format(value);

export function formatDateTime(iso: string | null): string {
    return iso === null ? '—' : dateTimeFormat.format(new Date(iso));
}

export const formatMonth = (iso: string): string => monthFormat.format(new Date(iso));

export function formatDuration(seconds: number): string {
    if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
    if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatValue(value: unknown): string {
    if (value === null || value === undefined || value === '') return '(blank)';
    return typeof value === 'string' ? value : JSON.stringify(value);
}

export const categoryLabels: Record<ErrorCategory, string> = {
    field_value: 'Field values',
    picklist: 'Picklist values',
    duplicate: 'Duplicates',
    permission: 'Permissions',
    association: 'Associations',
    validation_rule: 'Validation rules',
    api_limit: 'API limits',
    mapping: 'Mapping',
    transient: 'Temporary failures'
};

export const ruleLabels: Record<SyncRule, string> = {
    two_way: 'Two-way',
    always_salesforce: 'Always use Salesforce',
    prefer_salesforce_unless_blank: 'Prefer Salesforce unless blank',
    dont_sync: "Don't sync"
};

export const plural = (count: number, word: string): string =>
    `${formatNumber(count)} ${word}${count === 1 ? '' : 's'}`;
