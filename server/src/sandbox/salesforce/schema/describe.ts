import type { SchemaCatalog } from './catalog';
import type { FieldDef, FieldType, ObjectDef } from './types';

/** Describe results in the shape of the REST API (jsforce's DescribeGlobalResult / DescribeSObjectResult). */

const SOAP_TYPES: Record<FieldType, string> = {
    id: 'tns:ID',
    reference: 'tns:ID',
    string: 'xsd:string',
    textarea: 'xsd:string',
    picklist: 'xsd:string',
    multipicklist: 'xsd:string',
    combobox: 'xsd:string',
    email: 'xsd:string',
    phone: 'xsd:string',
    url: 'xsd:string',
    boolean: 'xsd:boolean',
    int: 'xsd:int',
    double: 'xsd:double',
    currency: 'xsd:double',
    percent: 'xsd:double',
    date: 'xsd:date',
    datetime: 'xsd:dateTime'
};

function objectUrls(apiVersion: string, def: ObjectDef) {
    const base = `/services/data/v${apiVersion}/sobjects/${def.name}`;
    return {
        sobject: base,
        describe: `${base}/describe`,
        rowTemplate: `${base}/{ID}`
    };
}

function globalEntry(apiVersion: string, def: ObjectDef) {
    return {
        activateable: false,
        createable: def.createable,
        custom: false,
        customSetting: false,
        deepCloneable: false,
        deletable: def.deletable,
        deprecatedAndHidden: false,
        feedEnabled: false,
        hasSubtypes: false,
        isInterface: false,
        isSubtype: false,
        keyPrefix: def.keyPrefix,
        label: def.label,
        labelPlural: def.labelPlural,
        layoutable: def.createable,
        mergeable: def.mergeable,
        mruEnabled: def.createable,
        name: def.name,
        queryable: true,
        replicateable: true,
        retrieveable: true,
        searchable: def.createable,
        triggerable: def.createable,
        undeletable: def.deletable,
        updateable: def.updateable,
        urls: objectUrls(apiVersion, def)
    };
}

export function describeGlobal(catalog: SchemaCatalog, apiVersion: string) {
    return {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: catalog.objects.map((def) => globalEntry(apiVersion, def))
    };
}

export function describeBasic(def: ObjectDef, apiVersion: string) {
    return { objectDescribe: globalEntry(apiVersion, def), recentItems: [] };
}

function describeField(field: FieldDef) {
    const isText = SOAP_TYPES[field.type] === 'xsd:string';
    const defaultPicklist = field.picklistValues.find((v) => v.defaultValue);
    return {
        aggregatable: field.type !== 'textarea' || field.length <= 255,
        autoNumber: false,
        byteLength: isText || field.type === 'id' || field.type === 'reference' ? field.length * 3 : 0,
        calculated: field.calculated,
        calculatedFormula: null,
        cascadeDelete: false,
        caseSensitive: false,
        compoundFieldName: null,
        controllerName: null,
        createable: field.createable,
        custom: field.custom,
        defaultValue: defaultPicklist ? defaultPicklist.value : field.type === 'boolean' ? false : null,
        defaultValueFormula: null,
        defaultedOnCreate: field.defaultedOnCreate,
        dependentPicklist: false,
        deprecatedAndHidden: false,
        digits: field.type === 'int' ? field.precision : 0,
        displayLocationInDecimal: false,
        encrypted: false,
        externalId: field.externalId,
        extraTypeInfo: null,
        filterable: field.type !== 'textarea' || field.length <= 255,
        filteredLookupInfo: null,
        groupable: !['double', 'currency', 'percent', 'datetime', 'textarea', 'multipicklist'].includes(field.type),
        highScaleNumber: false,
        htmlFormatted: false,
        idLookup: field.type === 'id' || field.externalId || field.name === 'Email',
        inlineHelpText: field.inlineHelpText,
        label: field.label,
        length: isText ? field.length : field.type === 'id' || field.type === 'reference' ? 18 : 0,
        mask: null,
        maskType: null,
        name: field.name,
        nameField: field.nameField,
        namePointing: field.referenceTo.length > 1,
        nillable: field.nillable,
        permissionable: field.nillable && !field.custom ? field.createable : field.custom,
        picklistValues: field.picklistValues.map((v) => ({
            active: v.active,
            defaultValue: v.defaultValue,
            label: v.label,
            validFor: null,
            value: v.value
        })),
        polymorphicForeignKey: field.referenceTo.length > 1,
        precision: ['double', 'currency', 'percent'].includes(field.type) ? field.precision : 0,
        queryByDistance: false,
        referenceTargetField: null,
        referenceTo: field.referenceTo,
        relationshipName: field.relationshipName,
        relationshipOrder: null,
        restrictedDelete: false,
        restrictedPicklist: field.restrictedPicklist,
        scale: field.scale,
        searchPrefilterable: false,
        soapType: SOAP_TYPES[field.type],
        sortable: field.type !== 'textarea' || field.length <= 255,
        type: field.type,
        unique: field.unique,
        updateable: field.updateable,
        writeRequiresMasterRead: false
    };
}

export function describeObject(catalog: SchemaCatalog, def: ObjectDef, apiVersion: string) {
    const childRelationships = catalog.childRelationships(def).map((relationship) => ({
        cascadeDelete: false,
        childSObject: relationship.childObject.name,
        deprecatedAndHidden: false,
        field: relationship.field.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: relationship.name,
        restrictedDelete: false
    }));
    return {
        ...globalEntry(apiVersion, def),
        actionOverrides: [],
        childRelationships,
        compactLayoutable: def.createable,
        fields: def.fields.map(describeField),
        listviewable: null,
        lookupLayoutable: null,
        namedLayoutInfos: [],
        networkScopeFieldName: null,
        recordTypeInfos: [],
        searchLayoutable: def.createable,
        supportedScopes: [{ label: 'All records', name: 'everything' }],
        urls: {
            ...objectUrls(apiVersion, def),
            compactLayouts: `/services/data/v${apiVersion}/sobjects/${def.name}/describe/compactLayouts`
        }
    };
}
