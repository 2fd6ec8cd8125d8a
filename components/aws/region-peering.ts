import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { validateCopyPlan } from "../../data/residency";

/** One side of a peering: a region's VPC, its range and the route tables of its private (node, pod) subnets. */
export interface PeeringSide {
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    readonly cidr: string;
    readonly routeTableIds: readonly pulumi.Input<string>[];
    /** The explicit provider of that region. */
    readonly provider: aws.Provider;
}

export interface RegionPeeringArgs {
    /** The home's active region: it requests the peering. */
    readonly requester: PeeringSide;
    /** The passive region: it accepts the peering. */
    readonly accepter: PeeringSide;
}

/** `10.8.0.0/16` → [first, last] address as 32-bit numbers; undefined for anything but an IPv4 CIDR. */
export function cidrRange(cidr: string): [number, number] | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const bits = Number(m[5]);
    if (octets.some((o) => o > 255) || bits > 32) {
        return undefined;
    }
    const ip = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - bits);
    const first = ip - (ip % size);
    return [first, first + size - 1];
}

/**
 * Checks before any resource: the two regions differ and stay in one residency zone (the same rule
 * as the stores' copies, data/residency.ts `validateCopyPlan`), and their VPC ranges are valid and do
 * not overlap (AWS refuses a peering between overlapping CIDRs, and routes could not tell them apart).
 */
export function validateRegionPeering(requester: { region: string; cidr: string }, accepter: { region: string; cidr: string }): string[] {
    const problems = validateCopyPlan([{ source: requester.region, target: accepter.region, targetInStack: true }]).map((p) => `peering ${p}`);
    const a = cidrRange(requester.cidr);
    const b = cidrRange(accepter.cidr);
    if (!a || !b) {
        problems.push(`peering ${requester.region} ↔ ${accepter.region}: invalid CIDR (${requester.cidr}, ${accepter.cidr})`);
    } else if (a[0] <= b[1] && b[0] <= a[1]) {
        problems.push(`peering ${requester.region} ↔ ${accepter.region}: VPC ranges ${requester.cidr} and ${accepter.cidr} overlap`);
    }
    return problems;
}

/**
 * Inter-region VPC peering between a home's active region and its passive region (the path the
 * JetStream leaf link takes): requested in the active region, accepted in the passive one, and a
 * route to the other side's range in every private route table of both. Inter-region peering
 * cannot reference the other side's security groups, so what opens a port names the peer's CIDR.
 */
export class RegionPeering extends pulumi.ComponentResource {
    readonly peeringConnectionId: pulumi.Output<string>;

    constructor(name: string, args: RegionPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:aws:RegionPeering", name, {}, opts);
        const problems = validateRegionPeering(args.requester, args.accepter);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid region peering:\n  - ${problems.join("\n  - ")}`, this);
        }
        const req = { parent: this, provider: args.requester.provider };
        const acc = { parent: this, provider: args.accepter.provider };
        const connection = new aws.ec2.VpcPeeringConnection(
            `${name}-connection`,
            {
                vpcId: args.requester.vpcId,
                peerVpcId: args.accepter.vpcId,
                peerRegion: args.accepter.region,
                // Inter-region: no autoAccept here (same-region only); the accepter resource accepts it.
                tags: { Name: `${args.requester.region}-to-${args.accepter.region}` },
            },
            req,
        );
        const accepter = new aws.ec2.VpcPeeringConnectionAccepter(
            `${name}-accepter`,
            { vpcPeeringConnectionId: connection.id, autoAccept: true, tags: { Name: `${args.requester.region}-to-${args.accepter.region}` } },
            acc,
        );
        // Routes only once the peering is active: a route to a pending peering is refused.
        const routes = (side: PeeringSide, other: PeeringSide, o: pulumi.CustomResourceOptions, role: string) =>
            side.routeTableIds.map(
                (rt, i) => new aws.ec2.Route(`${name}-${role}-route-${i}`, { routeTableId: rt, destinationCidrBlock: other.cidr, vpcPeeringConnectionId: connection.id }, { ...o, dependsOn: [accepter] }),
            );
        routes(args.requester, args.accepter, req, "requester");
        routes(args.accepter, args.requester, acc, "accepter");
        this.peeringConnectionId = connection.id;
        this.registerOutputs({ peeringConnectionId: this.peeringConnectionId });
    }
}
