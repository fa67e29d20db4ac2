import { LightningElement, api } from 'lwc';
import { labels } from 'c/hubspotIntelligenceLabels';

const STATUS_LABELS = {
    ACTIVE: labels.enrollmentActive,
    COMPLETED: labels.enrollmentCompleted,
    UNENROLLED: labels.enrollmentUnenrolled
};

/** HubSpot workflow enrollments: the ones running now, then the finished ones, newest first. */
export default class HubspotWorkflowEnrollments extends LightningElement {
    /** The contract's workflow enrollments: `[{ workflowId, name, status, enrolledAt, endedAt }]`. */
    @api workflows;

    labels = labels;

    get hasWorkflows() {
        return Array.isArray(this.workflows) && this.workflows.length > 0;
    }

    /** Current enrollments first, then past ones; empty groups are left out. */
    get groups() {
        return [
            { key: 'current', heading: labels.workflowsCurrent, enrollments: this.enrollments(isActive) },
            { key: 'past', heading: labels.workflowsPast, enrollments: this.enrollments((e) => !isActive(e)) }
        ].filter((group) => group.enrollments.length > 0);
    }

    enrollments(predicate) {
        return this.workflows
            .filter(predicate)
            .sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt))
            .map((enrollment) => ({
                ...enrollment,
                statusLabel: STATUS_LABELS[enrollment.status] || enrollment.status
            }));
    }
}

function isActive(enrollment) {
    return enrollment.status === 'ACTIVE';
}
