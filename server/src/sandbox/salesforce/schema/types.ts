/** The object model the sandbox serves: the subset of Salesforce describe metadata that drives behaviour. */

export type FieldType =
    | 'id'
    | 'string'
    | 'textarea'
    | 'picklist'
    | 'multipicklist'
    | 'combobox'
    | 'boolean'
    | 'int'
    | 'double'
    | 'currency'
    | 'percent'
    | 'date'
    | 'datetime'
    | 'email'
    | 'phone'
    | 'url'
    | 'reference';

export interface PicklistValue {
    value: string;
    label: string;
    active: boolean;
    defaultValue: boolean;
}

export interface FieldDef {
    name: string;
    label: string;
    type: FieldType;
    /** Characters for text types; 0 otherwise. */
    length: number;
    /** Digits for numbers (precision/scale as in describe). */
    precision: number;
    scale: number;
    nillable: boolean;
    createable: boolean;
    updateable: boolean;
    calculated: boolean;
    custom: boolean;
    externalId: boolean;
    unique: boolean;
    /** Filled by the platform on create when the caller leaves it empty (so not "required"). */
    defaultedOnCreate: boolean;
    referenceTo: string[];
    relationshipName: string | null;
    /** Name of the inverse relationship on the parent, for subqueries (Account.Contacts). */
    childRelationshipName: string | null;
    picklistValues: PicklistValue[];
    restrictedPicklist: boolean;
    /** Help text shown next to the field (from the metadata's inlineHelpText). */
    inlineHelpText: string | null;
    /** Used by the "name" column of describe and by relationship paths like Owner.Name. */
    nameField: boolean;
}

export interface ObjectDef {
    name: string;
    label: string;
    labelPlural: string;
    keyPrefix: string;
    createable: boolean;
    updateable: boolean;
    deletable: boolean;
    mergeable: boolean;
    fields: FieldDef[];
    /** Lower-cased field name -> field (SOQL and JSON field names are case-insensitive). */
    fieldsByLowerName: Map<string, FieldDef>;
    /** Lower-cased relationship name -> reference field (Owner -> OwnerId). */
    relationshipsByLowerName: Map<string, FieldDef>;
}

/** A child relationship of a parent object: which object points at it through which field. */
export interface ChildRelationship {
    name: string;
    childObject: ObjectDef;
    field: FieldDef;
}

export function indexObject(def: Omit<ObjectDef, 'fieldsByLowerName' | 'relationshipsByLowerName'>): ObjectDef {
    const fieldsByLowerName = new Map<string, FieldDef>();
    const relationshipsByLowerName = new Map<string, FieldDef>();
    for (const field of def.fields) {
        fieldsByLowerName.set(field.name.toLowerCase(), field);
        if (field.relationshipName) relationshipsByLowerName.set(field.relationshipName.toLowerCase(), field);
    }
    return { ...def, fieldsByLowerName, relationshipsByLowerName };
}

const TEXT_TYPES = new Set<FieldType>([
    'string',
    'textarea',
    'picklist',
    'multipicklist',
    'combobox',
    'email',
    'phone',
    'url'
]);
const NUMBER_TYPES = new Set<FieldType>(['int', 'double', 'currency', 'percent']);

export function isTextType(type: FieldType): boolean {
    return TEXT_TYPES.has(type);
}

export function isNumberType(type: FieldType): boolean {
    return NUMBER_TYPES.has(type);
}
