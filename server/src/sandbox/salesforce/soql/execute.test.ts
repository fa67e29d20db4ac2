import { SandboxClock } from '../../common/clock';
import { DmlEngine, newTransactionKey } from '../dml';
import { buildCatalog } from '../schema/catalog';
import { RecordStore } from '../store';
import { indexChildren, prepareQuery, projectRow, runQuery, type QueryError } from './execute';

describe('SOQL execution', () => {
    const clock = new SandboxClock();
    const catalog = buildCatalog(`${__dirname}/../__fixtures__/objects`);
    const store = new RecordStore(catalog);
    const dml = new DmlEngine(catalog, store, () => clock.now(), { validationRules: [], emailDuplicateRule: false });
    const user = dml.buildRecord(
        catalog.find('User')!,
        { LastName: 'Owner', Name: 'Owner', Email: 'o@x.co' },
        '',
        clock.now()
    );
    store.putMany('User', [user]);
    const ctx = { userId: user.Id, changeOrigin: '', transactionKey: newTransactionKey() };
    const account = dml.create('Account', { Name: 'Acme' }, ctx);
    const rows = [
        { LastName: 'Able', Email: 'able@acme.com', AccountId: account.Id, Birthdate: '1990-01-01' },
        { LastName: 'baker', Email: null, AccountId: account.Id },
        { LastName: "O'Hara", Email: 'ohara@other.org' },
        { LastName: '50% off', Email: 'x@y.z' }
    ].map((values) => dml.create('Contact', values, ctx));
    const env = { catalog, store, now: () => clock.now() };
    const run = (soql: string) => {
        const prepared = prepareQuery(soql, env);
        return runQuery(prepared, env, false).map((id) => projectRow(prepared, store.get(id)!, env, '68.0'));
    };
    const names = (soql: string) => run(soql).map((r) => r.LastName);

    test('comparisons on text are case-insensitive; null is a value', () => {
        expect(names("SELECT LastName FROM Contact WHERE LastName = 'BAKER'")).toEqual(['baker']);
        expect(names('SELECT LastName FROM Contact WHERE Email = null')).toEqual(['baker']);
        expect(names("SELECT LastName FROM Contact WHERE Email != 'x@y.z' ORDER BY LastName")).toEqual([
            'Able',
            'baker',
            "O'Hara"
        ]);
        expect(names("SELECT LastName FROM Contact WHERE LastName IN ('able', 'O\\'Hara') ORDER BY LastName")).toEqual([
            'Able',
            "O'Hara"
        ]);
    });

    test('LIKE with wildcards and escapes', () => {
        expect(names("SELECT LastName FROM Contact WHERE Email LIKE '%@acme.com'")).toEqual(['Able']);
        expect(names("SELECT LastName FROM Contact WHERE LastName LIKE '_aker'")).toEqual(['baker']);
        expect(names("SELECT LastName FROM Contact WHERE LastName LIKE '50\\% %'")).toEqual(['50% off']);
    });

    test('parent relationship fields filter and project nested records', () => {
        const [row] = run(
            "SELECT Id, Account.Name, Owner.Email FROM Contact WHERE Account.Name = 'Acme' ORDER BY LastName LIMIT 1"
        );
        expect(row).toMatchObject({
            Account: { attributes: { type: 'Account' }, Name: 'Acme' },
            Owner: { attributes: { type: 'User' }, Email: 'o@x.co' }
        });
        const [orphan] = run("SELECT Account.Name FROM Contact WHERE LastName = '50% off'");
        expect(orphan.Account).toBeNull();
    });

    test('child subqueries nest matching children, filtered, sorted and limited', () => {
        const prepared = prepareQuery(
            "SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'nobody' ORDER BY LastName DESC LIMIT 5) FROM Account",
            env
        );
        const ids = runQuery(prepared, env, false);
        const children = indexChildren(prepared, ids, env, false);
        const [row] = ids.map((id) => projectRow(prepared, store.get(id)!, env, '68.0', children));
        expect(row.Contacts).toEqual({
            totalSize: 2,
            done: true,
            records: [
                expect.objectContaining({
                    attributes: expect.objectContaining({ type: 'Contact' }),
                    LastName: 'baker'
                }),
                expect.objectContaining({ LastName: 'Able' })
            ]
        });
        const empty = prepareQuery('SELECT Id, (SELECT Id FROM Opportunities) FROM Account', env);
        expect(
            projectRow(empty, store.get(ids[0])!, env, '68.0', indexChildren(empty, ids, env, false)).Opportunities
        ).toBeNull();
        expect(() => prepareQuery('SELECT Id, (SELECT Id FROM Contactz) FROM Account', env)).toThrow(
            "Didn't understand relationship 'Contactz'"
        );
    });

    test('ORDER BY with NULLS FIRST/LAST, LIMIT and OFFSET', () => {
        expect(names('SELECT LastName FROM Contact ORDER BY Email NULLS LAST, LastName')).toEqual([
            'Able',
            "O'Hara",
            '50% off',
            'baker'
        ]);
        expect(names('SELECT LastName FROM Contact ORDER BY Email DESC NULLS FIRST')).toEqual([
            'baker',
            '50% off',
            "O'Hara",
            'Able'
        ]);
        expect(names('SELECT LastName FROM Contact ORDER BY LastName LIMIT 2 OFFSET 1')).toEqual(['Able', 'baker']);
    });

    test('dates, datetimes and relative date literals use the field type', () => {
        expect(names('SELECT LastName FROM Contact WHERE Birthdate < 2000-01-01')).toEqual(['Able']);
        expect(names('SELECT LastName FROM Contact WHERE CreatedDate = TODAY')).toHaveLength(4);
        expect(names('SELECT LastName FROM Contact WHERE CreatedDate = LAST_N_DAYS:3')).toHaveLength(4);
        expect(names('SELECT LastName FROM Contact WHERE CreatedDate > 2000-01-01T00:00:00Z')).toHaveLength(4);
        expect(names('SELECT LastName FROM Contact WHERE CreatedDate < YESTERDAY')).toHaveLength(0);
        expect(names(`SELECT LastName FROM Contact WHERE Id = '${rows[0].Id.slice(0, 15)}'`)).toEqual(['Able']);
    });

    test.each([
        [
            "SELECT Id FROM Contact WHERE CreatedDate > '2024-01-01'",
            'INVALID_FIELD',
            'must be of type dateTime and should not be enclosed in quotes'
        ],
        [
            'SELECT Id FROM Contact WHERE LastName = 5',
            'INVALID_FIELD',
            'must be of type string and should be enclosed in quotes'
        ],
        ['SELECT Id FROM Contact WHERE Birthdate = 2024-01-01T00:00:00Z', 'INVALID_FIELD', 'must be of type date'],
        [
            "SELECT Id FROM Contact WHERE LastName INCLUDES ('a')",
            'INVALID_QUERY_FILTER_OPERATOR',
            'only valid on multipicklist'
        ],
        ['SELECT Id, COUNT() FROM Contact', 'MALFORMED_QUERY', 'COUNT() must be the only element'],
        ['SELECT Bogus.Name FROM Contact', 'INVALID_FIELD', "Didn't understand relationship 'Bogus'"],
        [
            'SELECT Id FROM Contact WHERE AccountId = null AND HasOptedOutOfEmail > true',
            'INVALID_QUERY_FILTER_OPERATOR',
            'invalid operator on boolean field'
        ]
    ])('%s is rejected with %s', (soql, code, text) => {
        let error: QueryError | undefined;
        try {
            prepareQuery(soql, env);
        } catch (caught) {
            error = caught as QueryError;
        }
        expect(error?.errorCode).toBe(code);
        expect(error?.message).toContain(text);
        expect(error?.message).toMatch(/ERROR at Row:1:Column:\d+/);
    });
});
