import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";
import { notificationService } from "../../data/catalog/notification";
import { Dependency, K8sServiceCard } from "../../data/catalog/types";
import { RegisteredResource, listStacks } from "../../plan/engine";
import { GraphEdge, cidrContains, serviceGraph } from "../../policy/graph/graph";
import { noPath, outsideProgram } from "../../policy/rules/graph";
import { runPolicies, toPolicyResources } from "../../plan/policy-runner";
import { fixture, planOf } from "../harness";
import { arnOf, awsProvider, gcpProvider, k8sProvider, providers, region } from "../startup/fixtures";

/**
 * Issue 9 item 3: every dependency edge of the service graph has a concrete path. Small worlds per
 * resolver (passing, and broken in the one way the check exists for), then every stack's plan.
 */

const ns = "assignment";
const vpcCidr = "10.8.0.0/16";
const pgUrl = `postgresql://assignment_service@assignment-service-prod.cluster-abc123.${region}.rds.amazonaws.com:5432/assignment?sslmode=verify-full`;
const aws = (type: string, name: string, props: Record<string, unknown>, extra: Partial<RegisteredResource> = {}) => fixture(type, props, { name, provider: awsProvider, region, ...extra });
const k8s = (type: string, name: string, props: Record<string, unknown>) => fixture(type, props, { name, provider: k8sProvider });
const gcp = (type: string, name: string, props: Record<string, unknown>, extra: Partial<RegisteredResource> = {}) =>
    fixture(type, props, { name, provider: extra.provider ?? gcpProvider, region: "us-central1", ...extra });

const card = (outbound: Dependency[], config: Record<string, string> = {}): K8sServiceCard => ({ ...assignmentService, outbound, secrets: ["POSTGRES_URL"], config });

/** A caller namespace in one EKS cluster with its ConfigMap, POSTGRES_URL and one egress policy. */
function eksWorld(egressPorts: number[], egressTo: Record<string, unknown>[], config: Record<string, string> = {}): RegisteredResource[] {
    const eks = aws("aws:eks/cluster:Cluster", "eks", { name: "learning-prod-us-east-1" });
    const sg = aws("aws:ec2/securityGroup:SecurityGroup", "db-sg", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-cluster"] }] }, { dependencies: { ingress: [eks.urn] } });
    const secret = aws("aws:secretsmanager/secret:Secret", "pg-url", { name: "prod/assignment-service/POSTGRES_URL" });
    return [
        ...providers(),
        aws("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: vpcCidr }),
        eks,
        sg,
        aws("aws:rds/cluster:Cluster", "db", { clusterIdentifier: "assignment-service-prod", port: 5432, iamDatabaseAuthenticationEnabled: true, vpcSecurityGroupIds: ["sg-db"] }, { dependencies: { vpcSecurityGroupIds: [sg.urn] } }),
        secret,
        aws("aws:secretsmanager/secretVersion:SecretVersion", "pg-url-value", { secretId: arnOf("prod/assignment-service/POSTGRES_URL"), secretString: pgUrl }),
        k8s("kubernetes:core/v1:Namespace", "ns", { metadata: { name: ns, labels: { "app.kubernetes.io/name": "assignment-service" } } }),
        k8s("kubernetes:core/v1:ConfigMap", "cm", { metadata: { name: "assignment-config", namespace: ns }, data: config }),
        k8s("kubernetes:external-secrets.io/v1:ExternalSecret", "es", { metadata: { name: "assignment-secrets", namespace: ns }, spec: { target: { name: "assignment-secrets" }, data: [{ secretKey: "POSTGRES_URL", remoteRef: { key: "prod/assignment-service/POSTGRES_URL" } }] } }),
        k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "egress", {
            metadata: { name: "assignment-allow-egress", namespace: ns },
            spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: egressTo, ports: egressPorts.map((port) => ({ protocol: "TCP", port })) }] },
        }),
    ];
}

const graph = (resources: RegisteredResource[], cards = [card([{ kind: "postgres" }])]): GraphEdge[] => serviceGraph(toPolicyResources(resources), cards);
const edge = (edges: GraphEdge[], to: string): GraphEdge => {
    const e = edges.find((x) => x.to === to);
    if (!e) {
        throw new Error(`no edge to ${to}: ${edges.map((x) => x.to).join(", ")}`);
    }
    return e;
};

