import { CLOSED_TASK_STATUSES, OPPORTUNITY_STAGES } from './schema/standard-objects';
import type { ObjectDef } from './schema/types';
import { formatDate } from './wire-format';

/**
 * Fields the platform computes on save (compound names, stage-driven opportunity fields, closed
 * flags on tasks, event end times). `explicit` holds the fields the caller wrote in this save.
 */
export function deriveFields(
    def: ObjectDef,
    record: Record<string, unknown>,
    explicit: Set<string>,
    isCreate: boolean
) {
    switch (def.name) {
        case 'Lead':
        case 'Contact':
            record.Name = [record.FirstName, record.LastName]
                .filter((v) => typeof v === 'string' && v !== '')
                .join(' ');
            break;
        case 'Opportunity': {
            const stage = OPPORTUNITY_STAGES.find((s) => s.value === record.StageName);
            if (stage && (isCreate || explicit.has('StageName'))) {
                record.IsClosed = stage.isClosed;
                record.IsWon = stage.isWon;
                record.ForecastCategory = stage.forecastCategory;
                if (!explicit.has('Probability') || record.Probability === null) record.Probability = stage.probability;
            }
            break;
        }
        case 'Task':
            record.IsClosed = CLOSED_TASK_STATUSES.has(record.Status as string);
            if (isCreate && record.TaskSubtype === undefined) record.TaskSubtype = 'Task';
            break;
        case 'Event': {
            const start = record.StartDateTime as number | undefined;
            if (typeof start !== 'number') break;
            if (
                explicit.has('EndDateTime') ||
                (record.EndDateTime !== undefined && !explicit.has('DurationInMinutes'))
            ) {
                record.DurationInMinutes = Math.round(((record.EndDateTime as number) - start) / 60_000);
            } else {
                const minutes = typeof record.DurationInMinutes === 'number' ? record.DurationInMinutes : 60;
                record.DurationInMinutes = minutes;
                record.EndDateTime = start + minutes * 60_000;
            }
            record.ActivityDate = formatDate(start);
            if (isCreate) record.EventSubtype = 'Event';
            break;
        }
    }
}
