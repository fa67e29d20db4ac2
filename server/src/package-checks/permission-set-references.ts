/**
 * Checks what a schema cannot: that every permission set names components that exist in the package
 * (custom fields and objects, Apex classes, Visualforce pages, custom permissions, external credential
 * principals) and that its object and field grants are combinations Salesforce accepts. A deploy rejects
 * both kinds of mistake, but only after `sf project convert source` has happily converted them.
 * Pure: source files in, problems out.
 */
import { basename } from 'node:path';
import { childText, parseXml, type XmlElement } from './metadata-xml';
import type { XmlProblem } from './metadata-validator';

export interface PackageInventory {
    /** `Object.Field__c`; Activity fields are listed as Activity, Task and Event fields. */
    readonly customFields: ReadonlySet<string>;
    readonly customObjects: ReadonlySet<string>;
    readonly apexClasses: ReadonlySet<string>;
    readonly apexPages: ReadonlySet<string>;
    readonly customPermissions: ReadonlySet<string>;
    /** `ExternalCredential-Principal`, the form permission sets reference. */
    readonly externalCredentialPrincipals: ReadonlySet<string>;
}

const FIELD_FILE = /(?:^|[\\/])objects[\\/](\w+)[\\/]fields[\\/](\w+)\.field-meta\.xml$/;
const OBJECT_FILE = /(?:^|[\\/])objects[\\/](\w+__c)[\\/]\1\.object-meta\.xml$/;
const PRINCIPAL_TYPES = new Set(['NamedPrincipal', 'PerUserPrincipal']);
/** Custom fields defined on Activity exist on both Task and Event. */
const ACTIVITY_OBJECTS = ['Activity', 'Task', 'Event'];

function nameWithout(file: string, suffix: string): string | undefined {
    const name = basename(file);
    return name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
}

/**
 * @param files every file of the package directory
 * @param externalCredentials source of each `.externalCredential-meta.xml`, by path
 */
export function packageInventory(
    files: readonly string[],
    externalCredentials: ReadonlyMap<string, string>
): PackageInventory {
    const customFields = new Set<string>();
    const customObjects = new Set<string>();
    const apexClasses = new Set<string>();
    const apexPages = new Set<string>();
    const customPermissions = new Set<string>();
    for (const file of files) {
        const field = FIELD_FILE.exec(file);
        if (field) {
            const [, object, name] = field;
            for (const owner of object === 'Activity' ? ACTIVITY_OBJECTS : [object])
                customFields.add(`${owner}.${name}`);
        }
        const object = OBJECT_FILE.exec(file);
        if (object) customObjects.add(object[1]);
        const apexClass = nameWithout(file, '.cls');
        if (apexClass) apexClasses.add(apexClass);
        const apexPage = nameWithout(file, '.page');
        if (apexPage) apexPages.add(apexPage);
        const customPermission = nameWithout(file, '.customPermission-meta.xml');
        if (customPermission) customPermissions.add(customPermission);
    }
    const externalCredentialPrincipals = new Set<string>();
    for (const [file, xml] of externalCredentials) {
        const credential = nameWithout(file, '.externalCredential-meta.xml');
        const parsed = parseXml(xml);
        if (!credential || !parsed.wellFormed) continue;
        for (const parameter of parsed.roots[0]?.children ?? []) {
            if (parameter.name !== 'externalCredentialParameters') continue;
            const type = childText(parameter, 'parameterType');
            const name = childText(parameter, 'parameterName');
            if (type && name && PRINCIPAL_TYPES.has(type)) externalCredentialPrincipals.add(`${credential}-${name}`);
        }
    }
    return { customFields, customObjects, apexClasses, apexPages, customPermissions, externalCredentialPrincipals };
}

interface Reference {
    /** Child element holding the referenced name. */
    readonly element: string;
    readonly kind: string;
    readonly exists: (name: string, inventory: PackageInventory) => boolean;
}

const isCustom = (name: string) => name.endsWith('__c');

/** What each repeated permission-set entry references; standard objects and fields cannot be checked offline. */
const referencesByEntry: Readonly<Record<string, Reference>> = {
    fieldPermissions: {
        element: 'field',
        kind: 'custom field',
        exists: (name, inventory) => !isCustom(name) || inventory.customFields.has(name)
    },
    objectPermissions: {
        element: 'object',
        kind: 'custom object',
        exists: (name, inventory) => !isCustom(name) || inventory.customObjects.has(name)
    },
    classAccesses: {
        element: 'apexClass',
        kind: 'Apex class',
        exists: (name, inventory) => inventory.apexClasses.has(name)
    },
    pageAccesses: {
        element: 'apexPage',
        kind: 'Visualforce page',
        exists: (name, inventory) => inventory.apexPages.has(name)
    },
    customPermissions: {
        element: 'name',
        kind: 'custom permission',
        exists: (name, inventory) => inventory.customPermissions.has(name)
    },
    externalCredentialPrincipalAccesses: {
        element: 'externalCredentialPrincipal',
        kind: 'external credential principal',
        exists: (name, inventory) => inventory.externalCredentialPrincipals.has(name)
    }
};

/** Object permissions Salesforce only accepts together with others. */
const objectPermissionDependencies: ReadonlyArray<[string, readonly string[]]> = [
    ['allowCreate', ['allowRead']],
    ['allowEdit', ['allowRead']],
    ['allowDelete', ['allowRead', 'allowEdit']],
    ['viewAllRecords', ['allowRead']],
    ['modifyAllRecords', ['allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords']]
];

function grantProblems(entry: XmlElement): string[] {
    const granted = (name: string) => childText(entry, name) === 'true';
    if (entry.name === 'fieldPermissions' && granted('editable') && !granted('readable')) {
        return ['editable requires readable'];
    }
    if (entry.name !== 'objectPermissions') return [];
    return objectPermissionDependencies.flatMap(([permission, requirements]) => {
        const missing = requirements.filter((requirement) => !granted(requirement));
        return granted(permission) && missing.length > 0 ? [`${permission} requires ${missing.join(' and ')}`] : [];
    });
}

export function permissionSetProblems(xml: string, inventory: PackageInventory): XmlProblem[] {
    const parsed = parseXml(xml);
    // Well-formedness and structure are the schema check's findings; this check only reads valid files.
    const root = parsed.wellFormed ? parsed.roots[0] : undefined;
    if (root?.name !== 'PermissionSet') return [];
    const problems: XmlProblem[] = [];
    for (const entry of root.children) {
        const reference = Object.hasOwn(referencesByEntry, entry.name) ? referencesByEntry[entry.name] : undefined;
        if (!reference) continue;
        const target = entry.children.find((child) => child.name === reference.element);
        const name = target?.text.trim();
        const path = `PermissionSet/${entry.name}`;
        if (target && name && !reference.exists(name, inventory)) {
            problems.push({
                line: target.line,
                column: target.column,
                path: `${path}/${reference.element}`,
                message: `References the ${reference.kind} "${name}", which is not in the package`
            });
        }
        for (const message of grantProblems(entry)) {
            problems.push({
                line: entry.line,
                column: entry.column,
                path,
                message: `${name ?? entry.name}: ${message}`
            });
        }
    }
    return problems;
}
