import { RegisteredResource, StackRun } from "../../plan/engine";
import { overlaps } from "../../components/interconnect/plan";
import { regionsAllowed } from "../../data/regions";
import { byType, nonEmpty, one, planOf } from "../harness";

/**
 * The cross-cloud path in the planned stacks (prod-us: two active AWS regions, prod-eu: active +
 * passive, both paired with their zone's active GCP region). Numbers from the clouds' documents:
 * Google's HA VPN ↔ AWS topology (two AWS VPN connections × two tunnels = four tunnels, external
 * gateway FOUR_IPS_REDUNDANCY, interfaces 0/1 on HA interface 0 and 2/3 on HA interface 1), AWS
 * tunnel options (/30s of 169.254.0.0/16 minus the reserved seven), private ASNs 64512–65534.
 */

const vpnTypes = {
    connection: "aws:ec2/vpnConnection:VpnConnection",
    vgw: "aws:ec2/vpnGateway:VpnGateway",
    cgw: "aws:ec2/customerGateway:CustomerGateway",
    propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
    zone: "aws:route53/zone:Zone",
    record: "aws:route53/record:Record",
    haGateway: "gcp:compute/haVpnGateway:HaVpnGateway",
    router: "gcp:compute/router:Router",
    external: "gcp:compute/externalVpnGateway:ExternalVpnGateway",
    tunnel: "gcp:compute/vPNTunnel:VPNTunnel",
    iface: "gcp:compute/routerInterface:RouterInterface",
    peer: "gcp:compute/routerPeer:RouterPeer",
} as const;

const awsReserved = ["169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30", "169.254.3.0/30", "169.254.4.0/30", "169.254.5.0/30", "169.254.169.252/30"];
const privateAsn = (n: number) => n >= 64512 && n <= 65534;

/** A child of the interconnect components (the stacks' own NAT routers and DNS records are not). */
const isVpn = (r: RegisteredResource) => /^vpn-/.test(String(r.parent)) && !r.type.startsWith("random:");
const of = (run: StackRun, type: string, awsRegion: string) => byType(run, type).filter((r) => r.parent === `vpn-${awsRegion}`);
const str = (r: RegisteredResource, key: string) => String(r.props[key]);
type Egress = { to: { ipBlock?: { cidr: string } }[]; ports: { protocol: string; port: number }[] };

const stacks = [
    { stack: "prod-us", domain: "us.melmastoon.com", aws: ["us-east-1", "us-west-2"], gcp: "us-east4", subnet: "10.64.0.0/22", zone: "us" as const },
    { stack: "prod-eu", domain: "eu.melmastoon.com", aws: ["eu-west-1", "eu-central-1"], gcp: "europe-west1", subnet: "10.64.0.0/22", zone: "eu" as const },
];

