import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";
import { crossCloudConfig } from "../../components/k8s/service-workload";
import { CrossCloudEndpoint } from "../../components/contracts";
import { gcpAddressBlocks, internalHostOf, regionCidrs } from "../../data/naming/gcp";
import {
    InterconnectInput,
    asnProblems,
    cidrRange,
    insideCidrProblems,
    overlapProblems,
    overlaps,
    pairingProblems,
    planInterconnect,
    targetProblems,
    tunnelsFor,
    validateInterconnect,
} from "../../components/interconnect/plan";
import { gcpRangesOf, interconnectInput, planStackInterconnect } from "../../stacks/interconnect";
import { deployContext } from "../../data/context";
import { StackConfig } from "../../data/config";
import { awsRegionsByZone } from "../../data/regions";
import { vpcCidrFor } from "../../data/profiles/aws";

/**
 * The cross-cloud path's pure rules (components/interconnect/plan.ts): each with a failing and a
 * passing case, against the clouds' published constraints — AWS Site-to-Site VPN tunnel options
 * (inside /30 of 169.254.0.0/16, seven reserved /30s), private ASNs 64512–65534 (both clouds),
 * Google's HA VPN ↔ AWS topology (two AWS connections, four tunnels, FOUR_IPS_REDUNDANCY).
 */

const input = (over: Partial<InterconnectInput> = {}): InterconnectInput => ({
    residency: "eu",
    domain: "eu.example.com",
    aws: [
        { region: "eu-west-1", vpcCidr: "10.40.0.0/16" },
        { region: "eu-central-1", vpcCidr: "10.192.0.0/16" },
    ],
    gcp: [
        { region: "europe-west1", role: "active", subnet: "10.64.0.0/22" },
        { region: "europe-west4", role: "dr", subnet: "10.64.4.0/22" },
    ],
    dependencies: [{ caller: "assignment-service", service: "notification-service", port: 443 }],
    gcpServices: ["notification-service"],
    hostOf: internalHostOf,
    // Google's private.googleapis.com VIP (Private Google Access for on-premises hosts): 199.36.153.8/30.
    googleApis: { hosts: ["sts.googleapis.com", "iamcredentials.googleapis.com"], cidr: "199.36.153.8/30" },
    ...over,
});

describe("IPv4 helpers", () => {
    it("ranges and overlap", () => {
        expect(cidrRange("169.254.16.4/30")).toEqual({ first: 2851999748, last: 2851999751, prefix: 30, aligned: true });
        expect(cidrRange("169.254.16.5/30")?.aligned).toBe(false);
        expect(cidrRange("10.300.0.0/16")).toBeUndefined();
        expect(overlaps("10.64.0.0/16", "10.64.4.0/22")).toBe(true);
        expect(overlaps("10.63.0.0/16", "10.64.0.0/16")).toBe(false);
    });
});

describe("tunnel inside ranges (AWS: /30 of 169.254.0.0/16, not reserved, unique per gateway)", () => {
    it("passes: the four /30s the planner gives each of two regions", () => {
        const tunnels = ["eu-west-1", "eu-central-1"].flatMap((r) => tunnelsFor(r).map((t) => ({ name: `${r} ${t.index}`, cidr: t.insideCidr })));
        expect(tunnels).toHaveLength(8);
        expect(insideCidrProblems(tunnels)).toEqual([]);
    });
    it("fails: a /30 AWS reserves (169.254.0.0/30 … 169.254.5.0/30, 169.254.169.252/30)", () => {
        expect(insideCidrProblems([{ name: "t", cidr: "169.254.1.0/30" }])).toEqual(["t: inside range 169.254.1.0/30 is reserved by AWS (169.254.1.0/30)"]);
        expect(insideCidrProblems([{ name: "t", cidr: "169.254.169.252/30" }])).toHaveLength(1);
        expect(insideCidrProblems([{ name: "t", cidr: "169.254.6.0/30" }])).toEqual([]);
    });
    it("fails: the same /30 on two tunnels", () => {
        expect(insideCidrProblems([{ name: "a", cidr: "169.254.16.0/30" }, { name: "b", cidr: "169.254.16.0/30" }])).toEqual([
            "b: inside range 169.254.16.0/30 overlaps a (169.254.16.0/30)",
        ]);
    });
    it("fails: not a /30, not aligned, or outside 169.254.0.0/16", () => {
        expect(insideCidrProblems([{ name: "t", cidr: "169.254.16.0/29" }])).toEqual(['t: inside range "169.254.16.0/29" is not an aligned /30']);
        expect(insideCidrProblems([{ name: "t", cidr: "169.254.16.1/30" }])).toEqual(['t: inside range "169.254.16.1/30" is not an aligned /30']);
        expect(insideCidrProblems([{ name: "t", cidr: "10.0.0.0/30" }])).toEqual(["t: inside range 10.0.0.0/30 is outside 169.254.0.0/16"]);
    });
});

