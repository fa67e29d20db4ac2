/// <reference lib="dom" />
/** Record lookup: a record's current values on both sides and why each field has its value. */
import type { MappingsView, RecordMappingView, RecordView } from '../../../ops/views';
import type { RecordValue } from '../../../ops/ports';
import { getJson } from '../api';
import { h, replaceChildren, table } from '../dom';
import { categoryLabels, formatDateTime, formatValue, ruleLabels } from '../format';
import { empty, load } from '../ui';

function valuesTable(caption: string, values: Record<string, RecordValue> | undefined): HTMLElement {
    if (!values) return empty(`${caption}: the record was not found.`);
    return table(
        caption,
        ['Field', 'Value'],
        Object.entries(values).map(([name, value]) => [h('code', {}, name), formatValue(value)])
    );
}

/** Mapped fields side by side, then any other value either side returned. */
function comparisonTable(view: RecordView, mapping: RecordMappingView): HTMLElement {
    const salesforce = view.salesforce?.values ?? {};
    const hubspot = view.hubspot?.values ?? {};
    const shown = { salesforce: new Set<string>(), hubspot: new Set<string>() };
    const cell = (values: Record<string, RecordValue>, name: string) =>
        name in values ? formatValue(values[name]) : h('span', { class: 'badge muted' }, 'not read');
    const rows = mapping.fields.map((field) => {
        shown.salesforce.add(field.salesforceField);
        shown.hubspot.add(field.hubspotProperty);
        return [
            h('code', {}, field.salesforceField),
            cell(salesforce, field.salesforceField),
            h('code', {}, field.hubspotProperty),
            cell(hubspot, field.hubspotProperty)
        ];
    });
    for (const name of Object.keys(salesforce).filter((key) => !shown.salesforce.has(key))) {
        rows.push([h('code', {}, name), formatValue(salesforce[name]), '—', '—']);
    }
    for (const name of Object.keys(hubspot).filter((key) => !shown.hubspot.has(key))) {
        rows.push(['—', '—', h('code', {}, name), formatValue(hubspot[name])]);
    }
    return h(
        'section',
        { class: 'panel', 'aria-labelledby': 'record-values' },
        h('h2', { id: 'record-values' }, 'Values on both sides'),
        table(
            `Fields of ${mapping.id}, Salesforce and HubSpot side by side`,
            ['Salesforce field', 'Salesforce value', 'HubSpot property', 'HubSpot value'],
            rows,
            {
                class: 'compare-table'
            }
        )
    );
}

function sideBySide(view: RecordView): HTMLElement {
    return h(
        'div',
        { class: 'panels' },
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'record-sf' },
            h('h2', { id: 'record-sf' }, 'Salesforce'),
            valuesTable('Salesforce values', view.salesforce?.values)
        ),
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'record-hs' },
            h('h2', { id: 'record-hs' }, 'HubSpot'),
            valuesTable('HubSpot values', view.hubspot?.values)
        )
    );
}

function recordContent(view: RecordView, mappings: MappingsView | null): HTMLElement[] {
    const mapping = view.link ? mappings?.records.find((record) => record.id === view.link!.mappingId) : undefined;
    const link = view.link
        ? h(
              'p',
              { class: 'lead' },
              `Linked by mapping ${view.link.mappingId}: Salesforce ${view.link.salesforceObject} ${view.link.salesforceId} ↔ HubSpot ${view.link.hubspotObjectType} ${view.link.hubspotId}`,
              view.link.tombstonedAt ? ` (tombstoned ${formatDateTime(view.link.tombstonedAt)})` : ''
          )
        : h('p', { class: 'lead' }, 'Not linked to a record on the other side.');
    return [
        link,
        mapping ? comparisonTable(view, mapping) : sideBySide(view),
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'record-audit' },
            h('h2', { id: 'record-audit' }, 'Field audit'),
            view.audit.length === 0
                ? empty('The sync has not written any field of this record yet.')
                : table(
                      'Why each field has its value: every write, newest first',
                      ['When', 'Field', 'Direction', 'Rule', 'Reason', 'Before', 'After', 'Run'],
                      view.audit.map((entry) => [
                          formatDateTime(entry.at),
                          h('code', {}, `${entry.field} ↔ ${entry.property}`),
                          entry.direction === 'to_hubspot' ? 'Salesforce → HubSpot' : 'HubSpot → Salesforce',
                          ruleLabels[entry.rule],
                          entry.reason.replaceAll('_', ' '),
                          formatValue(entry.before),
                          formatValue(entry.after),
                          entry.runId === null ? '—' : `#${entry.runId}`
                      ])
                  )
        ),
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'record-errors' },
            h('h2', { id: 'record-errors' }, 'Sync errors'),
            view.errors.length === 0
                ? empty('No sync errors for this record.')
                : table(
                      'Errors of this record',
                      ['Category', 'Field', 'Error', 'Last seen', 'State'],
                      view.errors.map((error) => [
                          categoryLabels[error.category],
                          error.field ?? '—',
                          h('span', { class: 'message' }, error.message),
                          formatDateTime(error.lastSeenAt),
                          error.resolved ? 'Resolved' : 'Open'
                      ])
                  )
        )
    ];
}

export function renderRecords(main: HTMLElement, params: URLSearchParams): void {
    const result = h('div', { 'aria-live': 'polite' });
    const side = h(
        'select',
        { id: 'lookup-side', name: 'side' },
        h('option', { value: 'salesforce' }, 'Salesforce'),
        h('option', { value: 'hubspot' }, 'HubSpot')
    );
    side.value = params.get('side') === 'hubspot' ? 'hubspot' : 'salesforce';
    const object = h('input', {
        id: 'lookup-object',
        name: 'object',
        required: true,
        placeholder: 'Contact or contacts',
        value: params.get('object') ?? '',
        autocomplete: 'off'
    });
    const id = h('input', {
        id: 'lookup-id',
        name: 'id',
        required: true,
        placeholder: '003… or 12345',
        value: params.get('id') ?? '',
        autocomplete: 'off'
    });
    const lookup = () => {
        const path = `/records/${encodeURIComponent(side.value)}/${encodeURIComponent(object.value.trim())}/${encodeURIComponent(id.value.trim())}`;
        // The mapping only pairs the fields up; without it the values are shown per side.
        const mappings = getJson<MappingsView>('/mappings').catch(() => null);
        void load(
            result,
            'the record',
            () => Promise.all([getJson<RecordView>(path), mappings]),
            ([view, mapping]) => recordContent(view, mapping)
        );
    };
    const form = h(
        'form',
        {
            class: 'inline-form',
            onSubmit: (event: Event) => {
                event.preventDefault();
                lookup();
            }
        },
        h('div', { class: 'field' }, h('label', { for: 'lookup-side' }, 'System'), side),
        h('div', { class: 'field' }, h('label', { for: 'lookup-object' }, 'Object'), object),
        h('div', { class: 'field' }, h('label', { for: 'lookup-id' }, 'Record ID'), id),
        h('button', { type: 'submit', class: 'primary' }, 'Look up')
    );
    replaceChildren(main, h('h1', {}, 'Record lookup'), form, result);
    if (object.value && id.value) lookup();
    else replaceChildren(result, empty('Enter a Salesforce object and ID, or a HubSpot object type and ID.'));
}
