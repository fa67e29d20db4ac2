/**
 * The JSON contract between the relay and the Salesforce package (Apex + the hubspotIntelligence LWC).
 *
 * Written once here. The relay validates its own responses against these schemas, `contract:export`
 * writes the JSON Schema and the example fixtures that the LWC and Apex tests consume, and a test
 * fails if those copies drift from this file.
 *
 * Property names avoid Apex reserved words (`type`, `limit`, `number`, `object`, ...) so that Apex can
 * deserialize straight into typed classes.
 */
import { z } from 'zod';

export const CONTRACT_VERSION = '1';

/** HubSpot object types a Salesforce record can be linked to. */
export const timelineObjectTypes = ['contact', 'company', 'deal'] as const;
export const TimelineObjectType = z.enum(timelineObjectTypes);
export type TimelineObjectType = z.infer<typeof TimelineObjectType>;

/** Every kind of item the activity timeline can show; also the values of the `types` filter. */
export const timelineEventTypes = [
    'MARKETING_EMAIL_SENT',
    'MARKETING_EMAIL_DELIVERED',
    'MARKETING_EMAIL_OPENED',
    'MARKETING_EMAIL_CLICKED',
    'MARKETING_EMAIL_BOUNCED',
    'SALES_EMAIL',
    'FORM_SUBMISSION',
    'PAGE_VIEW',
    'MEETING',
    'CALL',
    'NOTE',
    'TASK',
    'LIFECYCLE_STAGE_CHANGE'
] as const;
export const TimelineEventType = z.enum(timelineEventTypes);
export type TimelineEventType = z.infer<typeof TimelineEventType>;

/** Independently fetched parts of the response; one failing yields a partial result. */
export const timelineSections = [
    'activities',
    'lifecycle',
    'emailEngagement',
    'website',
    'workflows',
    'meetingLink',
    'sequence'
] as const;
export const TimelineSection = z.enum(timelineSections);
export type TimelineSection = z.infer<typeof TimelineSection>;

const isoDateTime = z.iso.datetime({ offset: true });
const hubspotId = z.string().regex(/^[0-9]{1,20}$/, 'HubSpot IDs are numeric strings');

export const SectionStatus = z.strictObject({
    status: z.enum(['ok', 'error', 'disabled']),
    /** Machine-readable reason when status is `error`, e.g. `TIMEOUT`, `HUBSPOT_ERROR`, `RATE_LIMITED`. */
    errorCode: z.string().nullable(),
    /** A sentence a sales rep can read; never a stack trace. */
    errorMessage: z.string().nullable()
});
export type SectionStatus = z.infer<typeof SectionStatus>;

export const LifecycleStage = z.strictObject({
    /** HubSpot internal value, e.g. `marketingqualifiedlead`. */
    stageId: z.string().min(1),
    label: z.string().min(1),
    reachedAt: isoDateTime.nullable(),
    isCurrent: z.boolean()
});

export const Lifecycle = z.strictObject({
    currentStageId: z.string().nullable(),
    /** Stages in pipeline order, each with when it was first reached (null when never). */
    stages: z.array(LifecycleStage)
});

export const EmailEngagement = z.strictObject({
    sent: z.number().int().nonnegative(),
    delivered: z.number().int().nonnegative(),
    opened: z.number().int().nonnegative(),
    clicked: z.number().int().nonnegative(),
    bounced: z.number().int().nonnegative(),
    lastOpenedAt: isoDateTime.nullable(),
    lastClickedAt: isoDateTime.nullable()
});

export const WebsiteActivity = z.strictObject({
    pageViews: z.number().int().nonnegative(),
    sessions: z.number().int().nonnegative(),
    firstVisitAt: isoDateTime.nullable(),
    lastVisitAt: isoDateTime.nullable(),
    topPages: z.array(
        z.strictObject({ url: z.url(), title: z.string().nullable(), views: z.number().int().positive() })
    )
});

export const WorkflowEnrollment = z.strictObject({
    workflowId: z.string().min(1),
    name: z.string().min(1),
    status: z.enum(['ACTIVE', 'COMPLETED', 'UNENROLLED']),
    enrolledAt: isoDateTime,
    endedAt: isoDateTime.nullable()
});

export const MeetingLink = z.strictObject({
    name: z.string().min(1),
    url: z.url()
});

export const SequenceEnrollment = z.strictObject({
    sequenceId: z.string().min(1),
    name: z.string().min(1),
    status: z.enum(['ACTIVE', 'PAUSED', 'FINISHED', 'UNENROLLED']),
    currentStep: z.number().int().positive(),
    totalSteps: z.number().int().positive(),
    enrolledAt: isoDateTime
});

