import { poolerClientFinding, poolerServerConnections, poolerServerFinding } from "../../capacity/db-pooler";
import { awsCapacityFindings } from "../../capacity/aws";
import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";
import { authoringService } from "../../data/catalog/authoring";
import { progressService } from "../../data/catalog/progress";
import { catalogRequirements, parseStackConfig } from "../../data/config";
import { deployContext } from "../../data/context";
import { poolerProfiles } from "../../data/profiles/pooler";
import { proxyResourceIdOf, validatePooler } from "../../components/aws/pooler";
import { RegisteredResource } from "../../plan/engine";
import { serviceGraph } from "../../policy/graph/graph";
import { toPolicyResources } from "../../plan/policy-runner";
import { byType, fixture, nonEmpty, one, planOf, readStackFile } from "../harness";
import { arnOf, awsProvider, k8sProvider, providers, region } from "../startup/fixtures";

/**
 * Seeds 002 §4 and 003 §5 (a transaction-mode pool in front of Postgres) as RDS Proxy, and seed 004
 * §15's budget counted on both sides of it.
 */

type P = Record<string, unknown>;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const ctxOf = (stack: string) => deployContext(parseStackConfig(stack, readStackFile(stack), catalogRequirements(catalog)), catalog);

/** Seed 004 §15's example: 12 × 30 + 10 × 20 + 15 × 10 = 710 against a safe budget of 300. */
const section15 = [
    { name: "case-service", maxReplicas: 12, poolPerReplica: 30 },
    { name: "decision-service", maxReplicas: 10, poolPerReplica: 20 },
    { name: "workflow-workers", maxReplicas: 15, poolPerReplica: 10 },
];
/** Its "better" table: 144 + 100 + 45 + 50 = 339. */
const section15Better = [
    { name: "case-service", maxReplicas: 12, poolPerReplica: 12 },
    { name: "decision-service", maxReplicas: 10, poolPerReplica: 10 },
    { name: "workflow-workers", maxReplicas: 15, poolPerReplica: 3 },
    { name: "projection-workers", maxReplicas: 10, poolPerReplica: 5 },
];

describe("RDS Proxy settings", () => {
    it("accepts the profiles; rejects a bad name, an idle share above the pool, an out-of-range timeout", () => {
        for (const env of ["dev", "staging", "prod"] as const) {
            expect(validatePooler(`progress-service-${env}`, poolerProfiles[env])).toEqual([]);
        }
        expect(validatePooler("progress--service", { ...poolerProfiles.prod, maxIdleConnectionsPercent: 90, borrowTimeoutSeconds: 4000 })).toEqual([
            "proxy name progress--service is not 1–63 letters, digits and single hyphens starting with a letter",
            "maxIdleConnectionsPercent 90 outside 0–maxConnectionsPercent (85)",
            "connectionBorrowTimeout 4000 outside 0–3600 s",
        ]);
        expect(proxyResourceIdOf("arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0a1b2c3d4e5f6a7b8")).toBe("prx-0a1b2c3d4e5f6a7b8");
    });
});

