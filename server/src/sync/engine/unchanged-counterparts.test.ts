import { resolve } from 'node:path';

import { loadMappingFileOrThrow } from '../mapping/load';
import type { MappingFile } from '../mapping/schema';
import type { SalesforceRecord } from '../plan/plan-batch';
import { snapshotOf, type FieldSnapshot } from '../plan/plan-record';
import { standardLiveSchemas } from '../schema/standard-schemas.fixture';
import {
    assertMappingFitsSchemas,
    validateMappingAgainstSchemas,
    type ResolvedRecordMapping
} from '../schema/validate-mapping';
import {
    changeSearchStillCurrent,
    standsInFromSnapshots,
    unchangedCounterpart,
    unchangedForMs
} from './unchanged-counterparts';

const mapping = loadMappingFileOrThrow(resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml'));
const { resolved } = assertMappingFitsSchemas(validateMappingAgainstSchemas(mapping, standardLiveSchemas()));
const resolvedOf = (id: string) => resolved.get(id)!;
const contacts = resolvedOf('contact_to_contact');
const deals = resolvedOf('opportunity_to_deal');
const context = { mapping };

/** Snapshots of every synced field of `of`, HubSpot's value being `hubspot:<field>`. */
function snapshotsOf(of: ResolvedRecordMapping): Record<string, FieldSnapshot> {
    const snapshots: Record<string, FieldSnapshot> = {};
    for (const field of of.fields) {
        if (field.rule === 'dont_sync') continue;
        snapshots[field.salesforce.name] = snapshotOf(field, `sf:${field.salesforce.name}`, `hs:${field.hubspot.name}`);
    }
    return snapshots;
}

const contact = (values: SalesforceRecord['values'] = {}): SalesforceRecord => ({
    id: '003000000000001AAA',
    values: { HubSpot_Lifecycle_Stage__c: 'lead', ...values },
    modifiedAt: '2026-11-27T10:00:00.000Z'
});

describe('unchangedCounterpart', () => {
    test('is the HubSpot record as the snapshots and the lifecycle mirror say', () => {
        const standIn = unchangedCounterpart(context, contacts, contact(), '501', snapshotsOf(contacts));

        expect(standIn).toEqual({
            id: '501',
            modifiedAt: new Date(0).toISOString(),
            values: expect.objectContaining({ jobtitle: 'hs:jobtitle', email: 'hs:email', lifecyclestage: 'lead' })
        });
        expect(Object.keys(standIn!.values)).toHaveLength(
            contacts.fields.filter((field) => field.rule !== 'dont_sync').length + 1
        );
    });

    test('keeps a mirror that says the contact has no stage', () => {
        const standIn = unchangedCounterpart(
            context,
            contacts,
            contact({ HubSpot_Lifecycle_Stage__c: null }),
            '501',
            snapshotsOf(contacts)
        );
        expect(standIn?.values.lifecyclestage).toBeNull();
    });

    test('is not made when a synced field has no snapshot (the record is read instead)', () => {
        const snapshots = snapshotsOf(contacts);
        delete snapshots.Phone;
        expect(unchangedCounterpart(context, contacts, contact(), '501', snapshots)).toBeUndefined();
        expect(unchangedCounterpart(context, contacts, contact(), '501', undefined)).toBeUndefined();
    });

    test('is not made when the Salesforce record was read without the lifecycle mirror', () => {
        const record: SalesforceRecord = { ...contact(), values: { LastName: 'Doe' } };
        expect(unchangedCounterpart(context, contacts, record, '501', snapshotsOf(contacts))).toBeUndefined();
    });

    test("takes a deal's pipeline and stage from the stage snapshot", () => {
        const snapshots = {
            ...snapshotsOf(deals),
            StageName: { ...snapshotsOf(deals).StageName!, hubspotValue: 'default/appointmentscheduled' }
        };
        const opportunity = { id: '006000000000001AAA', values: {}, modifiedAt: '2026-11-27T10:00:00.000Z' };

        expect(unchangedCounterpart(context, deals, opportunity, '9', snapshots)?.values).toMatchObject({
            pipeline: 'default',
            dealstage: 'appointmentscheduled'
        });
        const withoutStage = { ...snapshots, StageName: { ...snapshots.StageName, hubspotValue: null } };
        expect(unchangedCounterpart(context, deals, opportunity, '9', withoutStage)).toBeUndefined();
    });
});

describe('standsInFromSnapshots', () => {
    test('holds for the shipped mappings', () => {
        for (const each of resolved.values()) expect(standsInFromSnapshots(context, each)).toBe(true);
    });

    test('not for a mapping with a HubSpot scope: its check needs properties no snapshot keeps', () => {
        const scoped: ResolvedRecordMapping = {
            ...contacts,
            mapping: { ...contacts.mapping, scope: { hubspot: { listId: '12' } } }
        };
        expect(standsInFromSnapshots(context, scoped)).toBe(false);
    });

    test('not for a lifecycle stage that is not mirrored into Salesforce', () => {
        const unmirrored: MappingFile = { ...mapping, lifecycle: { ...mapping.lifecycle, salesforceField: undefined } };
        expect(standsInFromSnapshots({ mapping: unmirrored }, contacts)).toBe(false);
        expect(standsInFromSnapshots({ mapping: unmirrored }, resolvedOf('account_to_company'))).toBe(true);
    });
});

describe('changeSearchStillCurrent', () => {
    const at = Date.parse('2026-11-27T10:00:00.000Z');
    const now = (ms: number) => ({ now: () => new Date(ms) });

    test('only after a search of every change, and only for a while', () => {
        const searched = new Date(at).toISOString();
        expect(changeSearchStillCurrent(now(at + 5_000), searched)).toBe(true);
        expect(changeSearchStillCurrent(now(at + unchangedForMs), searched)).toBe(true);
        expect(changeSearchStillCurrent(now(at + unchangedForMs + 1), searched)).toBe(false);
        expect(changeSearchStillCurrent(now(at), undefined)).toBe(false);
    });
});
