import { catalog } from "../../data/catalog";
import { catalogRequirements, parseStackConfig } from "../../data/config";
import { DeployContext, deployContext } from "../../data/context";
import { awsCopyPlan, mechanismRecovery, validateCopyPlan } from "../../data/residency";
import { drFindings, storeCopies } from "../../capacity/dr";
import { validateRegionCopies } from "../../components/aws/region-copies";
import { validateAuroraArgs } from "../../components/aws/aurora";
import { validateTenantDirectory } from "../../components/aws/tenant-directory";
import { listStacks, RegisteredResource, StackRun } from "../../plan/engine";
import { byType, nonEmpty, planOf, readStackFile } from "../harness";

/**
 * Copies outside the region, inside the residency zone: seeds/000 §9 "RPO: 5 min … RTO: 30 min
 * (cross-region failover runbook) … Quarterly DR drill: restore staging in alternate region from
 * last backup"; seeds/002 §10 RPO 5 / RTO 60; seeds/003 §11 RPO 5 / RTO 90; seeds/001 §8 RPO 5.
 */

function ctxOf(stack: string, mutate?: (config: Record<string, unknown>) => void): DeployContext {
    const raw = readStackFile(stack);
    mutate?.(raw);
    return deployContext(parseStackConfig(stack, raw, catalogRequirements(catalog)), catalog);
}

const rdsClusters = (run: StackRun) => byType(run, "aws:rds/cluster:Cluster");
const instancesOf = (run: StackRun, c: RegisteredResource) =>
    byType(run, "aws:rds/clusterInstance:ClusterInstance").filter((i) => i.region === c.region && i.props.clusterIdentifier === c.props.clusterIdentifier);

describe("the copy plan (pure)", () => {
    it("refuses a copy that leaves the zone, a copy to itself and a region with no pair", () => {
        expect(validateCopyPlan([{ source: "us-east-1", target: "eu-west-1", targetInStack: false }])).toEqual([
            'us-east-1 → eu-west-1: the copy leaves residency zone "us" (target in "eu")',
        ]);
        expect(validateCopyPlan([{ source: "us-east-1", target: "us-east-1", targetInStack: true }])).toEqual(["us-east-1: copies to itself"]);
        expect(validateCopyPlan([{ source: "ap-southeast-1", target: "", targetInStack: false }])).toHaveLength(1);
    });

    it("copies each home to its passive region, else to its zone pair; dev copies nothing", () => {
        expect(awsCopyPlan("dev", [{ region: "us-west-2", role: "active" }])).toEqual([]);
        expect(awsCopyPlan("staging", [{ region: "us-east-1", role: "active" }])).toEqual([{ source: "us-east-1", target: "us-west-2", targetInStack: false }]);
        expect(awsCopyPlan("prod", [{ region: "us-east-1", role: "active" }, { region: "us-west-2", role: "active" }])).toEqual([
            { source: "us-east-1", target: "us-west-2", targetInStack: true },
            { source: "us-west-2", target: "us-east-1", targetInStack: true },
        ]);
        expect(awsCopyPlan("prod", [{ region: "eu-west-1", role: "active" }, { region: "eu-central-1", role: "passive" }])).toEqual([{ source: "eu-west-1", target: "eu-central-1", targetInStack: true }]);
    });

    it.each(listStacks())("%s: its plan stays inside its zone", (stack) => {
        const ctx = ctxOf(stack);
        expect(validateCopyPlan(awsCopyPlan(ctx.config.environment, ctx.config.aws.regions))).toEqual([]);
    });

    it("component checks: a global copy needs a target platform and global sources; only a secondary may be headless; replicas are distinct", () => {
        const db = { service: "assignment-service" };
        expect(validateRegionCopies({ source: "us-east-1", target: "us-west-2", databaseCopy: "aurora-global", databases: [db], targetHost: undefined })).toEqual([
            "us-west-2: an Aurora global secondary needs a platform (network) in the target region",
            "assignment-service: the source cluster is not a global primary, no secondary can join it",
        ]);
        expect(validateRegionCopies({ source: "us-east-1", target: "us-west-2", databaseCopy: "aws-backup-copy", databases: [db], targetHost: undefined })).toEqual([]);
        const aurora = { role: "global-primary" as const, backupRetentionDays: 7, readers: 1, maxConnections: 100, engineVersion: "16.6" };
        expect(validateAuroraArgs({ ...aurora, headless: true })).toEqual(["only a global secondary can be headless (a primary or standalone cluster needs its writer)"]);
        expect(validateAuroraArgs({ ...aurora, role: "global-secondary", globalClusterId: "g", headless: true })).toEqual([]);
        expect(validateTenantDirectory({ region: "us-east-1", replicas: [{ region: "us-east-1", keyArn: "k" }] })).toHaveLength(1);
        expect(validateTenantDirectory({ region: "us-east-1", replicas: [{ region: "us-west-2", keyArn: "k" }] })).toEqual([]);
    });
});

