/**
 * Counts every HTTP request a `@hubspot/api-client` Client sends. The client's `numberOfApiCallRetries`
 * retries a 429 or 5xx inside one API method call, so a port that counts method calls sees one call where
 * HubSpot counted two or three against the portal's limits. The client runs its configured middleware
 * before each attempt, so a middleware sees every request. Give `middleware` to the Client's configuration
 * and report `requests()` as the port's `calls()`: the budget then spends what HubSpot counts.
 */
import { noteCall } from './call-scope';

export class HubSpotRequestCounter {
    private count = 0;

    /** For the Client's `middleware` option; it only counts, the request and response pass unchanged. */
    readonly middleware: { pre(context: unknown): unknown; post(context: unknown): unknown }[] = [
        {
            pre: (context) => {
                this.count += 1;
                noteCall();
                return context;
            },
            post: (context) => context
        }
    ];

    /** HTTP requests sent so far, retries included. */
    requests(): number {
        return this.count;
    }
}
