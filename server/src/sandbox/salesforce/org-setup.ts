import type { DmlEngine } from './dml';
import type { SchemaCatalog } from './schema/catalog';
import { LEAD_STATUSES, OPPORTUNITY_STAGES } from './schema/standard-objects';
import type { RecordStore, SObjectRecord } from './store';

/**
 * The configuration rows every org has before any data: users (the integration user the API logs in
 * as, sales reps whose UI edits the control surface simulates), record types, lead statuses and
 * opportunity stages. Their IDs are the first of the sequence, so they are stable across runs.
 */
export interface OrgUsers {
    integrationUserId: string;
    salesRepIds: string[];
}

const SALES_REPS = [
    { FirstName: 'Ada', LastName: 'Lovelace', Alias: 'alove', Title: 'Account Executive' },
    { FirstName: 'Grace', LastName: 'Hopper', Alias: 'ghopp', Title: 'Sales Development Rep' },
    { FirstName: 'Alan', LastName: 'Turing', Alias: 'aturi', Title: 'Sales Manager' }
];

export function setUpOrg(
    catalog: SchemaCatalog,
    store: RecordStore,
    dml: DmlEngine,
    integrationUsername: string,
    now: number
): OrgUsers {
    const existingUsers = [...store.table('User').values()];
    if (existingUsers.length > 0) {
        const integration = existingUsers.find((u) => u.Username === integrationUsername) ?? existingUsers[0];
        return {
            integrationUserId: integration.Id,
            salesRepIds: existingUsers.filter((u) => u.Id !== integration.Id).map((u) => u.Id)
        };
    }
    const add = (objectName: string, values: Record<string, unknown>, ownerId = ''): SObjectRecord => {
        const def = catalog.find(objectName)!;
        const record = dml.buildRecord(def, values, ownerId, now);
        if (ownerId === '') Object.assign(record, { CreatedById: record.Id, LastModifiedById: record.Id });
        store.putMany(def.name, [record]);
        return record;
    };
    // Usernames are org logins; emails are the people's mailboxes, which is what owner mapping matches on
    // (the HubSpot sandbox's owners use the same ones).
    const userValues = (
        first: string,
        last: string,
        alias: string,
        title: string,
        username: string,
        email = username
    ) => ({
        FirstName: first,
        LastName: last,
        Name: `${first} ${last}`,
        Alias: alias,
        Title: title,
        Username: username,
        Email: email,
        IsActive: true,
        TimeZoneSidKey: 'GMT'
    });
    const integration = add(
        'User',
        userValues('Integration', 'User', 'integ', 'Integration User', integrationUsername)
    );
    const fix = (record: SObjectRecord) =>
        store.putMany('User', [
            store.withValues('User', record, { CreatedById: integration.Id, LastModifiedById: integration.Id })
        ]);
    fix(integration);
    const domain = integrationUsername.split('@')[1] ?? 'example.com';
    const salesRepIds = SALES_REPS.map((rep) => {
        const record = add(
            'User',
            userValues(
                rep.FirstName,
                rep.LastName,
                rep.Alias,
                rep.Title,
                `${rep.FirstName.toLowerCase()}@${domain}`,
                `${rep.FirstName.toLowerCase()}.${rep.LastName.toLowerCase()}@example.com`
            )
        );
        fix(record);
        return record.Id;
    });
    const owner = integration.Id;
    LEAD_STATUSES.forEach((status, index) =>
        add(
            'LeadStatus',
            {
                MasterLabel: status.value,
                ApiName: status.value,
                SortOrder: index + 1,
                IsDefault: status.isDefault,
                IsConverted: status.isConverted
            },
            owner
        )
    );
    OPPORTUNITY_STAGES.forEach((stage, index) =>
        add(
            'OpportunityStage',
            {
                MasterLabel: stage.value,
                ApiName: stage.value,
                IsActive: true,
                SortOrder: index + 1,
                IsClosed: stage.isClosed,
                IsWon: stage.isWon,
                ForecastCategory: stage.forecastCategory,
                DefaultProbability: stage.probability
            },
            owner
        )
    );
    for (const [developerName, name] of [
        ['New_Business', 'New Business'],
        ['Renewal', 'Renewal']
    ]) {
        add(
            'RecordType',
            { Name: name, DeveloperName: developerName, SobjectType: 'Opportunity', IsActive: true },
            owner
        );
    }
    return { integrationUserId: integration.Id, salesRepIds };
}
