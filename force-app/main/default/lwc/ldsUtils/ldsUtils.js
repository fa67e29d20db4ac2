/**
 * Flattens whatever a Lightning call can fail with into readable messages: Apex and UI API errors
 * (`{ body: { message } }` or `{ body: [{ message }] }`), page and field errors from UI API writes,
 * network errors (`statusText`) and plain JavaScript errors.
 * @param {object|object[]} errors one error or several
 * @returns {string[]} non-empty messages
 */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    return list
        .filter((error) => !!error)
        .flatMap((error) => messagesOf(error))
        .filter((message) => typeof message === 'string' && message.length > 0);
}

function messagesOf(error) {
    const body = error.body;
    if (Array.isArray(body)) {
        return body.map((entry) => entry.message);
    }
    if (body && typeof body === 'object') {
        const pageErrors = body.pageErrors || (body.output && body.output.errors) || [];
        const fieldErrors = Object.values((body.output && body.output.fieldErrors) || body.fieldErrors || {}).flat();
        const detailed = [...pageErrors, ...fieldErrors].map((entry) => entry.message);
        if (detailed.length > 0) {
            return detailed;
        }
        if (typeof body.message === 'string') {
            return [body.message];
        }
    }
    if (typeof error.message === 'string') {
        return [error.message];
    }
    return [error.statusText];
}
