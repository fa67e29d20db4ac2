/** The HubSpot sandbox: a wire-faithful HubSpot CRM API that @hubspot/api-client runs against unchanged. */
export { createHubSpotSandbox, startHubSpotSandbox } from './sandbox';
export type { HubSpotSandbox, RunningHubSpotSandbox } from './sandbox';
export { HubSpotSandboxHandle, USER_SOURCE } from './handle';
export type { SeedInput } from './handle';
export { HubSpotSandboxOptions, SeedSpec, WebhookOptions } from './options';
export type { HubSpotSandboxOptionsInput, SeedSpecInput } from './options';
export { DEMO_SEED } from './seed';
export type { SeedSummary } from './seed';
export { RATE_LIMIT_TIERS } from './rate-limit';
export type { RateLimitTier } from './rate-limit';
export { ALL_SCOPES } from './auth';
export { signatureV3 } from './webhooks';
export type { WebhookEvent, DeliveryRecord } from './webhooks';
export { OBJECT_TYPES, OBJECT_TYPE_NAMES } from './catalogue/object-types';
export type { ObjectTypeName } from './catalogue/object-types';
