/** The mapping file as operators read it: each mapped field with its rule and the problems found on it. */
import type { MappingFile } from '../sync/mapping/schema';
import type { SchemaProblem } from '../sync/schema/problems';
import type { MappingsView, RecordMappingView } from './views';

export function mappingsView(mapping: MappingFile, problems: readonly SchemaProblem[]): MappingsView {
    const claimed = new Set<SchemaProblem>();
    const claim = (match: (problem: SchemaProblem) => boolean): SchemaProblem[] => {
        const found = problems.filter((problem) => !claimed.has(problem) && match(problem));
        found.forEach((problem) => claimed.add(problem));
        return found;
    };
    const records: RecordMappingView[] = mapping.records.map((record) => {
        const sameMapping = (problem: SchemaProblem) => problem.mapping === record.id;
        const fields = record.fields.map((field) => ({
            salesforceField: field.salesforce,
            hubspotProperty: field.hubspot,
            rule: field.rule,
            valueMap: field.valueMap ?? null,
            owner: field.owner,
            // A problem names the Salesforce field, or the HubSpot property when it is on the HubSpot side.
            problems: claim(
                (problem) =>
                    sameMapping(problem) &&
                    problem.field !== undefined &&
                    (problem.field === field.salesforce ||
                        (problem.object === record.hubspotObjectType && problem.field === field.hubspot))
            )
        }));
        return {
            id: record.id,
            salesforceObject: record.salesforceObject,
            hubspotObjectType: record.hubspotObjectType,
            enabled: record.enabled,
            fields,
            problems: claim(sameMapping)
        };
    });
    return {
        records,
        otherProblems: problems.filter((problem) => !claimed.has(problem)),
        fatalCount: problems.filter((problem) => problem.severity === 'fatal').length,
        warningCount: problems.filter((problem) => problem.severity === 'warning').length
    };
}
