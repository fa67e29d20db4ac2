/**
 * Salesforce API errors. Top-level REST errors travel as `[{message, errorCode, fields?}]`; the same
 * error inside a collection or composite result uses `statusCode` instead of `errorCode`.
 */
export class SalesforceError extends Error {
    constructor(
        readonly httpStatus: number,
        readonly errorCode: string,
        message: string,
        readonly fields: string[] = [],
        /** Extra keys some errors carry (e.g. `duplicateResult` of DUPLICATES_DETECTED). */
        readonly extra: Record<string, unknown> = {}
    ) {
        super(message);
        this.name = errorCode;
    }

    /** Body of a top-level REST error response. */
    toRestBody(): Record<string, unknown>[] {
        const body: Record<string, unknown> = { ...this.extra, message: this.message, errorCode: this.errorCode };
        if (this.fields.length > 0 || this.httpStatus === 400) body.fields = this.fields;
        return [body];
    }

    /** Element of `errors[]` in a SaveResult. */
    toSaveError(): Record<string, unknown> {
        return { ...this.extra, statusCode: this.errorCode, message: this.message, fields: this.fields };
    }
}

export const notFound = () => new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = () => new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const rolledBack = () =>
    new SalesforceError(
        400,
        'ALL_OR_NONE_OPERATION_ROLLED_BACK',
        'Record rolled back because not all records were valid and the request was using AllOrNone header'
    );

export function asSalesforceError(error: unknown): SalesforceError {
    if (error instanceof SalesforceError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new SalesforceError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${message}`);
}
