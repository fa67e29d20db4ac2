/**
 * Work priorities shared by the queue and the API budget. Higher rank goes first: a user waiting on the
 * resync button beats a CDC or webhook signal, which beats the scheduled poll, which beats a backfill.
 */
import { z } from 'zod';

export const priorities = ['backfill', 'poll', 'fast_path', 'interactive'] as const;
export const Priority = z.enum(priorities);
export type Priority = z.infer<typeof Priority>;

/** The number stored in the queue; the position in `priorities` so the order has one source. */
export function priorityRank(priority: Priority): number {
    return priorities.indexOf(priority);
}

export function priorityFromRank(rank: number): Priority {
    const priority = priorities[rank];
    if (priority === undefined) throw new RangeError(`unknown priority rank ${rank}`);
    return priority;
}
