/**
 * Sequence enrollment over the state store's links and HubSpot's sequences API (v4). @hubspot/api-client
 * 14 has no typed sequences API, so the enrollment goes through `client.apiRequest` (same base path,
 * token and retry decorators); the sender's user id comes from the typed owners API.
 */
import type { Client } from '@hubspot/api-client';
import { z } from 'zod';
import {
    type EnrollableObject,
    type SequenceEnroller,
    type SequenceEnrollmentReceipt,
    type SequenceEnrollmentRefusalReason,
    type SequenceEnrollmentRequest,
    SequenceEnrollmentRefused,
    SequenceEnrollmentUnavailable
} from '../relay/sequence-enrollments';
import type { StateStore } from '../state/store';
import { HubSpotCallError, describeFailure } from '../timeline/sources/hubspot-call';

const ENROLLMENTS_PATH = '/automation/v4/sequences/enrollments';

const EnrollmentAnswer = z.object({ id: z.string().min(1), toEmail: z.string(), enrolledAt: z.string() });
const ErrorAnswer = z.object({ message: z.string().optional(), subCategory: z.string().optional() }).loose();

/** HubSpot's `subCategory` of each refusal the relay explains to the user. */
const refusalBySubCategory: Record<string, SequenceEnrollmentRefusalReason> = {
    'SequenceEnrollmentError.CONTACT_ALREADY_ENROLLED': 'ALREADY_ENROLLED',
    'SequenceEnrollmentError.CONTACT_UNSUBSCRIBED': 'CONTACT_UNSUBSCRIBED',
    'SequenceEnrollmentError.CONTACT_MISSING_EMAIL': 'CONTACT_WITHOUT_EMAIL',
    'SequenceEnrollmentError.CONTACT_NOT_FOUND': 'CONTACT_NOT_FOUND',
    'SequenceEnrollmentError.SEQUENCE_NOT_FOUND': 'UNKNOWN_SEQUENCE',
    'SequenceEnrollmentError.USER_NOT_FOUND': 'UNKNOWN_SENDER',
    'SequenceEnrollmentError.INVALID_SENDER': 'UNKNOWN_SENDER'
};

/** Statuses worth retrying later; anything else unexpected is a configuration problem (token, scopes). */
function isTransient(status: number | null): boolean {
    return status === null || status === 429 || status >= 500;
}

function unavailable(error: HubSpotCallError, retryAfterSeconds?: number): SequenceEnrollmentUnavailable {
    return new SequenceEnrollmentUnavailable(
        `HubSpot could not enroll the contact right now (${error.message}).`,
        isTransient(error.status),
        retryAfterSeconds
    );
}

export function hubSpotSequenceEnroller(parts: {
    client: Client;
    store: Pick<StateStore, 'findLinkBySalesforce'>;
}): SequenceEnroller {
    const { client, store } = parts;

    const senderUserId = async (senderEmail: string): Promise<string> => {
        let page;
        try {
            page = await client.crm.owners.ownersApi.getPage(senderEmail, undefined, 1, false);
        } catch (error) {
            throw unavailable(describeFailure('owners lookup', error));
        }
        const userId = page.results[0]?.userId;
        if (userId === undefined) {
            throw new SequenceEnrollmentRefused('UNKNOWN_SENDER', `${senderEmail} is not the email of a HubSpot user.`);
        }
        return String(userId);
    };

    return {
        linkedContactId(record: { sfObject: EnrollableObject; sfId: string }): string | null {
            const link = store.findLinkBySalesforce({ salesforceObject: record.sfObject, salesforceId: record.sfId });
            return link && link.hubspotObjectType === 'contacts' && !link.tombstonedAt ? link.hubspotId : null;
        },

        async enroll(request: SequenceEnrollmentRequest): Promise<SequenceEnrollmentReceipt> {
            const userId = await senderUserId(request.senderEmail);
            let response: globalThis.Response;
            try {
                response = await client.apiRequest({
                    method: 'POST',
                    path: ENROLLMENTS_PATH,
                    qs: { userId },
                    body: {
                        contactId: request.hubspotContactId,
                        sequenceId: request.sequenceId,
                        senderEmail: request.senderEmail
                    }
                });
            } catch (error) {
                throw unavailable(describeFailure('sequence enrollment', error));
            }
            const json: unknown = await response.json().catch(() => undefined);
            if (response.ok) {
                const answer = EnrollmentAnswer.safeParse(json);
                if (!answer.success) {
                    throw new SequenceEnrollmentUnavailable(
                        'HubSpot answered the enrollment in an unknown shape.',
                        false
                    );
                }
                return {
                    enrollmentId: answer.data.id,
                    toEmail: answer.data.toEmail,
                    enrolledAt: answer.data.enrolledAt
                };
            }
            const failure = ErrorAnswer.safeParse(json).data ?? {};
            const reason =
                (failure.subCategory && refusalBySubCategory[failure.subCategory]) ??
                (response.status === 409 ? 'ALREADY_ENROLLED' : undefined);
            if (reason) throw new SequenceEnrollmentRefused(reason, failure.message ?? `HubSpot refused: ${reason}`);
            const retryAfter = Number(response.headers.get('retry-after'));
            throw unavailable(
                describeFailure('sequence enrollment', { code: response.status, body: json, headers: {} }),
                Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined
            );
        }
    };
}
