// The Classic Visualforce pages embed the hubspotIntelligence LWC through Lightning Out. Nothing renders
// Visualforce locally, so these checks pin the wiring that would otherwise only fail in an org.
const fs = require('fs');
const path = require('path');

const metadataRoot = path.join(__dirname, '..', 'main', 'default');
const read = (relativePath) => fs.readFileSync(path.join(metadataRoot, relativePath), 'utf8');
const OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity'];

describe('Classic Visualforce pages', () => {
    it.each(OBJECTS)('HubSpotIntelligence%s uses the %s standard controller and passes the record Id', (objectName) => {
        const page = read(`pages/HubSpotIntelligence${objectName}.page`);
        expect(page).toMatch(new RegExp(`standardController="${objectName}"`));
        expect(page).toContain(`<c:HubSpotIntelligenceFrame recordId="{!${objectName}.Id}" />`);
        expect(read(`pages/HubSpotIntelligence${objectName}.page-meta.xml`)).toContain('<apiVersion>68.0</apiVersion>');
    });

    it('the frame loads the Lightning Out app and creates the component with an encoded record Id', () => {
        const frame = read('components/HubSpotIntelligenceFrame.component');
        expect(frame).toContain('<apex:includeLightning />');
        expect(frame).toContain("$Lightning.use('c:HubSpotIntelligenceOut'");
        expect(frame).toContain("'c:hubspotIntelligence'");
        expect(frame).toContain("recordId: '{!JSENCODE(recordId)}'");
        expect(frame).toMatch(/name="height"\s+type="Integer"\s+default="350"/);
    });

    it('the Lightning Out app extends ltng:outApp and depends on the component', () => {
        const app = read('aura/HubSpotIntelligenceOut/HubSpotIntelligenceOut.app');
        expect(app).toContain('extends="ltng:outApp"');
        expect(app).toContain('<aura:dependency resource="c:hubspotIntelligence" />');
    });

    it('the component is offered on the record pages of the same four objects', () => {
        const meta = read('lwc/hubspotIntelligence/hubspotIntelligence.js-meta.xml');
        const objects = [...meta.matchAll(/<object>(\w+)<\/object>/g)].map((match) => match[1]);
        expect(objects.sort()).toEqual([...OBJECTS].sort());
        expect(meta).toContain('<target>lightning__RecordPage</target>');
    });
});
