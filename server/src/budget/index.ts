export { ApiBudget, type BudgetSnapshot, type BudgetStatus, type Settlement, type SpendOptions } from './api-budget';
export { BudgetExhaustedError, budgetedHubSpot, budgetedSalesforce, type BudgetedPortOptions } from './budgeted-ports';
export { BudgetConfig, SideBudget, windowFor, type BudgetConfigInput } from './config';
export { capFor, constraints, decideSpend, isPacing, type Constraint, type SpendDecision } from './decide';
export { budgetEnvVariables, BudgetConfigError, loadBudgetConfig } from './env';
export { type HeaderBag, LimitsResponseError } from './headers';
export { currentPriority, runWithPriority } from './priority-scope';
export { noteRetryTime, RetryTimeCollector, retryTimeOf, type RetryTimeContext } from './retry-time';
export { budgetReport, budgetSideReport, type BudgetReport, type BudgetSideReport, type PriorityState } from './status';
export { WindowRule } from './window';
export {
    budgetFileName,
    BudgetSpendStore,
    BudgetStoreError,
    persistBudget,
    type BudgetPersistence
} from './spend-store';
