/**
 * Portal-wide facts that change rarely and every timeline needs: the stages of the lifecycle-stage
 * property and of the deal pipelines, and the owners (for names and meeting links). Cached for
 * minutes, loaded once for concurrent callers.
 */
import type { Client } from '@hubspot/api-client';
import type { TimelineObjectType } from '../../contract/timeline';
import { crmObjects } from './crm-objects';
import { callHubSpot } from './hubspot-call';
import { SharedLoader } from './shared-loader';

export interface StageOption {
    stageId: string;
    label: string;
}

/** Stage lists keyed by `lifecyclestage` (contacts, companies) or by deal pipeline id. */
export type StageCatalogue = ReadonlyMap<string, StageOption[]>;

/**
 * Stages in pipeline order for one record. Contacts and companies: the lifecycle-stage options. Deals:
 * the stages of the deal's pipeline (HubSpot's `default` pipeline when the deal names none).
 */
export function stagesOf(
    objectType: TimelineObjectType,
    catalogue: StageCatalogue,
    properties: Record<string, string | null>
): StageOption[] {
    if (objectType === 'deal') return catalogue.get(properties.pipeline || 'default') ?? [];
    return catalogue.get('lifecyclestage') ?? [];
}

export interface OwnerInfo {
    id: string;
    name: string;
    /** The HubSpot user behind the owner (meeting links are keyed by it); null for queues. */
    userId: string | null;
}

export interface Owners {
    byId: ReadonlyMap<string, OwnerInfo>;
    byUserId: ReadonlyMap<string, OwnerInfo>;
}

const OWNER_PAGE = 100;
const MAX_OWNER_PAGES = 50;

export class PortalMetadata {
    private readonly stageLoader: SharedLoader<StageCatalogue>;
    private readonly ownerLoader: SharedLoader<Owners>;

    constructor(
        private readonly client: Client,
        options: { ttlMs: number; timeoutMs: number; now?: () => number }
    ) {
        this.stageLoader = new SharedLoader((key, signal) => this.loadStages(key, signal), options);
        this.ownerLoader = new SharedLoader((_key, signal) => this.loadOwners(signal), options);
    }

    /** Stage lists of an object type: lifecycle-stage options, or each deal pipeline's stages by pipeline id. */
    stageCatalogue(objectType: TimelineObjectType, signal: AbortSignal): Promise<StageCatalogue> {
        return this.stageLoader.get(crmObjects[objectType].crmType, signal);
    }

    owners(signal: AbortSignal): Promise<Owners> {
        return this.ownerLoader.get('owners', signal);
    }

    private async loadStages(crmType: string, signal: AbortSignal): Promise<StageCatalogue> {
        const byDisplayOrder = (a: { displayOrder?: number }, b: { displayOrder?: number }) =>
            (a.displayOrder ?? 0) - (b.displayOrder ?? 0);
        if (crmType === 'deals') {
            const pipelines = await callHubSpot(signal, 'read deal pipelines', () =>
                this.client.crm.pipelines.pipelinesApi.getAll('deals')
            );
            return new Map(
                pipelines.results.map((pipeline) => [
                    pipeline.id,
                    pipeline.stages
                        .filter((stage) => !stage.archived)
                        .sort(byDisplayOrder)
                        .map((stage) => ({ stageId: stage.id, label: stage.label }))
                ])
            );
        }
        const property = await callHubSpot(signal, `read ${crmType} lifecyclestage property`, () =>
            this.client.crm.properties.coreApi.getByName(crmType, 'lifecyclestage')
        );
        const stages = property.options
            .filter((option) => !option.hidden)
            .sort(byDisplayOrder)
            .map((option) => ({ stageId: option.value, label: option.label }));
        return new Map([['lifecyclestage', stages]]);
    }

    private async loadOwners(signal: AbortSignal): Promise<Owners> {
        const byId = new Map<string, OwnerInfo>();
        const byUserId = new Map<string, OwnerInfo>();
        let after: string | undefined;
        for (let page = 0; page < MAX_OWNER_PAGES; page++) {
            const response = await callHubSpot(signal, 'read owners', () =>
                this.client.crm.owners.ownersApi.getPage(undefined, after, OWNER_PAGE, false)
            );
            for (const owner of response.results) {
                const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ').trim();
                const info: OwnerInfo = {
                    id: owner.id,
                    name: name || owner.email || `Owner ${owner.id}`,
                    userId: owner.userId === undefined || owner.userId === null ? null : String(owner.userId)
                };
                byId.set(info.id, info);
                if (info.userId) byUserId.set(info.userId, info);
            }
            after = response.paging?.next?.after;
            if (!after) break;
        }
        return { byId, byUserId };
    }
}
