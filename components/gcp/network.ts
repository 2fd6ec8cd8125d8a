import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../../data/catalog/types";
import { connectorName, privateServiceRange } from "../../data/naming/gcp";

export interface NetworkArgs {
    readonly environment: Environment;
    /** One explicit provider; the network is global. */
    readonly provider: gcp.Provider;
}

/**
 * The custom-mode VPC `melmastoon-{env}` (seed 001 §5) and its Private Service Access peering, used by
 * Cloud SQL and Memorystore in every region. Created once per stack.
 */
export class Network extends pulumi.ComponentResource {
    readonly network: gcp.compute.Network;
    readonly networkId: pulumi.Output<string>;
    readonly privateServiceConnection: gcp.servicenetworking.Connection;
    readonly privateServiceRangeName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:Network", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        this.network = new gcp.compute.Network(
            `${name}-vpc`,
            {
                name: `melmastoon-${args.environment}`,
                autoCreateSubnetworks: false,
                routingMode: "GLOBAL",
                deleteDefaultRoutesOnCreate: false,
                description: "notification-service VPC (seed 001 §5)",
            },
            child,
        );
        this.networkId = this.network.id;
        const range = new gcp.compute.GlobalAddress(
            `${name}-psa-range`,
            {
                name: `melmastoon-${args.environment}-psa`,
                purpose: "VPC_PEERING",
                addressType: "INTERNAL",
                address: privateServiceRange.address,
                prefixLength: privateServiceRange.prefixLength,
                network: this.network.id,
            },
            child,
        );
        this.privateServiceRangeName = range.name;
        this.privateServiceConnection = new gcp.servicenetworking.Connection(
            `${name}-psa`,
            { network: this.network.id, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [range.name], deletionPolicy: "ABANDON" },
            child,
        );
        this.registerOutputs({ networkId: this.networkId, privateServiceRangeName: this.privateServiceRangeName });
    }
}

export interface RegionalNetworkArgs {
    readonly region: string;
    readonly network: gcp.compute.Network;
    readonly cidrs: { readonly subnet: string; readonly connector: string; readonly proxyOnly: string };
    readonly connector: { readonly minInstances: number; readonly maxInstances: number; readonly machineType: string };
    readonly nat: { readonly ipsPerRegion: number; readonly minPortsPerVm: number };
    /** Keep the reserved egress IPs (staging/prod): vendors allow-list them, a new one is an outage. */
    readonly protect: boolean;
    /** Add the proxy-only subnet an internal Application Load Balancer needs (active regions). */
    readonly proxyOnlySubnet: boolean;
    readonly provider: gcp.Provider;
}

/**
 * One region of the VPC: a /22 subnet (private Google access, flow logs), the Serverless VPC Access
 * connector, Cloud Router + Cloud NAT `melmastoon-nat-{region}` with reserved egress IPs (manual
 * allocation: vendors allow-list exactly these), NAT logging.
 */
export class RegionalNetwork extends pulumi.ComponentResource {
    readonly subnet: gcp.compute.Subnetwork;
    readonly connector: gcp.vpcaccess.Connector;
    readonly connectorId: pulumi.Output<string>;
    readonly egressIps: pulumi.Output<string>[];
    readonly proxyOnly?: gcp.compute.Subnetwork;

    constructor(name: string, args: RegionalNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:RegionalNetwork", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const { region } = args;
        this.subnet = new gcp.compute.Subnetwork(
            `${name}-subnet`,
            {
                name: `melmastoon-${region}`,
                region,
                network: args.network.id,
                ipCidrRange: args.cidrs.subnet,
                privateIpGoogleAccess: true,
                logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
            },
            child,
        );
        if (args.proxyOnlySubnet) {
            this.proxyOnly = new gcp.compute.Subnetwork(
                `${name}-proxy-only`,
                {
                    name: `melmastoon-${region}-proxy-only`,
                    region,
                    network: args.network.id,
                    ipCidrRange: args.cidrs.proxyOnly,
                    purpose: "REGIONAL_MANAGED_PROXY",
                    role: "ACTIVE",
                },
                child,
            );
        }
        this.connector = new gcp.vpcaccess.Connector(
            `${name}-connector`,
            {
                name: connectorName(region),
                region,
                network: args.network.name,
                ipCidrRange: args.cidrs.connector,
                minInstances: args.connector.minInstances,
                maxInstances: args.connector.maxInstances,
                machineType: args.connector.machineType,
            },
            child,
        );
        this.connectorId = this.connector.id;
        const ips = Array.from({ length: args.nat.ipsPerRegion }, (_, i) =>
            new gcp.compute.Address(
                `${name}-nat-ip-${i + 1}`,
                { name: `melmastoon-nat-${region}-${i + 1}`, region, addressType: "EXTERNAL", networkTier: "PREMIUM", description: "Vendor allow-listed egress IP" },
                { ...child, protect: args.protect },
            ),
        );
        this.egressIps = ips.map((ip) => ip.address);
        const router = new gcp.compute.Router(`${name}-router`, { name: `melmastoon-router-${region}`, region, network: args.network.id }, child);
        new gcp.compute.RouterNat(
            `${name}-nat`,
            {
                name: `melmastoon-nat-${region}`,
                region,
                router: router.name,
                natIpAllocateOption: "MANUAL_ONLY",
                natIps: ips.map((ip) => ip.selfLink),
                sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                minPortsPerVm: args.nat.minPortsPerVm,
                enableEndpointIndependentMapping: false,
                // Shorter TIME_WAIT frees vendor-bound ports sooner under send bursts.
                tcpTimeWaitTimeoutSec: 30,
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            child,
        );
        this.registerOutputs({ connectorId: this.connectorId, egressIps: this.egressIps });
    }
}
