import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { apiError, notFound, sendJson, validationError } from '../errors';
import { parseInstant } from '../property-values';
import { queryInteger, queryList, requestOrigin, requireScope } from './support';

const EVENT_TYPES = ['e_visited_page', 'e_submitted_form'] as const;

function instant(value: unknown, name: string): number | undefined {
    if (value === undefined || value === '') return undefined;
    const parsed = parseInstant(String(value));
    if (parsed === undefined)
        throw validationError(`${name} must be a date-time or epoch milliseconds, got ${String(value)}`);
    return parsed;
}

/**
 * Timeline sources of the HubSpot Intelligence component: event analytics (page views, form
 * submissions), legacy marketing email events, workflow enrollments (v2), sequence enrollments (v4)
 * and meeting scheduler links (v3).
 */
export function timelineRouter(context: SandboxContext): Router {
    const router = Router();
    const { store, timeline } = context;

    const contactByVid = (id: string) => {
        const contact = store.find('contacts', id);
        if (!contact) throw notFound(id);
        return contact;
    };

    router.get('/events/v3/events/event-types', (_req: Request, res: Response) => {
        requireScope(res, 'behavioral_events.event_definitions.read_write');
        sendJson(res, 200, { eventTypes: [...EVENT_TYPES] });
    });

    router.get('/events/v3/events', (req: Request, res: Response) => {
        requireScope(res, 'behavioral_events.event_definitions.read_write');
        const objectType = String(req.query.objectType ?? '');
        if (objectType !== 'contact' && objectType !== '0-1')
            throw validationError(
                'objectType is required; event analytics are served for contacts (objectType=contact)'
            );
        const objectId = queryInteger(req.query.objectId, 'objectId', -1);
        if (objectId < 0) throw validationError('objectId is required');
        const eventType = req.query.eventType === undefined ? undefined : String(req.query.eventType);
        const after = instant(req.query.occurredAfter, 'occurredAfter');
        const before = instant(req.query.occurredBefore, 'occurredBefore');
        const limit = Math.min(Math.max(queryInteger(req.query.limit, 'limit', 100), 1), 1_000);
        const offset = queryInteger(req.query.after, 'after', 0);
        const descending = queryList(req.query.sort).some((sort) => sort.startsWith('-'));
        const events = timeline
            .analyticsFor(objectId)
            .filter(
                (e) =>
                    (!eventType || e.eventType === eventType) &&
                    (after === undefined || e.occurredAt >= after) &&
                    (before === undefined || e.occurredAt <= before)
            )
            .sort((a, b) => (a.occurredAt - b.occurredAt) * (descending ? -1 : 1));
        const results = events.slice(offset, offset + limit).map((e) => ({
            objectType: 'CONTACT',
            objectId: String(e.objectId),
            eventType: e.eventType,
            occurredAt: new Date(e.occurredAt).toISOString(),
            id: e.id,
            properties: e.properties
        }));
        const body: Record<string, unknown> = { results };
        if (offset + limit < events.length) {
            const next = String(offset + limit);
            body.paging = { next: { after: next, link: `${requestOrigin(req)}/events/v3/events?after=${next}` } };
        }
        sendJson(res, 200, body);
    });

    router.get('/email/public/v1/events', (req: Request, res: Response) => {
        requireScope(res, 'content');
        const recipient = req.query.recipient === undefined ? undefined : String(req.query.recipient).toLowerCase();
        const eventType = req.query.eventType === undefined ? undefined : String(req.query.eventType);
        const start = instant(req.query.startTimestamp, 'startTimestamp');
        const end = instant(req.query.endTimestamp, 'endTimestamp');
        const limit = Math.min(Math.max(queryInteger(req.query.limit, 'limit', 100), 1), 1_000);
        const offset = queryInteger(req.query.offset, 'offset', 0);
        const matching = timeline.emailEvents.filter(
            (e) =>
                (!recipient || e.recipient.toLowerCase() === recipient) &&
                (!eventType || e.type === eventType) &&
                (start === undefined || e.created >= start) &&
                (end === undefined || e.created <= end)
        );
        const page = matching.slice(offset, offset + limit);
        sendJson(res, 200, {
            hasMore: offset + limit < matching.length,
            offset: String(offset + page.length),
            events: page.map((e) => ({
                ...e,
                portalId: context.options.portalId,
                appId: 113,
                appName: 'Batch',
                sentBy: { id: `sent-${e.emailCampaignId}`, created: e.created }
            }))
        });
    });

    router.get('/email/public/v1/events/:created/:id', (req: Request, res: Response) => {
        requireScope(res, 'content');
        const event = timeline.emailEvents.find(
            (e) => e.id === String(req.params.id) && String(e.created) === String(req.params.created)
        );
        if (!event) throw apiError(404, 'OBJECT_NOT_FOUND', 'Email event not found');
        sendJson(res, 200, { ...event, portalId: context.options.portalId, appId: 113, appName: 'Batch' });
    });

    const workflowView = (workflow: (typeof timeline.workflows)[number]) => ({
        ...workflow,
        portalId: context.options.portalId
    });

    router.get('/automation/v2/workflows', (_req: Request, res: Response) => {
        requireScope(res, 'automation');
        sendJson(res, 200, { workflows: timeline.workflows.map(workflowView) });
    });

    router.get('/automation/v2/workflows/enrollments/contacts/:vid', (req: Request, res: Response) => {
        requireScope(res, 'automation');
        const contact = contactByVid(String(req.params.vid));
        const enrolled = timeline.workflowEnrollments.filter((e) => e.contactId === contact.id);
        sendJson(
            res,
            200,
            enrolled.flatMap((enrollment) => {
                const workflow = timeline.workflows.find((w) => w.id === enrollment.workflowId);
                return workflow ? [{ ...workflowView(workflow), enrolledAt: enrollment.enrolledAt }] : [];
            })
        );
    });

    const enrollment = (req: Request, res: Response) => {
        requireScope(res, 'automation');
        const workflowId = Number(req.params.workflowId);
        if (!timeline.workflows.some((w) => w.id === workflowId))
            throw apiError(404, 'OBJECT_NOT_FOUND', `Workflow ${String(req.params.workflowId)} not found`);
        const contact = store.find('contacts', String(req.params.email), 'email');
        if (!contact) throw notFound(String(req.params.email));
        return { workflowId, contactId: contact.id };
    };

    router.post('/automation/v2/workflows/:workflowId/enrollments/contacts/:email', (req: Request, res: Response) => {
        const { workflowId, contactId } = enrollment(req, res);
        timeline.enrollInWorkflow({ workflowId, contactId, enrolledAt: context.clock.now() });
        res.status(204).end();
    });

    router.delete('/automation/v2/workflows/:workflowId/enrollments/contacts/:email', (req: Request, res: Response) => {
        const { workflowId, contactId } = enrollment(req, res);
        timeline.unenrollFromWorkflow(workflowId, contactId);
        res.status(204).end();
    });

    router.get('/automation/v4/sequences', (_req: Request, res: Response) => {
        requireScope(res, 'automation.sequences.read');
        sendJson(res, 200, { total: timeline.sequences.length, results: timeline.sequences });
    });

    router.get('/automation/v4/sequences/enrollments/contact/:contactId', (req: Request, res: Response) => {
        requireScope(res, 'automation.sequences.read');
        const contact = contactByVid(String(req.params.contactId));
        const latest = timeline.sequenceEnrollments.filter((e) => e.contactId === contact.id).at(-1);
        if (!latest) throw apiError(404, 'OBJECT_NOT_FOUND', `Contact ${contact.id} is not enrolled in a sequence`);
        const sequence = timeline.sequences.find((s) => s.id === latest.sequenceId);
        sendJson(res, 200, {
            id: latest.id,
            toEmail: latest.toEmail,
            enrolledAt: new Date(latest.enrolledAt).toISOString(),
            updatedAt: new Date(latest.updatedAt).toISOString(),
            sequenceId: latest.sequenceId,
            sequenceName: sequence?.name ?? null,
            enrolledBy: latest.enrolledBy,
            enrolledByEmail: latest.enrolledByEmail,
            currentStep: latest.currentStep,
            totalSteps: sequence?.steps ?? null
        });
    });

    // Enrolling: `userId` is the HubSpot user who enrolls, `senderEmail` must be that user's address.
    // HubSpot does not document these errors' wording; `subCategory` names each refusal so clients need not
    // parse messages. A contact is in at most one sequence at a time and the sandbox never unenrolls, so any
    // enrollment of the contact refuses a second one.
    router.post('/automation/v4/sequences/enrollments', (req: Request, res: Response) => {
        requireScope(res, 'automation.sequences.enrollments.write');
        const refuse = (status: number, category: string, subCategory: string, message: string) =>
            apiError(status, category, message, { subCategory: `SequenceEnrollmentError.${subCategory}` });
        const userId = String(req.query.userId ?? '');
        if (!/^\d+$/.test(userId)) throw validationError('userId is required and must be a HubSpot user id');
        const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
        const missing = ['contactId', 'sequenceId', 'senderEmail'].filter(
            (field) => typeof body[field] !== 'string' || body[field] === ''
        );
        if (missing.length > 0) throw validationError(`Missing required fields: ${missing.join(', ')}`);
        const [contactId, sequenceId, senderEmail] = [body.contactId, body.sequenceId, body.senderEmail] as string[];

        const sender = store.owners.find((owner) => String(owner.userId) === userId && !owner.archived);
        if (!sender) throw refuse(400, 'VALIDATION_ERROR', 'USER_NOT_FOUND', `User ${userId} not found`);
        if (sender.email.toLowerCase() !== senderEmail.toLowerCase())
            throw refuse(
                400,
                'VALIDATION_ERROR',
                'INVALID_SENDER',
                `${senderEmail} is not a connected inbox of user ${userId}`
            );
        const sequence = timeline.sequences.find((s) => s.id === sequenceId);
        if (!sequence) throw refuse(404, 'OBJECT_NOT_FOUND', 'SEQUENCE_NOT_FOUND', `Sequence ${sequenceId} not found`);
        const contact = store.find('contacts', contactId);
        if (!contact) throw refuse(404, 'OBJECT_NOT_FOUND', 'CONTACT_NOT_FOUND', `Contact ${contactId} not found`);
        const toEmail = contact.properties.email;
        if (!toEmail)
            throw refuse(
                400,
                'VALIDATION_ERROR',
                'CONTACT_MISSING_EMAIL',
                `Contact ${contact.id} has no email address`
            );
        if (contact.properties.hs_email_optout === 'true')
            throw refuse(
                400,
                'VALIDATION_ERROR',
                'CONTACT_UNSUBSCRIBED',
                `Contact ${contact.id} has unsubscribed from email and cannot be enrolled`
            );
        if (timeline.sequenceEnrollments.some((e) => e.contactId === contact.id))
            throw refuse(
                409,
                'CONFLICT',
                'CONTACT_ALREADY_ENROLLED',
                `Contact ${contact.id} is already enrolled in a sequence`
            );

        const now = context.clock.now();
        const enrolled = timeline.enrollInSequence({
            sequenceId,
            contactId: contact.id,
            toEmail,
            enrolledAt: now,
            updatedAt: now,
            enrolledBy: userId,
            enrolledByEmail: sender.email,
            currentStep: 1
        });
        sendJson(res, 200, {
            id: enrolled.id,
            toEmail: enrolled.toEmail,
            enrolledAt: new Date(enrolled.enrolledAt).toISOString(),
            updatedAt: new Date(enrolled.updatedAt).toISOString()
        });
    });

    router.get('/scheduler/v3/meetings/meeting-links', (req: Request, res: Response) => {
        requireScope(res, 'scheduler.meetings.meeting-link.read');
        const organizer = req.query.organizerUserId === undefined ? undefined : String(req.query.organizerUserId);
        const links = timeline.meetingLinks.filter((link) => !organizer || link.organizerUserId === organizer);
        sendJson(res, 200, {
            total: links.length,
            results: links.map((link) => ({
                ...link,
                createdAt: new Date(link.createdAt).toISOString(),
                updatedAt: new Date(link.updatedAt).toISOString()
            }))
        });
    });

    return router;
}
