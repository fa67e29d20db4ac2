/**
 * Reading HubSpot changes through CRM search, which pages up to 200 at a time, sorts by one property only and
 * returns at most 10,000 results per query. The reader walks the last-modified property upwards; when a
 * query hits the cap it restarts from the last timestamp seen (narrowing the window), and when 10,000
 * records share one timestamp it walks that instant by `hs_object_id` instead. Pure: the adapter sends
 * `searchRequest(step)` and feeds each page to `nextSearchStep`.
 */
import type { HubSpotPropertyFilter, HubSpotScope } from '../mapping/filter';

/** HubSpot's largest search page (`limit` max 200): the search limit of 5 a second makes every page count. */
export const hubspotSearchPageSize = 200;
export const hubspotSearchResultCap = 10_000;
/** HubSpot search limits (2024): five filter groups, 25 filters in total. */
export const hubspotMaxFilterGroups = 5;
export const hubspotMaxFilters = 25;

/** Contacts keep `lastmodifieddate`; companies, deals and activities `hs_lastmodifieddate`. */
export function lastModifiedProperty(objectType: string): string {
    return objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

export interface SearchFilter {
    propertyName: string;
    operator: HubSpotPropertyFilter['operator'];
    value?: string;
    highValue?: string;
    values?: string[];
}

export interface SearchRequest {
    filterGroups: { filters: SearchFilter[] }[];
    sorts: { propertyName: string; direction: 'ASCENDING' }[];
    properties: string[];
    limit: number;
    after?: string;
}

export type SearchPhase =
    /** Everything modified at or after `fromMs` (after it, when `exclusive`), sorted by modification time. */
    | { kind: 'range'; fromMs: number; exclusive?: true }
    /** Records modified exactly at `atMs` with an ID above `afterId`, sorted by ID. */
    | { kind: 'tie'; atMs: number; afterId: string };

export interface SearchStep {
    phase: SearchPhase;
    /** HubSpot's paging token inside the current query. */
    after?: string;
}

export interface SearchContext {
    objectType: string;
    properties: string[];
    scope?: HubSpotScope;
}

export interface SearchPage {
    /** `id` and the record's last-modified value (epoch ms string or ISO-8601). */
    results: { id: string; modifiedAt: string }[];
    nextAfter?: string;
}

/**
 * Where a change read starts: from the beginning, from a cursor timestamp minus lookback, or just after a
 * settled cursor (see `settledCursor`: every record up to it was read, however many share its instant).
 */
export function firstSearchStep(fromMs = 0, options: { afterSettled?: boolean } = {}): SearchStep {
    return { phase: { kind: 'range', fromMs, ...(options.afterSettled ? { exclusive: true as const } : {}) } };
}

function scopeGroups(scope: HubSpotScope | undefined): SearchFilter[][] {
    if (!scope || !('filterGroups' in scope)) return [[]];
    return scope.filterGroups.map((group) =>
        group.filters.map(({ property, ...rest }) => ({ propertyName: property, ...rest }))
    );
}

export function searchRequest(context: SearchContext, step: SearchStep): SearchRequest {
    const modified = lastModifiedProperty(context.objectType);
    const cursorFilters: SearchFilter[] =
        step.phase.kind === 'range'
            ? [
                  {
                      propertyName: modified,
                      operator: step.phase.exclusive ? 'GT' : 'GTE',
                      value: String(step.phase.fromMs)
                  }
              ]
            : [
                  { propertyName: modified, operator: 'EQ', value: String(step.phase.atMs) },
                  { propertyName: 'hs_object_id', operator: 'GT', value: step.phase.afterId }
              ];
    // Filters inside a group are ANDed and groups ORed, so the cursor joins every scope group.
    const filterGroups = scopeGroups(context.scope).map((group) => ({ filters: [...group, ...cursorFilters] }));
    const filterCount = filterGroups.reduce((total, group) => total + group.filters.length, 0);
    if (filterGroups.length > hubspotMaxFilterGroups || filterCount > hubspotMaxFilters) {
        throw new Error(
            `the HubSpot scope of ${context.objectType} leaves no room for the change cursor (${filterCount} filters in ${filterGroups.length} groups)`
        );
    }
    return {
        filterGroups,
        sorts: [{ propertyName: step.phase.kind === 'range' ? modified : 'hs_object_id', direction: 'ASCENDING' }],
        properties: [...new Set([...context.properties, modified])],
        limit: hubspotSearchPageSize,
        ...(step.after === undefined ? {} : { after: step.after })
    };
}

function epochMs(value: string): number {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`not a HubSpot timestamp: ${value}`);
    return ms;
}

const numericIdOrder = (left: string, right: string) => Number(left) - Number(right);

/** The step after `page`, or undefined when the read is complete. */
export function nextSearchStep(step: SearchStep, page: SearchPage): SearchStep | undefined {
    const { phase } = step;
    const capped = page.nextAfter !== undefined && Number(page.nextAfter) >= hubspotSearchResultCap;
    if (page.nextAfter !== undefined && !capped) return { phase, after: page.nextAfter };

    if (phase.kind === 'tie') {
        if (!capped) return { phase: { kind: 'range', fromMs: phase.atMs + 1 } };
        const lastId =
            page.results
                .map((result) => result.id)
                .sort(numericIdOrder)
                .at(-1) ?? phase.afterId;
        return { phase: { kind: 'tie', atMs: phase.atMs, afterId: lastId } };
    }
    if (!capped) return undefined;
    const latest = Math.max(...page.results.map((result) => epochMs(result.modifiedAt)));
    // Restarting at the latest timestamp re-reads that instant's records; the planner sees them unchanged.
    if (latest > phase.fromMs) return { phase: { kind: 'range', fromMs: latest } };
    // 10,000 records share one timestamp: walk them by ID, then carry on after that instant.
    return { phase: { kind: 'tie', atMs: phase.fromMs, afterId: '0' } };
}
