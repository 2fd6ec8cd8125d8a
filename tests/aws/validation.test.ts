import { validateAuroraArgs } from "../../components/aws/aurora";
import { validateEksArgs, kubeconfigFor } from "../../components/aws/eks";
import { keyPolicy } from "../../components/aws/kms";
import { validateNatsArgs } from "../../components/aws/nats";
import { subnetPlan } from "../../components/aws/network";
import { validatePlatformArgs } from "../../components/aws/platform";
import { validateRedisArgs } from "../../components/aws/redis";
import { bucketName, dbUserOf } from "../../components/aws/service-binding";
import { catalog } from "../../data/catalog";
import { K8sServiceCard } from "../../data/catalog/types";
import { validateAwsContext, regionOrder } from "../../stacks/aws";
import { mockBootstrapOutputs } from "../../plan/mocks/pulumi";
import { parseStackConfig } from "../../data/config";
import { DeployContext, deployContext } from "../../data/context";
import { catalogRequirements } from "../../data/config";
import { vpcCidrFor } from "../../data/profiles/aws";
import { awsRegionsByZone } from "../../data/regions";
import { byType, nonEmpty, one, readStackFile, runProgram } from "../harness";

const sizes = { platform: { instanceType: "m7i.xlarge", minSize: 3, desiredSize: 3, maxSize: 4 }, core: { instanceType: "c7i.2xlarge", minSize: 3, desiredSize: 3, maxSize: 11 }, worker: { instanceType: "c7i.2xlarge", minSize: 3, desiredSize: 3, maxSize: 22 } };

describe("network plan", () => {
    it("splits a /16 into 3 public /22, 3 isolated /21 and 3 private /18 without overlap", () => {
        expect(subnetPlan("10.8.0.0/16")).toEqual({
            public: ["10.8.0.0/22", "10.8.4.0/22", "10.8.8.0/22"],
            isolated: ["10.8.16.0/21", "10.8.24.0/21", "10.8.32.0/21"],
            private: ["10.8.64.0/18", "10.8.128.0/18", "10.8.192.0/18"],
        });
        expect(() => subnetPlan("10.8.0.0/20")).toThrow(/10.x.0.0\/16/);
    });
    it("gives every known region a distinct /16", () => {
        const all = Object.values(awsRegionsByZone).flat();
        const cidrs = all.map((r) => vpcCidrFor(r));
        expect(nonEmpty(cidrs).every((c) => c !== undefined && /^10\.\d+\.0\.0\/16$/.test(c))).toBe(true);
        expect(new Set(cidrs).size).toBe(all.length);
        expect(vpcCidrFor("mars-north-1")).toBeUndefined();
    });
});

describe("component validation", () => {
    it("EKS: rejects a world-open endpoint and inconsistent node group bounds", () => {
        expect(validateEksArgs({ apiAccessCidrs: ["203.0.113.0/24"], nodeGroups: sizes })).toEqual([]);
        expect(validateEksArgs({ apiAccessCidrs: ["0.0.0.0/0"], nodeGroups: { ...sizes, core: { ...sizes.core, minSize: 12 } } })).toEqual([
            "apiAccessCidrs must not contain 0.0.0.0/0: the public endpoint would be open to the internet",
            "node group core: need min ≤ desired ≤ max and max ≥ 1 (got 12/3/11)",
        ]);
    });
    it("kubeconfig execs aws eks get-token with the cluster and region", () => {
        const k = JSON.parse(kubeconfigFor("c1", "eu-west-1", "https://x", "Q0E="));
        expect(k.users[0].user.exec).toMatchObject({ command: "aws", args: ["eks", "get-token", "--cluster-name", "c1", "--region", "eu-west-1", "--output", "json"] });
        expect(k.clusters[0].cluster).toEqual({ server: "https://x", "certificate-authority-data": "Q0E=" });
    });
    it("Aurora: 16.x only, retention within 1–35, a secondary needs its global cluster", () => {
        const ok = { role: "standalone" as const, backupRetentionDays: 35, readers: 2, maxConnections: 2000, engineVersion: "16.6" };
        expect(validateAuroraArgs(ok)).toEqual([]);
        expect(validateAuroraArgs({ ...ok, role: "global-secondary", engineVersion: "15.4", backupRetentionDays: 40 })).toEqual([
            "a global secondary needs the primary region's globalClusterId",
            "backupRetentionDays 40 outside 1–35 (Aurora's range)",
            "engine version 15.4 is not Aurora PostgreSQL 16.x",
        ]);
    });
    it("Redis: a replica per shard (Multi-AZ failover needs one)", () => {
        expect(validateRedisArgs({ shards: 3, replicasPerShard: 2, snapshotRetentionDays: 7 })).toEqual([]);
        expect(validateRedisArgs({ shards: 3, replicasPerShard: 0, snapshotRetentionDays: 0 })).toHaveLength(2);
    });
    it("NATS: 1 or an odd quorum, unique users", () => {
        expect(validateNatsArgs({ replicas: 3, users: [] })).toEqual([]);
        expect(validateNatsArgs({ replicas: 1, users: [] })).toEqual([]);
        const u = { service: "a", publish: [], subscribe: [] };
        expect(validateNatsArgs({ replicas: 2, users: [u, u] })).toEqual(["replicas 2: use 1 (dev) or an odd number ≥ 3", "user a listed twice"]);
    });
    it("platform: a passive region needs every database's global cluster", () => {
        const cards = catalog.filter((c): c is K8sServiceCard => c.platform === "eks");
        const problems = validatePlatformArgs({ role: "passive", cards, globalPrimary: false, globalDatabases: {} });
        expect(problems).toHaveLength(cards.filter((c) => c.database).length);
        expect(problems[0]).toMatch(/^passive region: no global database of .+ to join/);
    });
    it("KMS key policies: account root administers, no wildcard principal, service principals only where needed", () => {
        for (const dc of ["database", "logs", "volumes"] as const) {
            const p = keyPolicy(dc, "410987654321", "us-east-1");
            expect(JSON.stringify(p.Statement.map((s) => s.Principal))).not.toContain('"*"');
        }
        expect(keyPolicy("database", "410987654321", "us-east-1").Statement).toHaveLength(1);
        expect(JSON.stringify(keyPolicy("volumes", "1", "x"))).toContain("AWSServiceRoleForAutoScaling");
    });
    it("names: DB users per service, bucket names within 63 characters", () => {
        expect(dbUserOf("assignment-service")).toBe("assignment_service");
        const n = bucketName("prod", "ap-southeast-2", "authoring-service-with-a-long-name", "draft-snapshots", "510987654321");
        expect(n.length).toBeLessThanOrEqual(63);
        expect(n).toMatch(/^[a-z0-9][a-z0-9-]+-987654321$|^[a-z0-9][a-z0-9-]+-654321$/);
    });
});

