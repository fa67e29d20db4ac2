export { BackoffPolicy, backoffDelayMs, defaultRetryCapMinutes, parseRetryAfter } from './backoff';
export { Priority, priorities, priorityFromRank, priorityRank } from './priority';
export {
    defaultMaxAttempts,
    openWorkQueue,
    Signal,
    WorkQueue,
    WorkQueueInputError,
    WorkQueueOptions,
    depthStates,
    type ClaimedItem,
    type CompleteResult,
    type DeadLetter,
    type DepthState,
    type EnqueueResult,
    type FailOptions,
    type FailResult,
    type LeaseRef,
    type QueueDepth,
    type WorkQueueSettings
} from './work-queue';
