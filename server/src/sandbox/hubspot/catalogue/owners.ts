/** CRM owners in the shape `GET /crm/v3/owners` returns them. */
export interface Owner {
    id: string;
    email: string;
    firstName: string;
    lastName: string;
    userId: number;
    userIdIncludingInactive: number;
    type: 'PERSON' | 'QUEUE';
    createdAt: string;
    updatedAt: string;
    archived: boolean;
    teams: { id: string; name: string; primary: boolean }[];
}

const OWNER_NAMES: [first: string, last: string][] = [
    ['Ada', 'Lovelace'],
    ['Grace', 'Hopper'],
    ['Alan', 'Turing'],
    ['Katherine', 'Johnson'],
    ['Edsger', 'Dijkstra']
];

const CATALOGUE_TIMESTAMP = '2020-01-01T00:00:00.000Z';

/** Sales reps of the sandbox portal; their emails let the sync map owners to Salesforce users. */
export function defaultOwners(): Owner[] {
    return OWNER_NAMES.map(([firstName, lastName], index) => ({
        id: String(70000001 + index),
        email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`,
        firstName,
        lastName,
        userId: 9000001 + index,
        userIdIncludingInactive: 9000001 + index,
        type: 'PERSON',
        createdAt: CATALOGUE_TIMESTAMP,
        updatedAt: CATALOGUE_TIMESTAMP,
        archived: false,
        teams: [{ id: '1001', name: 'Sales', primary: true }]
    }));
}
