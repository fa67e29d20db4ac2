/** zod schemas of the operator API's parameters, queries and bodies. */
import { z } from 'zod';
import { isValidSalesforceId18, salesforceIdProblem } from '../relay/salesforce-id';
import { ErrorCategory } from '../sync/errors';
import { HubSpotObjectType, SalesforceObjectName } from '../sync/mapping/schema';
import { timelineObjectTypes } from '../contract/timeline';

/** The state store keeps open errors few; paging is done over at most this many. */
export const MAX_LISTED = 10_000;

const limit = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const offset = z.coerce.number().int().min(0).max(MAX_LISTED).default(0);

export const SalesforceId = z
    .string()
    .refine(isValidSalesforceId18, 'must be an 18-character Salesforce ID with a matching checksum suffix');
export const HubSpotId = z.string().regex(/^[0-9]{1,20}$/, 'HubSpot IDs are numeric strings');
const ObjectName = z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be a Salesforce object API name or a HubSpot object type');
const MappingId = z.string().regex(/^[a-z][a-z0-9_]{0,79}$/, 'must be a mapping id such as lead_to_contact');

export const RunsQuery = z.strictObject({ limit: limit(30, 200) });

export const ErrorsQuery = z.strictObject({
    status: z.enum(['open', 'resolved', 'all']).default('open'),
    category: ErrorCategory.optional(),
    object: ObjectName.optional(),
    mappingId: MappingId.optional(),
    limit: limit(50, 500),
    offset
});

export const ErrorsCsvQuery = ErrorsQuery.omit({ limit: true, offset: true });

export const ConflictsQuery = z.strictObject({
    status: z.enum(['open', 'acknowledged', 'all']).default('open'),
    salesforceId: SalesforceId.optional(),
    limit: limit(50, 500),
    offset
});

export const AcknowledgeBody = z.strictObject({
    ids: z.array(z.number().int().positive()).min(1).max(500)
});

export const AuditQuery = z
    .strictObject({
        salesforceId: SalesforceId.optional(),
        hubspotId: HubSpotId.optional(),
        field: z.string().min(1).max(255).optional(),
        limit: limit(100, 1000)
    })
    .refine((query) => query.salesforceId !== undefined || query.hubspotId !== undefined, {
        message: 'give salesforceId or hubspotId'
    });

const SalesforceRecordRef = z
    .strictObject({ salesforceObject: SalesforceObjectName, salesforceId: z.string() })
    .superRefine((ref, ctx) => {
        const problem = salesforceIdProblem(ref.salesforceObject, ref.salesforceId);
        if (problem) ctx.addIssue({ code: 'custom', path: ['salesforceId'], message: problem });
    });

export const SalesforceRecordPath = z
    .strictObject({ object: SalesforceObjectName, id: z.string() })
    .superRefine((path, ctx) => {
        const problem = salesforceIdProblem(path.object, path.id);
        if (problem) ctx.addIssue({ code: 'custom', path: ['id'], message: problem });
    });

export const HubSpotRecordPath = z.strictObject({ objectType: HubSpotObjectType, id: HubSpotId });

export const StartRunBody = z.strictObject({
    dryRun: z.boolean().default(false),
    objects: z.array(MappingId).min(1).max(100).optional(),
    ids: z
        .array(z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'must be a Salesforce or HubSpot record id'))
        .min(1)
        .max(200)
        .optional(),
    limit: z.number().int().min(1).max(1_000_000).optional()
});

export const ResyncBody = z.strictObject({
    records: z.array(SalesforceRecordRef).min(1).max(200)
});

export const TimelineSalesforcePath = z.strictObject({ id: SalesforceId });
export const TimelineHubSpotPath = z.strictObject({ objectType: z.enum(timelineObjectTypes), id: HubSpotId });

export const DeadLettersQuery = z.strictObject({
    /** `oldest` (the CLI's order) or `newest` death first (the dashboard's). */
    order: z.enum(['oldest', 'newest']).default('oldest'),
    limit: limit(50, 500),
    offset
});

export const ReplayBody = z.union([
    z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
    z.strictObject({ all: z.literal(true) })
]);
