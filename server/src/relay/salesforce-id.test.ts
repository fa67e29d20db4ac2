import { isValidSalesforceId18, salesforceIdChecksum, salesforceIdProblem } from './salesforce-id';

describe('Salesforce IDs', () => {
    it('computes the case-safe suffix', () => {
        // Published example pair: 15-character 001A0000006Vm9r → 18-character 001A0000006Vm9rIAC.
        expect(salesforceIdChecksum('001A0000006Vm9r')).toBe('IAC');
        expect(salesforceIdChecksum('003000000000001')).toBe('AAA');
        expect(salesforceIdChecksum('ZZZZZZZZZZZZZZZ')).toBe('555');
    });

    it('accepts valid 18-character IDs and rejects damaged ones', () => {
        expect(isValidSalesforceId18('001A0000006Vm9rIAC')).toBe(true);
        expect(isValidSalesforceId18('001a0000006Vm9rIAC')).toBe(false);
        expect(isValidSalesforceId18('001A0000006Vm9rIAD')).toBe(false);
        expect(isValidSalesforceId18('001A0000006Vm9r')).toBe(false);
        expect(isValidSalesforceId18("001A0000006Vm9'IAC")).toBe(false);
    });

    it('explains why an ID does not fit the object', () => {
        expect(salesforceIdProblem('Account', '001A0000006Vm9rIAC')).toBeNull();
        expect(salesforceIdProblem('Contact', '001A0000006Vm9rIAC')).toBe(
            'is not a Contact ID (Contact IDs start with 003)'
        );
        expect(salesforceIdProblem('Invoice__c', '001A0000006Vm9rIAC')).toBeNull();
        expect(salesforceIdProblem('Account', '001A0000006Vm9r')).toBe('must be an 18-character Salesforce ID');
        expect(salesforceIdProblem('Account', '001A0000006Vm9rAAA')).toMatch(/last 3 characters do not match/);
    });
});