describe("stack-level AWS checks", () => {
    const base = deployContext(parseStackConfig("prod-eu", readStackFile("prod-eu"), catalogRequirements(catalog)), catalog);
    const ctx = (regions: { region: string; role: "active" | "passive" }[]): DeployContext => ({ ...base, config: { ...base.config, aws: { ...base.config.aws, regions } } });
    it("orders active regions before passive ones", () => {
        expect(regionOrder(ctx([{ region: "eu-central-1", role: "passive" }, { region: "eu-west-1", role: "active" }])).map((r) => r.region)).toEqual(["eu-west-1", "eu-central-1"]);
    });
    it("rejects a region without a VPC range", () => {
        expect(validateAwsContext(ctx([{ region: "us-east-1", role: "active" }, { region: "us-west-2", role: "passive" }]))).toEqual([]);
        expect(validateAwsContext(ctx([{ region: "mars-1", role: "active" }, { region: "us-east-1", role: "active" }]))).toEqual([
            "aws region mars-1: no VPC range assigned (data/profiles/aws.ts)",
            // Nor a region its stores could be copied to inside a residency zone (data/residency.ts).
            "mars-1: no copy region known (data/residency.ts awsCopyRegionOf)",
        ]);
    });
});

describe("the program with special inputs", () => {
    it("opens the EKS endpoint only to configured CIDRs", async () => {
        const config = readStackFile("dev");
        (config.aws as Record<string, unknown>).apiAccessCidrs = ["203.0.113.0/24"];
        const run = await runProgram("dev", { config });
        expect(run.error).toBeNull();
        expect(one(run, "aws:eks/cluster:Cluster", "us-west-2-eks-cluster").inputs).toMatchObject({
            // The pipeline runners' /32s (the bootstrap stack's, mocked offline), then the operator range.
            vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...mockBootstrapOutputs("melmastoon/bootstrap/deploy-dev").runnerEgressCidrs, "203.0.113.0/24"] },
        });
    });
    it("with a second active region beside a passive one, only the first active region is the global primary", async () => {
        const config = readStackFile("prod-eu");
        (config.aws as { regions: unknown[] }).regions = [
            { region: "eu-west-1", role: "active" },
            { region: "eu-central-1", role: "passive" },
            { region: "eu-west-2", role: "active" },
        ];
        const run = await runProgram("prod-eu", { config });
        expect(run.error).toBeNull();
        // The passive region joins the first home's global databases; the second home (eu-west-2) has its
        // own, copied to a headless secondary in eu-west-1 (data/residency.ts awsCopyPlan).
        expect(byType(run, "aws:rds/globalCluster:GlobalCluster").map((g) => [g.provider, g.props.globalClusterIdentifier])).toEqual([
            ["aws-eu-west-1", "assignment-service-prod"],
            ["aws-eu-west-1", "authoring-service-prod"],
            ["aws-eu-west-1", "progress-service-prod"],
            ["aws-eu-west-2", "assignment-service-prod-eu-west-2"],
            ["aws-eu-west-2", "authoring-service-prod-eu-west-2"],
            ["aws-eu-west-2", "progress-service-prod-eu-west-2"],
        ]);
        expect(one(run, "aws:rds/cluster:Cluster", "eu-central-1-assignment-service-db-cluster").inputs).toMatchObject({ globalClusterIdentifier: "assignment-service-prod" });
        expect(one(run, "aws:rds/cluster:Cluster", "eu-west-2-copies-assignment-service-db-cluster").inputs).toMatchObject({ clusterIdentifier: "assignment-service-prod-from-eu-west-2", globalClusterIdentifier: "assignment-service-prod-eu-west-2" });
    });
    it("refuses an endpoint open to 0.0.0.0/0 before creating the cluster", async () => {
        const config = readStackFile("dev");
        (config.aws as Record<string, unknown>).apiAccessCidrs = ["0.0.0.0/0"];
        const run = await runProgram("dev", { config });
        expect(run.errorKind).toBe("program");
        expect(run.error).toContain("apiAccessCidrs must not contain 0.0.0.0/0");
        expect(byType(run, "aws:eks/cluster:Cluster")).toEqual([]);
    });
});
