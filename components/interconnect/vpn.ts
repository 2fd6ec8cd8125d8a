import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ipsecProposal, presharedKeyLength } from "../../data/profiles/interconnect";
import { GcpHubPlan, VpnPairPlan } from "./plan";
import { privateGoogleApis } from "../../data/naming/gcp";

export interface GcpVpnHubArgs {
    /** The hub's plan: region, Cloud Router ASN, the ranges it advertises to AWS. */
    readonly plan: GcpHubPlan;
    /** The stack's VPC (global routing: every region's routes learned here reach the whole VPC). */
    readonly networkId: pulumi.Input<string>;
    /** The paired GCP region's explicit provider. */
    readonly provider: gcp.Provider;
}

/**
 * The GCP end shared by every AWS region paired with one GCP region: an HA VPN gateway (two
 * interfaces, two public IPs, 99.99 % SLA with four tunnels) and a Cloud Router of its own (private
 * ASN) that advertises only the plan's ranges (custom mode: the active regions' subnets, where the
 * internal load balancers listen; never the Private Service Access range or the connectors').
 */
export class GcpVpnHub extends pulumi.ComponentResource {
    readonly region: string;
    readonly asn: number;
    readonly gatewayId: pulumi.Output<string>;
    /** Public IPs of HA VPN interfaces 0 and 1 (the AWS customer gateways). */
    readonly interfaceIps: readonly [pulumi.Output<string>, pulumi.Output<string>];
    readonly routerName: pulumi.Output<string>;

    constructor(name: string, args: GcpVpnHubArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:interconnect:GcpVpnHub", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const { region, asn, advertisedRanges } = args.plan;
        const gateway = new gcp.compute.HaVpnGateway(
            `${name}-gateway`,
            { name: `melmastoon-aws-vpn-${region}`, region, network: args.networkId, stackType: "IPV4_ONLY", description: "HA VPN to the stack's AWS regions" },
            child,
        );
        const router = new gcp.compute.Router(
            `${name}-router`,
            {
                name: `melmastoon-aws-vpn-${region}`,
                region,
                network: args.networkId,
                description: "BGP with the AWS virtual private gateways over HA VPN",
                bgp: {
                    asn,
                    advertiseMode: "CUSTOM",
                    advertisedGroups: [],
                    advertisedIpRanges: advertisedRanges.map((range) => ({
                        range,
                        description: range === privateGoogleApis.cidr ? "private.googleapis.com (STS, IAM Credentials for peer ID tokens)" : "notification internal load balancer subnet",
                    })),
                    keepaliveInterval: 20,
                },
            },
            child,
        );
        const ip = (id: number) =>
            gateway.vpnInterfaces.apply((ifs) => {
                const found = ifs.find((i) => (i.id ?? 0) === id)?.ipAddress;
                if (!found) {
                    throw new pulumi.ResourceError(`HA VPN gateway in ${region} reports no IP on interface ${id}`, this);
                }
                return found;
            });
        this.region = region;
        this.asn = asn;
        this.gatewayId = gateway.id;
        this.interfaceIps = [ip(0), ip(1)];
        this.routerName = router.name;
        this.registerOutputs({ gatewayId: this.gatewayId, interfaceIps: this.interfaceIps, routerName: this.routerName });
    }
}

/** A private DNS name the AWS region's pods resolve to an address on the other cloud. */
export interface PrivateRecord {
    /** Zone apex and record name, e.g. `notification-internal.<domain>`. */
    readonly host: string;
    /** The GCP internal load balancer's address in the paired region (or private.googleapis.com's four). */
    readonly addresses: readonly pulumi.Input<string>[];
}

export interface CrossCloudVpnArgs {
    /** The pair's plan: regions, ASNs, the four tunnels' inside /30s. */
    readonly pair: VpnPairPlan;
    /** The paired GCP region's HA VPN gateway and Cloud Router. */
    readonly hub: GcpVpnHub;
    /** The AWS region's VPC and the route tables of its private (pod) subnets. */
    readonly vpcId: pulumi.Input<string>;
    readonly privateRouteTableIds: readonly pulumi.Input<string>[];
    /** Route 53 private zones for the names the pods call on GCP. */
    readonly records: readonly PrivateRecord[];
    readonly awsProvider: aws.Provider;
    readonly gcpProvider: gcp.Provider;
    /** Provider of the tunnels' pre-shared keys. */
    readonly randomProvider: random.Provider;
}

