/**
 * Salesforce record IDs. An 18-character ID is the case-sensitive 15-character ID plus three
 * characters that encode, five characters at a time, which of them are upper-case letters; checking
 * that suffix catches IDs that were mistyped, truncated or case-mangled before they reach a query.
 */
const checksumAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Key prefixes of the standard objects the package maps; custom objects have org-specific prefixes. */
export const standardKeyPrefixes: Readonly<Record<string, string>> = {
    Account: '001',
    Contact: '003',
    Opportunity: '006',
    Lead: '00Q',
    Task: '00T',
    Event: '00U',
    OpportunityContactRole: '00K',
    User: '005'
};

export function salesforceIdChecksum(id15: string): string {
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let flags = 0;
        for (let position = 0; position < 5; position++) {
            const char = id15.charCodeAt(chunk * 5 + position);
            if (char >= 65 && char <= 90) flags |= 1 << position;
        }
        suffix += checksumAlphabet[flags];
    }
    return suffix;
}

export function isValidSalesforceId18(id: string): boolean {
    return /^[a-zA-Z0-9]{18}$/.test(id) && salesforceIdChecksum(id.slice(0, 15)) === id.slice(15);
}

/** Why `id` cannot be a record of `sfObject`, or null when it can. */
export function salesforceIdProblem(sfObject: string, id: string): string | null {
    if (!/^[a-zA-Z0-9]{18}$/.test(id)) return 'must be an 18-character Salesforce ID';
    if (!isValidSalesforceId18(id))
        return 'is not a valid 18-character Salesforce ID (the last 3 characters do not match)';
    const prefix = standardKeyPrefixes[sfObject];
    if (prefix && !id.startsWith(prefix)) return `is not a ${sfObject} ID (${sfObject} IDs start with ${prefix})`;
    return null;
}