describe("EKS → Aurora", () => {
    it("finds POSTGRES_URL → egress on 5432 to the VPC → the cluster's security group → the Aurora writer", () => {
        const e = edge(graph(eksWorld([5432], [{ ipBlock: { cidr: vpcCidr } }])), "postgres");
        expect(e.problems).toEqual([]);
        expect(e.protocol).toBe("postgres/TLS tcp:5432");
        expect(e.from).toBe(`assignment-service@${region}`);
        expect(e.path).toEqual(["POSTGRES_URL", "netpol assignment-allow-egress (egress tcp:5432)", "sg db-sg (tcp:5432 from the EKS cluster)", "aurora assignment-service-prod (IAM auth, TLS)"]);
    });

    it("fails when the caller's NetworkPolicy does not admit 5432 (graph/no-path names the edge)", async () => {
        const world = eksWorld([6379], [{ ipBlock: { cidr: vpcCidr } }]);
        expect(edge(graph(world), "postgres").problems).toEqual(["no NetworkPolicy egress in the caller's namespace admits tcp:5432 to the VPC"]);
        // Through the pack's policy (the catalog's card: its other edges fail in this small world too).
        const findings = await runPolicies([noPath], world);
        const pg = findings.filter((f) => f.message.includes("→ postgres ["));
        expect(pg.map((f) => [f.ruleId, f.severity])).toEqual([["graph/no-path", "mandatory"]]);
        expect(pg[0].message).toContain("tcp:5432");
    });

    it("fails when the database's security group admits only a CIDR outside the VPC, and when 0.0.0.0/0 is the only egress", () => {
        const world = eksWorld([5432], [{ ipBlock: { cidr: "0.0.0.0/0" } }]).map((r) =>
            r.name === "db-sg" ? { ...r, props: { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["192.168.0.0/16"] }] }, dependencies: {} } : r,
        );
        expect(edge(graph(world), "postgres").problems).toEqual([
            "no NetworkPolicy egress in the caller's namespace admits tcp:5432 to the VPC",
            "no security group of db admits tcp:5432 from the EKS cluster",
        ]);
    });
});

describe("peers", () => {
    const dep: Dependency = { kind: "service", name: "tenant-service", namespace: "tenant", port: 8080 };
    const tenantNs = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tenant" } } };

    it("another team's peer: admitted by the caller's egress, reported as outside the program", async () => {
        const world = eksWorld([8080], [tenantNs]);
        const e = edge(graph(world, [card([dep])]), "service:tenant-service");
        expect(e.problems).toEqual([]);
        expect(e.outside).toContain("admits namespace tenant on tcp:8080");
        const info = (await runPolicies([outsideProgram], world)).filter((f) => f.message.includes("tenant-service"));
        expect(info.map((f) => f.severity)).toEqual(["info"]);
    });

    it("fails a peer the caller's egress does not admit", () => {
        const e = edge(graph(eksWorld([8081], [tenantNs]), [card([dep])]), "service:tenant-service");
        expect(e.problems).toEqual(["no NetworkPolicy egress in the caller's namespace admits tcp:8080 to namespace tenant"]);
    });
});

