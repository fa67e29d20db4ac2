/**
 * The relay's configuration, parsed once at start-up from the environment (plus `.env` when present)
 * and passed down as a typed object. Nothing else in the relay reads `process.env`.
 *
 * Mode: with no Salesforce/HubSpot credentials at all the relay runs in `sandbox` mode against the
 * local sandboxes, and generates the secrets nobody configured; with complete credentials it runs
 * `live`; anything in between is a configuration error, because a half-configured bridge would
 * silently sync against the wrong systems.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

import { budgetEnvVariables, BudgetConfigError, loadBudgetConfig, type BudgetConfig } from '../budget';
import { defaultMaxAttempts, defaultRetryCapMinutes } from '../queue';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Variables whose presence means "connect to real systems". */
const salesforceCredentialKeys = [
    'SALESFORCE_CLIENT_ID',
    'SALESFORCE_CLIENT_SECRET',
    'SALESFORCE_USERNAME',
    'SALESFORCE_PASSWORD',
    'SALESFORCE_JWT_KEY_FILE'
] as const;
const hubspotCredentialKeys = ['HUBSPOT_ACCESS_TOKEN'] as const;

/** Secrets the relay itself owns; generated in sandbox mode when absent, required in live mode. */
const relaySecretKeys = ['RELAY_API_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'DASHBOARD_PASSWORD'] as const;
export type RelaySecretKey = (typeof relaySecretKeys)[number];

export const DEFAULT_DASHBOARD_USER = 'admin';
export const DEFAULT_SYNC_CONFIG = 'config/sync-mapping.yaml';

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
        this.name = 'ConfigError';
    }
}

// Empty strings in .env files mean "not set"; treating them as values would turn `FOO=` into errors.
const unsetWhenEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
// Values are kept verbatim (no trimming): a secret may legitimately start or end with a space.
const optionalText = z.preprocess(unsetWhenEmpty, z.string().optional());
const withDefault = <S extends z.ZodType>(fallback: string, schema: S) =>
    z.preprocess((value) => unsetWhenEmpty(value) ?? fallback, schema);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const originList = z
    .string()
    .optional()
    .transform((value, ctx) => {
        const entries = (value ?? '')
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean);
        const origins: string[] = [];
        for (const entry of entries) {
            let parsed: URL | undefined;
            try {
                parsed = new URL(entry);
            } catch {
                parsed = undefined;
            }
            if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== entry.replace(/\/$/, '')) {
                ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin like https://crm.example.com` });
                continue;
            }
            origins.push(parsed.origin);
        }
        return origins;
    });

/** Express's `trust proxy` setting: off, a hop count, or a list of addresses/subnets (`loopback`, `10.0.0.0/8`). */
export type TrustProxy = false | number | string[];
const trustProxy = z
    .string()
    .optional()
    .transform((value, ctx): TrustProxy => {
        const text = (value ?? '').trim();
        if (text === '' || text === 'false') return false;
        if (text === 'true') {
            ctx.addIssue({
                code: 'custom',
                message: 'use a hop count (e.g. 1) or the proxy addresses instead of "true", which trusts any client'
            });
            return z.NEVER;
        }
        if (/^[0-9]+$/.test(text)) return Number(text);
        const entries = text.split(',').map((entry) => entry.trim());
        if (entries.some((entry) => !/^[0-9a-fA-F.:/]+$|^(loopback|linklocal|uniquelocal)$/.test(entry))) {
            ctx.addIssue({ code: 'custom', message: 'must be false, a hop count, or IP addresses/subnets' });
            return z.NEVER;
        }
        return entries;
    });

const intWithDefault = (fallback: number, min: number, max: number) =>
    withDefault(
        String(fallback),
        z.coerce
            .number({ error: 'must be a whole number' })
            .int('must be a whole number')
            .min(min, `must be at least ${min}`)
            .max(max, `must be at most ${max}`)
    );

