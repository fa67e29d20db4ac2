import { OBJECT_TYPES, type ObjectTypeName } from './object-types';

/**
 * HubSpot-defined association types (ids as shipped in @hubspot/api-client's `AssociationTypes` enum,
 * plus the unlabeled contact⇄company 279/280 and deal⇄company 341/342). Each type has its inverse:
 * storing one direction always stores the other, as HubSpot does.
 */
export interface AssociationType {
    typeId: number;
    inverseTypeId: number;
    from: ObjectTypeName;
    to: ObjectTypeName;
    category: 'HUBSPOT_DEFINED';
    /** Label v4 reports (`null` for the unlabeled type). */
    label: string | null;
    /** Name v3 reads use in `associations.{type}.results[].type`. */
    v3Name: string;
    /** The type every association of the pair carries (what `associate/default` creates). */
    unlabeled: boolean;
    /** A record has at most one association of a primary type towards the target type. */
    primary: boolean;
}

const TYPES = new Map<number, AssociationType>();
const BY_PAIR = new Map<string, AssociationType[]>();

function pairKey(from: ObjectTypeName, to: ObjectTypeName): string {
    return `${from}|${to}`;
}

function define(
    from: ObjectTypeName,
    to: ObjectTypeName,
    typeId: number,
    inverseTypeId: number,
    kind: 'primary' | 'unlabeled' | 'only'
): void {
    const forward = `${OBJECT_TYPES[from].singular}_to_${OBJECT_TYPES[to].singular}`;
    const backward = `${OBJECT_TYPES[to].singular}_to_${OBJECT_TYPES[from].singular}`;
    const make = (id: number, inverse: number, a: ObjectTypeName, b: ObjectTypeName, name: string) => {
        const type: AssociationType = {
            typeId: id,
            inverseTypeId: inverse,
            from: a,
            to: b,
            category: 'HUBSPOT_DEFINED',
            label: kind === 'primary' ? 'Primary' : null,
            v3Name: kind === 'unlabeled' ? `${name}_unlabeled` : name,
            unlabeled: kind !== 'primary',
            primary: kind === 'primary'
        };
        TYPES.set(id, type);
        const key = pairKey(a, b);
        BY_PAIR.set(key, [...(BY_PAIR.get(key) ?? []), type]);
    };
    make(typeId, inverseTypeId, from, to, forward);
    make(inverseTypeId, typeId, to, from, backward);
}

define('contacts', 'companies', 1, 2, 'primary');
define('contacts', 'companies', 279, 280, 'unlabeled');
define('deals', 'companies', 5, 6, 'primary');
define('deals', 'companies', 341, 342, 'unlabeled');
define('deals', 'contacts', 3, 4, 'only');

const ENGAGEMENT_IDS: Record<'calls' | 'emails' | 'meetings' | 'notes' | 'tasks', [number, number, number]> = {
    // [contact→x, company→x, deal→x]; each inverse is id + 1.
    calls: [193, 181, 205],
    emails: [197, 185, 209],
    meetings: [199, 187, 211],
    notes: [201, 189, 213],
    tasks: [203, 191, 215]
};
for (const [engagement, [fromContact, fromCompany, fromDeal]] of Object.entries(ENGAGEMENT_IDS)) {
    const type = engagement as ObjectTypeName;
    define('contacts', type, fromContact, fromContact + 1, 'only');
    define('companies', type, fromCompany, fromCompany + 1, 'only');
    define('deals', type, fromDeal, fromDeal + 1, 'only');
}

export function associationType(typeId: number): AssociationType | undefined {
    return TYPES.get(typeId);
}

/** Every HubSpot-defined type between two object types (in that direction). */
export function associationTypesBetween(from: ObjectTypeName, to: ObjectTypeName): AssociationType[] {
    return BY_PAIR.get(pairKey(from, to)) ?? [];
}

/** The type `associate/default` and plain associations use for a pair, if the pair can be associated. */
export function defaultAssociationType(from: ObjectTypeName, to: ObjectTypeName): AssociationType | undefined {
    return associationTypesBetween(from, to).find((type) => type.unlabeled);
}
