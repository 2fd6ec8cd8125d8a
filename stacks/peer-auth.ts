import * as pulumi from "@pulumi/pulumi";
import { CrossCloudEndpoint } from "../components/contracts";
import { CertificateDnsValidation } from "../components/interconnect/cert-validation";
import { PeerFederation, roleNameOfArn } from "../components/gcp/peer-identity";
import { DeployContext } from "../data/context";
import { AwsRegionHandle, GcpHandle } from "./interconnect";

/**
 * Authenticated calls on Cloud Run (issue 15), the parts that need both clouds: the caller identity
 * the EKS pods are configured with (before AWS is built), then the federation that trusts their IRSA
 * roles and the DNS record that lets Certificate Manager issue the internal load balancer's
 * certificate in the domain's public zone, which the AWS side owns (after AWS is built).
 */

/** The cross-cloud endpoints with the callers' GCP identity added (pure apart from the outputs it passes on). */
export function withPeerIdentity(endpoints: Readonly<Record<string, CrossCloudEndpoint>>, gcp: GcpHandle | undefined): Record<string, CrossCloudEndpoint> {
    const peers = gcp?.peers;
    return Object.fromEntries(
        Object.entries(endpoints).map(([service, e]) => [service, peers ? { ...e, identity: { workloadProviderAudience: peers.workloadProviderAudience, serviceAccounts: peers.emails } } : e]),
    );
}

/**
 * After both clouds: the pool's AWS provider restricted to the calling services' IRSA roles (every
 * AWS region's), their impersonation grants, and per Cloud Run service and active region the CNAME
 * of its internal certificate's DNS authorization in the Route 53 public zone of the stack's domain.
 */
export function deployPeerAuth(
    ctx: DeployContext,
    gcp: GcpHandle | undefined,
    awsRegions: Readonly<Record<string, AwsRegionHandle>>,
    roleArns: Readonly<Record<string, readonly pulumi.Output<string>[]>>,
): void {
    const peers = gcp?.peers;
    if (!gcp || !peers) {
        return;
    }
    const { config } = ctx;
    const roleNames: Record<string, pulumi.Output<string>[]> = {};
    for (const caller of Object.keys(peers.emails)) {
        const arns = roleArns[caller] ?? [];
        if (arns.length === 0) {
            throw new Error(`stack ${config.stack}: peer caller ${caller} has no IRSA role on AWS`);
        }
        roleNames[caller] = arns.map((a) => a.apply(roleNameOfArn));
    }
    new PeerFederation("gcp-peer-federation", { identities: peers, awsAccountId: config.aws.accountId, roleNames, provider: gcp.global }, { dependsOn: [peers] });

    const first = Object.values(awsRegions)[0];
    if (!first) {
        throw new Error(`stack ${config.stack}: the internal certificates' DNS records need an AWS region`);
    }
    new CertificateDnsValidation(
        "internal-cert-validation",
        {
            domain: config.domain,
            records: Object.entries(gcp.certValidation).flatMap(([service, records]) => records.map((r) => ({ key: `${service}-${r.region}`, name: r.name, type: r.type, data: r.data }))),
            provider: first.provider,
        },
    );
}
