/** A request to sync one Salesforce record again, as the Resync button sends it. */
export interface ResyncRequest {
    sfObject: string;
    sfId: string;
    requestedAt: string;
    /** The relay request that asked, to follow it through the logs. */
    requestId: string;
}

/**
 * Where resync requests go (the sync engine implements it). `objects` are the Salesforce objects the
 * sync mapping covers; requests for others are refused before they reach the queue. `enqueue` may
 * return the job already queued for the same record instead of adding a second one.
 */
export interface ResyncQueue {
    readonly objects: readonly string[];
    enqueue(request: ResyncRequest): Promise<{ jobId: string }>;
}