const EnvSchema = z.object({
    PORT: intWithDefault(3000, 0, 65535),
    LOG_LEVEL: withDefault('info', z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` })),
    CORS_ORIGINS: originList,
    TRUST_PROXY: trustProxy,
    RATE_LIMIT_PER_MINUTE: intWithDefault(600, 1, 1_000_000),
    RELAY_API_TOKEN: optionalText.pipe(
        z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional()
    ),
    HUBSPOT_CLIENT_SECRET: optionalText,
    DASHBOARD_USER: optionalText,
    DASHBOARD_PASSWORD: optionalText.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
    SALESFORCE_LOGIN_URL: withDefault('https://login.salesforce.com', httpUrl),
    SALESFORCE_CLIENT_ID: optionalText,
    SALESFORCE_CLIENT_SECRET: optionalText,
    SALESFORCE_USERNAME: optionalText,
    SALESFORCE_PASSWORD: optionalText,
    SALESFORCE_JWT_KEY_FILE: optionalText,
    SALESFORCE_API_VERSION: withDefault('68.0', z.string().regex(/^[0-9]{2,3}\.0$/, 'must look like 68.0')),
    HUBSPOT_BASE_URL: withDefault('https://api.hubapi.com', httpUrl),
    HUBSPOT_ACCESS_TOKEN: optionalText,
    HUBSPOT_PORTAL_ID: optionalText.pipe(
        z
            .string()
            .regex(/^[0-9]{1,12}$/, 'must be the numeric Hub ID')
            .optional()
    ),
    HUBSPOT_APP_BASE_URL: withDefault('https://app.hubspot.com', httpUrl),
    HUBSPOT_APP_ID: optionalText.pipe(
        z
            .string()
            .regex(/^[0-9]{1,12}$/, 'must be the numeric app ID')
            .optional()
    ),
    SYNC_CONFIG: optionalText,
    DATA_DIR: withDefault('data', z.string()),
    SYNC_INTERVAL_MINUTES: intWithDefault(15, 1, 1440),
    FAST_PATH: withDefault('on', z.enum(['on', 'off'], { error: 'must be on or off' })),
    FAST_PATH_MAX_ATTEMPTS: intWithDefault(defaultMaxAttempts, 1, 100),
    FAST_PATH_RETRY_CAP_MINUTES: intWithDefault(defaultRetryCapMinutes, 1, 1440),
    CRM_CALL_TIMEOUT_SECONDS: intWithDefault(120, 5, 3600)
});
type Env = z.infer<typeof EnvSchema>;

/** Every variable the relay reads (`.env.example` documents each). */
export const relayEnvVariables = [...(Object.keys(EnvSchema.shape) as (keyof Env)[]), ...budgetEnvVariables];

export type SalesforceAuth =
    { kind: 'password'; clientSecret: string; password: string } | { kind: 'jwt'; keyFile: string };

export interface SalesforceConnectionConfig {
    loginUrl: string;
    clientId: string;
    username: string;
    auth: SalesforceAuth;
}

export interface HubSpotConnectionConfig {
    baseUrl: string;
    accessToken: string;
}

/** Where links to HubSpot records point. */
export interface HubSpotPortalConfig {
    /** The Hub ID; in sandbox mode the sandbox's own. */
    portalId: number | null;
    /**
     * The app whose token the relay writes with (HUBSPOT_APP_ID): webhook events of its writes are echoes.
     * Unset, the app that sent the notification is taken for it (a private app both writes and subscribes).
     */
    appId: number | null;
    /** HubSpot's web app (`https://app-eu1.hubspot.com` for EU portals). */
    appBaseUrl: string;
}

export interface RelayConfig {
    mode: 'sandbox' | 'live';
    port: number;
    logLevel: LogLevel;
    /** Browser origins allowed to call the relay; empty = CORS closed. */
    corsOrigins: string[];
    trustProxy: TrustProxy;
    rateLimitPerMinute: number;
    /** Bearer secret the Salesforce Named Credential sends. */
    relayApiToken: string;
    /** HubSpot app client secret: the HMAC key of webhook signatures. */
    hubspotClientSecret: string;
    dashboard: { user: string; password: string };
    /** Secrets generated for this process because sandbox mode had none configured (print them once). */
    generatedSecrets: RelaySecretKey[];
    salesforceApiVersion: string;
    hubspotBaseUrl: string;
    /** Present in live mode only. */
    salesforce: SalesforceConnectionConfig | null;
    hubspot: HubSpotConnectionConfig | null;
    hubspotPortal: HubSpotPortalConfig;
    /**
     * `fastPath`: Salesforce CDC and HubSpot webhooks synced within seconds (FAST_PATH, on by default).
     * `retries`: how the fast path's work queue retries a change before it is a dead letter
     * (FAST_PATH_MAX_ATTEMPTS, FAST_PATH_RETRY_CAP_MINUTES).
     */
    sync: {
        configFile: string;
        dataDir: string;
        intervalMinutes: number;
        fastPath: boolean;
        retries: { maxAttempts: number; backoff: { capMs: number } };
    };
    /** How long one Salesforce or HubSpot call may take before it is abandoned (CRM_CALL_TIMEOUT_SECONDS). */
    callTimeoutMs: number;
    /** The admin's API caps per side (SALESFORCE_API_BUDGET, HUBSPOT_API_BUDGET, ...). */
    budget: BudgetConfig;
}

export interface LoadConfigOptions {
    env?: NodeJS.ProcessEnv;
    /** `.env` file read when it exists; real environment variables win over it. */
    envFile?: string | null;
    /** Base for relative paths (DATA_DIR, SYNC_CONFIG, SALESFORCE_JWT_KEY_FILE). */
    cwd?: string;
}

/** Reads `.env` (if present) under the real environment and parses the result. */
export function loadRelayConfig(options: LoadConfigOptions = {}): RelayConfig {
    const cwd = options.cwd ?? process.cwd();
    const envFile = options.envFile === undefined ? resolve(cwd, '.env') : options.envFile;
    // parseEnv is the parser behind process.loadEnvFile; using it directly keeps process.env untouched.
    const fromFile = envFile && existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
    return parseRelayConfig({ ...fromFile, ...(options.env ?? process.env) }, cwd);
}

/** Validates a flat variable map and returns the typed configuration, or throws one ConfigError listing every problem. */
export function parseRelayConfig(source: NodeJS.ProcessEnv, cwd = process.cwd()): RelayConfig {
    const isSet = (key: string) => (source[key] ?? '').trim() !== '';
    const parsed = EnvSchema.safeParse(source);
    const problems = parsed.success
        ? []
        : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);

    // Cross-variable rules run on the raw values too, so one message lists field and combination problems.
    const credentialKeys = [...salesforceCredentialKeys, ...hubspotCredentialKeys].filter(isSet);
    const mode = credentialKeys.length > 0 ? 'live' : 'sandbox';
    if (mode === 'live') problems.push(...credentialProblems(source, isSet, credentialKeys, cwd));
    for (const key of relaySecretKeys) {
        if (mode === 'live' && !isSet(key)) problems.push(`${key}: required when connecting to Salesforce and HubSpot`);
    }
    if (mode === 'live' && !isSet('DASHBOARD_USER')) {
        problems.push('DASHBOARD_USER: required when connecting to Salesforce and HubSpot');
    }
    // The shipped default is the sync engine's to load; a file the operator names must exist now.
    const syncConfigFile = resolve(cwd, isSet('SYNC_CONFIG') ? source.SYNC_CONFIG! : DEFAULT_SYNC_CONFIG);
    if (isSet('SYNC_CONFIG') && !existsSync(syncConfigFile)) {
        problems.push(`SYNC_CONFIG: file not found: ${syncConfigFile}`);
    }

    let budget: BudgetConfig | undefined;
    try {
        budget = loadBudgetConfig(source);
    } catch (error) {
        if (!(error instanceof BudgetConfigError)) throw error;
        problems.push(...error.problems);
    }

    if (!parsed.success || problems.length > 0 || !budget) throw new ConfigError(problems);
    const env = parsed.data;

    const generatedSecrets: RelaySecretKey[] = [];
    const secret = (key: RelaySecretKey): string => {
        const value = env[key];
        if (value) return value;
        generatedSecrets.push(key);
        return randomBytes(32).toString('base64url');
    };

    return {
        mode,
        port: env.PORT,
        logLevel: env.LOG_LEVEL,
        corsOrigins: env.CORS_ORIGINS,
        trustProxy: env.TRUST_PROXY,
        rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
        relayApiToken: secret('RELAY_API_TOKEN'),
        hubspotClientSecret: secret('HUBSPOT_CLIENT_SECRET'),
        dashboard: { user: env.DASHBOARD_USER ?? DEFAULT_DASHBOARD_USER, password: secret('DASHBOARD_PASSWORD') },
        generatedSecrets,
        salesforceApiVersion: env.SALESFORCE_API_VERSION,
        hubspotBaseUrl: env.HUBSPOT_BASE_URL,
        salesforce: mode === 'live' ? salesforceConnection(env, cwd) : null,
        hubspot: mode === 'live' ? { baseUrl: env.HUBSPOT_BASE_URL, accessToken: env.HUBSPOT_ACCESS_TOKEN! } : null,
        hubspotPortal: {
            portalId: env.HUBSPOT_PORTAL_ID ? Number(env.HUBSPOT_PORTAL_ID) : null,
            appId: env.HUBSPOT_APP_ID ? Number(env.HUBSPOT_APP_ID) : null,
            appBaseUrl: env.HUBSPOT_APP_BASE_URL
        },
        sync: {
            configFile: syncConfigFile,
            dataDir: resolve(cwd, env.DATA_DIR),
            intervalMinutes: env.SYNC_INTERVAL_MINUTES,
            fastPath: env.FAST_PATH === 'on',
            retries: {
                maxAttempts: env.FAST_PATH_MAX_ATTEMPTS,
                backoff: { capMs: env.FAST_PATH_RETRY_CAP_MINUTES * 60_000 }
            }
        },
        callTimeoutMs: env.CRM_CALL_TIMEOUT_SECONDS * 1000,
        budget
    };
}

/** Every missing or contradictory credential once some credential is set (a half-configured bridge must not start). */
function credentialProblems(
    source: NodeJS.ProcessEnv,
    isSet: (key: string) => boolean,
    present: string[],
    cwd: string
): string[] {
    const problems: string[] = [];
    const because = `required because ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set`;
    for (const key of ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_PORTAL_ID', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_USERNAME']) {
        if (!isSet(key)) problems.push(`${key}: ${because}`);
    }
    const password = isSet('SALESFORCE_PASSWORD');
    const keyFile = isSet('SALESFORCE_JWT_KEY_FILE');
    if (password && keyFile) {
        problems.push('SALESFORCE_PASSWORD and SALESFORCE_JWT_KEY_FILE: set one of them, not both');
    } else if (keyFile) {
        const path = resolve(cwd, source.SALESFORCE_JWT_KEY_FILE!);
        if (!existsSync(path)) problems.push(`SALESFORCE_JWT_KEY_FILE: file not found: ${path}`);
    } else if (password) {
        if (!isSet('SALESFORCE_CLIENT_SECRET')) {
            problems.push('SALESFORCE_CLIENT_SECRET: required with SALESFORCE_PASSWORD (username-password OAuth flow)');
        }
    } else {
        problems.push(`SALESFORCE_PASSWORD or SALESFORCE_JWT_KEY_FILE: one is ${because}`);
    }
    return problems;
}

