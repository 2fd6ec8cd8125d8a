import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../data/config";

/**
 * Where `pulumi preview/up` runs: the CodeBuild runners of this stack's bootstrap stack
 * (bootstrap/index.ts). Their NAT gateways' Elastic IPs are the pipeline's only egress addresses,
 * and exactly those (plus any operator `aws.apiAccessCidrs`) may reach the EKS public endpoints.
 */
export interface PipelineAccess {
    /** The bootstrap stack read (`<org>/bootstrap/<stack>`). */
    readonly bootstrapStack: string;
    /** The runners' egress addresses as /32s. */
    readonly runnerEgressCidrs: readonly string[];
}

const hostCidr = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/32$/;

/** Checks what the bootstrap stack exported: a non-empty list of /32s (a runner egress is an address, not a range). */
export function validateRunnerEgress(bootstrapStack: string, value: unknown): string[] {
    if (!Array.isArray(value) || value.length === 0) {
        return [`bootstrap stack ${bootstrapStack}: output runnerEgressCidrs must be a non-empty list of /32s (got ${JSON.stringify(value)}); run \`pulumi up\` in bootstrap/ first`];
    }
    return value.filter((c) => typeof c !== "string" || !hostCidr.test(c)).map((c) => `bootstrap stack ${bootstrapStack}: runnerEgressCidrs entry ${JSON.stringify(c)} is not an IPv4 /32`);
}

/**
 * Reads the runners' egress addresses from the bootstrap stack. Awaited before any cloud resource
 * exists, so the EKS validation sees plain strings (`pulumi preview` reads stack references too).
 */
export async function readPipelineAccess(config: StackConfig): Promise<PipelineAccess> {
    const bootstrapStack = config.deploy.bootstrapStack;
    const ref = new pulumi.StackReference("pipeline-bootstrap", { name: bootstrapStack });
    const value: unknown = await ref.getOutputValue("runnerEgressCidrs");
    const problems = validateRunnerEgress(bootstrapStack, value);
    if (problems.length > 0 || !Array.isArray(value)) {
        throw new pulumi.ResourceError(`where the pipeline runs:\n  - ${problems.join("\n  - ")}`, ref);
    }
    return { bootstrapStack, runnerEgressCidrs: value.map((c) => String(c)) };
}
