/**
 * Problems found when checking the mapping against the live schemas: a stable code, the mapping entry,
 * object and field, a message, and the values a picklist warning is about.
 */
export const fatalCodes = [
    'unknown_salesforce_object',
    'unknown_hubspot_object_type',
    'unknown_salesforce_field',
    'unknown_hubspot_property',
    'incompatible_types',
    'salesforce_field_read_only',
    'hubspot_property_read_only',
    'owner_field_not_a_reference',
    'lookup_not_a_reference',
    'unknown_hubspot_pipeline',
    'unknown_hubspot_deal_stage'
] as const;
export const warningCodes = [
    'picklist_values_missing_in_hubspot',
    'picklist_values_missing_in_salesforce',
    'picklist_values_inactive_in_salesforce',
    'value_map_unknown_salesforce_value',
    'datetime_loses_time',
    'two_way_one_direction',
    'salesforce_field_create_only',
    'sync_status_values_missing',
    'deal_stages_unmapped',
    'lifecycle_stages_not_options'
] as const;
export type SchemaProblemCode = (typeof fatalCodes)[number] | (typeof warningCodes)[number];

export interface SchemaProblem {
    severity: 'fatal' | 'warning';
    code: SchemaProblemCode;
    /** The mapping entry id (`lead_to_contact`, `deal_contact`, `tasks`). */
    mapping: string;
    /** `Lead`, or `contacts` when the problem is on the HubSpot side. */
    object: string;
    field?: string;
    message: string;
    /** The picklist values a warning is about, when it lists values. */
    values?: string[];
}

export class MappingSchemaError extends Error {
    constructor(readonly problems: SchemaProblem[]) {
        super(formatSchemaProblems(problems));
        this.name = 'MappingSchemaError';
    }
}

/** One message listing every problem: `code mapping Object.Field: message`. */
export function formatSchemaProblems(problems: SchemaProblem[]): string {
    const lines = problems.map((problem) => {
        const where = problem.field ? `${problem.object}.${problem.field}` : problem.object;
        return `  [${problem.code}] ${problem.mapping} ${where}: ${problem.message}`;
    });
    const fatalCount = problems.filter((problem) => problem.severity === 'fatal').length;
    const heading =
        fatalCount > 0
            ? `The sync mapping does not fit the live schemas (${fatalCount} fatal problem${fatalCount === 1 ? '' : 's'}):`
            : `The sync mapping has ${problems.length} warning${problems.length === 1 ? '' : 's'}:`;
    return `${heading}\n${lines.join('\n')}`;
}

/** Throws one `MappingSchemaError` listing all fatal problems; returns the validation otherwise. */
export type Reporter = ReturnType<typeof reporter>;

export function reporter(problems: SchemaProblem[], mapping: string) {
    const add =
        (severity: SchemaProblem['severity']) =>
        (code: SchemaProblemCode, object: string, field: string | undefined, message: string, values?: string[]) => {
            problems.push({
                severity,
                code,
                mapping,
                object,
                ...(field === undefined ? {} : { field }),
                message,
                ...(values === undefined ? {} : { values })
            });
        };
    return { fatal: add('fatal'), warning: add('warning') };
}
