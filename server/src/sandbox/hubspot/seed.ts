import type { SandboxClock } from '../common/clock';
import { seededRandom } from '../common/faults';
import { LIFECYCLE_STAGES } from './catalogue/properties';
import type { ObjectTypeName } from './catalogue/object-types';
import { SeedSpec, type SeedSpecInput } from './options';
import type { CrmStore, StoredObject, WriteSource } from './store/crm-store';
import type { EmailEvent, TimelineStore } from './store/timeline-store';

export const DEMO_SEED: SeedSpecInput = {
    seed: 7,
    contacts: 200,
    companies: 40,
    sharedDomainEvery: 8,
    dealsPerCompany: 2,
    engagementsPerContact: 3,
    lifecycleHistoryShare: 0.4,
    pageViewsPerContact: 5,
    formSubmissionsPerContact: 1,
    emailEventsPerContact: 4,
    enrollmentEvery: 5
};

const FIRST_NAMES = [
    'Olivia',
    'Liam',
    'Emma',
    'Noah',
    'Ava',
    'Elijah',
    'Sophia',
    'Lucas',
    'Mia',
    'Mateo',
    'Amelia',
    'Leo'
];
const LAST_NAMES = [
    'Smith',
    'Garcia',
    'Kim',
    'Nguyen',
    'Okafor',
    'Rossi',
    'Schmidt',
    'Dubois',
    'Silva',
    'Tanaka',
    'Cohen'
];
const COMPANY_WORDS = [
    'Acme',
    'Globex',
    'Initech',
    'Umbrella',
    'Hooli',
    'Vandelay',
    'Stark',
    'Wayne',
    'Tyrell',
    'Soylent'
];
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'RETAIL', 'MANUFACTURING'];
const CITIES = ['Boston', 'Dublin', 'Berlin', 'Paris', 'Tokyo', 'Austin', 'Toronto', 'Sydney'];
const PAGES = ['/pricing', '/features', '/blog/crm-sync', '/customers', '/demo', '/docs/getting-started'];
const EMAIL_EVENT_FLOW: EmailEvent['type'][] = ['SENT', 'DELIVERED', 'OPEN', 'CLICK'];
const ENGAGEMENTS: ObjectTypeName[] = ['notes', 'emails', 'calls', 'meetings', 'tasks'];
const DEAL_STAGES = [
    'appointmentscheduled',
    'qualifiedtobuy',
    'presentationscheduled',
    'decisionmakerboughtin',
    'contractsent',
    'closedwon',
    'closedlost'
];

const SEED_SOURCE: WriteSource = { sourceType: 'IMPORT' };
const DAY = 86_400_000;

export interface SeedSummary {
    contacts: number;
    companies: number;
    deals: number;
    engagements: number;
    analyticsEvents: number;
    emailEvents: number;
}

/**
 * Loads a deterministic dataset: the same spec gives the same records, ids and timestamps relative
 * to the sandbox clock. Records are written quietly (no webhooks), in one transaction.
 */
