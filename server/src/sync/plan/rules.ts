/**
 * The four sync rules as one decision over a three-way comparison: the current Salesforce value, the
 * current HubSpot value, and the snapshot of both taken when the field last synced. "Changed" means
 * "differs from the snapshot", so an untouched side never overwrites an edited one, and a value the
 * engine wrote itself (its hash is in the snapshot) never comes back as a change: that is the echo
 * suppression. Values are compared in canonical form (see values/conversion.ts).
 */
import type { SyncRule } from '../mapping/schema';

export const ruleReasons = [
    'in_sync',
    'unchanged',
    'salesforce_changed',
    'hubspot_changed',
    'both_changed_same_value',
    'conflict_salesforce_newer',
    'conflict_hubspot_newer',
    'first_sync_fill_blank',
    'first_sync_newer_wins',
    'hubspot_edit_overwritten',
    'salesforce_cleared',
    'hubspot_fills_blank',
    'one_way_field',
    'dont_sync',
    'lifecycle_derived',
    'lifecycle_mirrored',
    'record_created'
] as const;
export type RuleReason = (typeof ruleReasons)[number];

export type RuleOutcome =
    | { action: 'none'; reason: RuleReason }
    | { action: 'to_hubspot' | 'to_salesforce'; reason: RuleReason; conflict?: { winner: 'salesforce' | 'hubspot' } };

export interface RuleInput {
    rule: SyncRule;
    writable: { salesforce: boolean; hubspot: boolean };
    salesforceBlank: boolean;
    hubspotBlank: boolean;
    /** Undefined when the field has never synced (no snapshot). */
    salesforceChanged: boolean | undefined;
    hubspotChanged: boolean | undefined;
    /** Whether the two current values already agree once converted. */
    inSync: boolean;
    /** Salesforce: the record's SystemModstamp. HubSpot: the property history timestamp. ISO-8601. */
    salesforceChangedAt: string;
    hubspotChangedAt: string;
    /** The snapshot's Salesforce value was blank (distinguishes "cleared in Salesforce" from "always blank"). */
    snapshotSalesforceBlank: boolean | undefined;
}

const none = (reason: RuleReason): RuleOutcome => ({ action: 'none', reason });

/** Ties go to Salesforce: the seed keeps it as the primary CRM. */
function hubspotIsNewer(input: RuleInput): boolean {
    return Date.parse(input.hubspotChangedAt) > Date.parse(input.salesforceChangedAt);
}

export function applyRule(input: RuleInput): RuleOutcome {
    switch (input.rule) {
        case 'dont_sync':
            return none('dont_sync');
        case 'always_salesforce':
            if (input.inSync) return none('in_sync');
            return {
                action: 'to_hubspot',
                reason:
                    input.hubspotChanged && !input.salesforceChanged ? 'hubspot_edit_overwritten' : 'salesforce_changed'
            };
        case 'prefer_salesforce_unless_blank':
            return preferSalesforceUnlessBlank(input);
        case 'two_way':
            return twoWay(input);
    }
}

function preferSalesforceUnlessBlank(input: RuleInput): RuleOutcome {
    if (!input.salesforceBlank) {
        if (input.inSync) return none('in_sync');
        return {
            action: 'to_hubspot',
            reason: input.hubspotChanged && !input.salesforceChanged ? 'hubspot_edit_overwritten' : 'salesforce_changed'
        };
    }
    if (input.salesforceChanged && input.snapshotSalesforceBlank === false) {
        return input.hubspotBlank ? none('in_sync') : { action: 'to_hubspot', reason: 'salesforce_cleared' };
    }
    if (input.hubspotBlank) return none('in_sync');
    return { action: 'to_salesforce', reason: 'hubspot_fills_blank' };
}

function twoWay(input: RuleInput): RuleOutcome {
    if (input.inSync)
        return none(input.salesforceChanged && input.hubspotChanged ? 'both_changed_same_value' : 'in_sync');
    // A computed value on one side (formula, HubSpot score) flows from its owner only.
    if (!input.writable.hubspot) return { action: 'to_salesforce', reason: 'one_way_field' };
    if (!input.writable.salesforce) return { action: 'to_hubspot', reason: 'one_way_field' };

    if (input.salesforceChanged === undefined || input.hubspotChanged === undefined) {
        if (input.salesforceBlank) return { action: 'to_salesforce', reason: 'first_sync_fill_blank' };
        if (input.hubspotBlank) return { action: 'to_hubspot', reason: 'first_sync_fill_blank' };
        // Both sides hold a value of their own: a conflict like any other, decided by the newer change.
        return hubspotIsNewer(input)
            ? { action: 'to_salesforce', reason: 'first_sync_newer_wins', conflict: { winner: 'hubspot' } }
            : { action: 'to_hubspot', reason: 'first_sync_newer_wins', conflict: { winner: 'salesforce' } };
    }
    if (input.salesforceChanged && input.hubspotChanged) {
        return hubspotIsNewer(input)
            ? { action: 'to_salesforce', reason: 'conflict_hubspot_newer', conflict: { winner: 'hubspot' } }
            : { action: 'to_hubspot', reason: 'conflict_salesforce_newer', conflict: { winner: 'salesforce' } };
    }
    if (input.salesforceChanged) return { action: 'to_hubspot', reason: 'salesforce_changed' };
    if (input.hubspotChanged) return { action: 'to_salesforce', reason: 'hubspot_changed' };
    // Out of sync with neither side changed: the last write did not land; repeat it from Salesforce.
    return { action: 'to_hubspot', reason: 'unchanged' };
}
