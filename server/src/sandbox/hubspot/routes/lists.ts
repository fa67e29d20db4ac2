import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { apiError, sendJson } from '../errors';
import { queryInteger, requestOrigin, requireScope } from './support';

/** HubSpot pages list memberships 100 at a time by default, 250 at most. */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 250;

/** `GET /crm/v3/lists/{listId}/memberships`: the members of a list, paged with `after` (and `before`). */
export function listsRouter(context: SandboxContext): Router {
    const router = Router();
    router.get('/crm/v3/lists/:listId/memberships', (req: Request, res: Response) => {
        requireScope(res, 'crm.lists.read');
        const listId = String(req.params.listId);
        if (!context.lists.get(listId)) throw apiError(404, 'OBJECT_NOT_FOUND', `List ${listId} does not exist.`);
        const limit = Math.min(Math.max(queryInteger(req.query.limit, 'limit', DEFAULT_PAGE), 1), MAX_PAGE);
        const members = context.lists.members(listId);
        const before = req.query.before === undefined ? undefined : queryInteger(req.query.before, 'before', 0);
        const end = before ?? members.length;
        const start = before === undefined ? queryInteger(req.query.after, 'after', 0) : Math.max(end - limit, 0);
        const page = members.slice(start, Math.min(start + limit, end));
        const body: Record<string, unknown> = {
            results: page.map((member) => ({
                recordId: member.recordId,
                membershipTimestamp: new Date(member.joinedAt).toISOString()
            })),
            total: members.length
        };
        const paging: Record<string, unknown> = {};
        if (start + page.length < members.length) {
            const next = String(start + page.length);
            paging.next = {
                after: next,
                link: `${requestOrigin(req)}/crm/v3/lists/${listId}/memberships?after=${next}`
            };
        }
        if (start > 0) paging.prev = { before: String(start) };
        if (Object.keys(paging).length > 0) body.paging = paging;
        sendJson(res, 200, body);
    });
    return router;
}
