/** The operator JSON API under `/ops/api` (mounted behind the operator login by the relay). */
import { Router, type Request, type Response } from 'express';
import { HttpError } from '../relay/http-error';
import { parseRequest } from '../relay/validate';
import type { StateStore, SyncErrorRecord } from '../state/store';
import { countDeadLetters, deadLetterRoutes } from './dead-letter-routes';
import { errorsCsv, matchesErrorQuery, summariseErrors } from './errors-view';
import { mappingsView } from './mapping-view';
import {
    type ApiUsageProvider,
    type ConflictInbox,
    type DeadLetterQueue,
    type MappingProvider,
    type RecordLookup,
    type RecordLookupTarget,
    RunInProgressError,
    type SyncController,
    type TimelinePreview
} from './ports';
import { runView } from './run-view';
import {
    AcknowledgeBody,
    AuditQuery,
    ConflictsQuery,
    ErrorsCsvQuery,
    ErrorsQuery,
    HubSpotRecordPath,
    MAX_LISTED,
    ResyncBody,
    RunsQuery,
    SalesforceRecordPath,
    StartRunBody,
    TimelineHubSpotPath,
    TimelineSalesforcePath
} from './schemas';
import type { AuditView, ConflictsView, ErrorsView, RecordView, RunsView, StatusView, UsageView } from './views';

export interface OperatorApiDependencies {
    store: StateStore;
    controller: SyncController;
    usage: ApiUsageProvider;
    mappings: MappingProvider;
    records: RecordLookup;
    timeline: TimelinePreview;
    conflicts: ConflictInbox;
    /** The work queue's dead letters; without it `/api/dead-letters` does not exist. */
    deadLetters?: DeadLetterQueue;
    now?: () => Date;
}

/** How many runs the status and usage views look back over. */
const RECENT_RUNS = 50;

function page<T>(items: T[], offset: number, limit: number) {
    return { items: items.slice(offset, offset + limit), total: items.length, offset, limit };
}

/** The user name of the (already verified) Basic login, recorded with acknowledgements. */
function operatorName(req: Request): string {
    const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(req.get('authorization') ?? '');
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    return decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : 'operator';
}