describe("prod-us (active/active): each home's databases have a headless global secondary in the other", () => {
    it("six global databases, each with its primary (writer + readers) in its home and an instance-less secondary in the other region", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const globals = byType(run, "aws:rds/globalCluster:GlobalCluster");
        expect(globals.map((g) => [g.region, g.props.globalClusterIdentifier]).sort()).toEqual([
            ["us-east-1", "assignment-service-prod"],
            ["us-east-1", "authoring-service-prod"],
            ["us-east-1", "progress-service-prod"],
            ["us-west-2", "assignment-service-prod-us-west-2"],
            ["us-west-2", "authoring-service-prod-us-west-2"],
            ["us-west-2", "progress-service-prod-us-west-2"],
        ]);
        for (const g of globals) {
            const members = rdsClusters(run).filter((c) => c.props.globalClusterIdentifier === g.props.globalClusterIdentifier);
            expect(members).toHaveLength(2);
            const [home, copy] = [members.find((c) => c.region === g.region), members.find((c) => c.region !== g.region)];
            expect(home && instancesOf(run, home).length).toBe(3);
            expect(copy && instancesOf(run, copy)).toEqual([]);
            expect(String(copy?.props.clusterIdentifier)).toMatch(new RegExp(`-from-${g.region}$`));
            expect(copy?.protect).toBe(true);
            expect(copy?.props.deletionProtection).toBe(true);
        }
    });

    it("the buckets of record replicate to the other home's bucket with Replication Time Control (15 min), encrypted with the target region's key", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const configs = byType(run, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        expect(configs).toHaveLength(4);
        for (const c of configs) {
            const other = c.region === "us-east-1" ? "us-west-2" : "us-east-1";
            const rule = (c.props.rules as Record<string, Record<string, unknown>>[])[0];
            expect(String(c.props.bucket)).toContain(`-${c.region}-`);
            expect(String(rule.destination.bucket)).toContain(`-${other}-`);
            expect(rule.destination).toMatchObject({ replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } });
            expect(String((rule.destination.encryptionConfiguration as Record<string, unknown>).replicaKmsKeyId)).toContain(`:kms:${other}:`);
        }
    });
});

