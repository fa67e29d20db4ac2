/**
 * The record itself — its properties and the history of its stage — read once per timeline and shared
 * by the header and the sections that need it (lifecycle, email address, owner).
 */
import type { Client } from '@hubspot/api-client';
import type { TimelineObjectType } from '../../contract/timeline';
import type { TimelineSubject } from '../source';
import { crmObjects, instantOf } from './crm-objects';
import { HubSpotCallError, callHubSpot } from './hubspot-call';
import { SharedLoader } from './shared-loader';

export interface StageChange {
    value: string;
    at: number;
    /** HubSpot user who made the change, when HubSpot reports one. */
    userId: string | null;
}

export interface CrmRecord {
    objectType: TimelineObjectType;
    id: string;
    properties: Record<string, string | null>;
    /** Values the stage property has had, oldest first. */
    stageHistory: StageChange[];
}

export class RecordLoader {
    private readonly loader: SharedLoader<CrmRecord | null>;

    constructor(
        private readonly client: Client,
        options: { ttlMs: number; timeoutMs: number; now?: () => number }
    ) {
        this.loader = new SharedLoader((key, signal) => this.read(key, signal), options);
    }

    /** Resolves null when HubSpot has no such record (or it is archived). */
    load(subject: TimelineSubject, signal: AbortSignal): Promise<CrmRecord | null> {
        return this.loader.get(`${subject.objectType}:${subject.hubspotId}`, signal);
    }

    /** Like `load`, for sections: a missing record is their failure too. */
    async require(subject: TimelineSubject, signal: AbortSignal): Promise<CrmRecord> {
        const record = await this.load(subject, signal);
        if (!record) {
            throw new HubSpotCallError(`read ${subject.objectType} ${subject.hubspotId}`, 404, {
                category: 'OBJECT_NOT_FOUND'
            });
        }
        return record;
    }

    private async read(key: string, signal: AbortSignal): Promise<CrmRecord | null> {
        const [objectType, id] = key.split(':') as [TimelineObjectType, string];
        const info = crmObjects[objectType];
        try {
            const object = await callHubSpot(signal, `read ${objectType} ${id}`, () =>
                this.client.crm.objects.basicApi.getById(info.crmType, id, [...info.properties], [info.stageProperty])
            );
            const history = object.propertiesWithHistory?.[info.stageProperty] ?? [];
            const stageHistory = history
                .map((entry) => ({
                    value: entry.value ?? '',
                    at: instantOf(entry.timestamp),
                    userId:
                        entry.updatedByUserId === undefined || entry.updatedByUserId === null
                            ? null
                            : String(entry.updatedByUserId)
                }))
                .filter((entry): entry is StageChange => entry.at !== null)
                .sort((a, b) => a.at - b.at);
            return { objectType, id: object.id, properties: { ...object.properties }, stageHistory };
        } catch (error) {
            if (error instanceof HubSpotCallError && error.status === 404) return null;
            throw error;
        }
    }
}
