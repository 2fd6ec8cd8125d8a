/**
 * Findings: what the capacity model and the policy pack report. Pure data; no Pulumi imports.
 *
 * - `mandatory`: the design does not hold (a budget is exceeded, a rule is broken); the plan fails.
 * - `advisory`: worth a look, not blocking.
 * - `info`: a documented number the clouds cannot provision as written, and the value chosen instead.
 */
export type Severity = "mandatory" | "advisory" | "info";

export interface Finding {
    readonly ruleId: string;
    readonly severity: Severity;
    /** The resource (logical name) or catalog entry (`service/role`, `pool@region`) it is about. */
    readonly resource: string;
    readonly message: string;
}

export function finding(ruleId: string, severity: Severity, resource: string, message: string): Finding {
    return { ruleId, severity, resource, message };
}

export function hasMandatory(findings: readonly Finding[]): boolean {
    return findings.some((f) => f.severity === "mandatory");
}