describe("EKS → flagd (feature flags in the cluster, issue 15)", () => {
    const flagsNs = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "flags" } } };
    const flagdConfig = { FLAGD_HOST: "flagd.flags.svc.cluster.local", FLAGD_PORT: "8013", OPENFEATURE_PROVIDER: "flagd" };
    /** The caller world plus flagd's Service and its ingress policy admitting `admitted` on `port`. */
    const world = (egressPorts: number[], config: Record<string, string>, admitted = ns, port = 8013): RegisteredResource[] => [
        ...eksWorld(egressPorts, [flagsNs], config),
        k8s("kubernetes:core/v1:Service", "flagd-svc", { metadata: { name: "flagd", namespace: "flags" }, spec: { ports: [{ name: "grpc-evaluation", port: 8013 }] } }),
        k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "flagd-ingress", {
            metadata: { name: "flagd-allow-evaluation", namespace: "flags" },
            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": admitted } } }], ports: [{ protocol: "TCP", port }] }] },
        }),
    ];
    const flags = (resources: RegisteredResource[]) => edge(graph(resources), "flagd");

    it("finds FLAGD_HOST → egress on 8013 to namespace flags → flagd's ingress policy → the flagd Service", () => {
        const e = flags(world([8013], flagdConfig));
        expect(e.problems).toEqual([]);
        expect(e.protocol).toBe("grpc tcp:8013");
        expect(e.path).toEqual([
            "FLAGD_HOST=flagd.flags.svc.cluster.local",
            "netpol assignment-allow-egress (egress tcp:8013)",
            "netpol flagd-allow-evaluation (ingress tcp:8013)",
            "Service flags/flagd:8013 (flagd)",
        ]);
    });

    it("fails when the caller's egress does not admit 8013", () => {
        expect(flags(world([8080], flagdConfig)).problems).toEqual(["no NetworkPolicy egress in the caller's namespace admits tcp:8013 to namespace flags"]);
    });

    it("fails when the flags namespace admits another namespace, or the caller on another port", () => {
        expect(flags(world([8013], flagdConfig, "progress")).problems).toEqual(["no NetworkPolicy in flags admits ingress from assignment on tcp:8013"]);
        expect(flags(world([8013], flagdConfig, ns, 8014)).problems).toEqual(["no NetworkPolicy in flags admits ingress from assignment on tcp:8013"]);
    });

    it("fails when the ConfigMap does not point at flagd, or points at a Service the program does not create", () => {
        expect(flags(world([8013], {})).problems).toEqual([
            "the ConfigMap of assignment does not select the flagd provider (OPENFEATURE_PROVIDER=flagd)",
            "the ConfigMap of assignment holds no in-cluster FLAGD_HOST",
        ]);
        expect(flags(world([8013], { ...flagdConfig, FLAGD_HOST: "flags.flags.svc.cluster.local" })).problems).toEqual([
            "FLAGD_HOST flags.flags.svc.cluster.local resolves to no Service the program creates in flags",
        ]);
    });
});

