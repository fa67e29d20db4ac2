export { ApiBudget, type BudgetSnapshot, type BudgetStatus, type SpendOptions } from './api-budget';
export { BudgetConfig, SideBudget, windowFor, type BudgetConfigInput } from './config';
export { capFor, constraints, decideSpend, type Constraint, type SpendDecision } from './decide';
export { type HeaderBag, LimitsResponseError } from './headers';
export { WindowRule } from './window';
