import type { DeployContext } from "../data/context";
import { awsCapacityFindings } from "./aws";
import { Finding } from "../data/findings";
import { gcpCapacityFindings } from "./gcp";
import { workloadCapacityFindings } from "./workloads";
import { drFindings } from "./dr";

/**
 * The capacity model: every envelope and budget check over the catalog and the environment
 * profiles, for one stack. Pure: the program logs these, the plan reports them, tests assert them.
 */
const checks: readonly ((ctx: DeployContext) => Finding[])[] = [awsCapacityFindings, workloadCapacityFindings, gcpCapacityFindings, drFindings];

export function evaluateCapacity(ctx: DeployContext): Finding[] {
    return checks.flatMap((check) => check(ctx));
}