export const TimelineEvent = z.strictObject({
    /** Stable across pages: `<eventType>:<source id>`. */
    eventId: z.string().min(1),
    eventType: TimelineEventType,
    occurredAt: isoDateTime,
    title: z.string().min(1),
    /** Plain text, already stripped of HTML. */
    body: z.string().nullable(),
    /** Link to the item in HubSpot or the page that was viewed. */
    url: z.url().nullable(),
    /** Who did it (owner name or contact name); null when unknown. */
    actor: z.string().nullable(),
    direction: z.enum(['INBOUND', 'OUTBOUND']).nullable()
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const TimelineResponse = z.strictObject({
    contractVersion: z.literal(CONTRACT_VERSION),
    objectType: TimelineObjectType,
    hubspotId,
    hubspotUrl: z.url(),
    generatedAt: isoDateTime,
    summary: z.strictObject({
        displayName: z.string().nullable(),
        lifecycleStageId: z.string().nullable(),
        lifecycleStageLabel: z.string().nullable(),
        score: z.number().nullable(),
        ownerName: z.string().nullable()
    }),
    lifecycle: Lifecycle.nullable(),
    emailEngagement: EmailEngagement.nullable(),
    website: WebsiteActivity.nullable(),
    workflows: z.array(WorkflowEnrollment).nullable(),
    meetingLink: MeetingLink.nullable(),
    sequence: SequenceEnrollment.nullable(),
    /** Newest first. */
    events: z.array(TimelineEvent),
    /** Opaque; pass back as `cursor` to get the next (older) page. Null on the last page. */
    nextCursor: z.string().nullable(),
    sections: z.strictObject(
        Object.fromEntries(timelineSections.map((s) => [s, SectionStatus])) as Record<
            TimelineSection,
            typeof SectionStatus
        >
    )
});
export type TimelineResponse = z.infer<typeof TimelineResponse>;

/** Query string of `GET /api/v1/timeline/{objectType}/{hubspotId}`. */
export const TimelineQuery = z.strictObject({
    /** Comma-separated event types; absent means all. */
    types: z
        .string()
        .optional()
        .transform((value, ctx) => {
            if (value === undefined || value === '') return undefined;
            const parsed = z.array(TimelineEventType).safeParse(value.split(',').map((t) => t.trim()));
            if (!parsed.success) {
                ctx.addIssue({
                    code: 'custom',
                    message: `types must be a comma-separated list of: ${timelineEventTypes.join(', ')}`
                });
                return z.NEVER;
            }
            return parsed.data;
        }),
    cursor: z.string().max(512).optional(),
    pageSize: z.coerce.number().int().min(1).max(100).default(25)
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export const TimelinePath = z.strictObject({
    objectType: TimelineObjectType,
    hubspotId
});

/** `POST /api/v1/records/{sfObject}/{sfId}/resync` answers 202 with this body. */
export const ResyncAccepted = z.strictObject({
    status: z.literal('QUEUED'),
    jobId: z.string().min(1),
    sfObject: z.string().min(1),
    sfId: z.string().regex(/^[a-zA-Z0-9]{18}$/)
});
export type ResyncAccepted = z.infer<typeof ResyncAccepted>;

/** Body of `POST /api/v1/records/{sfObject}/{sfId}/sequence-enrollments` (Beta). */
export const SequenceEnrollmentBody = z.strictObject({
    sequenceId: z.string().regex(/^[0-9]{1,20}$/, 'HubSpot sequence IDs are numeric strings'),
    /** A connected inbox of the HubSpot user who enrolls the contact; the sequence's emails come from it. */
    senderEmail: z.email().max(254)
});
export type SequenceEnrollmentBody = z.infer<typeof SequenceEnrollmentBody>;

/** `POST /api/v1/records/{sfObject}/{sfId}/sequence-enrollments` answers 201 with this body. */
export const SequenceEnrollmentAccepted = z.strictObject({
    status: z.literal('ENROLLED'),
    enrollmentId: z.string().min(1),
    sequenceId: hubspotId,
    sfObject: z.enum(['Lead', 'Contact']),
    sfId: z.string().regex(/^[a-zA-Z0-9]{18}$/),
    hubspotContactId: hubspotId,
    toEmail: z.string().min(1),
    enrolledAt: isoDateTime
});
export type SequenceEnrollmentAccepted = z.infer<typeof SequenceEnrollmentAccepted>;

/** The one error envelope every relay endpoint answers with. */
export const errorCodes = [
    'VALIDATION_ERROR',
    'UNAUTHORIZED',
    'FORBIDDEN',
    'NOT_FOUND',
    'CONFLICT',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'RATE_LIMITED',
    'HUBSPOT_UNAVAILABLE',
    'SALESFORCE_UNAVAILABLE',
    'INTERNAL_ERROR'
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorEnvelope = z.strictObject({
    error: z.strictObject({
        code: ErrorCode,
        message: z.string().min(1),
        details: z.unknown().optional()
    })
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Sync state of the Salesforce record, read from the package's fields. */
export const syncStatuses = ['Not Synced', 'Pending', 'Synced', 'Error', 'Excluded'] as const;
export const SyncStatus = z.enum(syncStatuses);

/**
 * What `HubSpotIntelligenceController.getTimeline` returns to the LWC: the record's own sync fields
 * plus the relay's timeline (null when the record is not linked to HubSpot yet).
 */
export const RecordIntelligence = z.strictObject({
    recordId: z.string().regex(/^[a-zA-Z0-9]{18}$/),
    objectApiName: z.enum(['Lead', 'Contact', 'Account', 'Opportunity']),
    hubspotId: hubspotId.nullable(),
    hubspotUrl: z.url().nullable(),
    syncStatus: SyncStatus,
    lastSyncedAt: isoDateTime.nullable(),
    lastSyncError: z.string().nullable(),
    canResync: z.boolean(),
    timeline: TimelineResponse.nullable()
});
export type RecordIntelligence = z.infer<typeof RecordIntelligence>;