describe("assignment → notification across the clouds (contract of the cross-cloud path)", () => {
    const host = "notification.internal.us.melmastoon.com";
    // Issue 15: HTTPS on 443 to the internal load balancer, with an ID token minted through Workload Identity Federation.
    const dep: Dependency = { kind: "cross-cloud", service: "notification-service", cloud: "gcp", port: 443, protocol: "https", configKey: "NOTIFICATION_SERVICE_URL" };
    const identity = {
        NOTIFICATION_SERVICE_AUDIENCE: `https://${host}`,
        GCP_WORKLOAD_IDENTITY_PROVIDER: "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aws-eks-callers/providers/aws-eks",
        GCP_SERVICE_ACCOUNT: "peer-assignment-service@melmastoon-prod-us.iam.gserviceaccount.com",
    };
    const config = { NOTIFICATION_SERVICE_URL: `https://${host}`, ...identity };
    function world(gcpRegion: string, tunnels: number, opts: { cm?: Record<string, string>; certificate?: boolean; googleApis?: boolean } = {}): RegisteredResource[] {
        const gcpRegional = fixture("pulumi:providers:gcp", { region: gcpRegion }, { name: `gcp-${gcpRegion}`, region: gcpRegion });
        const zone = aws("aws:route53/zone:Zone", "zone", { name: "internal.us.melmastoon.com", vpcs: [{ vpcId: "vpc-1" }] });
        const regional = { provider: gcpRegional.name, region: gcpRegion };
        const proxy = gcp("gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy", "ilb-https", { name: "notification-internal", region: gcpRegion, certificateManagerCertificates: opts.certificate === false ? [] : ["projects/p/locations/us-central1/certificates/c"] }, regional);
        const googleApis = opts.googleApis === false ? [] : [{ ipBlock: { cidr: "199.36.153.8/30" } }];
        return [
            ...eksWorld([443], [{ ipBlock: { cidr: "10.64.0.0/16" } }, ...googleApis], opts.cm ?? config),
            gcpRegional,
            zone,
            aws("aws:route53/record:Record", "record", { name: host, type: "A", zoneId: "Z1" }, { dependencies: { zoneId: [zone.urn] } }),
            aws("aws:route53/zone:Zone", "zone-sts", { name: "sts.googleapis.com", vpcs: [{ vpcId: "vpc-1" }] }),
            aws("aws:route53/zone:Zone", "zone-iamcredentials", { name: "iamcredentials.googleapis.com", vpcs: [{ vpcId: "vpc-1" }] }),
            aws("aws:ec2/vpnConnection:VpnConnection", "vpn-1", { staticRoutesOnly: false }),
            aws("aws:ec2/vpnConnection:VpnConnection", "vpn-2", { staticRoutesOnly: false }),
            aws("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation", "propagation", { vpnGatewayId: "vgw-1", routeTableId: "rtb-1" }),
            ...Array.from({ length: tunnels }, (_, i) => gcp("gcp:compute/vPNTunnel:VPNTunnel", `tunnel-${i}`, { region: gcpRegion }, regional)),
            ...Array.from({ length: 4 }, (_, i) => gcp("gcp:compute/routerPeer:RouterPeer", `peer-${i}`, { region: gcpRegion }, regional)),
            proxy,
            gcp("gcp:compute/forwardingRule:ForwardingRule", "ilb-rule", { region: gcpRegion, loadBalancingScheme: "INTERNAL_MANAGED", portRange: "443", target: "proxy-id" }, { ...regional, dependencies: { target: [proxy.urn] } }),
        ];
    }
    const cross = (resources: RegisteredResource[], cm: Record<string, string> = config) => edge(graph(resources, [card([dep], cm)]), "cross-cloud:notification-service");

    it("finds the HTTPS URL → private zone A record → egress to private.googleapis.com and the subnet on 443 → BGP VPNs → the internal ALB's HTTPS listener with a certificate", () => {
        const e = cross(world("us-central1", 4));
        expect(e.problems).toEqual([]);
        expect(e.protocol).toBe("https tcp:443");
        expect(e.path.slice(0, 4)).toEqual([
            `NOTIFICATION_SERVICE_URL=${host}`,
            `private zone internal.us.melmastoon.com A ${host}`,
            "netpol assignment-allow-egress (egress tcp:443 to private.googleapis.com for ID tokens)",
            "netpol assignment-allow-egress (egress tcp:443)",
        ]);
        expect(e.path.slice(-2)).toEqual(["internal ALB https:443 (notification-internal)", "notification-service (IAM invoker, ID-token audience)"]);
    });

    it("fails with three tunnels, and with the GCP side in another residency zone (EU traffic stays in the EU, US in the US)", () => {
        expect(cross(world("us-central1", 3)).problems).toEqual(["GCP side in residency zone us: 3 VPN tunnel(s) and 4 Cloud Router peer(s) (needs ≥ 4 each)"]);
        expect(cross(world("europe-west1", 4)).problems).toEqual([
            "GCP side in residency zone us: 0 VPN tunnel(s) and 0 Cloud Router peer(s) (needs ≥ 4 each)",
            "no internal load balancer in residency zone us listens with HTTPS and a certificate on tcp:443",
        ]);
    });

    it("pairs regions of different zones only in a global stack (dev, staging: the AWS provider's residency tag)", () => {
        const global = world("asia-south1", 4).map((r) =>
            r.type === "pulumi:providers:aws" ? { ...r, props: { ...r.props, defaultTags: JSON.stringify({ tags: { residency: "global" } }) } } : r,
        );
        expect(cross(global).problems).toEqual([]);
        expect(cross(world("asia-south1", 4)).problems).toHaveLength(2);
    });

    it("fails without the HTTPS URL, with plain http, without the audience or the GCP identity in the ConfigMap", () => {
        expect(edge(graph(world("us-central1", 4).filter((r) => r.name !== "cm"), [card([dep])]), "cross-cloud:notification-service").problems).toEqual([
            "the ConfigMap of assignment holds no GCP_WORKLOAD_IDENTITY_PROVIDER, GCP_SERVICE_ACCOUNT (the caller's GCP identity)",
            "the ConfigMap of assignment holds no NOTIFICATION_SERVICE_URL=https://<host>",
        ]);
        const plain = { ...config, NOTIFICATION_SERVICE_URL: `http://${host}` };
        expect(cross(world("us-central1", 4, { cm: plain }), plain).problems).toEqual(["the ConfigMap of assignment holds no NOTIFICATION_SERVICE_URL=https://<host>"]);
        const noAudience = { NOTIFICATION_SERVICE_URL: `https://${host}`, GCP_WORKLOAD_IDENTITY_PROVIDER: identity.GCP_WORKLOAD_IDENTITY_PROVIDER };
        expect(cross(world("us-central1", 4, { cm: noAudience }), noAudience).problems).toEqual([
            `the ConfigMap of assignment holds no NOTIFICATION_SERVICE_AUDIENCE=https://${host} (the ID-token audience)`,
            "the ConfigMap of assignment holds no GCP_SERVICE_ACCOUNT (the caller's GCP identity)",
        ]);
    });

    it("fails when the caller cannot reach private.googleapis.com, or the internal load balancer has no certificate", () => {
        expect(cross(world("us-central1", 4, { googleApis: false })).problems).toEqual(["the caller cannot mint ID tokens: no egress to 199.36.153.8/30 on tcp:443"]);
        expect(cross(world("us-central1", 4, { certificate: false })).problems).toEqual(["no internal load balancer in residency zone us listens with HTTPS and a certificate on tcp:443"]);
    });
});