describe.each(stacks)("$stack: HA VPN from each AWS region to $gcp", ({ stack, domain, aws, gcp, subnet, zone }) => {
    let run: StackRun;
    beforeAll(async () => {
        run = (await planOf(stack)).run;
        expect(run.error).toBeNull();
    });

    it("one GCP hub (HA VPN gateway + Cloud Router advertising only the active subnet and private.googleapis.com), one CrossCloudVpn per AWS region", () => {
        expect(byType(run, "learning-platform:interconnect:CrossCloudVpn").map((r) => r.name).sort()).toEqual(aws.map((r) => `vpn-${r}`).sort());
        expect(byType(run, vpnTypes.haGateway).map((r) => [r.name, r.props.region])).toEqual([[`vpn-hub-${gcp}-gateway`, gcp]]);
        const router = one(run, vpnTypes.router, `vpn-hub-${gcp}-router`);
        const bgp = router.props.bgp as { asn: number; advertiseMode: string; advertisedGroups: string[]; advertisedIpRanges: { range: string }[] };
        expect([bgp.advertiseMode, bgp.advertisedGroups, bgp.advertisedIpRanges.map((r) => r.range)]).toEqual(["CUSTOM", [], [subnet, "199.36.153.8/30"]]);
        expect(privateAsn(bgp.asn)).toBe(true);
    });

    it("per AWS region: 2 dynamic (BGP) VPN connections, IKEv2 with one transform per role, on a gateway attached to the VPC", () => {
        for (const region of aws) {
            const conns = of(run, vpnTypes.connection, region);
            expect(conns).toHaveLength(2);
            for (const c of conns) {
                expect(c.props).toMatchObject({ type: "ipsec.1", staticRoutesOnly: false, tunnel1IkeVersions: ["ikev2"], tunnel2IkeVersions: ["ikev2"] });
                expect([c.props.tunnel1Phase1EncryptionAlgorithms, c.props.tunnel1Phase1DhGroupNumbers, c.props.tunnel2Phase2IntegrityAlgorithms]).toEqual([["AES256"], [14], ["SHA2-256"]]);
                // Pre-shared keys reach the provider as secrets on both clouds.
                expect(c.secretPaths).toEqual(expect.arrayContaining(["tunnel1PresharedKey", "tunnel2PresharedKey"]));
            }
            const [vgw] = of(run, vpnTypes.vgw, region);
            // Attached to the region's VPC (the one its private route tables belong to).
            expect(String(vgw.props.vpcId)).toMatch(/^vpc-/);
            expect(vgw.props.vpcId).toBe(one(run, "aws:ec2/routeTable:RouteTable", `${region}-net-private-0-rt`).props.vpcId);
            // Routes learned over BGP reach every private (pod) route table: one per zone.
            const propagations = of(run, vpnTypes.propagation, region);
            expect(new Set(propagations.map((p) => str(p, "routeTableId"))).size).toBe(3);
        }
    });

    it("per AWS region: 4 GCP tunnels to a FOUR_IPS_REDUNDANCY external gateway, 4 router interfaces and 4 BGP peers on the inside /30s", () => {
        const inside: string[] = [];
        for (const region of aws) {
            const conns = of(run, vpnTypes.connection, region).sort((a, b) => a.name.localeCompare(b.name));
            const cidrs = conns.flatMap((c) => [str(c, "tunnel1InsideCidr"), str(c, "tunnel2InsideCidr")]);
            inside.push(...cidrs);
            const [external] = of(run, vpnTypes.external, region);
            expect(external.props.redundancyType).toBe("FOUR_IPS_REDUNDANCY");
            expect((external.props.interfaces as { id: number }[]).map((i) => i.id)).toEqual([0, 1, 2, 3]);
            const tunnels = of(run, vpnTypes.tunnel, region).sort((a, b) => a.name.localeCompare(b.name));
            expect(tunnels.map((t) => [t.props.ikeVersion, t.props.vpnGatewayInterface, t.props.peerExternalGatewayInterface, t.region])).toEqual([
                [2, 0, 0, gcp],
                [2, 0, 1, gcp],
                [2, 1, 2, gcp],
                [2, 1, 3, gcp],
            ]);
            expect(tunnels.every((t) => t.secretPaths.includes("sharedSecret"))).toBe(true);
            const ifaces = of(run, vpnTypes.iface, region).sort((a, b) => a.name.localeCompare(b.name));
            const peers = of(run, vpnTypes.peer, region).sort((a, b) => a.name.localeCompare(b.name));
            expect([ifaces.length, peers.length]).toEqual([4, 4]);
            peers.forEach((p, k) => {
                // AWS (virtual private gateway) holds the /30's first host, the Cloud Router the second.
                const base = cidrs[k].replace(/\.(\d+)\/30$/, "");
                const first = Number(/\.(\d+)\/30$/.exec(cidrs[k])?.[1]);
                expect([p.props.peerIpAddress, p.props.ipAddress, ifaces[k].props.ipRange]).toEqual([`${base}.${first + 1}`, `${base}.${first + 2}`, `${base}.${first + 2}/30`]);
            });
            // ASNs: the peer ASN is the gateway's amazonSideAsn; the customer gateways carry the Cloud Router's.
            const [vgw] = of(run, vpnTypes.vgw, region);
            const routerAsn = (one(run, vpnTypes.router, `vpn-hub-${gcp}-router`).props.bgp as { asn: number }).asn;
            expect(new Set(peers.map((p) => p.props.peerAsn))).toEqual(new Set([Number(vgw.props.amazonSideAsn)]));
            expect(of(run, vpnTypes.cgw, region).map((c) => Number(c.props.bgpAsn))).toEqual([routerAsn, routerAsn]);
            expect(privateAsn(Number(vgw.props.amazonSideAsn)) && Number(vgw.props.amazonSideAsn) !== routerAsn).toBe(true);
        }
        // Eight distinct /30s per stack, none reserved by AWS, all link-local.
        expect(inside).toHaveLength(8);
        expect(new Set(inside).size).toBe(8);
        expect(inside.filter((c) => awsReserved.some((r) => overlaps(r, c)) || !overlaps("169.254.0.0/16", c))).toEqual([]);
        const asns = aws.map((r) => Number(of(run, vpnTypes.vgw, r)[0].props.amazonSideAsn));
        expect(new Set(asns).size).toBe(aws.length);
    });

    it(`every GCP VPN resource stays in ${zone}-zone regions`, () => {
        const gcpVpn = run.resources.filter((r) => r.type.startsWith("gcp:") && isVpn(r));
        expect(gcpVpn.length).toBe(2 + aws.length * 13);
        const outside = gcpVpn.filter((r) => !regionsAllowed("gcp", zone).includes(String(r.region)) || (r.props.region !== undefined && !regionsAllowed("gcp", zone).includes(String(r.props.region))));
        expect(outside.map((r) => r.name)).toEqual([]);
    });

    it("a Route 53 private zone per AWS region on its VPC, A record at the apex → the internal load balancer the egress rule admits", () => {
        const host = `notification-internal.${domain}`;
        for (const region of aws) {
            const zoneRes = nonEmpty(of(run, vpnTypes.zone, region).filter((z) => z.props.name === host))[0];
            const vpcId = one(run, "aws:ec2/routeTable:RouteTable", `${region}-net-private-0-rt`).props.vpcId;
            expect(zoneRes.props.vpcs).toEqual([{ vpcId, vpcRegion: region }]);
            const [record] = of(run, vpnTypes.record, region).filter((r) => r.props.name === host);
            expect([record.props.name, record.props.type, record.props.zoneId]).toEqual([host, "A", expect.stringMatching(/^Z/)]);
            const [address] = record.props.records as string[];
            expect(overlaps(`${address}/32`, subnet)).toBe(true);
        }
    });

    it("issue 15: STS and IAM Credentials resolve, in the VPC only, to private.googleapis.com (199.36.153.8/30, Private Google Access for on-premises hosts)", () => {
        for (const region of aws) {
            const zones = of(run, vpnTypes.zone, region).filter((z) => String(z.props.name).endsWith(".googleapis.com"));
            expect(zones.map((z) => z.props.name).sort()).toEqual(["iamcredentials.googleapis.com", "sts.googleapis.com"]);
            expect(zones.every((z) => JSON.stringify(z.props.vpcs).includes(region))).toBe(true);
            const records = of(run, vpnTypes.record, region).filter((r) => String(r.props.name).endsWith(".googleapis.com"));
            expect(records.map((r) => [r.props.name, r.props.type, r.props.records])).toEqual(
                expect.arrayContaining(["sts.googleapis.com", "iamcredentials.googleapis.com"].map((h) => [h, "A", ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]])),
            );
            expect(records).toHaveLength(2);
        }
    });

    it("issue 15: assignment's egress admits the GCP subnet and private.googleapis.com on TCP 443 only, never 0.0.0.0/0; its ConfigMap carries the HTTPS URL, the ID-token audience and its GCP identity", () => {
        for (const region of aws) {
            const policy = one(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", `assignment-service-${region}-netpol-allow-egress`);
            const egress = (policy.props.spec as { egress: Egress[] }).egress;
            const toGcp = egress.filter((e) => e.to.some((t) => t.ipBlock && (overlaps(t.ipBlock.cidr, subnet) || overlaps(t.ipBlock.cidr, "199.36.153.8/30"))));
            expect(toGcp.map((e) => [e.to, e.ports])).toEqual([
                [[{ ipBlock: { cidr: subnet } }], [{ protocol: "TCP", port: 443 }]],
                [[{ ipBlock: { cidr: "199.36.153.8/30" } }], [{ protocol: "TCP", port: 443 }]],
            ]);
            expect(JSON.stringify(egress)).not.toContain("0.0.0.0/0");
            const data = one(run, "kubernetes:core/v1:ConfigMap", `assignment-service-${region}-config`).props.data as Record<string, string>;
            expect(data.NOTIFICATION_SERVICE_URL).toBe(`https://notification-internal.${domain}`);
            expect(data.NOTIFICATION_SERVICE_AUDIENCE).toBe(`https://notification-internal.${domain}`);
            expect(data.GCP_WORKLOAD_IDENTITY_PROVIDER).toMatch(/^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/aws-eks-callers\/providers\/aws-eks$/);
            expect(data.GCP_SERVICE_ACCOUNT).toBe(`peer-assignment-service@melmastoon-${stack}.iam.gserviceaccount.com`);
        }
    });
});