export function seedDataset(
    store: CrmStore,
    timeline: TimelineStore,
    clock: SandboxClock,
    input: SeedSpecInput
): SeedSummary {
    const spec = SeedSpec.parse(input);
    const random = seededRandom(spec.seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const summary: SeedSummary = {
        contacts: 0,
        companies: 0,
        deals: 0,
        engagements: 0,
        analyticsEvents: 0,
        emailEvents: 0
    };
    const now = clock.now();
    const start = now - 365 * DAY;
    const total = spec.companies * (1 + spec.dealsPerCompany) + spec.contacts * (1 + spec.engagementsPerContact) || 1;
    let sequence = 0;
    // Creation instants grow with ids, as HubSpot's do, spread over the past year.
    const nextInstant = () => start + Math.floor((sequence++ * (300 * DAY)) / total);
    const owners = store.owners.map((owner) => owner.id);
    const insert = (type: ObjectTypeName, properties: Record<string, string>, at: number): StoredObject =>
        store.insert(type, properties, SEED_SOURCE, { at, quiet: true });
    const link = (from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, typeIds: number[]) =>
        store.associate(from, fromId, to, toId, typeIds, SEED_SOURCE, true);

    store.transaction(() => {
        const companies: { id: number; domain: string; name: string }[] = [];
        for (let index = 0; index < spec.companies; index++) {
            const shared = spec.sharedDomainEvery > 0 && index > 0 && index % spec.sharedDomainEvery === 0;
            const domain = shared ? companies[index - 1].domain : `company${index + 1}.example.com`;
            const name = `${pick(COMPANY_WORDS)} ${shared ? 'Holdings' : 'Inc'} ${index + 1}`;
            const record = insert(
                'companies',
                {
                    name,
                    domain,
                    website: `https://www.${domain}`,
                    industry: pick(INDUSTRIES),
                    city: pick(CITIES),
                    numberofemployees: String(10 + Math.floor(random() * 5000)),
                    lifecyclestage: random() < 0.3 ? 'customer' : 'lead',
                    hubspot_owner_id: owners[index % owners.length]
                },
                nextInstant()
            );
            companies.push({ id: record.id, domain, name });
            summary.companies++;
        }

        const firstContactOfCompany = new Map<number, number>();
        for (let index = 0; index < spec.contacts; index++) {
            const firstname = pick(FIRST_NAMES);
            const lastname = pick(LAST_NAMES);
            const company = companies.length > 0 ? companies[index % companies.length] : undefined;
            const email =
                spec.leadEmails[index] ??
                `${firstname}.${lastname}.${index + 1}@${company?.domain ?? 'example.org'}`.toLowerCase();
            const createdAt = nextInstant();
            const properties: Record<string, string> = {
                email,
                firstname,
                lastname,
                phone: `+1-555-${String(1000 + (index % 9000)).padStart(4, '0')}`,
                jobtitle: pick(['CEO', 'CTO', 'VP Sales', 'Marketing Manager', 'Engineer']),
                city: pick(CITIES),
                lifecyclestage: 'lead',
                hubspotscore: String(Math.floor(random() * 100)),
                hubspot_owner_id: owners[index % owners.length]
            };
            if (company) properties.company = company.name;
            const contact = insert('contacts', properties, createdAt);
            if (random() < spec.lifecycleHistoryShare) {
                // Forward moves a few days apart leave the lifecycle history a timeline shows.
                const rank = 2 + Math.floor(random() * 4);
                let at = createdAt;
                for (const [stage] of LIFECYCLE_STAGES.slice(2, rank + 1)) {
                    at = Math.min(now, at + DAY * (1 + Math.floor(random() * 20)));
                    store.apply(
                        'contacts',
                        contact,
                        { lifecyclestage: stage },
                        { sourceType: 'CRM_UI', sourceId: 'userId:9000001' },
                        { at, quiet: true }
                    );
                }
            }
            if (company) {
                link('contacts', contact.id, 'companies', company.id, [1]);
                if (!firstContactOfCompany.has(company.id)) firstContactOfCompany.set(company.id, contact.id);
            }
            summary.contacts++;
            for (let n = 0; n < spec.engagementsPerContact; n++) {
                const type = ENGAGEMENTS[(index + n) % ENGAGEMENTS.length];
                const at = nextInstant();
                const engagement = insert(type, engagementProperties(type, at, n), at);
                link(type, engagement.id, 'contacts', contact.id, [engagementToContactType(type)]);
                summary.engagements++;
            }
            for (let n = 0; n < spec.pageViewsPerContact; n++) {
                timeline.addAnalyticsEvent({
                    eventType: 'e_visited_page',
                    objectType: 'contact',
                    objectId: contact.id,
                    occurredAt: Math.min(now, createdAt + n * 3 * DAY + 3_600_000),
                    properties: {
                        hs_url: `https://www.example.com${PAGES[(index + n) % PAGES.length]}`,
                        hs_page_title: 'Example'
                    }
                });
                summary.analyticsEvents++;
            }
            for (let n = 0; n < spec.formSubmissionsPerContact; n++) {
                timeline.addAnalyticsEvent({
                    eventType: 'e_submitted_form',
                    objectType: 'contact',
                    objectId: contact.id,
                    occurredAt: Math.min(now, createdAt + n * 7 * DAY + 7_200_000),
                    properties: {
                        hs_form_id: `form-${1 + (n % 3)}`,
                        hs_form_title: n % 2 === 0 ? 'Request a demo' : 'Newsletter'
                    }
                });
                summary.analyticsEvents++;
            }
            for (let n = 0; n < spec.emailEventsPerContact; n++) {
                timeline.addEmailEvent({
                    created: Math.min(
                        now,
                        createdAt + Math.floor(n / EMAIL_EVENT_FLOW.length) * 14 * DAY + (n % 4) * 60_000
                    ),
                    type: EMAIL_EVENT_FLOW[n % EMAIL_EVENT_FLOW.length],
                    recipient: email,
                    emailCampaignId: 10_000 + Math.floor(n / EMAIL_EVENT_FLOW.length),
                    subject: `Product update #${1 + Math.floor(n / EMAIL_EVENT_FLOW.length)}`,
                    ...(EMAIL_EVENT_FLOW[n % EMAIL_EVENT_FLOW.length] === 'CLICK'
                        ? { url: 'https://www.example.com/pricing' }
                        : {})
                });
                summary.emailEvents++;
            }
            if (spec.enrollmentEvery > 0 && index % spec.enrollmentEvery === 0) {
                const workflow = timeline.workflows[index % timeline.workflows.length];
                timeline.enrollInWorkflow({
                    workflowId: workflow.id,
                    contactId: contact.id,
                    enrolledAt: Math.min(now, createdAt + DAY)
                });
                const sequenceDef = timeline.sequences[index % timeline.sequences.length];
                const owner = store.owners[index % store.owners.length];
                timeline.enrollInSequence({
                    sequenceId: sequenceDef.id,
                    contactId: contact.id,
                    toEmail: email,
                    enrolledAt: Math.min(now, createdAt + 2 * DAY),
                    updatedAt: Math.min(now, createdAt + 3 * DAY),
                    enrolledBy: String(owner.userId),
                    enrolledByEmail: owner.email,
                    currentStep: 1 + (index % sequenceDef.steps)
                });
            }
        }

        for (const company of companies) {
            for (let n = 0; n < spec.dealsPerCompany; n++) {
                const at = nextInstant();
                const stage = DEAL_STAGES[Math.floor(random() * DEAL_STAGES.length)];
                const deal = insert(
                    'deals',
                    {
                        dealname: `${company.name} – ${n === 0 ? 'New business' : `Expansion ${n}`}`,
                        amount: String(1000 * (1 + Math.floor(random() * 100))),
                        pipeline: 'default',
                        dealstage: stage,
                        closedate: new Date(at + 60 * DAY).toISOString(),
                        dealtype: n === 0 ? 'newbusiness' : 'existingbusiness',
                        hubspot_owner_id: owners[n % owners.length]
                    },
                    at
                );
                link('deals', deal.id, 'companies', company.id, [5]);
                const contactId = firstContactOfCompany.get(company.id);
                if (contactId !== undefined) link('deals', deal.id, 'contacts', contactId, [3]);
                summary.deals++;
            }
        }
    });
    return summary;
}

function engagementProperties(type: ObjectTypeName, at: number, n: number): Record<string, string> {
    const hs_timestamp = new Date(at).toISOString();
    switch (type) {
        case 'notes':
            return { hs_timestamp, hs_note_body: `Call notes #${n + 1}: discussed renewal.` };
        case 'emails':
            return {
                hs_timestamp,
                hs_email_subject: 'Following up',
                hs_email_text: 'Hi, just following up.',
                hs_email_direction: 'EMAIL',
                hs_email_status: 'SENT'
            };
        case 'calls':
            return {
                hs_timestamp,
                hs_call_title: 'Discovery call',
                hs_call_body: 'Discussed needs.',
                hs_call_duration: '1800000',
                hs_call_direction: 'OUTBOUND',
                hs_call_status: 'COMPLETED'
            };
        case 'meetings':
            return {
                hs_timestamp,
                hs_meeting_title: 'Product demo',
                hs_meeting_body: 'Demo of the sync.',
                hs_meeting_start_time: hs_timestamp,
                hs_meeting_end_time: new Date(at + 3_600_000).toISOString(),
                hs_meeting_outcome: 'COMPLETED'
            };
        default:
            return {
                hs_timestamp,
                hs_task_subject: 'Send proposal',
                hs_task_body: 'Prepare the proposal.',
                hs_task_status: 'NOT_STARTED',
                hs_task_priority: 'MEDIUM',
                hs_task_type: 'TODO'
            };
    }
}

/** Engagement → contact type ids (note→contact 202, etc.: the inverse of contact→engagement). */
function engagementToContactType(type: ObjectTypeName): number {
    const byType: Partial<Record<ObjectTypeName, number>> = {
        calls: 194,
        emails: 198,
        meetings: 200,
        notes: 202,
        tasks: 204
    };
    return byType[type]!;
}
