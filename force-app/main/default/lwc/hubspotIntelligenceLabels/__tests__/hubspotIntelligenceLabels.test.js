import { formatLabel, labels } from 'c/hubspotIntelligenceLabels';

const fs = require('fs');
const path = require('path');

const bundleFolder = path.join(__dirname, '..');
const labelsFile = path.join(bundleFolder, '..', '..', 'labels', 'CustomLabels.labels-meta.xml');

describe('hubspotIntelligenceLabels', () => {
    it('imports only Custom Labels that exist, and every label of the component category is used', () => {
        const source = fs.readFileSync(path.join(bundleFolder, 'hubspotIntelligenceLabels.js'), 'utf8');
        const imported = [...source.matchAll(/@salesforce\/label\/c\.(\w+)'/g)].map((match) => match[1]).sort();
        const definitions = [...fs.readFileSync(labelsFile, 'utf8').matchAll(/<labels>([\s\S]*?)<\/labels>/g)].map(
            ([, body]) => ({
                name: body.match(/<fullName>(\w+)<\/fullName>/)[1],
                category: (body.match(/<categories>([^<]*)<\/categories>/) || [])[1]
            })
        );
        const defined = new Set(definitions.map((label) => label.name));
        expect(imported.filter((name) => !defined.has(name))).toEqual([]);
        const componentLabels = definitions
            .filter((label) => label.category === 'HubSpot Intelligence')
            .map((label) => label.name)
            .sort();
        expect(imported).toEqual(componentLabels);
        expect(Object.keys(labels)).toHaveLength(imported.length);
    });

    it('fills numbered placeholders and leaves unknown ones visible', () => {
        expect(formatLabel('Step {0} of {1}', 2, 5)).toBe('Step 2 of 5');
        expect(formatLabel('{0} views', 9)).toBe('9 views');
        expect(formatLabel('Step {0} of {1}', 2)).toBe('Step 2 of {1}');
    });
});