describe("ASNs (private 64512–65534, eBGP: distinct ends)", () => {
    const ok = { awsRegion: "eu-west-1", awsAsn: 64604, gcpRegion: "europe-west1", gcpAsn: 65009 };
    it("passes: distinct private ASNs", () => {
        expect(asnProblems([ok, { ...ok, awsRegion: "eu-central-1", awsAsn: 64607 }])).toEqual([]);
    });
    it("fails: out of range on either side", () => {
        expect(asnProblems([{ ...ok, awsAsn: 64511 }])).toEqual(["aws eu-west-1: ASN 64511 outside the private range 64512–65534"]);
        expect(asnProblems([{ ...ok, gcpAsn: 65535 }])).toEqual(["gcp europe-west1: Cloud Router ASN 65535 outside the private range 64512–65534"]);
    });
    it("fails: both ends share an ASN, or two AWS gateways do", () => {
        expect(asnProblems([{ ...ok, awsAsn: 65009 }])).toContain("aws eu-west-1 and gcp europe-west1 share ASN 65009: eBGP needs distinct ASNs");
        expect(asnProblems([ok, { ...ok, awsRegion: "eu-central-1" }])).toEqual(["aws eu-west-1 and eu-central-1 share ASN 64604"]);
    });
});

describe("address overlap between the clouds (routed to each other)", () => {
    it("fails: eu-central-1's former 10.64.0.0/16 against the GCP subnets", () => {
        const problems = overlapProblems([{ name: "aws eu-central-1 VPC", cidr: "10.64.0.0/16" }], [
            { name: "gcp europe-west1 subnet", cidr: regionCidrs(0).subnet },
            { name: "gcp europe-west4 subnet", cidr: regionCidrs(1).subnet },
        ]);
        expect(problems).toEqual([
            "aws eu-central-1 VPC (10.64.0.0/16) overlaps gcp europe-west1 subnet (10.64.0.0/22)",
            "aws eu-central-1 VPC (10.64.0.0/16) overlaps gcp europe-west4 subnet (10.64.4.0/22)",
        ]);
    });
    it("fails: two AWS VPCs sharing a range", () => {
        expect(overlapProblems([{ name: "a", cidr: "10.8.0.0/16" }, { name: "b", cidr: "10.8.0.0/16" }], [])).toEqual(["b (10.8.0.0/16) overlaps a (10.8.0.0/16)"]);
    });
    it("passes: no AWS region's VPC range falls in the GCP address plan", () => {
        const all = Object.values(awsRegionsByZone).flat();
        expect(all.length).toBe(23);
        const aws = all.map((r) => ({ name: r, cidr: vpcCidrFor(r) ?? "" }));
        expect(overlapProblems(aws, gcpAddressBlocks.map((b) => ({ name: b, cidr: b })))).toEqual([]);
        expect([vpcCidrFor("eu-central-1"), vpcCidrFor("eu-north-1"), vpcCidrFor("us-east-1")]).toEqual(["10.192.0.0/16", "10.200.0.0/16", "10.8.0.0/16"]);
    });
});

describe("residency pairing (EU traffic never leaves EU regions)", () => {
    it("passes: eu-west-1 with europe-west1; a global stack may pair across zones", () => {
        expect(pairingProblems("eu", [{ awsRegion: "eu-west-1", gcpRegion: "europe-west1" }])).toEqual([]);
        expect(pairingProblems("global", [{ awsRegion: "us-west-2", gcpRegion: "asia-south1" }])).toEqual([]);
    });
    it("fails: an EU AWS region paired with a US GCP region", () => {
        expect(pairingProblems("eu", [{ awsRegion: "eu-west-1", gcpRegion: "us-east4" }])).toEqual([
            'gcp us-east4 is outside residency zone "eu"',
            "aws eu-west-1 (zone eu) cannot pair with gcp us-east4 (zone us): the path would leave the zone",
        ]);
    });
    it("fails: a pairing across zones even when each end is known", () => {
        expect(pairingProblems("me", [{ awsRegion: "me-central-1", gcpRegion: "europe-west1" }])).toHaveLength(2);
    });
});

describe("targets (every cross-cloud call has a road)", () => {
    it("fails: a dependency on a service the stack does not deploy, or callers disagreeing on the port", () => {
        expect(targetProblems(input({ gcpServices: [] }))).toEqual(["assignment-service depends on notification-service on GCP, which this stack does not deploy"]);
        const deps = [
            { caller: "assignment-service", service: "notification-service", port: 443 },
            { caller: "progress-service", service: "notification-service", port: 80 },
        ];
        expect(targetProblems(input({ dependencies: deps }))).toEqual(["notification-service: callers disagree on its port (443, 80); its internal load balancer listens on one"]);
    });
    it("passes: the catalog's dependencies on notification-service", () => {
        expect(targetProblems(input())).toEqual([]);
    });
});

