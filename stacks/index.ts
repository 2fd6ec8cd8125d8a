import * as pulumi from "@pulumi/pulumi";
import { evaluateCapacity } from "../capacity";
import { activeCatalog } from "../data/catalog/synthetic";
import { deployAws } from "./aws";
import { deployContext } from "../data/context";
import { deployGcp } from "./gcp";
import { deployInterconnect, planStackInterconnect } from "./interconnect";
import { loadStackConfig } from "./load";
import { deployPeerAuth, withPeerIdentity } from "./peer-auth";
import { readPipelineAccess } from "./pipeline";

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

    // Cross-cloud path (HA VPN, private DNS, egress rules): planned and validated before any resource,
    // built once both clouds' platforms exist.
    const interconnect = planStackInterconnect(ctx);
    // The pipeline's runners (bootstrap stack) are the clients of the EKS public endpoints.
    const pipeline = await readPipelineAccess(ctx.config);
    // GCP first: the EKS callers' ConfigMaps carry the GCP identity they call Cloud Run with (issue 15).
    const gcp = deployGcp(ctx);
    const aws = deployAws(ctx, withPeerIdentity(interconnect.endpoints, gcp.interconnect), pipeline);
    const vpn = deployInterconnect(ctx, interconnect, aws.regions, gcp.interconnect);
    deployPeerAuth(ctx, gcp.interconnect, aws.regions, aws.roleArns);
    return {
        environment: ctx.config.environment,
        residency: ctx.config.residency,
        protectedState: ctx.profile.protectState,
        pipeline,
        aws: aws.outputs,
        gcp: gcp.outputs,
        interconnect: vpn,
    };
}
