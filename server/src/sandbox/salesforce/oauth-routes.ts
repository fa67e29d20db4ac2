import express, { type Router } from 'express';
import { OAuthError, type AuthService, type Session } from './auth';
import { bearerToken, sendJson } from './http-util';

/**
 * The login server: token (every grant jsforce sends), authorize (auto-approved), revoke, and the
 * identity URL. `instance_url` is the origin the client called, so jsforce talks back to this sandbox.
 */
export function createOAuthRouter(
    auth: AuthService,
    orgId: string,
    onLogin: (origin: string) => void,
    identity: (origin: string, session: Session) => unknown
): Router {
    const app = express.Router();
    app.post('/services/oauth2/token', (req, res) => {
        const loginUrl = `${req.protocol}://${req.get('host')}`;
        onLogin(loginUrl);
        const params = Object.fromEntries(
            new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '')
        );
        try {
            const grant = auth.grant(params);
            const { session, refreshToken } = auth.issue(grant);
            sendJson(res, 200, tokenResponse(loginUrl, session, orgId, refreshToken));
        } catch (error) {
            if (!(error instanceof OAuthError)) throw error;
            sendJson(res, error.httpStatus, { error: error.error, error_description: error.description });
        }
    });
    app.get('/services/oauth2/authorize', (req, res) => {
        const query = new URLSearchParams(req.url.split('?')[1] ?? '');
        try {
            const code = auth.authorize(query.get('client_id') ?? undefined, query.get('redirect_uri') ?? undefined);
            const target = new URL(query.get('redirect_uri')!);
            target.searchParams.set('code', code);
            if (query.get('state')) target.searchParams.set('state', query.get('state')!);
            res.redirect(302, target.toString());
        } catch (error) {
            if (!(error instanceof OAuthError)) throw error;
            sendJson(res, 400, { error: error.error, error_description: error.description });
        }
    });
    app.post('/services/oauth2/revoke', (req, res) => {
        const params = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
        try {
            auth.revoke(params.get('token') ?? undefined);
            res.status(200).end();
        } catch (error) {
            if (!(error instanceof OAuthError)) throw error;
            sendJson(res, 400, { error: error.error, error_description: error.description });
        }
    });
    app.get('/id/:orgId/:userId', (req, res) => {
        const token =
            bearerToken(req) ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : undefined);
        const session = auth.authenticate(token);
        if (!session) return sendJson(res, 403, 'Bad_OAuth_Token');
        if (req.params.userId !== session.userId || req.params.orgId !== orgId) return sendJson(res, 404, 'Bad_Id');
        sendJson(res, 200, identity(`${req.protocol}://${req.get('host')}`, session));
    });
    return app;
}

function tokenResponse(origin: string, session: Session, orgId: string, refreshToken?: string) {
    return {
        access_token: session.accessToken,
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        signature: Buffer.from(session.accessToken).toString('base64').slice(0, 44),
        scope: refreshToken ? 'api refresh_token' : 'api',
        instance_url: origin,
        id: `${origin}/id/${orgId}/${session.userId}`,
        token_type: 'Bearer',
        issued_at: String(session.lastUsedAt)
    };
}