describe("the plan", () => {
    it("Google's AWS topology: connection 0 on HA interface 0 (tunnels 0, 1), connection 1 on HA interface 1 (2, 3); AWS takes the /30's first host", () => {
        const plan = planInterconnect(input());
        expect(plan.pairs.map((p) => [p.awsRegion, p.gcpRegion])).toEqual([
            ["eu-west-1", "europe-west1"],
            ["eu-central-1", "europe-west1"],
        ]);
        const t = plan.pairs[0].tunnels;
        expect(t.map((x) => [x.index, x.connection, x.awsTunnel, x.haInterface])).toEqual([
            [0, 0, 1, 0],
            [1, 0, 2, 0],
            [2, 1, 1, 1],
            [3, 1, 2, 1],
        ]);
        expect([t[1].insideCidr, t[1].awsInsideIp, t[1].gcpInsideIp]).toEqual(["169.254.20.4/30", "169.254.20.5", "169.254.20.6"]);
        // The active subnet (the internal ALB) and private.googleapis.com, where the callers mint ID tokens (issue 15).
        expect(plan.hubs).toEqual([{ region: "europe-west1", asn: 65009, advertisedRanges: ["10.64.0.0/22", "199.36.153.8/30"] }]);
        expect(plan.endpoints["notification-service"]).toEqual({
            service: "notification-service",
            host: "notification-internal.eu.example.com",
            url: "https://notification-internal.eu.example.com",
            port: 443,
            cidrs: ["10.64.0.0/22"],
            audience: "https://notification-internal.eu.example.com",
            googleApis: { hosts: ["sts.googleapis.com", "iamcredentials.googleapis.com"], cidr: "199.36.153.8/30" },
        });
        expect(validateInterconnect(input(), plan, [])).toEqual([]);
    });
    it("nothing to build without a cross-cloud dependency", () => {
        expect(planInterconnect(input({ dependencies: [] }))).toEqual({ pairs: [], hubs: [], endpoints: {} });
    });
    it("every stack file plans cleanly; a stack config with an overlapping or cross-zone pairing is refused before any resource", () => {
        const base: StackConfig = {
            stack: "t",
            environment: "prod",
            residency: "eu",
            owner: "o",
            domain: "eu.example.com",
            aws: { accountId: "123456789012", regions: [{ region: "eu-west-1", role: "active" }], apiAccessCidrs: [], lrsAllowCidrs: [] },
            gcp: { project: "p", billingAccount: "b", regions: [{ region: "europe-west1", role: "active" }] },
            images: {},
            replicaOverrides: {},
            deploy: { bootstrapStack: "melmastoon/bootstrap/deploy-t" },
            features: { aiGateway: false },
        };
        const ctx = (c: StackConfig) => deployContext(c, catalog);
        expect(planStackInterconnect(ctx(base)).pairs).toHaveLength(1);
        expect(gcpRangesOf(ctx(base)).map((r) => r.cidr)).toEqual(["10.64.0.0/22", "10.65.0.0/28", "10.66.0.0/23", "10.80.0.0/16"]);
        const crossZone = { ...base, gcp: { ...base.gcp, regions: [{ region: "us-east4", role: "active" as const }] } };
        expect(() => planStackInterconnect(ctx(crossZone))).toThrow(/cannot pair with gcp us-east4/);
        expect(interconnectInput(ctx(base)).dependencies.map((d) => d.caller).sort()).toEqual(["assignment-service", "progress-service"]);
    });
});

describe("the workload's side (components/k8s/service-workload.ts crossCloudConfig)", () => {
    const endpoint: CrossCloudEndpoint = {
        service: "notification-service",
        host: "notification-internal.eu.example.com",
        url: "https://notification-internal.eu.example.com",
        port: 443,
        cidrs: ["10.64.0.0/22"],
        audience: "https://notification-internal.eu.example.com",
        googleApis: { hosts: ["sts.googleapis.com"], cidr: "199.36.153.8/30" },
        identity: {
            workloadProviderAudience: "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aws-eks-callers/providers/aws-eks",
            serviceAccounts: { "assignment-service": "peer-assignment-service@p.iam.gserviceaccount.com" },
        },
    };
    it("passes: the HTTPS URL and the ID-token audience go to the config; the caller's own GCP identity apart", () => {
        expect(crossCloudConfig(assignmentService, { "notification-service": endpoint })).toEqual({
            config: { NOTIFICATION_SERVICE_URL: "https://notification-internal.eu.example.com", NOTIFICATION_SERVICE_AUDIENCE: "https://notification-internal.eu.example.com" },
            identity: {
                GCP_WORKLOAD_IDENTITY_PROVIDER: "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aws-eks-callers/providers/aws-eks",
                GCP_SERVICE_ACCOUNT: "peer-assignment-service@p.iam.gserviceaccount.com",
            },
            missing: [],
        });
    });
    it("fails: a cross-cloud dependency with no path in the stack, on another port than the path carries, or without the caller's GCP identity", () => {
        expect(crossCloudConfig(assignmentService, {}).missing).toEqual(["notification-service (gcp) has no cross-cloud path in this stack"]);
        expect(crossCloudConfig(assignmentService, { "notification-service": { ...endpoint, port: 80 } }).missing).toEqual([
            "notification-service: the card calls port 443, the path carries 80",
        ]);
        expect(crossCloudConfig(assignmentService, { "notification-service": { ...endpoint, identity: { workloadProviderAudience: "//iam.googleapis.com/x", serviceAccounts: {} } } }).missing).toEqual([
            "notification-service: no GCP identity for assignment-service (the card's inbound must name it)",
        ]);
    });
});
