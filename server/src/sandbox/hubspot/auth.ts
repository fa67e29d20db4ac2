import type { Request } from 'express';
import { apiError, type HubSpotApiError } from './errors';

/** Every scope a sandbox route can require; the default token is granted all of them. */
export const ALL_SCOPES = [
    'crm.objects.contacts.read',
    'crm.objects.contacts.write',
    'crm.objects.companies.read',
    'crm.objects.companies.write',
    'crm.objects.deals.read',
    'crm.objects.deals.write',
    'crm.schemas.contacts.read',
    'crm.schemas.contacts.write',
    'crm.schemas.companies.read',
    'crm.schemas.companies.write',
    'crm.schemas.deals.read',
    'crm.schemas.deals.write',
    'crm.objects.owners.read',
    'behavioral_events.event_definitions.read_write',
    'content',
    'automation',
    'crm.lists.read',
    'automation.sequences.read',
    'automation.sequences.enrollments.write',
    'scheduler.meetings.meeting-link.read'
] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export interface PrivateApp {
    appId: number;
    scopes: ReadonlySet<string>;
}

const AUTH_DOCS = 'https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** Private-app tokens (`Authorization: Bearer pat-...`), each with the scopes its app was granted. */
export class TokenRegistry {
    private readonly tokens = new Map<string, PrivateApp>();

    add(token: string, app: { appId: number; scopes: readonly string[] }): void {
        this.tokens.set(token, { appId: app.appId, scopes: new Set(app.scopes) });
    }

    revoke(token: string): void {
        this.tokens.delete(token);
    }

    /** The app behind the request's bearer token, or the 401 HubSpot answers. */
    authenticate(req: Request): PrivateApp | HubSpotApiError {
        const header = req.get('authorization') ?? '';
        const match = /^Bearer\s+(.+)$/i.exec(header);
        const app = match ? this.tokens.get(match[1].trim()) : undefined;
        if (app) return app;
        return apiError(
            401,
            'INVALID_AUTHENTICATION',
            `Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at ${AUTH_DOCS}`
        );
    }
}

/** The 403 HubSpot sends when the app lacks a scope the endpoint needs. */
export function missingScopes(required: readonly string[]): HubSpotApiError {
    return apiError(
        403,
        'MISSING_SCOPES',
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        {
            errors: [
                {
                    message: 'One or more of the following scopes are required.',
                    context: { requiredGranularScopes: [...required] }
                }
            ],
            links: { scopes: 'https://developers.hubspot.com/scopes' }
        }
    );
}
