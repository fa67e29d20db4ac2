/// <reference lib="dom" />
/** Mappings: every mapped field with its rule and the problems the live schemas show. */
import type { MappingsView } from '../../../ops/views';
import type { SchemaProblem } from '../../../sync/schema/problems';
import { getJson } from '../api';
import { h, replaceChildren, table } from '../dom';
import { plural, ruleLabels } from '../format';
import { badge, empty, load } from '../ui';

function problemList(problems: SchemaProblem[]): HTMLElement | string {
    if (problems.length === 0) return badge('OK', 'ok');
    return h(
        'ul',
        { class: 'plain problems' },
        ...problems.map((problem) =>
            h(
                'li',
                {},
                badge(
                    problem.severity === 'fatal' ? 'Error' : 'Warning',
                    problem.severity === 'fatal' ? 'danger' : 'warn'
                ),
                ' ',
                problem.message,
                problem.values?.length ? h('span', { class: 'values' }, ` (${problem.values.join(', ')})`) : null
            )
        )
    );
}

export function renderMappings(main: HTMLElement): void {
    const body = h('div');
    replaceChildren(main, h('h1', {}, 'Mappings'), body);
    void load(
        body,
        'mappings',
        () => getJson<MappingsView>('/mappings'),
        (view) => [
            h(
                'p',
                { class: 'lead' },
                `${plural(view.records.length, 'record mapping')}: ${plural(view.fatalCount, 'error')}, ${plural(view.warningCount, 'warning')} against the live schemas.`
            ),
            ...view.records.map((record) =>
                h(
                    'section',
                    { class: 'panel', 'aria-labelledby': `mapping-${record.id}` },
                    h(
                        'h2',
                        { id: `mapping-${record.id}` },
                        `${record.salesforceObject} ↔ ${record.hubspotObjectType} `,
                        h('code', {}, record.id),
                        record.enabled ? null : badge('Disabled', 'muted')
                    ),
                    record.problems.length ? problemList(record.problems) : null,
                    table(
                        `Fields of ${record.id}`,
                        ['Salesforce field', 'HubSpot property', 'Rule', 'Value map', 'Validation'],
                        record.fields.map((field) => [
                            h('code', {}, field.salesforceField),
                            h('code', {}, field.hubspotProperty),
                            ruleLabels[field.rule],
                            field.valueMap
                                ? h(
                                      'ul',
                                      { class: 'plain' },
                                      ...Object.entries(field.valueMap).map(([salesforce, hubspot]) =>
                                          h('li', {}, `${salesforce} → ${hubspot}`)
                                      )
                                  )
                                : field.owner
                                  ? 'Owner (matched by email)'
                                  : '—',
                            problemList(field.problems)
                        ]),
                        { class: 'mapping-table' }
                    )
                )
            ),
            view.otherProblems.length
                ? h(
                      'section',
                      { class: 'panel', 'aria-labelledby': 'mapping-other' },
                      h('h2', { id: 'mapping-other' }, 'Associations and activities'),
                      problemList(view.otherProblems)
                  )
                : null,
            view.records.length === 0 ? empty('The mapping has no record mappings.') : null
        ]
    );
}