/** Only called once credentialProblems found nothing, so every field it reads is present. */
function salesforceConnection(env: Env, cwd: string): SalesforceConnectionConfig {
    const auth: SalesforceAuth = env.SALESFORCE_JWT_KEY_FILE
        ? { kind: 'jwt', keyFile: resolve(cwd, env.SALESFORCE_JWT_KEY_FILE) }
        : { kind: 'password', clientSecret: env.SALESFORCE_CLIENT_SECRET!, password: env.SALESFORCE_PASSWORD! };
    return {
        loginUrl: env.SALESFORCE_LOGIN_URL,
        clientId: env.SALESFORCE_CLIENT_ID!,
        username: env.SALESFORCE_USERNAME!,
        auth
    };
}

/** What an operator may see of the configuration: no secret, only which were generated for this run. */
export function describeConfig(config: RelayConfig) {
    return {
        mode: config.mode,
        port: config.port,
        logLevel: config.logLevel,
        corsOrigins: config.corsOrigins,
        trustProxy: config.trustProxy,
        rateLimitPerMinute: config.rateLimitPerMinute,
        dashboardUser: config.dashboard.user,
        generatedSecrets: config.generatedSecrets,
        salesforce: {
            apiVersion: config.salesforceApiVersion,
            loginUrl: config.salesforce?.loginUrl ?? null,
            username: config.salesforce?.username ?? null,
            authFlow: config.salesforce?.auth.kind ?? null
        },
        hubspot: { baseUrl: config.hubspot?.baseUrl ?? config.hubspotBaseUrl, appId: config.hubspotPortal.appId },
        sync: config.sync
    };
}
