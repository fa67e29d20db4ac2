/** The Salesforce sandbox: a wire-faithful Salesforce org that the real jsforce runs against unchanged. */
export { createSalesforceSandbox, startSalesforceSandbox } from './sandbox';
export { classify } from './endpoints';
export type { SalesforceSandbox, RunningSalesforceSandbox, SalesforceConnectionInfo } from './sandbox';
export { SalesforceSandboxOptions } from './options';
export type { SalesforceSandboxOptionsInput } from './options';
export { SandboxHandle } from './control';
export type { UserEditOptions } from './control';
export { SeedShape, SEED_PRESETS } from './seed';
export type { SeedShapeInput, SeedSummary } from './seed';
export type { ChangeEvent, ChangeEventHeader, GapType } from './cdc';