/**
 * One AWS region's half of the cross-cloud path (Google's HA VPN ↔ AWS topology): a virtual private
 * gateway on the VPC (amazonSideAsn), two customer gateways (the HA VPN interfaces), two dynamic
 * (BGP) VPN connections with two tunnels each, routes propagated into the private route tables; on
 * GCP an external VPN gateway with the four AWS outside IPs, four tunnels, four Cloud Router
 * interfaces and BGP peers; and a Route 53 private zone per name so the pods resolve it.
 */
export class CrossCloudVpn extends pulumi.ComponentResource {
    readonly vpnGatewayId: pulumi.Output<string>;
    readonly connectionIds: readonly pulumi.Output<string>[];
    /** The four AWS outside IPs (A1, A2, B1, B2). */
    readonly outsideIps: readonly pulumi.Output<string>[];
    readonly zoneIds: readonly pulumi.Output<string>[];

    constructor(name: string, args: CrossCloudVpnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:interconnect:CrossCloudVpn", name, {}, opts);
        const { pair, hub } = args;
        if (pair.gcpRegion !== hub.region || pair.tunnels.length !== 4) {
            throw new pulumi.ResourceError(`${pair.awsRegion}: the pair (gcp ${pair.gcpRegion}, ${pair.tunnels.length} tunnels) does not match the hub in ${hub.region}`, this);
        }
        const onAws = { parent: this, provider: args.awsProvider };
        const onGcp = { parent: this, provider: args.gcpProvider };
        const label = `${pair.awsRegion} ↔ gcp ${pair.gcpRegion}`;

        const vgw = new aws.ec2.VpnGateway(`${name}-vgw`, { vpcId: args.vpcId, amazonSideAsn: String(pair.awsAsn), tags: { Name: `${name}-to-gcp-${pair.gcpRegion}` } }, onAws);
        // Dynamic routes from the VPN (the GCP subnets) reach the pods' route tables.
        args.privateRouteTableIds.forEach((rt, i) => new aws.ec2.VpnGatewayRoutePropagation(`${name}-propagation-${i}`, { vpnGatewayId: vgw.id, routeTableId: rt }, onAws));

        // Pre-shared keys: alphanumeric, prefixed with a letter (AWS refuses a key starting with 0), secret on both sides.
        const keys = pair.tunnels.map((t) => {
            const pw = new random.RandomPassword(`${name}-psk-${t.index}`, { length: presharedKeyLength - 1, special: false }, { parent: this, provider: args.randomProvider });
            return pulumi.secret(pulumi.interpolate`k${pw.result}`);
        });

        const connections = ([0, 1] as const).map((c) => {
            const cgw = new aws.ec2.CustomerGateway(
                `${name}-cgw-${c}`,
                { bgpAsn: String(pair.gcpAsn), ipAddress: hub.interfaceIps[c], type: "ipsec.1", tags: { Name: `${name}-gcp-${pair.gcpRegion}-if${c}` } },
                onAws,
            );
            const [t1, t2] = pair.tunnels.filter((t) => t.connection === c);
            const p1 = ipsecProposal.phase1;
            const p2 = ipsecProposal.phase2;
            return new aws.ec2.VpnConnection(
                `${name}-vpn-${c}`,
                {
                    vpnGatewayId: vgw.id,
                    customerGatewayId: cgw.id,
                    type: "ipsec.1",
                    // BGP, not static routes: the Cloud Router and the gateway exchange the VPC and subnet ranges.
                    staticRoutesOnly: false,
                    tunnel1InsideCidr: t1.insideCidr,
                    tunnel2InsideCidr: t2.insideCidr,
                    tunnel1PresharedKey: keys[t1.index],
                    tunnel2PresharedKey: keys[t2.index],
                    tunnel1IkeVersions: [...ipsecProposal.ikeVersions],
                    tunnel2IkeVersions: [...ipsecProposal.ikeVersions],
                    tunnel1Phase1EncryptionAlgorithms: [...p1.encryption],
                    tunnel2Phase1EncryptionAlgorithms: [...p1.encryption],
                    tunnel1Phase1IntegrityAlgorithms: [...p1.integrity],
                    tunnel2Phase1IntegrityAlgorithms: [...p1.integrity],
                    tunnel1Phase1DhGroupNumbers: [...p1.dhGroups],
                    tunnel2Phase1DhGroupNumbers: [...p1.dhGroups],
                    tunnel1Phase1LifetimeSeconds: p1.lifetimeSeconds,
                    tunnel2Phase1LifetimeSeconds: p1.lifetimeSeconds,
                    tunnel1Phase2EncryptionAlgorithms: [...p2.encryption],
                    tunnel2Phase2EncryptionAlgorithms: [...p2.encryption],
                    tunnel1Phase2IntegrityAlgorithms: [...p2.integrity],
                    tunnel2Phase2IntegrityAlgorithms: [...p2.integrity],
                    tunnel1Phase2DhGroupNumbers: [...p2.dhGroups],
                    tunnel2Phase2DhGroupNumbers: [...p2.dhGroups],
                    tunnel1Phase2LifetimeSeconds: p2.lifetimeSeconds,
                    tunnel2Phase2LifetimeSeconds: p2.lifetimeSeconds,
                    // After a dead-peer timeout AWS re-initiates instead of waiting for GCP.
                    tunnel1DpdTimeoutAction: "restart",
                    tunnel2DpdTimeoutAction: "restart",
                    tags: { Name: `${name}-gcp-${pair.gcpRegion}-${c}` },
                },
                onAws,
            );
        });
        const outside = [connections[0].tunnel1Address, connections[0].tunnel2Address, connections[1].tunnel1Address, connections[1].tunnel2Address];

        const peerGateway = new gcp.compute.ExternalVpnGateway(
            `${name}-peer-gateway`,
            {
                name: `melmastoon-aws-${pair.awsRegion}`,
                redundancyType: "FOUR_IPS_REDUNDANCY",
                // Interfaces 0, 1: connection A's tunnels; 2, 3: connection B's (Google's AWS topology).
                interfaces: outside.map((ipAddress, id) => ({ id, ipAddress })),
                description: `AWS virtual private gateway, ${label}`,
            },
            onGcp,
        );
        for (const t of pair.tunnels) {
            const tunnel = new gcp.compute.VPNTunnel(
                `${name}-tunnel-${t.index}`,
                {
                    name: `melmastoon-aws-${pair.awsRegion}-${t.index}`,
                    region: pair.gcpRegion,
                    vpnGateway: hub.gatewayId,
                    vpnGatewayInterface: t.haInterface,
                    peerExternalGateway: peerGateway.id,
                    peerExternalGatewayInterface: t.index,
                    sharedSecret: keys[t.index],
                    ikeVersion: 2,
                    router: hub.routerName,
                    description: `${label}, AWS connection ${t.connection} tunnel ${t.awsTunnel}`,
                },
                onGcp,
            );
            const iface = new gcp.compute.RouterInterface(
                `${name}-interface-${t.index}`,
                { name: `aws-${pair.awsRegion}-${t.index}`, region: pair.gcpRegion, router: hub.routerName, ipRange: `${t.gcpInsideIp}/30`, vpnTunnel: tunnel.name },
                onGcp,
            );
            new gcp.compute.RouterPeer(
                `${name}-bgp-${t.index}`,
                {
                    name: `aws-${pair.awsRegion}-${t.index}`,
                    region: pair.gcpRegion,
                    router: hub.routerName,
                    interface: iface.name,
                    ipAddress: t.gcpInsideIp,
                    peerIpAddress: t.awsInsideIp,
                    peerAsn: pair.awsAsn,
                },
                onGcp,
            );
        }

        // The name resolves inside the VPC only (CoreDNS → VPC resolver → this private zone).
        const zoneIds = args.records.map((r) => {
            const key = r.host.split(".")[0];
            const zone = new aws.route53.Zone(
                `${name}-zone-${key}`,
                { name: r.host, comment: `${r.host} over the HA VPN to gcp ${pair.gcpRegion} (private)`, vpcs: [{ vpcId: args.vpcId, vpcRegion: pair.awsRegion }], forceDestroy: false },
                onAws,
            );
            new aws.route53.Record(`${name}-record-${key}`, { zoneId: zone.zoneId, name: r.host, type: "A", ttl: 60, records: [...r.addresses] }, onAws);
            return zone.zoneId;
        });

        this.vpnGatewayId = vgw.id;
        this.connectionIds = connections.map((c) => c.id);
        this.outsideIps = outside;
        this.zoneIds = zoneIds;
        this.registerOutputs({ vpnGatewayId: this.vpnGatewayId, connectionIds: this.connectionIds, outsideIps: this.outsideIps, zoneIds: this.zoneIds });
    }
}
