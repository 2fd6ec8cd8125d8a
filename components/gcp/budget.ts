import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Alert thresholds (seed 001 §9): 50 %, 80 %, 100 % of the monthly amount. */
export const budgetThresholds = [0.5, 0.8, 1.0] as const;

export interface BudgetArgs {
    readonly billingAccount: string;
    readonly environment: string;
    readonly projectNumber: pulumi.Input<string>;
    readonly monthlyUsd: number;
    readonly provider: gcp.Provider;
}

/** The environment's budget on the billing account, scoped to the stack's project. */
export class CostGuardrails extends pulumi.ComponentResource {
    constructor(name: string, args: BudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:CostGuardrails", name, {}, opts);
        if (!Number.isInteger(args.monthlyUsd) || args.monthlyUsd <= 0) {
            throw new pulumi.ResourceError(`budget must be a positive whole number of USD, got ${args.monthlyUsd}`, this);
        }
        new gcp.billing.Budget(
            `${name}-budget`,
            {
                billingAccount: args.billingAccount,
                displayName: `melmastoon-${args.environment}-notification`,
                budgetFilter: { projects: [pulumi.interpolate`projects/${args.projectNumber}`], calendarPeriod: "MONTH", creditTypesTreatment: "INCLUDE_ALL_CREDITS" },
                amount: { specifiedAmount: { currencyCode: "USD", units: String(args.monthlyUsd) } },
                thresholdRules: budgetThresholds.map((t) => ({ thresholdPercent: t, spendBasis: "CURRENT_SPEND" })),
                allUpdatesRule: { enableProjectLevelRecipients: true },
            },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({});
    }
}
