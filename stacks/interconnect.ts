import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cloudRunServices, k8sServices } from "../data/catalog";
import { internalHostOf, privateGoogleApis, privateServiceRange, regionCidrs } from "../data/naming/gcp";
import { PeerCallerIdentities } from "../components/gcp/peer-identity";
import { DnsValidationRecord } from "../components/gcp/edge";
import { InterconnectInput, InterconnectPlan, NamedRange, planInterconnect, validateInterconnect } from "../components/interconnect/plan";
import { CrossCloudVpn, GcpVpnHub } from "../components/interconnect/vpn";
import { DeployContext } from "../data/context";
import { vpcCidrFor } from "../data/profiles/aws";

/**
 * The cross-cloud path of a stack (assignment → notification): HA VPN between each AWS region's VPC
 * and the GCP VPC, planned and validated from the config alone (before any resource), then built
 * after both clouds' platforms exist.
 */

/** The planner's view of the stack. */
export function interconnectInput(ctx: DeployContext): InterconnectInput {
    const { config } = ctx;
    return {
        residency: config.residency,
        domain: config.domain,
        aws: config.aws.regions.map((r) => ({ region: r.region, vpcCidr: vpcCidrFor(r.region) ?? "" })),
        gcp: config.gcp.regions.map((r, i) => ({ region: r.region, role: r.role, subnet: regionCidrs(i).subnet })),
        dependencies: k8sServices(ctx.catalog).flatMap((c) =>
            c.outbound.flatMap((d) => (d.kind === "cross-cloud" ? [{ caller: c.service, service: d.service, port: d.port }] : [])),
        ),
        gcpServices: cloudRunServices(ctx.catalog).map((c) => c.service),
        hostOf: internalHostOf,
        googleApis: { hosts: privateGoogleApis.hosts, cidr: privateGoogleApis.cidr },
    };
}

/** Every GCP range of the stack (config order = address plan index), for the overlap rule. */
export function gcpRangesOf(ctx: DeployContext): NamedRange[] {
    const ranges = ctx.config.gcp.regions.flatMap((r, i) => {
        const c = regionCidrs(i);
        return [
            { name: `gcp ${r.region} subnet`, cidr: c.subnet },
            { name: `gcp ${r.region} connector`, cidr: c.connector },
            { name: `gcp ${r.region} proxy-only subnet`, cidr: c.proxyOnly },
        ];
    });
    return [...ranges, { name: "gcp private services access", cidr: `${privateServiceRange.address}/${privateServiceRange.prefixLength}` }];
}

/** The stack's plan; throws, naming every problem, before any resource exists. */
export function planStackInterconnect(ctx: DeployContext): InterconnectPlan {
    const input = interconnectInput(ctx);
    const plan = planInterconnect(input);
    const problems = validateInterconnect(input, plan, gcpRangesOf(ctx));
    if (problems.length > 0) {
        throw new Error(`cross-cloud path of stack ${ctx.config.stack}:\n  - ${problems.join("\n  - ")}`);
    }
    return plan;
}

/** What the AWS composition hands over per region. */
export interface AwsRegionHandle {
    readonly provider: aws.Provider;
    readonly vpcId: pulumi.Output<string>;
    readonly privateRouteTableIds: readonly pulumi.Output<string>[];
}

/** What the GCP composition hands over. */
export interface GcpHandle {
    readonly networkId: pulumi.Output<string>;
    readonly providers: Readonly<Record<string, gcp.Provider>>;
    /** Internal load balancer address per Cloud Run service and active region. */
    readonly internalIps: Readonly<Record<string, Readonly<Record<string, pulumi.Output<string>>>>>;
    /** The provider for the stack's global GCP resources. */
    readonly global: gcp.Provider;
    /** The EKS callers' GCP identities (absent: no card names an inbound caller). */
    readonly peers?: PeerCallerIdentities;
    /** Per Cloud Run service: the DNS records its internal certificates need in the domain's public zone. */
    readonly certValidation: Readonly<Record<string, readonly DnsValidationRecord[]>>;
}

/** Builds the plan: one GCP hub per paired GCP region, one CrossCloudVpn per AWS region. */
export function deployInterconnect(
    ctx: DeployContext,
    plan: InterconnectPlan,
    awsRegions: Readonly<Record<string, AwsRegionHandle>>,
    gcpHandle: GcpHandle | undefined,
): Record<string, pulumi.Input<unknown>> {
    if (plan.pairs.length === 0) {
        return {};
    }
    if (!gcpHandle) {
        throw new Error(`stack ${ctx.config.stack}: cross-cloud dependencies but no GCP platform`);
    }
    const randomProvider = new random.Provider("random-interconnect", {});
    const hubs: Record<string, GcpVpnHub> = {};
    for (const h of plan.hubs) {
        hubs[h.region] = new GcpVpnHub(`vpn-hub-${h.region}`, { plan: h, networkId: gcpHandle.networkId, provider: gcpHandle.providers[h.region] });
    }
    const outputs: Record<string, pulumi.Input<unknown>> = {};
    for (const pair of plan.pairs) {
        const region = awsRegions[pair.awsRegion];
        const records = Object.values(plan.endpoints).map((e) => {
            const address = gcpHandle.internalIps[e.service]?.[pair.gcpRegion];
            if (!address) {
                throw new Error(`stack ${ctx.config.stack}: ${e.service} has no internal load balancer in ${pair.gcpRegion}`);
            }
            return { host: e.host, addresses: [address] };
        });
        // The callers mint ID tokens at Google's STS and IAM Credentials (issue 15): those names resolve,
        // in this VPC only, to private.googleapis.com, whose /30 the Cloud Router advertises over the VPN.
        const googleApis = [...new Set(Object.values(plan.endpoints).flatMap((e) => e.googleApis.hosts))].map((host) => ({ host, addresses: [...privateGoogleApis.addresses] }));
        const vpn = new CrossCloudVpn(`vpn-${pair.awsRegion}`, {
            pair,
            hub: hubs[pair.gcpRegion],
            vpcId: region.vpcId,
            privateRouteTableIds: region.privateRouteTableIds,
            records: [...records, ...googleApis],
            awsProvider: region.provider,
            gcpProvider: gcpHandle.providers[pair.gcpRegion],
            randomProvider,
        });
        outputs[pair.awsRegion] = { gcpRegion: pair.gcpRegion, awsAsn: pair.awsAsn, gcpAsn: pair.gcpAsn, outsideIps: vpn.outsideIps };
    }
    return outputs;
}