export function operatorApiRoutes(deps: OperatorApiDependencies): Router {
    const { store, controller } = deps;
    const now = deps.now ?? (() => new Date());
    const router = Router();
    router.use('/api', (_req: Request, res: Response, next) => {
        res.set('Cache-Control', 'no-store');
        next();
    });
    if (deps.deadLetters) router.use(deadLetterRoutes(deps.deadLetters));

    router.get('/api/status', (req: Request, res: Response) => {
        parseRequest(req, {});
        const runs = store.recentRuns(RECENT_RUNS);
        const current = runs.find((run) => run.status === 'running');
        const last = runs.find((run) => run.status !== 'running');
        const body: StatusView = {
            ...controller.schedule(),
            currentRun: current ? runView(current, now()) : null,
            lastRun: last ? runView(last, now()) : null,
            deadLetters: deps.deadLetters ? countDeadLetters(deps.deadLetters) : null
        };
        res.json(body);
    });

    router.get('/api/runs', (req: Request, res: Response) => {
        const { query } = parseRequest(req, { query: RunsQuery });
        const body: RunsView = { runs: store.recentRuns(query.limit).map((run) => runView(run, now())) };
        res.json(body);
    });

    router.post('/api/runs', async (req: Request, res: Response) => {
        const { body } = parseRequest(req, { body: StartRunBody });
        if (body.objects) {
            const { mapping } = await deps.mappings.current();
            const known = new Set(mapping.records.map((record) => record.id));
            const unknown = body.objects.filter((id) => !known.has(id));
            if (unknown.length > 0) {
                throw new HttpError(400, 'VALIDATION_ERROR', `Unknown mapping ids: ${unknown.join(', ')}.`, [
                    { location: 'body', path: 'objects', message: `must be among: ${[...known].join(', ')}` }
                ]);
            }
        }
        try {
            res.status(202).json(await controller.startRun(body));
        } catch (error) {
            if (error instanceof RunInProgressError) throw new HttpError(409, 'CONFLICT', error.message);
            throw error;
        }
    });

    const listErrors = (status: 'open' | 'resolved' | 'all', filter: Parameters<typeof matchesErrorQuery>[1]) =>
        store
            .listErrors({
                ...(status === 'all' ? {} : { resolved: status === 'resolved' }),
                category: filter.category,
                mappingId: filter.mappingId,
                limit: MAX_LISTED
            })
            .filter((error) => matchesErrorQuery(error, filter));

    router.get('/api/errors', (req: Request, res: Response) => {
        const { query } = parseRequest(req, { query: ErrorsQuery });
        const body: ErrorsView = page(listErrors(query.status, query), query.offset, query.limit);
        res.json(body);
    });

    router.get('/api/errors.csv', (req: Request, res: Response) => {
        const { query } = parseRequest(req, { query: ErrorsCsvQuery });
        const stamp = now().toISOString().slice(0, 10);
        res.type('text/csv; charset=utf-8')
            .attachment(`sync-errors-${query.category ?? 'all'}-${stamp}.csv`)
            .send(errorsCsv(listErrors(query.status, query)));
    });

    router.get('/api/errors/summary', (req: Request, res: Response) => {
        parseRequest(req, {});
        res.json(summariseErrors(store.listErrors({ resolved: false, limit: MAX_LISTED })));
    });

    router.get('/api/conflicts', (req: Request, res: Response) => {
        const { query } = parseRequest(req, { query: ConflictsQuery });
        const conflicts = store.listConflicts({ salesforceId: query.salesforceId, limit: MAX_LISTED });
        const acknowledged = deps.conflicts.acknowledged(conflicts.map((conflict) => conflict.id));
        const views = conflicts
            .map((conflict) => {
                const ack = acknowledged.get(conflict.id);
                return { ...conflict, acknowledgedAt: ack?.at ?? null, acknowledgedBy: ack?.by ?? null };
            })
            .filter((view) => query.status === 'all' || (query.status === 'open') === (view.acknowledgedAt === null));
        const body: ConflictsView = page(views, query.offset, query.limit);
        res.json(body);
    });

    router.post('/api/conflicts/acknowledge', (req: Request, res: Response) => {
        const { body } = parseRequest(req, { body: AcknowledgeBody });
        const known = new Set(store.listConflicts({ limit: MAX_LISTED }).map((conflict) => conflict.id));
        const missing = body.ids.filter((id) => !known.has(id));
        if (missing.length > 0) throw new HttpError(404, 'NOT_FOUND', `No conflicts with ids ${missing.join(', ')}.`);
        res.json({ acknowledged: deps.conflicts.acknowledge(body.ids, operatorName(req)) });
    });

    router.get('/api/audit', (req: Request, res: Response) => {
        const { query } = parseRequest(req, { query: AuditQuery });
        const entries = store
            .auditTrail({ salesforceId: query.salesforceId, hubspotId: query.hubspotId, limit: MAX_LISTED })
            .filter(
                (entry) => query.field === undefined || entry.field === query.field || entry.property === query.field
            )
            .slice(0, query.limit);
        const body: AuditView = { entries };
        res.json(body);
    });

    router.get('/api/mappings', async (req: Request, res: Response) => {
        parseRequest(req, {});
        const { mapping, problems } = await deps.mappings.current();
        res.json(mappingsView(mapping, problems));
    });

    const recordView = async (target: RecordLookupTarget): Promise<RecordView> => {
        const link =
            (target.side === 'salesforce'
                ? store.findLinkBySalesforce(target.ref)
                : store.findLinkByHubSpot(target.ref)) ?? null;
        const counterpart: RecordLookupTarget | null = !link
            ? null
            : target.side === 'salesforce'
              ? { side: 'hubspot', ref: { hubspotObjectType: link.hubspotObjectType, hubspotId: link.hubspotId } }
              : {
                    side: 'salesforce',
                    ref: { salesforceObject: link.salesforceObject, salesforceId: link.salesforceId }
                };
        const values = await deps.records.lookup(target, counterpart);
        const salesforceId = target.side === 'salesforce' ? target.ref.salesforceId : link?.salesforceId;
        const hubspotId = target.side === 'hubspot' ? target.ref.hubspotId : link?.hubspotId;
        const audit = store.auditTrail(salesforceId ? { salesforceId, limit: 200 } : { hubspotId, limit: 200 });
        const errors: SyncErrorRecord[] = salesforceId
            ? store.listErrors({ salesforceId, limit: 200 })
            : store.listErrors({ limit: MAX_LISTED }).filter((error) => error.hubspotId === hubspotId);
        return { link, ...values, audit, errors };
    };

    router.get('/api/records/salesforce/:object/:id', async (req: Request, res: Response) => {
        const { params } = parseRequest(req, { params: SalesforceRecordPath });
        const view = await recordView({
            side: 'salesforce',
            ref: { salesforceObject: params.object, salesforceId: params.id }
        });
        if (!view.salesforce && !view.hubspot && !view.link && view.audit.length === 0) {
            throw new HttpError(404, 'NOT_FOUND', `No ${params.object} ${params.id} in Salesforce or the sync state.`);
        }
        res.json(view);
    });

    router.get('/api/records/hubspot/:objectType/:id', async (req: Request, res: Response) => {
        const { params } = parseRequest(req, { params: HubSpotRecordPath });
        const view = await recordView({
            side: 'hubspot',
            ref: { hubspotObjectType: params.objectType, hubspotId: params.id }
        });
        if (!view.salesforce && !view.hubspot && !view.link && view.audit.length === 0) {
            throw new HttpError(
                404,
                'NOT_FOUND',
                `No HubSpot ${params.objectType} ${params.id} in HubSpot or the sync state.`
            );
        }
        res.json(view);
    });

    router.post('/api/resync', async (req: Request, res: Response) => {
        const { body } = parseRequest(req, { body: ResyncBody });
        const unique = new Map(body.records.map((ref) => [`${ref.salesforceObject}:${ref.salesforceId}`, ref]));
        res.status(202).json(await controller.resync([...unique.values()]));
    });

    router.get('/api/usage', async (req: Request, res: Response) => {
        parseRequest(req, {});
        const usage = await deps.usage.usage();
        const runs = store
            .recentRuns(RECENT_RUNS)
            .reverse()
            .map((run) => ({
                id: run.id,
                startedAt: run.startedAt,
                mode: run.mode,
                salesforce: run.apiCalls.salesforce,
                hubspot: run.apiCalls.hubspot
            }));
        const body: UsageView = { ...usage, runs };
        res.json(body);
    });

    router.get('/api/timeline/salesforce/:id', async (req: Request, res: Response) => {
        const { params } = parseRequest(req, { params: TimelineSalesforcePath });
        const timeline = await deps.timeline({ side: 'salesforce', salesforceId: params.id });
        if (!timeline)
            throw new HttpError(404, 'NOT_FOUND', `Salesforce record ${params.id} is not linked to HubSpot.`);
        res.json(timeline);
    });

    router.get('/api/timeline/hubspot/:objectType/:id', async (req: Request, res: Response) => {
        const { params } = parseRequest(req, { params: TimelineHubSpotPath });
        const timeline = await deps.timeline({ side: 'hubspot', objectType: params.objectType, hubspotId: params.id });
        if (!timeline)
            throw new HttpError(404, 'NOT_FOUND', `HubSpot ${params.objectType} ${params.id} was not found.`);
        res.json(timeline);
    });

    return router;
}
