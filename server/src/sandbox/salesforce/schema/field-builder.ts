import type { FieldDef, FieldType, PicklistValue } from './types';

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type' | 'picklistValues'>> & {
    /** Picklist values: the first active one listed with `default` is the default. */
    values?: (string | { value: string; label?: string; active?: boolean; default?: boolean })[];
    required?: boolean;
    readOnly?: boolean;
};

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
    id: 18,
    string: 255,
    textarea: 255,
    picklist: 255,
    multipicklist: 4099,
    combobox: 255,
    email: 80,
    phone: 40,
    url: 255,
    reference: 18
};

const DEFAULT_PRECISION: Partial<Record<FieldType, [number, number]>> = {
    int: [9, 0],
    double: [18, 0],
    currency: [18, 2],
    percent: [3, 0]
};

function humanLabel(name: string): string {
    return name
        .replace(/__c$/, '')
        .replace(/Id$/, ' ID')
        .replace(/_/g, ' ')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .trim();
}

/** Builds a field with the platform's defaults for its type; options override. */
export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
    const { values, required, readOnly, ...overrides } = options;
    const picklistValues: PicklistValue[] = (values ?? []).map((v) =>
        typeof v === 'string'
            ? { value: v, label: v, active: true, defaultValue: false }
            : { value: v.value, label: v.label ?? v.value, active: v.active ?? true, defaultValue: v.default ?? false }
    );
    const [precision, scale] = DEFAULT_PRECISION[type] ?? [0, 0];
    const writable = !readOnly;
    return {
        name,
        label: humanLabel(name),
        type,
        length: DEFAULT_LENGTH[type] ?? 0,
        precision,
        scale,
        nillable: !required && type !== 'boolean',
        createable: writable,
        updateable: writable,
        calculated: false,
        custom: name.endsWith('__c'),
        externalId: false,
        unique: false,
        defaultedOnCreate: type === 'boolean' || picklistValues.some((v) => v.defaultValue),
        referenceTo: [],
        relationshipName: null,
        childRelationshipName: null,
        picklistValues,
        restrictedPicklist: false,
        nameField: false,
        inlineHelpText: null,
        // Options spelled out as `undefined` (e.g. a metadata file without <length>) keep the default.
        ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
    };
}

export function reference(name: string, referenceTo: string[], relationshipName: string, options: FieldOptions = {}) {
    return field(name, 'reference', { referenceTo, relationshipName, ...options });
}

/** Fields every object has: Id and the audit fields the platform maintains. */
export function systemFields(): FieldDef[] {
    const readOnly = { readOnly: true, defaultedOnCreate: true };
    return [
        field('Id', 'id', { label: 'Record ID', readOnly: true, nillable: false, defaultedOnCreate: true }),
        field('IsDeleted', 'boolean', { label: 'Deleted', readOnly: true }),
        reference('CreatedById', ['User'], 'CreatedBy', { label: 'Created By ID', nillable: false, ...readOnly }),
        field('CreatedDate', 'datetime', { label: 'Created Date', nillable: false, ...readOnly }),
        reference('LastModifiedById', ['User'], 'LastModifiedBy', {
            label: 'Last Modified By ID',
            nillable: false,
            ...readOnly
        }),
        field('LastModifiedDate', 'datetime', { label: 'Last Modified Date', nillable: false, ...readOnly }),
        field('SystemModstamp', 'datetime', { label: 'System Modstamp', nillable: false, ...readOnly })
    ];
}

export function ownerField(): FieldDef {
    return reference('OwnerId', ['User'], 'Owner', { label: 'Owner ID', nillable: false, defaultedOnCreate: true });
}

export function masterRecordField(objectName: string): FieldDef {
    return reference('MasterRecordId', [objectName], 'MasterRecord', { label: 'Master Record ID', readOnly: true });
}

/** Compound name assembled by the platform (Lead.Name, Contact.Name, User.Name). */
export function compoundNameField(length = 121): FieldDef {
    return field('Name', 'string', { label: 'Full Name', length, readOnly: true, nameField: true });
}