describe("seed 004 §15 on both sides of the pooler", () => {
    it("server side: 85% of max_connections 2000 = 1700 leaves the 20 reserved; 100% does not", () => {
        expect(poolerServerConnections(2000, poolerProfiles.prod)).toBe(1700);
        expect(poolerServerFinding("progress-service-db@eu-west-1", 2000, 20, poolerProfiles.prod)).toMatchObject({ ruleId: "capacity/aws-pooler-server", severity: "info" });
        const all = poolerServerFinding("progress-service-db@eu-west-1", 2000, 20, { ...poolerProfiles.prod, maxConnectionsPercent: 100 });
        expect(all.severity).toBe("mandatory");
        expect(all.message).toBe("RDS Proxy server pool 100% of max_connections 2000 = 2000 vs 2000 − 20 reserved = 1980 (margin -20)");
    });
    it("client side: §15's 710 connections over a 300-connection pool multiplex (advisory); over 150 they break the 4:1 ceiling; its better table (339) fits 400", () => {
        // max_connections × 85% = 300 → 353; = 150 → 177; = 400 → 471.
        const over = poolerClientFinding("case-db", section15, 353, poolerProfiles.prod);
        expect(over.severity).toBe("advisory");
        expect(over.message).toContain("clients Σ max replicas × pool = 710");
        expect(over.message).toContain("vs RDS Proxy server pool 300 (ratio 2.37)");
        const broken = poolerClientFinding("case-db", section15, 177, poolerProfiles.prod);
        expect(broken.severity).toBe("mandatory");
        expect(broken.message).toContain("over the design ceiling 150 × 4 = 600 client connections");
        const better = poolerClientFinding("case-db", section15Better, 471, poolerProfiles.prod);
        expect(better.severity).toBe("info");
        expect(better.message).toContain("= 339 (");
    });
    it("reports both sides for authoring and progress in every active region, none for assignment (no pool in its document)", () => {
        const fs = awsCapacityFindings(ctxOf("prod-eu"));
        const pooler = fs.filter((f) => f.ruleId.startsWith("capacity/aws-pooler-"));
        expect(pooler.map((f) => `${f.ruleId} ${f.resource} ${f.severity}`).sort()).toEqual([
            "capacity/aws-pooler-clients authoring-service-db@eu-west-1 info",
            "capacity/aws-pooler-clients progress-service-db@eu-west-1 info",
            "capacity/aws-pooler-server authoring-service-db@eu-west-1 info",
            "capacity/aws-pooler-server progress-service-db@eu-west-1 info",
        ]);
        // progress: api 50 × 4 + ingest 100 × 2 + projector 20 × 4 + relay 8 × 2 + partition 1 × 1 (seed 003 §2 maxima).
        expect(pooler.find((f) => f.ruleId === "capacity/aws-pooler-clients" && f.resource.startsWith("progress"))?.message).toContain("= 497 (");
    });
});

describe("the pooled services connect through their proxy", () => {
    it("prod-eu: one proxy per pooled service in the active region (none in the passive one), IAM end to end, TLS required, the profile's pool", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const proxies = nonEmpty(byType(run, "aws:rds/proxy:Proxy"));
        expect(proxies.map((p) => [o(p.inputs).name, p.region]).sort()).toEqual([
            ["authoring-service-prod", "eu-west-1"],
            ["progress-service-prod", "eu-west-1"],
        ]);
        for (const p of proxies) {
            expect(o(p.inputs)).toMatchObject({ engineFamily: "POSTGRESQL", defaultAuthScheme: "IAM_AUTH", requireTls: true, debugLogging: false });
        }
        const tg = one(run, "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup", "eu-west-1-progress-service-pooler-target-group");
        expect(o(o(tg.inputs).connectionPoolConfig)).toMatchObject({ maxConnectionsPercent: 85, maxIdleConnectionsPercent: 40, connectionBorrowTimeout: 30 });
        const target = one(run, "aws:rds/proxyTarget:ProxyTarget", "eu-west-1-progress-service-pooler-target");
        expect(o(target.inputs)).toMatchObject({ targetGroupName: "default", dbClusterIdentifier: "progress-service-prod" });
        const proxyRole = JSON.parse(String(o(one(run, "aws:iam/rolePolicy:RolePolicy", "eu-west-1-progress-service-pooler-role-policy").inputs).policy)) as { Statement: { Action: string; Resource: string[] }[] };
        expect(proxyRole.Statement).toHaveLength(1);
        expect(proxyRole.Statement[0].Action).toBe("rds-db:connect");
        expect(proxyRole.Statement[0].Resource).toEqual([expect.stringMatching(/^arn:aws:rds-db:eu-west-1:\d+:dbuser:cluster-[0-9A-F]+\/progress_service$/)]);
        // The database's security group admits the proxy's besides the cluster's.
        const dbSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "eu-west-1-progress-service-db-sg");
        expect((o(dbSg.inputs).ingress as P[]).map((r) => r.description)).toEqual(["EKS nodes and pods", "RDS Proxy"]);
        expect(byType(run, "aws:rds/proxy:Proxy").filter((p) => String(o(p.inputs).name).startsWith(assignmentService.service))).toEqual([]);
    });
    it("prod-eu: POSTGRES_URL names the proxy endpoint (the service graph's postgres path runs through it)", async () => {
        const planned = await planOf("prod-eu");
        expect(planned.run.error).toBeNull();
        for (const card of [authoringService, progressService]) {
            // The resolver matched POSTGRES_URL's host to this proxy (`<name>.proxy-…`) and its TLS/IAM settings.
            const edge = planned.graph.find((e) => e.from === `${card.service}@eu-west-1` && e.to === "postgres");
            expect(edge?.problems).toEqual([]);
            expect(edge?.path).toContain(`rds-proxy ${card.service}-prod (IAM auth, TLS required)`);
        }
    });
});