describe("prod-eu: EU traffic never leaves EU regions", () => {
    it("every VPN resource on either cloud is in an EU region; no GCP VPN resource elsewhere", async () => {
        const run = (await planOf("prod-eu")).run;
        expect(run.error).toBeNull();
        const vpn = run.resources.filter(isVpn);
        // Per AWS region: 13 GCP and 10 AWS VPN resources, plus the private zones and records for STS and IAM Credentials (4).
        expect(vpn.length).toBe(2 + 2 * (13 + 14));
        expect(vpn.filter((r) => !/^(eu-|europe-)/.test(String(r.region))).map((r) => r.name)).toEqual([]);
    });
});

describe("dev (residency global): the one AWS region pairs with the one active GCP region across zones", () => {
    it("us-west-2 ↔ asia-south1, four tunnels, the URL on the dev domain", async () => {
        const run = (await planOf("dev")).run;
        expect(run.error).toBeNull();
        expect(byType(run, "learning-platform:interconnect:CrossCloudVpn").map((r) => r.name)).toEqual(["vpn-us-west-2"]);
        expect(byType(run, vpnTypes.haGateway).map((r) => r.region)).toEqual(["asia-south1"]);
        expect(of(run, vpnTypes.tunnel, "us-west-2")).toHaveLength(4);
        expect(of(run, vpnTypes.connection, "us-west-2").map((c) => c.props.staticRoutesOnly)).toEqual([false, false]);
    });
});
