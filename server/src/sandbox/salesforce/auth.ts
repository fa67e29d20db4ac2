import { createPublicKey, createVerify, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import type { SandboxClock } from '../common/clock';

/**
 * OAuth 2.0 as a Salesforce org answers it: connected-app credentials, the integration user, sessions
 * that expire after inactivity (on the sandbox clock), refresh tokens, and JWT bearer assertions verified
 * against the connected app's certificate.
 */
export interface AuthSettings {
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
    /** Inactivity timeout of a session (Salesforce's default is 2 hours). */
    sessionTimeoutMs: number;
    /** PEM certificate or public key of the connected app, for the JWT bearer flow. */
    jwtCertificate?: string;
}

export interface Session {
    accessToken: string;
    userId: string;
    clientId: string;
    lastUsedAt: number;
}

export class OAuthError extends Error {
    constructor(
        readonly error: string,
        readonly description: string,
        readonly httpStatus = 400
    ) {
        super(description);
    }
}

export interface TokenGrant {
    userId: string;
    clientId: string;
    withRefreshToken: boolean;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const JWT_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

function base64UrlJson(part: string): Record<string, unknown> {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed as Record<string, unknown>;
}

export class AuthService {
    private readonly sessions = new Map<string, Session>();
    private readonly refreshTokens = new Map<string, { userId: string; clientId: string }>();
    private readonly authorizationCodes = new Map<string, { userId: string; clientId: string; redirectUri: string }>();
    private readonly jwtKey: KeyObject | undefined;

    constructor(
        readonly settings: AuthSettings,
        readonly orgId: string,
        private readonly integrationUserId: string,
        private readonly clock: SandboxClock,
        /** The login URL jsforce was given, accepted as a JWT audience besides Salesforce's own. */
        private readonly loginUrl: () => string,
        /**
         * Another active user of the org by username: the sandbox lets every user log in with the org's
         * password, so a test can act as a sales rep (whose edits are not the integration user's).
         */
        private readonly otherUser: (username: string) => string | undefined = () => undefined
    ) {
        if (settings.jwtCertificate) {
            this.jwtKey = settings.jwtCertificate.includes('CERTIFICATE')
                ? new X509Certificate(settings.jwtCertificate).publicKey
                : createPublicKey(settings.jwtCertificate);
        }
    }

    /** The user a username-password login authenticates: the integration user or another active user. */
    private passwordUser(params: Record<string, string | undefined>): string {
        const userId =
            params.username === this.settings.username
                ? this.integrationUserId
                : params.username
                  ? this.otherUser(params.username)
                  : undefined;
        if (!userId || params.password !== this.settings.password) {
            throw new OAuthError('invalid_grant', 'authentication failure');
        }
        return userId;
    }

    /** Handles a POST to /services/oauth2/token; returns the grant or throws OAuthError. */
    grant(params: Record<string, string | undefined>): TokenGrant {
        const grantType = params.grant_type;
        if (!grantType) throw new OAuthError('invalid_request', 'grant type not supported');
        switch (grantType) {
            case 'password':
                this.checkClient(params, true);
                return { userId: this.passwordUser(params), clientId: this.settings.clientId, withRefreshToken: false };
            case 'client_credentials':
                this.checkClient(params, true);
                return { userId: this.integrationUserId, clientId: this.settings.clientId, withRefreshToken: false };
            case 'refresh_token': {
                this.checkClient(params, false);
                const stored = params.refresh_token ? this.refreshTokens.get(params.refresh_token) : undefined;
                if (!stored) throw new OAuthError('invalid_grant', 'expired access/refresh token');
                return { userId: stored.userId, clientId: stored.clientId, withRefreshToken: false };
            }
            case 'authorization_code': {
                this.checkClient(params, true);
                const stored = params.code ? this.authorizationCodes.get(params.code) : undefined;
                if (!stored) throw new OAuthError('invalid_grant', 'invalid authorization code');
                if (stored.redirectUri !== params.redirect_uri) {
                    throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
                }
                this.authorizationCodes.delete(params.code!);
                return { userId: stored.userId, clientId: stored.clientId, withRefreshToken: true };
            }
            case JWT_GRANT:
                return this.verifyJwt(params.assertion);
            default:
                throw new OAuthError('unsupported_grant_type', 'grant type not supported');
        }
    }

    /** The authorize endpoint approves at once (the integration user has pre-authorised the app). */
    authorize(clientId: string | undefined, redirectUri: string | undefined): string {
        if (clientId !== this.settings.clientId) throw new OAuthError('invalid_client_id', 'client identifier invalid');
        if (!redirectUri) throw new OAuthError('invalid_request', 'missing required redirect_uri parameter');
        const code = `aPrx${randomBytes(24).toString('base64url')}`;
        this.authorizationCodes.set(code, { userId: this.integrationUserId, clientId, redirectUri });
        return code;
    }

    issue(grant: TokenGrant): { session: Session; refreshToken?: string } {
        const accessToken = `${this.orgId.slice(0, 15)}!AQ${randomBytes(36).toString('base64url')}`;
        const session: Session = {
            accessToken,
            userId: grant.userId,
            clientId: grant.clientId,
            lastUsedAt: this.clock.now()
        };
        this.sessions.set(accessToken, session);
        if (!grant.withRefreshToken) return { session };
        const refreshToken = `5Aep${randomBytes(40).toString('base64url')}`;
        this.refreshTokens.set(refreshToken, { userId: grant.userId, clientId: grant.clientId });
        return { session, refreshToken };
    }

    /** A live session for the token (extending it), or undefined when unknown or timed out. */
    authenticate(accessToken: string | undefined): Session | undefined {
        if (!accessToken) return undefined;
        const session = this.sessions.get(accessToken);
        if (!session) return undefined;
        const now = this.clock.now();
        if (now - session.lastUsedAt > this.settings.sessionTimeoutMs) {
            this.sessions.delete(accessToken);
            return undefined;
        }
        session.lastUsedAt = now;
        return session;
    }

    /** Registers a token chosen by the operator (for `new Connection({ accessToken })` wiring). */
    registerAccessToken(accessToken: string): Session {
        const session = {
            accessToken,
            userId: this.integrationUserId,
            clientId: this.settings.clientId,
            lastUsedAt: this.clock.now()
        };
        this.sessions.set(accessToken, session);
        return session;
    }

    /** Issues a refresh token without a browser round trip (what an admin's authorised app would hold). */
    mintRefreshToken(): string {
        const refreshToken = `5Aep${randomBytes(40).toString('base64url')}`;
        this.refreshTokens.set(refreshToken, { userId: this.integrationUserId, clientId: this.settings.clientId });
        return refreshToken;
    }

    revoke(token: string | undefined): void {
        if (!token) throw new OAuthError('unsupported_token_type', 'this token type is not supported');
        if (this.sessions.delete(token)) return;
        if (this.refreshTokens.delete(token)) return;
        throw new OAuthError('invalid_token', 'invalid token');
    }

    /** Ends one session (the "expired session" fault); true when it existed. */
    endSession(accessToken: string): boolean {
        return this.sessions.delete(accessToken);
    }

    /** Ends every session (the "expired session" fault and the control surface use it). */
    expireAllSessions(): void {
        this.sessions.clear();
    }

    private checkClient(params: Record<string, string | undefined>, secretRequired: boolean): void {
        if (params.client_id !== this.settings.clientId) {
            throw new OAuthError('invalid_client_id', 'client identifier invalid');
        }
        if (
            (secretRequired || params.client_secret !== undefined) &&
            params.client_secret !== this.settings.clientSecret
        ) {
            throw new OAuthError('invalid_client', 'invalid client credentials');
        }
    }

    private verifyJwt(assertion: string | undefined): TokenGrant {
        if (!this.jwtKey) throw new OAuthError('invalid_grant', 'invalid assertion');
        const parts = assertion?.split('.') ?? [];
        if (parts.length !== 3) throw new OAuthError('invalid_grant', 'invalid assertion');
        let header: Record<string, unknown>;
        let claims: Record<string, unknown>;
        try {
            header = base64UrlJson(parts[0]);
            claims = base64UrlJson(parts[1]);
        } catch {
            throw new OAuthError('invalid_grant', 'invalid assertion');
        }
        if (header.alg !== 'RS256') throw new OAuthError('invalid_grant', 'invalid assertion');
        const verifier = createVerify('RSA-SHA256');
        verifier.update(`${parts[0]}.${parts[1]}`);
        if (!verifier.verify(this.jwtKey, Buffer.from(parts[2], 'base64url'))) {
            throw new OAuthError('invalid_grant', 'invalid assertion');
        }
        if (claims.iss !== this.settings.clientId)
            throw new OAuthError('invalid_client_id', 'client identifier invalid');
        const audiences = [...JWT_AUDIENCES, this.loginUrl()];
        const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
        if (!aud.some((a) => typeof a === 'string' && audiences.includes(a.replace(/\/$/, '')))) {
            throw new OAuthError('invalid_grant', 'audience is invalid');
        }
        if (typeof claims.exp !== 'number' || claims.exp * 1000 < this.clock.now()) {
            throw new OAuthError('invalid_grant', 'expired authorization code');
        }
        if (claims.sub !== this.settings.username)
            throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
        return { userId: this.integrationUserId, clientId: this.settings.clientId, withRefreshToken: false };
    }
}