describe("graph: Postgres through a proxy", () => {
    const vpcCidr = "10.8.0.0/16";
    const aws = (type: string, name: string, props: Record<string, unknown>, extra: Partial<RegisteredResource> = {}) => fixture(type, props, { name, provider: awsProvider, region, ...extra });
    const k8s = (type: string, name: string, props: Record<string, unknown>) => fixture(type, props, { name, provider: k8sProvider });
    const url = `postgresql://progress_service@progress-service-prod.proxy-abc123.${region}.rds.amazonaws.com:5432/progress?sslmode=verify-full`;
    function world(proxyProps: Record<string, unknown>, dbSgAdmitsProxy: boolean): RegisteredResource[] {
        const eks = aws("aws:eks/cluster:Cluster", "eks", { name: "learning-prod-us-east-1" });
        const proxySg = aws("aws:ec2/securityGroup:SecurityGroup", "proxy-sg", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-cluster"] }] }, { dependencies: { ingress: [eks.urn] } });
        const dbSg = aws("aws:ec2/securityGroup:SecurityGroup", "db-sg", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-proxy"] }] }, { dependencies: { ingress: dbSgAdmitsProxy ? [eks.urn, proxySg.urn] : [eks.urn] } });
        const db = aws("aws:rds/cluster:Cluster", "db", { clusterIdentifier: "progress-service-prod", port: 5432, iamDatabaseAuthenticationEnabled: true }, { dependencies: { vpcSecurityGroupIds: [dbSg.urn] } });
        const proxy = aws("aws:rds/proxy:Proxy", "proxy", { name: "progress-service-prod", requireTls: true, defaultAuthScheme: "IAM_AUTH", ...proxyProps }, { dependencies: { vpcSecurityGroupIds: [proxySg.urn] } });
        const ns = progressService.namespace;
        return [
            ...providers(),
            aws("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: vpcCidr }),
            eks,
            proxySg,
            dbSg,
            db,
            proxy,
            aws("aws:rds/proxyTarget:ProxyTarget", "target", { targetGroupName: "default" }, { dependencies: { dbProxyName: [proxy.urn], dbClusterIdentifier: [db.urn] } }),
            aws("aws:secretsmanager/secret:Secret", "pg-url", { name: "prod/progress-service/POSTGRES_URL" }),
            aws("aws:secretsmanager/secretVersion:SecretVersion", "pg-url-value", { secretId: arnOf("prod/progress-service/POSTGRES_URL"), secretString: url }),
            k8s("kubernetes:core/v1:Namespace", "ns", { metadata: { name: ns, labels: { "app.kubernetes.io/name": progressService.service } } }),
            k8s("kubernetes:external-secrets.io/v1:ExternalSecret", "es", { metadata: { name: "progress-secrets", namespace: ns }, spec: { data: [{ secretKey: "POSTGRES_URL", remoteRef: { key: "prod/progress-service/POSTGRES_URL" } }] } }),
            k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "egress", {
                metadata: { name: "progress-allow-egress", namespace: ns },
                spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: vpcCidr } }], ports: [{ protocol: "TCP", port: 5432 }] }] },
            }),
        ];
    }
    const pgEdge = (resources: RegisteredResource[]) => {
        const e = serviceGraph(toPolicyResources(resources), [{ ...progressService, outbound: [{ kind: "postgres" }], secrets: ["POSTGRES_URL"] }]).find((x) => x.to === "postgres");
        if (!e) {
            throw new Error("no postgres edge");
        }
        return e;
    };
    it("passes: egress → the proxy's group → the proxy (IAM, TLS) → the cluster whose group admits the proxy", () => {
        const e = pgEdge(world({}, true));
        expect(e.problems).toEqual([]);
        expect(e.path).toEqual(["POSTGRES_URL", "netpol progress-allow-egress (egress tcp:5432)", "sg proxy-sg (tcp:5432 from the EKS cluster)", "rds-proxy progress-service-prod (IAM auth, TLS required)", "aurora progress-service-prod (IAM auth, TLS)"]);
    });
    it("fails: TLS not required, password auth, and a database group that does not admit the proxy", () => {
        const e = pgEdge(world({ requireTls: false, defaultAuthScheme: "NONE" }, false));
        expect(e.problems).toEqual([
            "proxy does not require TLS",
            "proxy does not authenticate with IAM end to end, but the URL carries no password",
            "no security group of db admits the proxy's",
        ]);
    });
});
