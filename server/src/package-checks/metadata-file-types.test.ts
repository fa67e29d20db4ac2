import { isMetadataXmlFile, metadataTypeOf } from './metadata-file-types';

describe('metadataTypeOf', () => {
    it.each([
        ['force-app/main/default/objects/Lead/fields/HubSpot_Id__c.field-meta.xml', 'CustomField'],
        ['force-app/main/default/objects/Lead/Lead.object-meta.xml', 'CustomObject'],
        ['force-app/main/default/classes/HubSpotRelayClient.cls-meta.xml', 'ApexClass'],
        ['force-app/main/default/triggers/LeadTrigger.trigger-meta.xml', 'ApexTrigger'],
        ['force-app/main/default/pages/HubSpotIntelligenceLead.page-meta.xml', 'ApexPage'],
        ['force-app/main/default/permissionsets/HubSpot_Sales_User.permissionset-meta.xml', 'PermissionSet'],
        ['force-app/main/default/customPermissions/HubSpot_Resync.customPermission-meta.xml', 'CustomPermission'],
        ['force-app/main/default/namedCredentials/HubSpot_Relay.namedCredential-meta.xml', 'NamedCredential'],
        ['force-app/main/default/externalCredentials/HubSpot_Relay.externalCredential-meta.xml', 'ExternalCredential'],
        ['force-app/main/default/labels/CustomLabels.labels-meta.xml', 'CustomLabels'],
        ['force-app/main/default/staticresources/HubSpotTimelineFixtures.resource-meta.xml', 'StaticResource'],
        ['force-app/main/default/lwc/hubspotIntelligence/hubspotIntelligence.js-meta.xml', 'LightningComponentBundle'],
        [
            'force-app/main/default/aura/HubSpotIntelligenceOut/HubSpotIntelligenceOut.app-meta.xml',
            'AuraDefinitionBundle'
        ],
        ['force-app/main/default/applications/HubSpot.app-meta.xml', 'CustomApplication']
    ])('%s is a %s', (file, type) => {
        expect(metadataTypeOf(file)).toBe(type);
    });

    it('returns undefined for unknown suffixes and for files that are not metadata XML', () => {
        expect(metadataTypeOf('force-app/main/default/widgets/Thing.widget-meta.xml')).toBeUndefined();
        expect(metadataTypeOf('force-app/main/default/widgets/constructor-meta.xml')).toBeUndefined();
        expect(metadataTypeOf('force-app/main/default/classes/Foo.cls')).toBeUndefined();
        expect(isMetadataXmlFile('force-app/main/default/classes/Foo.cls')).toBe(false);
    });
});