describe("staging: the drill's alternate region (us-west-2) gets hourly backup copies and the buckets' replicas", () => {
    it("an hourly AWS Backup rule of the three Aurora clusters, copied to a CMK vault in us-west-2, all protected", async () => {
        const { run } = await planOf("staging");
        expect(run.error).toBeNull();
        const [plan] = byType(run, "aws:backup/plan:Plan");
        expect(plan.region).toBe("us-east-1");
        const rule = (plan.props.rules as Record<string, unknown>[])[0];
        expect(rule.schedule).toBe("cron(0 * ? * * *)");
        const vaults = byType(run, "aws:backup/vault:Vault");
        expect(vaults.map((v) => v.region).sort()).toEqual(["us-east-1", "us-west-2"]);
        const target = vaults.find((v) => v.region === "us-west-2");
        expect((rule.copyActions as { destinationVaultArn: string }[])[0].destinationVaultArn).toContain(":us-west-2:");
        expect(String(target?.props.kmsKeyArn)).toContain(":kms:us-west-2:");
        expect(vaults.every((v) => v.protect)).toBe(true);
        const [selection] = byType(run, "aws:backup/selection:Selection");
        expect(selection.props.resources).toHaveLength(3);
        for (const arn of selection.props.resources as string[]) {
            expect(arn).toMatch(/^arn:aws:rds:us-east-1:310987654321:cluster:(assignment|authoring|progress)-service-staging$/);
        }
    });

    it("the replica buckets in us-west-2 are private, versioned, CMK-encrypted and protected", async () => {
        const { run } = await planOf("staging");
        expect(run.error).toBeNull();
        const inWest = byType(run, "aws:s3/bucket:Bucket").filter((b) => b.region === "us-west-2");
        // Beside the replicas, the region's access-log bucket: the replicas log their requests there (issue 11 item 5).
        expect(inWest.map((b) => b.props.bucket).sort()).toEqual(["authoring-service-drafts-staging-us-west-2-654321", "platform-access-logs-staging-us-west-2-654321", "progress-service-cold-archive-staging-us-west-2-654321"]);
        const replicas = inWest.filter((b) => !String(b.props.bucket).startsWith("platform-access-logs-"));
        expect(byType(run, "aws:s3/bucketLogging:BucketLogging").filter((l) => l.region === "us-west-2")).toHaveLength(2);
        for (const b of replicas) {
            expect(b.protect).toBe(true);
            expect(b.props.forceDestroy).toBe(false);
        }
        expect(byType(run, "aws:s3/bucketVersioning:BucketVersioning").filter((v) => v.region === "us-west-2")).toHaveLength(3);
        expect(byType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").filter((v) => v.region === "us-west-2")).toHaveLength(3);
    });
});

describe("DR findings against the documents' RPO/RTO", () => {
    it("prod-us: every Aurora store meets RPO 5 min with its headless global secondary; assignment's RTO 30 min is the stated gap; the buckets' 15 min RTC gap is reported", async () => {
        const { run, findings } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const dr = (resource: string) => findings.find((f) => f.ruleId.startsWith("dr/") && f.resource === resource);
        const progress = dr("progress-service-db@us-west-2");
        expect(progress).toMatchObject({ ruleId: "dr/copy", severity: "info" });
        expect(progress?.message).toContain("RPO 1 s (objective 5 min)");
        expect(progress?.message).toContain("objective 90 min, seeds/003 §11");
        const db = dr("assignment-service-db@us-east-1");
        expect(db).toMatchObject({ ruleId: "dr/copy-gap", severity: "advisory" });
        expect(db?.message).toContain("RPO 1 s (objective 5 min), RTO ≈ 60 min (objective 30 min, seeds/000 §9)");
        const bucket = dr("authoring-service-drafts-bucket@us-west-2");
        expect(bucket).toMatchObject({ ruleId: "dr/copy-gap", severity: "advisory" });
        expect(bucket?.message).toContain("RPO 15 min (objective 5 min)");
        expect(findings.find((f) => f.resource === "tenant-directory@us-east-1")?.severity).toBe("info");
    });

    it("staging: the hourly backup copy misses 5 min and says why (the drill is staging's objective)", async () => {
        const { findings } = await planOf("staging");
        const db = findings.find((f) => f.ruleId.startsWith("dr/") && f.resource === "progress-service-db@us-east-1");
        expect(db).toMatchObject({ ruleId: "dr/copy-gap", severity: "advisory" });
        expect(db?.message).toContain("RPO 1 h (objective 5 min)");
        expect(db?.message).toContain("quarterly drill");
    });

    it.each(listStacks().filter((s) => s !== "dev"))("%s: every store of record has a copy outside its region (no dr/no-copy)", async (stack) => {
        const { run, findings } = await planOf(stack);
        expect(run.error).toBeNull();
        nonEmpty(findings.filter((f) => f.ruleId.startsWith("dr/")));
        expect(findings.filter((f) => f.ruleId === "dr/no-copy")).toEqual([]);
    });

    it("dev: no copies, no DR findings", () => {
        expect(storeCopies(ctxOf("dev"))).toEqual([]);
    });

    it("fails (mandatory) a store with no copy: staging without its GCP dr region leaves Cloud SQL in one region", () => {
        const ctx = ctxOf("staging", (raw) => {
            const gcp = raw.gcp as { regions: { region: string; role: string }[] };
            raw.gcp = { ...gcp, regions: gcp.regions.filter((r) => r.role !== "dr") };
        });
        const f = drFindings(ctx).find((x) => x.resource === "notification-service-cloudsql@asia-south1");
        expect(f).toMatchObject({ ruleId: "dr/no-copy", severity: "mandatory" });
        expect(mechanismRecovery["aurora-global"].rpoSeconds).toBeLessThanOrEqual(5 * 60);
        expect(mechanismRecovery["s3-replication-rtc"].rpoSeconds).toBe(15 * 60);
    });
});

describe("Cloud Storage: the nearest to RPO 5 min it offers", () => {
    it("prod-us: notification's dual-region bucket (us-east4 + its DR region) replicates with turbo replication (15 min, not the default 12 h)", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const buckets = byType(run, "gcp:storage/bucket:Bucket").filter((b) => b.name === "notification-assets-bucket");
        expect(buckets).toHaveLength(1);
        expect(buckets[0].props.rpo).toBe("ASYNC_TURBO");
        expect((buckets[0].props.customPlacementConfig as { dataLocations: string[] }).dataLocations).toEqual(["US-EAST4", "US-CENTRAL1"]);
    });
});
