/**
 * The API budget from environment variables, parsed once with zod. An admin writes a budget the way
 * they think of it: `50%` of the org's daily limit, or a number of calls (`100000`). Every bad value is
 * reported at once, each line naming its variable.
 */
import { z } from 'zod';

import { BudgetConfig, type BudgetConfigInput, type SideBudget } from './config';
import { WindowRule } from './window';

/** Every variable the budget reads, for the relay's list and `.env.example`. */
export const budgetEnvVariables = [
    'SALESFORCE_API_BUDGET',
    'HUBSPOT_API_BUDGET',
    'HUBSPOT_DAILY_API_LIMIT',
    'HUBSPOT_TIME_ZONE',
    'HUBSPOT_TEN_SECONDLY_LIMIT'
] as const;

export class BudgetConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid API budget configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
        this.name = 'BudgetConfigError';
    }
}

type Cap = { share: number } | { absolute: number };

/** `50%` (share of the daily limit, above 0 and at most 100%) or `100000` (calls per window). */
export function parseCap(text: string): Cap | string {
    const value = text.trim();
    const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
    if (percent) {
        const share = Number(percent[1]) / 100;
        return share > 0 && share <= 1 ? { share } : `${value} must be above 0% and at most 100%`;
    }
    if (/^\d+$/.test(value)) {
        const absolute = Number(value);
        return absolute > 0 && Number.isSafeInteger(absolute) ? { absolute } : `${value} must be a positive number`;
    }
    return `"${value}" is neither a share of the daily API limit (e.g. 50%) nor a number of calls (e.g. 100000)`;
}

// Empty strings in .env files mean "not set", as in the relay's configuration.
const unsetWhenEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const cap = z.preprocess(
    unsetWhenEmpty,
    z
        .string()
        .default('50%')
        .transform((text, ctx) => {
            const parsed = parseCap(text);
            if (typeof parsed === 'string') {
                ctx.addIssue({ code: 'custom', message: parsed });
                return z.NEVER;
            }
            return parsed;
        })
);

const positiveWholeNumber = z.preprocess(
    unsetWhenEmpty,
    z.coerce
        .number({ error: 'must be a whole number' })
        .int('must be a whole number')
        .positive('must be a positive whole number')
        .optional()
);

const BudgetEnv = z.object({
    SALESFORCE_API_BUDGET: cap,
    HUBSPOT_API_BUDGET: cap,
    HUBSPOT_DAILY_API_LIMIT: positiveWholeNumber,
    HUBSPOT_TIME_ZONE: z.preprocess(
        unsetWhenEmpty,
        z
            .string()
            .default('UTC')
            .transform((timeZone, ctx) => {
                const rule = WindowRule.safeParse({ kind: 'daily', timeZone: timeZone.trim() });
                if (rule.success) return rule.data;
                for (const issue of rule.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
                return z.NEVER;
            })
    ),
    HUBSPOT_TEN_SECONDLY_LIMIT: positiveWholeNumber
});

/** Builds the `BudgetConfig` from the environment (or throws one `BudgetConfigError` listing every problem). */
export function loadBudgetConfig(env: Readonly<Record<string, string | undefined>>): BudgetConfig {
    const parsed = BudgetEnv.safeParse(env);
    const problems = parsed.success
        ? []
        : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    if (
        parsed.success &&
        parsed.data.HUBSPOT_DAILY_API_LIMIT !== undefined &&
        'absolute' in parsed.data.HUBSPOT_API_BUDGET
    ) {
        problems.push(
            'HUBSPOT_DAILY_API_LIMIT: only applies when HUBSPOT_API_BUDGET is a percentage (it is the limit the share is taken of)'
        );
    }
    if (!parsed.success || problems.length > 0) throw new BudgetConfigError(problems);

    const variables = parsed.data;
    const hubspot: SideBudget = {
        ...variables.HUBSPOT_API_BUDGET,
        ...(variables.HUBSPOT_DAILY_API_LIMIT === undefined ? {} : { dailyLimit: variables.HUBSPOT_DAILY_API_LIMIT }),
        window: variables.HUBSPOT_TIME_ZONE
    };
    const input: BudgetConfigInput = {
        salesforce: variables.SALESFORCE_API_BUDGET,
        hubspot,
        ...(variables.HUBSPOT_TEN_SECONDLY_LIMIT === undefined
            ? {}
            : { hubspotBurst: { max: variables.HUBSPOT_TEN_SECONDLY_LIMIT } })
    };
    return BudgetConfig.parse(input);
}
