import { z } from 'zod';
import { SeedShape } from './seed';

/** Options of a Salesforce sandbox (validated; every field has a working default). */
export const SalesforceSandboxOptions = z.strictObject({
    /** Port to listen on (0 = ephemeral); used by `startSalesforceSandbox` only. */
    port: z.number().int().min(0).max(65_535).default(0),
    host: z.string().default('127.0.0.1'),
    /** SQLite file that keeps the records across restarts; absent = memory only. */
    dataFile: z.string().min(1).optional(),
    /** Dataset loaded at start when the store is empty. */
    seed: z.union([z.enum(['empty', 'demo']), SeedShape]).default('empty'),
    /** Latency added to every API request (benchmarks use 50 ms). */
    baseLatencyMs: z.number().int().min(0).max(60_000).default(0),
    apiVersion: z
        .string()
        .regex(/^\d{2}\.0$/)
        .default('68.0'),
    clientId: z.string().min(1).default('3MVG9sandbox.bridge.client.id'),
    clientSecret: z.string().min(1).default('sandbox-client-secret'),
    username: z.string().min(3).default('integration@bridge.sandbox'),
    password: z.string().min(1).default('sandbox-password'),
    /** Inactivity timeout of API sessions (Salesforce's default: 2 hours). */
    sessionTimeoutMs: z
        .number()
        .int()
        .positive()
        .default(2 * 3_600_000),
    /** PEM certificate (or public key) the JWT bearer flow verifies assertions against. */
    jwtCertificate: z.string().optional(),
    /** Daily API request allowance; exceeding it answers REQUEST_LIMIT_EXCEEDED. */
    dailyApiLimit: z.number().int().positive().default(1_000_000),
    /** Folder of SFDX object metadata whose custom fields the sandbox serves. */
    objectsDirectory: z.string().optional(),
    validationRules: z
        .array(
            z.strictObject({
                object: z.string(),
                name: z.string(),
                errorCondition: z.string(),
                errorMessage: z.string(),
                errorDisplayField: z.string().optional()
            })
        )
        .default([]),
    /**
     * Lead field mapping applied by convertLead (Setup → Map Lead Fields): lead field -> field on the
     * created Contact, Account or Opportunity. Empty by default, as in a new org.
     */
    leadFieldMapping: z
        .record(
            z.string(),
            z.strictObject({
                Contact: z.string().optional(),
                Account: z.string().optional(),
                Opportunity: z.string().optional()
            })
        )
        .default({}),
    /** Block Leads/Contacts whose e-mail already exists on another Lead or Contact (DUPLICATES_DETECTED). */
    emailDuplicateRule: z.boolean().default(false),
    /**
     * Rows per Bulk API 2.0 query result page when the client sends no `maxRecords`. Large by default:
     * jsforce 3.10's `bulk2.query` pipes every page into one stream and fails on a second page.
     */
    bulkQueryPageSize: z.number().int().positive().default(500_000),
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(50 * 1024 * 1024),
    /** How long a CometD /meta/connect is held open. */
    streamingPollMs: z.number().int().positive().default(20_000),
    /** Seed of the fault injector's randomness. */
    faultSeed: z.number().int().default(42)
});
export type SalesforceSandboxOptions = z.infer<typeof SalesforceSandboxOptions>;
export type SalesforceSandboxOptionsInput = z.input<typeof SalesforceSandboxOptions>;
