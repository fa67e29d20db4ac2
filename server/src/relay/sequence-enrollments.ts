/** What the relay needs to enroll a synced Salesforce Lead or Contact in a HubSpot sequence (Beta). */

/** The Salesforce objects whose records sync to HubSpot contacts, so can be enrolled. */
export const enrollableObjects = ['Lead', 'Contact'] as const;
export type EnrollableObject = (typeof enrollableObjects)[number];

export interface SequenceEnrollmentRequest {
    hubspotContactId: string;
    sequenceId: string;
    /** A connected inbox of the HubSpot user who enrolls; HubSpot sends the sequence's emails from it. */
    senderEmail: string;
}

export interface SequenceEnrollmentReceipt {
    enrollmentId: string;
    toEmail: string;
    enrolledAt: string;
}

/** Why HubSpot refused an enrollment; each maps to one relay answer. */
export type SequenceEnrollmentRefusalReason =
    | 'ALREADY_ENROLLED'
    | 'CONTACT_UNSUBSCRIBED'
    | 'CONTACT_WITHOUT_EMAIL'
    | 'CONTACT_NOT_FOUND'
    | 'UNKNOWN_SEQUENCE'
    | 'UNKNOWN_SENDER';

export class SequenceEnrollmentRefused extends Error {
    constructor(
        readonly reason: SequenceEnrollmentRefusalReason,
        message: string
    ) {
        super(message);
        this.name = 'SequenceEnrollmentRefused';
    }
}

/** HubSpot could not be reached or answered in a way the relay cannot act on. */
export class SequenceEnrollmentUnavailable extends Error {
    constructor(
        message: string,
        /** True when trying again later may succeed (network, 429, 5xx); false for a misconfiguration (401, 403). */
        readonly transient: boolean,
        readonly retryAfterSeconds?: number
    ) {
        super(message);
        this.name = 'SequenceEnrollmentUnavailable';
    }
}

/**
 * Where enrollments go (`npm start` implements it over the state store's links and HubSpot's sequences
 * API). `enroll` rejects with SequenceEnrollmentRefused or SequenceEnrollmentUnavailable.
 */
export interface SequenceEnroller {
    /** The HubSpot contact the sync linked to this record, or null when the record is not synced (yet). */
    linkedContactId(record: { sfObject: EnrollableObject; sfId: string }): string | null;
    enroll(request: SequenceEnrollmentRequest): Promise<SequenceEnrollmentReceipt>;
}
