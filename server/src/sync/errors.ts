/**
 * Sync error categories, shared by the planner (which produces errors) and the state store (which keeps
 * them until resolved). They follow the groups HubSpot's own sync-health view uses, plus our own.
 */
import { z } from 'zod';

export const errorCategories = [
    'field_value',
    'picklist',
    'duplicate',
    'permission',
    'association',
    'validation_rule',
    'api_limit',
    'mapping',
    'transient'
] as const;
export const ErrorCategory = z.enum(errorCategories);
export type ErrorCategory = z.infer<typeof ErrorCategory>;

export const syncSides = ['salesforce', 'hubspot'] as const;
export const SyncSide = z.enum(syncSides);
export type SyncSide = z.infer<typeof SyncSide>;

/** The message of anything thrown; `instanceof Error` is not used because errors can come from another realm. */
export function errorMessage(error: unknown): string {
    if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
        return error.message;
    }
    return String(error);
}
