/**
 * One record mapping, one batch of changes in, every decision out: which pairs update, which records
 * are created on which side, which new links to store, which records are Excluded or ambiguous.
 *
 * The adapters gather the input: the changed records of both sides plus, for each of them, the
 * counterparts the link table or the ID fields name and the candidates sharing a natural key (one
 * batched read or search per side). Everything here is pure.
 */
import { findCounterpart, indexByKey, naturalKeyOf, type MatchVia } from '../identity/match';
import type { MappingFile } from '../mapping/schema';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { HubSpotValue, SalesforceValue } from '../values/conversion';
import { planCreateInHubSpot, planCreateInSalesforce, type CreatePlan } from './create';
import type { FieldSnapshot, RecordPlan } from './plan-record';
import { planLinkedPair, type PairContext } from './record-pair';

export interface SalesforceRecord {
    id: string;
    values: Record<string, SalesforceValue | undefined>;
    /** SystemModstamp. */
    modifiedAt: string;
    /** Created and last modified by the integration user: its values are what the engine copied there. */
    writtenByIntegrationOnly?: boolean;
}

export interface HubSpotRecord {
    id: string;
    values: Record<string, HubSpotValue | undefined>;
    modifiedAt: string;
    propertyChangedAt?: Record<string, string | undefined>;
    /** See `RecordPairState.hubspot.propertyEarlierValues`. */
    propertyEarlierValues?: Record<string, (HubSpotValue | null)[] | undefined>;
}

export interface BatchInput {
    mapping: MappingFile;
    resolved: ResolvedRecordMapping;
    salesforce: SalesforceRecord[];
    hubspot: HubSpotRecord[];
    links: {
        /** This mapping's Salesforce records → their HubSpot record. */
        bySalesforceId: Map<string, string>;
        /** HubSpot records of this object type → the Salesforce record they sync with, whatever its object. */
        byHubSpotId: Map<string, { salesforceObject: string; salesforceId: string }>;
    };
    snapshots: Map<string, Record<string, FieldSnapshot>>;
    /** Salesforce records that lost a duplicate decision, with the reason naming the winner. */
    excluded?: Map<string, string>;
    context?: PairContext;
    /** Per Salesforce record: its opportunities, for lifecycle derivation. */
    opportunities?: Map<string, NonNullable<PairContext['opportunities']>>;
}

export interface Ambiguity {
    side: 'salesforce' | 'hubspot';
    /** The record that found several counterparts. */
    id: string;
    candidates: string[];
    via: MatchVia;
}

export interface BatchPlan {
    updates: { salesforceId: string; hubspotId: string; plan: RecordPlan }[];
    createInHubSpot: { salesforceId: string; plan: CreatePlan }[];
    createInSalesforce: { hubspotId: string; plan: CreatePlan }[];
    /** Pairs matched now (ID field or natural key): store them with the writes. */
    newLinks: { salesforceId: string; hubspotId: string; via: MatchVia }[];
    ambiguous: Ambiguity[];
    excluded: { salesforceId: string; reason: string }[];
    /** Linked counterparts the input did not contain: deleted or out of reach; the delete policy applies. */
    missingCounterparts: { side: 'salesforce' | 'hubspot'; id: string; counterpartId: string }[];
}

