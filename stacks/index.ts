import * as pulumi from "@pulumi/pulumi";
import { evaluateCapacity } from "../capacity";
import { activeCatalog } from "../catalog/synthetic";
import { deployAws } from "./aws";
import { deployContext } from "./context";
import { deployGcp } from "./gcp";
import { loadStackConfig } from "./load";

/**
 * The program: validate the stack's config (before any resource exists), report the capacity
 * model's findings, then compose the AWS regional platforms with their service workloads and the
 * GCP notification platform.
 */
export async function main(): Promise<Record<string, unknown>> {
    const catalog = activeCatalog();
    const ctx = deployContext(loadStackConfig(catalog), catalog);

    // Findings reach `pulumi preview/up` as diagnostics; a mandatory one (a budget that does not
    // hold) is an error, which fails the update.
    for (const f of evaluateCapacity(ctx)) {
        const line = `[${f.ruleId}] ${f.resource}: ${f.message}`;
        if (f.severity === "mandatory") {
            pulumi.log.error(line);
        } else if (f.severity === "advisory") {
            pulumi.log.warn(line);
        } else {
            pulumi.log.info(line);
        }
    }

    const aws = deployAws(ctx);
    const gcp = deployGcp(ctx);
    return {
        environment: ctx.config.environment,
        residency: ctx.config.residency,
        protectedState: ctx.profile.protectState,
        aws: aws.outputs,
        gcp: gcp.outputs,
    };
}
