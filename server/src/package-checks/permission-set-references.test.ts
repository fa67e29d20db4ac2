import { packageInventory, permissionSetProblems } from './permission-set-references';

const files = [
    'force-app/main/default/objects/Lead/fields/HubSpot_Id__c.field-meta.xml',
    'force-app/main/default/objects/Activity/fields/HubSpot_Engagement_Id__c.field-meta.xml',
    'force-app/main/default/objects/Sync_Run__c/Sync_Run__c.object-meta.xml',
    'force-app/main/default/classes/HubSpotIntelligenceController.cls',
    'force-app/main/default/classes/HubSpotIntelligenceController.cls-meta.xml',
    'force-app/main/default/pages/HubSpotIntelligenceLead.page',
    'force-app/main/default/customPermissions/HubSpot_Resync.customPermission-meta.xml',
    'force-app/main/default/externalCredentials/HubSpot_Relay.externalCredential-meta.xml'
];
const externalCredential = `<?xml version="1.0" encoding="UTF-8"?>
<ExternalCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <externalCredentialParameters>
        <parameterName>Relay</parameterName>
        <parameterType>NamedPrincipal</parameterType>
    </externalCredentialParameters>
    <externalCredentialParameters>
        <parameterName>Authorization</parameterName>
        <parameterType>AuthHeader</parameterType>
    </externalCredentialParameters>
</ExternalCredential>`;
const inventory = packageInventory(
    files,
    new Map([
        ['force-app/main/default/externalCredentials/HubSpot_Relay.externalCredential-meta.xml', externalCredential]
    ])
);

function permissionSet(body: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}\n    <label>Test</label>\n</PermissionSet>\n`;
}

describe('packageInventory', () => {
    it('lists the components the package defines', () => {
        expect([...inventory.customFields].sort()).toEqual([
            'Activity.HubSpot_Engagement_Id__c',
            'Event.HubSpot_Engagement_Id__c',
            'Lead.HubSpot_Id__c',
            'Task.HubSpot_Engagement_Id__c'
        ]);
        expect([...inventory.customObjects]).toEqual(['Sync_Run__c']);
        expect([...inventory.apexClasses]).toEqual(['HubSpotIntelligenceController']);
        expect([...inventory.apexPages]).toEqual(['HubSpotIntelligenceLead']);
        expect([...inventory.customPermissions]).toEqual(['HubSpot_Resync']);
        expect([...inventory.externalCredentialPrincipals]).toEqual(['HubSpot_Relay-Relay']);
    });
});

describe('permissionSetProblems', () => {
    it('accepts references to package components, standard fields and valid grant combinations', () => {
        const xml =
            permissionSet(`    <classAccesses><apexClass>HubSpotIntelligenceController</apexClass><enabled>true</enabled></classAccesses>
    <customPermissions><enabled>true</enabled><name>HubSpot_Resync</name></customPermissions>
    <externalCredentialPrincipalAccesses><enabled>true</enabled><externalCredentialPrincipal>HubSpot_Relay-Relay</externalCredentialPrincipal></externalCredentialPrincipalAccesses>
    <fieldPermissions><editable>true</editable><field>Task.HubSpot_Engagement_Id__c</field><readable>true</readable></fieldPermissions>
    <fieldPermissions><editable>false</editable><field>Lead.Email</field><readable>true</readable></fieldPermissions>
    <objectPermissions><allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Lead</object><viewAllRecords>true</viewAllRecords></objectPermissions>
    <pageAccesses><apexPage>HubSpotIntelligenceLead</apexPage><enabled>true</enabled></pageAccesses>`);
        expect(permissionSetProblems(xml, inventory)).toEqual([]);
    });

    it('reports every reference to a component the package does not have, with its position', () => {
        const xml = permissionSet(`    <classAccesses>
        <apexClass>HubSpotTimelineController</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <fieldPermissions><editable>false</editable><field>Contact.HubSpot_Id__c</field><readable>true</readable></fieldPermissions>
    <objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Sync_Job__c</object><viewAllRecords>false</viewAllRecords></objectPermissions>
    <pageAccesses><apexPage>HubSpotIntelligenceCase</apexPage><enabled>true</enabled></pageAccesses>
    <customPermissions><enabled>true</enabled><name>HubSpot_Resync_All</name></customPermissions>
    <externalCredentialPrincipalAccesses><enabled>true</enabled><externalCredentialPrincipal>HubSpot_Relay-Admin</externalCredentialPrincipal></externalCredentialPrincipalAccesses>`);
        const problems = permissionSetProblems(xml, inventory);
        expect(problems[0]).toEqual({
            line: 4,
            column: 9,
            path: 'PermissionSet/classAccesses/apexClass',
            message: 'References the Apex class "HubSpotTimelineController", which is not in the package'
        });
        expect(problems.map((problem) => problem.message)).toEqual([
            'References the Apex class "HubSpotTimelineController", which is not in the package',
            'References the custom field "Contact.HubSpot_Id__c", which is not in the package',
            'References the custom object "Sync_Job__c", which is not in the package',
            'References the Visualforce page "HubSpotIntelligenceCase", which is not in the package',
            'References the custom permission "HubSpot_Resync_All", which is not in the package',
            'References the external credential principal "HubSpot_Relay-Admin", which is not in the package'
        ]);
    });

    it('reports grant combinations Salesforce rejects', () => {
        const xml =
            permissionSet(`    <fieldPermissions><editable>true</editable><field>Lead.HubSpot_Id__c</field><readable>false</readable></fieldPermissions>
    <objectPermissions><allowCreate>false</allowCreate><allowDelete>true</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>true</modifyAllRecords><object>Lead</object><viewAllRecords>false</viewAllRecords></objectPermissions>`);
        expect(permissionSetProblems(xml, inventory).map((problem) => problem.message)).toEqual([
            'Lead.HubSpot_Id__c: editable requires readable',
            'Lead: allowDelete requires allowEdit',
            'Lead: modifyAllRecords requires allowEdit and viewAllRecords'
        ]);
    });

    it('leaves files that are not well-formed permission sets to the schema check', () => {
        expect(permissionSetProblems('<PermissionSet><label>', inventory)).toEqual([]);
        expect(permissionSetProblems('<CustomField/>', inventory)).toEqual([]);
    });
});