const asText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function planBatch(input: BatchInput): BatchPlan {
    const { mapping, resolved, links } = input;
    const { identity, create } = resolved.mapping;
    const plan: BatchPlan = {
        updates: [],
        createInHubSpot: [],
        createInSalesforce: [],
        newLinks: [],
        ambiguous: [],
        excluded: [],
        missingCounterparts: []
    };

    const salesforceById = new Map(input.salesforce.map((record) => [record.id, record]));
    const hubspotById = new Map(input.hubspot.map((record) => [record.id, record]));
    const keyOfSalesforce = (record: SalesforceRecord) =>
        naturalKeyOf(identity.match, identity.salesforceMatchField && record.values[identity.salesforceMatchField]);
    const keyOfHubSpot = (record: HubSpotRecord) =>
        naturalKeyOf(identity.match, identity.hubspotMatchProperty && record.values[identity.hubspotMatchProperty]);
    const idOf = (record: { id: string }) => record.id;
    const hubspotByIdProperty = indexByKey(input.hubspot, idOf, (record) =>
        asText(identity.salesforceIdProperty && record.values[identity.salesforceIdProperty])
    );
    const salesforceByIdField = indexByKey(input.salesforce, idOf, (record) =>
        asText(identity.hubspotIdField && record.values[identity.hubspotIdField])
    );
    const hubspotByKey = indexByKey(input.hubspot, idOf, keyOfHubSpot);
    const salesforceByKey = indexByKey(input.salesforce, idOf, keyOfSalesforce);

    const paired = new Map<string, string>(); // Salesforce ID → HubSpot ID, decided in this batch
    const ambiguousSalesforce = new Set<string>();
    const pairedHubSpot = new Set<string>();
    const takenHubSpot = (salesforceId: string) => (hubspotId: string) => {
        const linkedTo = links.byHubSpotId.get(hubspotId);
        return (linkedTo !== undefined && linkedTo.salesforceId !== salesforceId) || pairedHubSpot.has(hubspotId);
    };
    // Every "Salesforce ID" property of this HubSpot object type (salesforceleadid, salesforcecontactid).
    const siblingIdProperties = mapping.records
        .filter((record) => record.enabled && record.hubspotObjectType === resolved.mapping.hubspotObjectType)
        .flatMap((record) => (record.identity.salesforceIdProperty ? [record.identity.salesforceIdProperty] : []));
    const takenSalesforce = (hubspotId: string) => (salesforceId: string) => {
        const linkedTo = links.bySalesforceId.get(salesforceId);
        return (linkedTo !== undefined && linkedTo !== hubspotId) || paired.has(salesforceId);
    };

    const pair = (salesforce: SalesforceRecord, hubspot: HubSpotRecord, via: MatchVia) => {
        paired.set(salesforce.id, hubspot.id);
        pairedHubSpot.add(hubspot.id);
        if (via !== 'stored_link') plan.newLinks.push({ salesforceId: salesforce.id, hubspotId: hubspot.id, via });
        plan.updates.push({
            salesforceId: salesforce.id,
            hubspotId: hubspot.id,
            plan: planLinkedPair(
                mapping,
                resolved,
                { salesforce, hubspot, snapshots: input.snapshots.get(salesforce.id) ?? {} },
                { ...input.context, ...opportunitiesOf(input, salesforce.id) }
            )
        });
    };

    // A record naming any Salesforce ID already syncs with something this batch did not read.
    const namesSalesforceRecord = (record: HubSpotRecord) =>
        siblingIdProperties.some((property) => asText(record.values[property]) !== undefined);

    for (const salesforce of [...input.salesforce].sort((left, right) => left.id.localeCompare(right.id))) {
        const reason = input.excluded?.get(salesforce.id);
        if (reason !== undefined) {
            plan.excluded.push({ salesforceId: salesforce.id, reason });
            continue;
        }
        const ownHubSpotId = asText(identity.hubspotIdField && salesforce.values[identity.hubspotIdField]);
        const namesakes = hubspotByKey.get(keyOfSalesforce(salesforce) ?? '') ?? [];
        const storedLink = links.bySalesforceId.get(salesforce.id);
        const match = findCounterpart({
            ...(storedLink === undefined ? {} : { storedLink }),
            idFieldMatches: [
                ...(hubspotByIdProperty.get(salesforce.id) ?? []),
                ...(ownHubSpotId && hubspotById.has(ownHubSpotId) ? [ownHubSpotId] : [])
            ].filter((id) => !takenHubSpot(salesforce.id)(id)),
            naturalKeyMatches: namesakes,
            naturalKey: identity.match,
            isLinkedElsewhere: takenHubSpot(salesforce.id)
        });
        if (match.status === 'matched') {
            const hubspot = hubspotById.get(match.counterpartId);
            if (hubspot) pair(salesforce, hubspot, match.via);
            else
                plan.missingCounterparts.push({
                    side: 'hubspot',
                    id: salesforce.id,
                    counterpartId: match.counterpartId
                });
        } else if (match.status === 'ambiguous') {
            ambiguousSalesforce.add(salesforce.id);
            plan.ambiguous.push({
                side: 'salesforce',
                id: salesforce.id,
                candidates: match.candidates,
                via: match.via
            });
        } else if (namesakes.length > 0 && identity.match !== 'none') {
            // Its email or domain belongs to a record that syncs with someone else: creating would duplicate it.
            ambiguousSalesforce.add(salesforce.id);
            plan.ambiguous.push({
                side: 'salesforce',
                id: salesforce.id,
                candidates: [...namesakes].sort(),
                via: identity.match
            });
        } else if (create.toHubSpot) {
            const context = { ...input.context, ...opportunitiesOf(input, salesforce.id) };
            plan.createInHubSpot.push({
                salesforceId: salesforce.id,
                plan: planCreateInHubSpot(mapping, resolved, salesforce, context)
            });
        }
    }

    for (const hubspot of [...input.hubspot].sort((left, right) => left.id.localeCompare(right.id))) {
        if (pairedHubSpot.has(hubspot.id)) continue;
        const linkedTo = links.byHubSpotId.get(hubspot.id);
        if (linkedTo !== undefined) {
            // Another mapping's record (a Lead's contact while planning Contacts) is that mapping's concern.
            if (
                linkedTo.salesforceObject === resolved.mapping.salesforceObject &&
                !salesforceById.has(linkedTo.salesforceId)
            ) {
                plan.missingCounterparts.push({
                    side: 'salesforce',
                    id: hubspot.id,
                    counterpartId: linkedTo.salesforceId
                });
            }
            continue;
        }
        const ownSalesforceId = asText(identity.salesforceIdProperty && hubspot.values[identity.salesforceIdProperty]);
        const namesakes = salesforceByKey.get(keyOfHubSpot(hubspot) ?? '') ?? [];
        const match = findCounterpart({
            idFieldMatches: [
                ...(salesforceByIdField.get(hubspot.id) ?? []),
                ...(ownSalesforceId && salesforceById.has(ownSalesforceId) ? [ownSalesforceId] : [])
            ].filter((id) => !takenSalesforce(hubspot.id)(id)),
            naturalKeyMatches: namesakes,
            naturalKey: identity.match,
            // A Salesforce record that found several HubSpot candidates must not be claimed by one of them.
            isLinkedElsewhere: (salesforceId) =>
                takenSalesforce(hubspot.id)(salesforceId) ||
                ambiguousSalesforce.has(salesforceId) ||
                input.excluded?.has(salesforceId) === true
        });
        if (match.status === 'matched') {
            const salesforce = salesforceById.get(match.counterpartId);
            if (salesforce) pair(salesforce, hubspot, match.via);
        } else if (match.status === 'ambiguous') {
            plan.ambiguous.push({ side: 'hubspot', id: hubspot.id, candidates: match.candidates, via: match.via });
        } else if (namesakes.length > 0 && identity.match !== 'none') {
            plan.ambiguous.push({
                side: 'hubspot',
                id: hubspot.id,
                candidates: [...namesakes].sort(),
                via: identity.match
            });
        } else if (create.toSalesforce && !namesSalesforceRecord(hubspot)) {
            plan.createInSalesforce.push({
                hubspotId: hubspot.id,
                plan: planCreateInSalesforce(mapping, resolved, hubspot, input.context)
            });
        }
    }
    return plan;
}

function opportunitiesOf(input: BatchInput, salesforceId: string): Pick<PairContext, 'opportunities'> {
    const opportunities = input.opportunities?.get(salesforceId);
    return opportunities === undefined ? {} : { opportunities };
}
