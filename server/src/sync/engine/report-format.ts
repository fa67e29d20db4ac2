/**
 * A run report as the text the CLI prints: a header (mode, status, time, API calls), one table row per
 * mapping with its outcome counts, the errors by category, warnings, and (dry run) the planned changes
 * per field.
 */
import { errorCategories } from '../errors';
import { textTable } from '../../shared/text-table';
import type { RunReport } from './context';

const columns = [
    ['read_salesforce', 'read SF'],
    ['created_in_hubspot', 'new HS'],
    ['created_in_salesforce', 'new SF'],
    ['updated_hubspot', 'upd HS'],
    ['updated_salesforce', 'upd SF'],
    ['excluded', 'excluded'],
    ['ambiguous', 'ambiguous'],
    ['conflicts', 'conflicts'],
    ['errors', 'errors']
] as const;

export function formatRunReport(report: RunReport, options: { maxErrors?: number } = {}): string {
    const seconds = (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000;
    const lines = [
        `Sync run ${report.runId} (${report.mode}) ${report.status} in ${seconds.toFixed(1)} s — API calls: Salesforce ${report.apiCalls.salesforce}, HubSpot ${report.apiCalls.hubspot}`
    ];
    if (report.mode === 'dry_run') {
        lines.push(
            `Dry run: nothing was written. The writes would cost Salesforce ${report.plannedWriteCalls.salesforce} and HubSpot ${report.plannedWriteCalls.hubspot} more calls.`
        );
    }
    if (report.error) lines.push('', report.error);

    const mappings = [...new Set(Object.keys(report.counts).map((key) => key.slice(0, key.lastIndexOf('.'))))].sort();
    if (mappings.length > 0) {
        const rows = [['mapping', ...columns.map(([, label]) => label)]];
        for (const mapping of mappings) {
            rows.push([mapping, ...columns.map(([counter]) => String(report.counts[`${mapping}.${counter}`] ?? 0))]);
        }
        const other = Object.entries(report.counts).filter(
            ([key]) => !columns.some(([counter]) => key.endsWith(`.${counter}`))
        );
        lines.push('', textTable(rows));
        if (other.length > 0) lines.push('', ...other.map(([key, value]) => `  ${key}: ${value}`));
    }

    const changes = Object.entries(report.fieldChanges).sort(([left], [right]) => left.localeCompare(right));
    if (changes.length > 0) {
        lines.push('', report.mode === 'dry_run' ? 'Planned field changes:' : 'Field changes:');
        lines.push(...changes.map(([key, value]) => `  ${key}: ${value}`));
    }

    if (report.errors.length > 0) {
        const byCategory = errorCategories
            .map((category) => [category, report.errors.filter((error) => error.category === category).length] as const)
            .filter(([, total]) => total > 0);
        lines.push(
            '',
            `Errors (${report.errors.length}): ${byCategory.map(([category, total]) => `${category} ${total}`).join(', ')}`
        );
        const shown = report.errors.slice(0, options.maxErrors ?? 20);
        for (const error of shown) {
            const record = error.salesforceId ?? (error.hubspotId ? `HubSpot ${error.hubspotId}` : '');
            const field = error.field ? `.${error.field}` : '';
            lines.push(`  [${error.category}] ${error.mappingId} ${record}${field}: ${error.message}`);
        }
        if (shown.length < report.errors.length) lines.push(`  … and ${report.errors.length - shown.length} more`);
    }
    if (report.warnings.length > 0) {
        lines.push('', `Mapping warnings (${report.warnings.length}):`);
        for (const warning of report.warnings) {
            const where = warning.field ? `${warning.object}.${warning.field}` : warning.object;
            lines.push(`  [${warning.code}] ${warning.mapping} ${where}: ${warning.message}`);
        }
    }
    if (report.leadOnlyFields.length > 0) {
        lines.push('', 'Lead fields with no Contact mapping (their values stop syncing after conversion):');
        lines.push(...report.leadOnlyFields.map((field) => `  ${field}`));
    }
    return lines.join('\n');
}
