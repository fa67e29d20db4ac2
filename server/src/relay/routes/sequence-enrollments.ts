/**
 * `POST /api/v1/records/:sfObject/:sfId/sequence-enrollments` (Beta): enrolls the HubSpot contact that a
 * synced Salesforce Lead or Contact is linked to in a HubSpot sequence. The record must have been synced:
 * the relay never creates contacts here, so an enrollment cannot fork a duplicate.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { SequenceEnrollmentAccepted, SequenceEnrollmentBody } from '../../contract/timeline';
import { HttpError, validationError } from '../http-error';
import { salesforceIdProblem } from '../salesforce-id';
import {
    type SequenceEnroller,
    type SequenceEnrollmentRefusalReason,
    SequenceEnrollmentRefused,
    SequenceEnrollmentUnavailable,
    enrollableObjects
} from '../sequence-enrollments';
import { parseRequest } from '../validate';

const EnrollmentPath = z
    .strictObject({
        sfObject: z.enum(enrollableObjects, { message: `must be one of: ${enrollableObjects.join(', ')}` }),
        sfId: z.string()
    })
    .superRefine((path, ctx) => {
        const problem = salesforceIdProblem(path.sfObject, path.sfId);
        if (problem) ctx.addIssue({ code: 'custom', path: ['sfId'], message: problem });
    });

/** How each refusal reaches the component: the field to fix (400) or the state that blocks it (404, 409). */
function refusalError(error: SequenceEnrollmentRefused): HttpError {
    const field: Partial<Record<SequenceEnrollmentRefusalReason, string>> = {
        UNKNOWN_SEQUENCE: 'sequenceId',
        UNKNOWN_SENDER: 'senderEmail'
    };
    const path = field[error.reason];
    if (path) return validationError(error.message, [{ location: 'body', path, message: error.message }]);
    if (error.reason === 'CONTACT_NOT_FOUND') return new HttpError(404, 'NOT_FOUND', error.message);
    return new HttpError(409, 'CONFLICT', error.message, { reason: error.reason });
}

function unavailableError(error: SequenceEnrollmentUnavailable): HttpError {
    const headers: Record<string, string> =
        error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
    return new HttpError(error.transient ? 503 : 502, 'HUBSPOT_UNAVAILABLE', error.message, undefined, headers);
}

export function sequenceEnrollmentRoutes(enroller: SequenceEnroller): Router {
    const router = Router();
    router.post('/api/v1/records/:sfObject/:sfId/sequence-enrollments', async (req: Request, res: Response) => {
        const { params, body } = parseRequest(req, { params: EnrollmentPath, body: SequenceEnrollmentBody });
        const hubspotContactId = enroller.linkedContactId(params);
        if (!hubspotContactId) {
            throw new HttpError(
                404,
                'NOT_FOUND',
                `${params.sfObject} ${params.sfId} is not synced to a HubSpot contact yet. Resync it, then enroll.`
            );
        }
        const receipt = await enroller.enroll({ hubspotContactId, ...body }).catch((error: unknown) => {
            if (error instanceof SequenceEnrollmentRefused) throw refusalError(error);
            if (error instanceof SequenceEnrollmentUnavailable) throw unavailableError(error);
            throw error;
        });
        const accepted: SequenceEnrollmentAccepted = {
            status: 'ENROLLED',
            enrollmentId: receipt.enrollmentId,
            sequenceId: body.sequenceId,
            sfObject: params.sfObject,
            sfId: params.sfId,
            hubspotContactId,
            toEmail: receipt.toEmail,
            enrolledAt: receipt.enrolledAt
        };
        res.status(201).json(accepted);
    });
    return router;
}