describe("notification → Postgres through PgBouncer (contract of the pooler)", () => {
    const connectorId = "projects/p/locations/us-central1/connectors/notif-conn-us-central1";
    function world(host: string, firewall: boolean): RegisteredResource[] {
        const backend = gcp("gcp:compute/regionBackendService:RegionBackendService", "pgbouncer-backend", { name: "notification-pgbouncer", region: "us-central1", loadBalancingScheme: "INTERNAL", protocol: "TCP" });
        return [
            ...providers(),
            gcp("gcp:vpcaccess/connector:Connector", "connector", { name: "notif-conn-us-central1", region: "us-central1", ipCidrRange: "10.65.0.0/28", network: "melmastoon-prod" }),
            fixture(
                "gcp:cloudrunv2/service:Service",
                {
                    name: "notification-api",
                    location: "us-central1",
                    template: { vpcAccess: { connector: connectorId, egress: "ALL_TRAFFIC" }, containers: [{ name: "api", envs: [{ name: "DATABASE_HOST", value: host }, { name: "DATABASE_PORT", value: "6432" }] }] },
                },
                { name: "api", provider: gcpProvider, region: "us-central1" },
            ),
            backend,
            gcp("gcp:compute/forwardingRule:ForwardingRule", "pgbouncer-ilb", { region: "us-central1", ipAddress: "10.64.0.10", loadBalancingScheme: "INTERNAL", ipProtocol: "TCP", ports: ["6432"], backendService: "x" }, { dependencies: { backendService: [backend.urn] } }),
            ...(firewall ? [gcp("gcp:compute/firewall:Firewall", "pgbouncer-fw", { direction: "INGRESS", sourceRanges: ["10.65.0.0/28"], allows: [{ protocol: "tcp", ports: ["6432"] }] })] : []),
            gcp("gcp:sql/databaseInstance:DatabaseInstance", "sql", { name: "melmastoon-notification-prod-us-central1-pg", region: "us-central1", settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork: "projects/p/global/networks/melmastoon-prod" } } }),
        ];
    }
    const pg = (resources: RegisteredResource[]) => edge(serviceGraph(toPolicyResources(resources), [notificationService]), "postgres (pgbouncer)");

    it("finds DATABASE_HOST → connector → firewall 6432 → internal TCP load balancer → PgBouncer → Cloud SQL private IP", () => {
        const e = pg(world("10.64.0.10", true));
        expect(e.problems).toEqual([]);
        expect(e.path).toEqual(["DATABASE_HOST", "connector notif-conn-us-central1", "firewall pgbouncer-fw (tcp:6432)", "ilb pgbouncer-ilb", "pgbouncer pgbouncer-backend", "cloud sql melmastoon-notification-prod-us-central1-pg (private IP)"]);
    });

    it("fails without the firewall rule from the connector range", () => {
        expect(pg(world("10.64.0.10", false)).problems).toEqual(["no firewall rule admits tcp:6432 from the connector range 10.65.0.0/28"]);
    });

    it("fails a Postgres edge to a Cloud Run URL on protocol: its front end carries HTTP only", () => {
        const e = pg(world("https://notification-pgbouncer-us-central1-123.us-central1.run.app", true));
        expect(e.problems).toHaveLength(1);
        expect(e.problems[0]).toContain("is a Cloud Run URL");
        expect(e.problems[0]).toContain("never the Postgres wire protocol");
    });
});

