import { apexSourceKindOf, findApexSyntaxProblems } from './apex-syntax';

describe('findApexSyntaxProblems', () => {
    it('accepts a class with SOQL, switch and inner classes', () => {
        const source = `public with sharing class Greeter {
    public class Greeting { @AuraEnabled public String text; }
    public static List<Contact> contacts(Id accountId) {
        return [SELECT Id, Name FROM Contact WHERE AccountId = :accountId WITH USER_MODE];
    }
    public static String greet(String code) {
        switch on code { when 'en' { return 'Hello'; } when else { return 'Hi'; } }
    }
}`;
        expect(findApexSyntaxProblems(source, 'class')).toEqual([]);
    });

    it('reports a broken class with line and 1-based column', () => {
        const source = 'public class Broken {\n    void run() {\n        Integer x = ;\n    }\n}\n';
        const problems = findApexSyntaxProblems(source, 'class');
        expect(problems.length).toBeGreaterThan(0);
        expect(problems[0]).toMatchObject({ line: 3, column: 21 });
        expect(problems[0].message).toMatch(/^mismatched input ';' expecting one of \d+ tokens$/);
    });

    it('reports lexer errors such as an unterminated string', () => {
        const problems = findApexSyntaxProblems("public class S { String s = 'open; }", 'class');
        expect(problems.length).toBeGreaterThan(0);
        expect(problems[0].line).toBe(1);
    });

    it('parses triggers with the trigger grammar', () => {
        const trigger = 'trigger LeadSync on Lead (after insert, after update) { System.debug(Trigger.new); }';
        expect(findApexSyntaxProblems(trigger, 'trigger')).toEqual([]);
        expect(findApexSyntaxProblems(trigger, 'class').length).toBeGreaterThan(0);
    });
});

describe('apexSourceKindOf', () => {
    it('knows classes and triggers only', () => {
        expect(apexSourceKindOf('classes/A.cls')).toBe('class');
        expect(apexSourceKindOf('triggers/A.trigger')).toBe('trigger');
        expect(apexSourceKindOf('classes/A.cls-meta.xml')).toBeUndefined();
    });
});
