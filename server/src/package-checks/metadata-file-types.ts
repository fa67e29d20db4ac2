/**
 * Which Metadata API type the root element of a source-format `-meta.xml` file must be, by the file's
 * suffix (and, for Lightning bundles, by the bundle folder it sits in). A file whose type is not known
 * here is reported instead of being skipped, so new kinds of metadata get a deliberate entry.
 */
import { basename } from 'node:path';

const META_SUFFIX = '-meta.xml';

/** Suffix before `-meta.xml` → Metadata API type, as `sf project convert source` resolves them. */
const typeBySuffix: ReadonlyMap<string, string> = new Map(
    Object.entries({
        app: 'CustomApplication',
        cls: 'ApexClass',
        compactLayout: 'CompactLayout',
        component: 'ApexComponent',
        cspTrustedSite: 'CspTrustedSite',
        customPermission: 'CustomPermission',
        externalCredential: 'ExternalCredential',
        field: 'CustomField',
        flexipage: 'FlexiPage',
        labels: 'CustomLabels',
        layout: 'Layout',
        listView: 'ListView',
        md: 'CustomMetadata',
        namedCredential: 'NamedCredential',
        object: 'CustomObject',
        page: 'ApexPage',
        permissionset: 'PermissionSet',
        permissionsetgroup: 'PermissionSetGroup',
        recordType: 'RecordType',
        remoteSite: 'RemoteSiteSetting',
        resource: 'StaticResource',
        tab: 'CustomTab',
        trigger: 'ApexTrigger',
        validationRule: 'ValidationRule',
        webLink: 'WebLink'
    })
);

/** Bundles keep one `-meta.xml` per bundle folder whatever the file's suffix (`.js`, `.app`, `.cmp`, ...). */
const typeByBundleFolder: ReadonlyMap<string, string> = new Map([
    ['aura', 'AuraDefinitionBundle'],
    ['lwc', 'LightningComponentBundle']
]);

export function isMetadataXmlFile(filePath: string): boolean {
    return filePath.endsWith(META_SUFFIX);
}

/** The expected root type of a `-meta.xml` file, or undefined when the file kind is unknown. */
export function metadataTypeOf(filePath: string): string | undefined {
    if (!isMetadataXmlFile(filePath)) return undefined;
    const folders = filePath.split(/[\\/]/);
    // <.../lwc|aura>/<bundle>/<file>: the folder two levels up names the bundle kind.
    const bundleKind = folders.length >= 3 ? typeByBundleFolder.get(folders[folders.length - 3]) : undefined;
    if (bundleKind) return bundleKind;
    const name = basename(filePath).slice(0, -META_SUFFIX.length);
    const dot = name.lastIndexOf('.');
    if (dot < 0) return undefined;
    return typeBySuffix.get(name.slice(dot + 1));
}