describe("edges checked on the real dev plan, with one resource removed or changed", () => {
    const edgesOf = (resources: RegisteredResource[]) => serviceGraph(toPolicyResources(resources), catalog);

    it("object storage needs the S3 gateway endpoint: pods have no internet egress", async () => {
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        const s3 = (es: GraphEdge[]) => es.filter((e) => e.to === "object-storage");
        expect(s3(edgesOf(run.resources)).map((e) => [e.from, e.problems])).toEqual([
            ["authoring-service@us-west-2", []],
            ["progress-service@us-west-2", []],
        ]);
        const without = run.resources.filter((r) => !(r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.props.vpcEndpointType === "Gateway"));
        expect(without.length).toBe(run.resources.length - 1);
        expect(s3(edgesOf(without)).map((e) => e.problems)).toEqual([
            ["no S3 gateway endpoint on the private route tables of us-west-2 (pods have no internet egress)"],
            ["no S3 gateway endpoint on the private route tables of us-west-2 (pods have no internet egress)"],
        ]);
    });

    it("Memorystore must carry TLS on both ends", async () => {
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        const redis = (es: GraphEdge[]) => edge(es.filter((e) => e.from === "notification-service@asia-south1"), "redis");
        expect(redis(edgesOf(run.resources)).problems).toEqual([]);
        const plain = run.resources.map((r) => (r.type === "gcp:redis/instance:Instance" ? { ...r, props: { ...r.props, transitEncryptionMode: "DISABLED" } } : r));
        expect(redis(edgesOf(plain)).problems).toEqual(["Memorystore without TLS on both ends (SERVER_AUTHENTICATION and REDIS_TLS=true)"]);
    });
});

it("cidrContains compares prefixes", () => {
    expect(cidrContains("10.8.0.0/16", "10.8.3.0/24")).toBe(true);
    expect(cidrContains("10.8.0.0/16", "10.9.0.0/24")).toBe(false);
    expect(cidrContains("10.8.0.0/24", "10.8.0.0/16")).toBe(false);
    expect(cidrContains("0.0.0.0/0", "192.168.1.1")).toBe(true);
});

describe("every stack's graph", () => {
    it.each(listStacks())("%s: an edge per card dependency and region, every one with a path", async (stack) => {
        const { run, graph, findings } = await planOf(stack);
        expect(run.error).toBeNull();
        expect(graph.length).toBeGreaterThan(0);
        expect(graph.filter((e) => e.problems.length > 0)).toEqual([]);
        expect(findings.filter((f) => f.ruleId === "graph/no-path")).toEqual([]);
        // The two paths built for issue 9 are among them: PgBouncer over TCP and the cross-cloud VPN.
        expect(graph.filter((e) => e.to === "postgres (pgbouncer)").length).toBeGreaterThan(0);
        expect(graph.filter((e) => e.to === "cross-cloud:notification-service").length).toBeGreaterThan(0);
        // Every Cloud Run card's region has its database, cache, Google APIs and vendor edges, and only those.
        const notification = graph.filter((x) => x.from.startsWith("notification-service@"));
        expect(notification.length).toBeGreaterThan(0);
        for (const e of notification) {
            expect(["postgres (pgbouncer)", "redis", "google-apis", "vendors"]).toContain(e.to);
        }
    });

    it("prod-us: assignment-service's edges are exactly its card's dependencies (plus telemetry and feature flags) in each AWS region", async () => {
        const { run, graph } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const expected = ["postgres", "redis", "nats", "service:ai-gateway-service", "cross-cloud:notification-service", "service:tenant-service", "service:catalog-service", "otlp", "flagd"];
        expect(assignmentService.outbound.length + 2).toBe(expected.length);
        for (const r of ["us-east-1", "us-west-2"]) {
            expect(graph.filter((e) => e.from === `assignment-service@${r}`).map((e) => e.to)).toEqual(expected);
        }
        const pgEast = edge(graph.filter((e) => e.from === "assignment-service@us-east-1"), "postgres");
        expect(pgEast.path).toEqual([
            "POSTGRES_URL",
            "netpol assignment-allow-egress (egress tcp:5432)",
            "sg us-east-1-assignment-service-db-sg (tcp:5432 from the EKS cluster)",
            "aurora assignment-service-prod (IAM auth, TLS)",
        ]);
        expect(edge(graph.filter((e) => e.from === "assignment-service@us-east-1"), "service:tenant-service").outside).toContain("tenant-service is not provisioned by this program");
        expect(graph.filter((e) => e.from.startsWith("notification-service@")).map((e) => e.from)).toContain("notification-service@us-east4");
        expect(catalog.filter((c) => c.platform === "eks").every((c) => graph.some((e) => e.from === `${c.service}@us-east-1`))).toBe(true);
    });
});
