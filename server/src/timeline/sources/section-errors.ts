/**
 * Maps what went wrong while reading HubSpot to the section error contract: a machine-readable code and
 * one sentence a sales rep can act on. Timeouts are left to the TimelineService, which reports TIMEOUT.
 */
import { TimelineSourceError } from '../source';
import { HubSpotCallError, HubSpotShapeError } from './hubspot-call';

export function toSectionError(error: unknown, label: string): unknown {
    if (error instanceof TimelineSourceError) return error;
    if (error instanceof HubSpotShapeError) {
        return new TimelineSourceError('INVALID_DATA', `HubSpot returned ${label} the relay could not read.`, {
            cause: error
        });
    }
    if (!(error instanceof HubSpotCallError)) return error;
    const { status, details } = error;
    if (status === 429) {
        const daily = details.policyName === 'DAILY';
        return new TimelineSourceError(
            'RATE_LIMITED',
            daily
                ? `The HubSpot API limit for today is used up, so ${label} cannot be loaded until it resets.`
                : `HubSpot is busy with other requests from this portal. ${capitalize(label)} will load again in a minute.`,
            { cause: error }
        );
    }
    if (status === 401 || status === 403) {
        return new TimelineSourceError(
            'HUBSPOT_ERROR',
            `The relay is not allowed to read ${label} in HubSpot. Ask your HubSpot admin to check the app's access.`,
            { cause: error }
        );
    }
    if (status === 404) {
        return new TimelineSourceError('NOT_FOUND', `HubSpot could not find ${label} for this record.`, {
            cause: error
        });
    }
    return new TimelineSourceError('HUBSPOT_ERROR', `HubSpot ${label} could not be loaded. Try again in a minute.`, {
        cause: error
    });
}

function capitalize(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Runs a source's work and rethrows its failure in the section error contract. */
export async function withSectionErrors<T>(label: string, work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (error) {
        throw toSectionError(error, label);
    }
}
