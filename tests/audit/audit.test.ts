import { RegisteredResource } from "../../plan/engine";
import { PlannedStack } from "../../plan/plan";
import { runPolicies } from "../../plan/policy-runner";
import { bucketAccessLogs, loadBalancerAccessLogs, logBucketLocked, missingAuditSettings, postgresAuditLogging } from "../../policy/rules/audit";
import { accessLogBucketPolicy, validateAccessLogBucketArgs } from "../../components/aws/access-logs";
import { validateAccessLogBucketArgs as validateGcsLogBucketArgs } from "../../components/gcp/storage";
import { auditParameters } from "../../components/aws/aurora";
import { dbBootstrapSql } from "../../components/k8s/delivery";
import { databaseFlags } from "../../components/gcp/database";
import { cveRule, edgeTls, securityPolicyRules } from "../../components/gcp/edge";
import { byType, fixture, nonEmpty, planOf, providerFixture } from "../harness";

/**
 * Issue 11 item 5: statement/audit logging on every Postgres, access logs on every load balancer
 * and bucket of record, log buckets that keep what they receive, the Log4j rule at the GCP edge
 * and TLS 1.3 there (seed 001 §2). Each rule fails and passes; the prod plans are read last.
 */

const awsTags = (environment: string) => ({ tags: { environment, service: "platform", owner: "platform-infra", "managed-by": "pulumi" } });
const awsProd = providerFixture("aws", "aws-prod", { region: "us-east-1", defaultTags: awsTags("prod") });
const awsDev = providerFixture("aws", "aws-dev", { region: "us-west-2", defaultTags: awsTags("dev") });
const gcpProd = providerFixture("gcp", "gcp-prod", { region: "us-east4", defaultLabels: { environment: "prod", residency: "us" } });

type Policy = Parameters<typeof runPolicies>[0][number];
const check = (policy: Policy, ...resources: RegisteredResource[]) => runPolicies([policy], [awsProd, awsDev, gcpProd, ...resources]);

const goodAuroraParams = [{ name: "rds.force_ssl", value: "1" }, ...auditParameters.map(({ name, value }) => ({ name, value }))];
const cluster = (group?: string) => fixture("aws:rds/cluster:Cluster", { engine: "aurora-postgresql", dbClusterParameterGroupName: group }, { name: "db", provider: awsProd.name });
const paramGroup = (parameters: unknown[]) => fixture("aws:rds/clusterParameterGroup:ClusterParameterGroup", { name: "db-params", family: "aurora-postgresql16", parameters }, { name: "db-params", provider: awsProd.name });
const cloudSql = (flags: { name: string; value: string }[]) =>
    fixture("gcp:sql/databaseInstance:DatabaseInstance", { databaseVersion: "POSTGRES_16", settings: { databaseFlags: flags } }, { name: "sql", provider: gcpProd.name });

describe("audit/pgaudit", () => {
    it("passes an Aurora cluster whose parameter group preloads pgaudit (ddl,role, rds_pgaudit, log_statement ddl) and Cloud SQL with the flags", async () => {
        expect(await check(postgresAuditLogging, cluster("db-params"), paramGroup(goodAuroraParams), cloudSql(databaseFlags(600)))).toEqual([]);
    });

    it("fails a cluster on the default parameter group, one without pgaudit, and Cloud SQL without cloudsql.enable_pgaudit", async () => {
        const noGroup = await check(postgresAuditLogging, cluster(undefined));
        expect(noGroup.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
            ["audit/pgaudit", "mandatory", 'Aurora cluster "db" has no cluster parameter group of this program (the default one loads no pgaudit)'],
        ]);
        const bare = await check(
            postgresAuditLogging,
            cluster("db-params"),
            paramGroup([{ name: "shared_preload_libraries", value: "pg_stat_statements" }]),
            cloudSql(databaseFlags(600).filter((f) => !f.name.startsWith("cloudsql.enable_pgaudit"))),
        );
        expect(bare.map((f) => f.message)).toEqual([
            'Aurora cluster "db" (parameter group "db-params") lacks shared_preload_libraries with pgaudit, pgaudit.role = rds_pgaudit, pgaudit.log with ddl, role, log_statement = ddl (or mod/all)',
            'Cloud SQL instance "sql" lacks cloudsql.enable_pgaudit = on',
        ]);
    });

    it("missingAuditSettings: pgaudit.log must name both ddl and role (or all)", () => {
        const base = new Map([
            ["cloudsql.enable_pgaudit", "on"],
            ["log_statement", "ddl"],
        ]);
        expect(missingAuditSettings(new Map([...base, ["pgaudit.log", "ddl"]]), "cloudsql")).toEqual(["pgaudit.log with role"]);
        expect(missingAuditSettings(new Map([...base, ["pgaudit.log", "all"]]), "cloudsql")).toEqual([]);
    });
});

describe("audit/lb-access-logs", () => {
    const alb = (accessLogs?: unknown) => fixture("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application", accessLogs }, { name: "alb", provider: awsProd.name });
    const backend = (scheme: string, logConfig?: unknown) => fixture("gcp:compute/backendService:BackendService", { loadBalancingScheme: scheme, logConfig }, { name: `be-${scheme}`, provider: gcpProd.name });
    const lbService = (annotations: Record<string, string>) => fixture("kubernetes:core/v1:Service", { metadata: { name: "nlb", annotations }, spec: { type: "LoadBalancer" } }, { name: "nlb" });

    it("passes an ALB logging to S3, a proxy backend logging every request, a passthrough backend (flow logs), an annotated LoadBalancer Service", async () => {
        expect(
            await check(
                loadBalancerAccessLogs,
                alb({ enabled: true, bucket: "logs", prefix: "alb" }),
                backend("EXTERNAL_MANAGED", { enable: true, sampleRate: 1 }),
                backend("INTERNAL"),
                lbService({ "service.beta.kubernetes.io/aws-load-balancer-attributes": "access_logs.s3.enabled=true,access_logs.s3.bucket=logs" }),
            ),
        ).toEqual([]);
    });

    it("fails an ALB without access logs, a sampled or silent proxy backend, a LoadBalancer Service without the annotation", async () => {
        const f = await check(loadBalancerAccessLogs, alb(undefined), backend("EXTERNAL_MANAGED", { enable: true, sampleRate: 0.1 }), backend("INTERNAL_MANAGED"), lbService({}));
        expect(f.map((x) => x.resource).sort()).toEqual(["alb", "be-EXTERNAL_MANAGED", "be-INTERNAL_MANAGED", "nlb"]);
        expect(new Set(f.map((x) => x.severity))).toEqual(new Set(["mandatory"]));
    });
});

describe("audit/bucket-access-logs", () => {
    const logBucket = fixture("aws:s3/bucket:Bucket", { bucket: "platform-access-logs-prod-us-east-1-654321", tags: { purpose: "access-logs" } }, { name: "logs", provider: awsProd.name });
    const drafts = fixture("aws:s3/bucket:Bucket", { bucket: "drafts-bucket", tags: { purpose: "drafts" } }, { name: "drafts", provider: awsProd.name });
    const other = fixture("aws:s3/bucket:Bucket", { bucket: "other-bucket", tags: { purpose: "misc" } }, { name: "other", provider: awsProd.name });
    const logging = (target: string) => fixture("aws:s3/bucketLogging:BucketLogging", { bucket: "drafts-bucket", targetBucket: target, targetPrefix: "s3/drafts-bucket/" }, { name: "drafts-logging", provider: awsProd.name });
    const gcsLogs = fixture("gcp:storage/bucket:Bucket", { name: "notif-access-logs", labels: { purpose: "access-logs" } }, { name: "gcs-logs", provider: gcpProd.name });
    const gcs = (logBucketName?: string) => fixture("gcp:storage/bucket:Bucket", { name: "notif", logging: logBucketName ? { logBucket: logBucketName } : undefined }, { name: "gcs", provider: gcpProd.name });

    it("passes buckets of record that log to a log bucket", async () => {
        expect(await check(bucketAccessLogs, logBucket, drafts, logging("platform-access-logs-prod-us-east-1-654321"), gcsLogs, gcs("notif-access-logs"))).toEqual([]);
    });

    it("fails a bucket without logging, one logging to a bucket of record, and a Cloud Storage bucket without usage logs", async () => {
        const f = await check(bucketAccessLogs, logBucket, drafts, other, logging("other-bucket"), gcsLogs, gcs(undefined));
        expect(f.map((x) => x.message)).toEqual([
            'S3 bucket "drafts" logs to other-bucket, which is not a log bucket (purpose=access-logs)',
            'S3 bucket "other" has no server access logging',
            'Cloud Storage bucket "gcs" has no usage logging (logging.logBucket)',
        ]);
    });
});

describe("audit/log-bucket-locked", () => {
    const name = "platform-access-logs-prod-us-east-1-654321";
    const s3Set = (provider: string, protect: boolean): RegisteredResource[] => [
        fixture("aws:s3/bucket:Bucket", { bucket: name, tags: { purpose: "access-logs" } }, { name: `logs-${provider}`, provider }),
        fixture("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: name, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { name: `pab-${provider}`, provider }),
        fixture("aws:s3/bucketOwnershipControls:BucketOwnershipControls", { bucket: name, rule: { objectOwnership: "BucketOwnerEnforced" } }, { name: `own-${provider}`, provider }),
        fixture("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { name: `sse-${provider}`, provider }),
        fixture("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: name, rules: [{ id: "retention", status: "Enabled", filter: {}, expiration: { days: 365 } }] }, { name: `lc-${provider}`, provider }),
        fixture("aws:s3/bucketPolicy:BucketPolicy", { bucket: name, policy: JSON.stringify(accessLogBucketPolicy(`arn:aws:s3:::${name}`, { region: "us-east-1", accountId: "410987654321", protect })) }, { name: `pol-${provider}`, provider }),
    ];
    const gcsLogs = (isLocked: boolean) =>
        fixture(
            "gcp:storage/bucket:Bucket",
            {
                name: "notif-access-logs",
                labels: { purpose: "access-logs" },
                publicAccessPrevention: "enforced",
                uniformBucketLevelAccess: true,
                encryption: { defaultKmsKeyName: "projects/p/locations/us/keyRings/r/cryptoKeys/k" },
                retentionPolicy: { retentionPeriod: "31536000", isLocked },
                lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 365 } }],
            },
            { name: "gcs-logs", provider: gcpProd.name },
        );

    it("passes the program's S3 log bucket in prod (deletion denied) and in dev (no deny), and a locked Cloud Storage log bucket in prod", async () => {
        expect(await check(logBucketLocked, ...s3Set(awsProd.name, true), gcsLogs(true))).toEqual([]);
        expect(await check(logBucketLocked, ...s3Set(awsDev.name, false))).toEqual([]);
    });

    it("fails a prod S3 log bucket whose policy allows deletion, one without a public access block, and an unlocked prod Cloud Storage log bucket", async () => {
        const unlocked = await check(logBucketLocked, ...s3Set(awsProd.name, false), gcsLogs(false));
        expect(unlocked.map((f) => f.message)).toEqual([`log bucket "logs-aws-prod" lacks a policy denying log deletion`, `log bucket "gcs-logs" lacks a locked retention policy`]);
        const open = await check(logBucketLocked, ...s3Set(awsProd.name, true).filter((r) => !r.type.includes("PublicAccessBlock")));
        expect(open.map((f) => f.message)).toEqual([`log bucket "logs-aws-prod" lacks a full public access block`]);
    });
});

describe("the log bucket's delivery principals and arguments", () => {
    const statement = (region: string, sid: string) => accessLogBucketPolicy("arn:aws:s3:::b", { region, accountId: "410987654321", protect: true }).Statement.find((s) => s.Sid === sid);

    it("ALB logs: the regional ELB account where the Region predates August 2022, the service principal where it does not", () => {
        expect(statement("us-east-1", "AlbAccessLogs")).toMatchObject({ Principal: { AWS: "arn:aws:iam::127311923021:root" }, Resource: "arn:aws:s3:::b/alb/AWSLogs/410987654321/*" });
        expect(statement("me-central-1", "AlbAccessLogs")).toMatchObject({ Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } });
        expect(statement("us-east-1", "S3ServerAccessLogs")).toMatchObject({ Principal: { Service: "logging.s3.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "410987654321" } } });
    });

    it("refuses a retention of 0 days and a malformed account or bucket name; accepts the profile's", () => {
        expect(validateAccessLogBucketArgs({ retentionDays: 0, accountId: "4109" })).toEqual(["retentionDays 0 must be a whole number of days ≥ 1", 'accountId "4109" is not a 12-digit AWS account id']);
        expect(validateAccessLogBucketArgs({ retentionDays: 365, accountId: "410987654321" })).toEqual([]);
        expect(validateGcsLogBucketArgs({ retentionDays: 14, bucketName: "Bad_Name!" })).toEqual(['"Bad_Name!" is not a Cloud Storage bucket name (3–63 of a-z 0-9 _ -)']);
        expect(validateGcsLogBucketArgs({ retentionDays: 14, bucketName: "melmastoon-notifications-dev-access-logs" })).toEqual([]);
    });
});

describe("the GCP edge: the Log4j family and TLS 1.3 (seed 001 §2)", () => {
    it("Cloud Armor denies the cve-canary set before the other WAF rules", () => {
        const rules = securityPolicyRules([]);
        expect(rules[0]).toEqual({
            priority: 999,
            action: "deny(403)",
            description: "WAF cve-canary (Log4j family)",
            match: { expr: { expression: `evaluatePreconfiguredWaf('cve-canary', {'sensitivity': 4})` } },
        });
        expect(cveRule.rule).toBe("cve-canary");
    });

    it("the SSL policy requires TLS 1.3, which the API allows only with the RESTRICTED profile", () => {
        expect(edgeTls).toEqual({ profile: "RESTRICTED", minTlsVersion: "TLS_1_3" });
    });
});

describe.each(["prod-us", "prod-eu"])("%s: audit and access logs in the plan", (stack) => {
    let planned: PlannedStack;
    beforeAll(async () => {
        planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
    });
    const props = (r: RegisteredResource) => r.props as Record<string, unknown>;
    const logBuckets = () => byType(planned.run, "aws:s3/bucket:Bucket").filter((b) => (props(b).tags as Record<string, string>).purpose === "access-logs");

    it("no audit finding: pgaudit, access logs and locked log buckets everywhere", () => {
        expect(planned.findings.filter((f) => f.ruleId.startsWith("audit/"))).toEqual([]);
    });

    it("every Aurora cluster parameter group preloads pgaudit with pgaudit.log = ddl,role, pgaudit.role = rds_pgaudit, log_statement = ddl", () => {
        for (const g of nonEmpty(byType(planned.run, "aws:rds/clusterParameterGroup:ClusterParameterGroup"))) {
            const p = new Map((props(g).parameters as { name: string; value: string }[]).map((x) => [x.name, x.value]));
            expect([p.get("shared_preload_libraries"), p.get("pgaudit.log"), p.get("pgaudit.role"), p.get("log_statement")]).toEqual(["pg_stat_statements,pgaudit", "ddl,role", "rds_pgaudit", "ddl"]);
        }
    });

    it("every Cloud SQL instance (primary, read and DR replicas) runs pgaudit on ddl,role", () => {
        for (const i of nonEmpty(byType(planned.run, "gcp:sql/databaseInstance:DatabaseInstance"))) {
            const flags = new Map(((props(i).settings as Record<string, unknown>).databaseFlags as { name: string; value: string }[]).map((f) => [f.name, f.value]));
            expect([flags.get("cloudsql.enable_pgaudit"), flags.get("pgaudit.log"), flags.get("log_statement")]).toEqual(["on", "ddl,role", "ddl"]);
        }
    });

    it("one log bucket per AWS region, SSE-S3 (ELB's only supported encryption), deletion denied; each region's ALB logs into its own", () => {
        const regions = byType(planned.run, "aws:lb/loadBalancer:LoadBalancer").map((a) => a.region);
        expect(regions).toHaveLength(2);
        expect(logBuckets().map((b) => b.region).sort()).toEqual([...regions].sort());
        for (const alb of byType(planned.run, "aws:lb/loadBalancer:LoadBalancer")) {
            const logs = props(alb).accessLogs as Record<string, unknown>;
            const own = logBuckets().find((b) => b.region === alb.region);
            expect(logs).toEqual({ enabled: true, bucket: own && props(own).bucket, prefix: "alb" });
        }
        for (const sse of nonEmpty(byType(planned.run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").filter((s) => String(props(s).bucket).includes("access-logs")))) {
            expect(sse.props).toMatchObject({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
        }
        for (const pol of nonEmpty(byType(planned.run, "aws:s3/bucketPolicy:BucketPolicy").filter((s) => String(props(s).bucket).includes("access-logs")))) {
            expect(JSON.parse(String(props(pol).policy)).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["DenyInsecureTransport", "S3ServerAccessLogs", "AlbAccessLogs", "NlbAccessLogs", "NlbAccessLogsAcl", "DenyLogDeletion"]);
        }
    });

    it("every bucket of record logs to the log bucket of its own region, and the notification bucket to its locked Cloud Storage log bucket", () => {
        const records = byType(planned.run, "aws:s3/bucket:Bucket").filter((b) => !logBuckets().includes(b));
        const loggings = byType(planned.run, "aws:s3/bucketLogging:BucketLogging");
        for (const b of nonEmpty(records)) {
            const l = loggings.find((x) => props(x).bucket === props(b).bucket);
            const own = logBuckets().find((x) => x.region === b.region);
            expect(l && props(l).targetBucket).toBe(own && props(own).bucket);
            expect(l && props(l).targetPrefix).toBe(`s3/${String(props(b).bucket)}/`);
        }
        const gcs = byType(planned.run, "gcp:storage/bucket:Bucket");
        const gcsLog = gcs.find((b) => String(props(b).name).endsWith("-access-logs"));
        const notif = gcs.find((b) => b !== gcsLog);
        expect(notif && props(notif).logging).toMatchObject({ logBucket: gcsLog && props(gcsLog).name });
        expect(gcsLog && props(gcsLog).retentionPolicy).toEqual({ retentionPeriod: String(365 * 24 * 3600), isLocked: true });
    });
});

describe("the audit role the parameter group names exists: the one-time database bootstrap creates it", () => {
    it("prod-us: every service's db-bootstrap Job creates rds_pgaudit and the pgaudit extension beside its IAM login role", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        // pgaudit.role = rds_pgaudit (components/aws/aurora.ts): RDS logs nothing until that role and the extension exist.
        expect(auditParameters.find((p) => p.name === "pgaudit.role")?.value).toBe("rds_pgaudit");
        const jobs = byType(run, "kubernetes:batch/v1:Job").filter((j) => String((j.props.metadata as { name?: string }).name).endsWith("-db-bootstrap"));
        // assignment, authoring and progress in both active regions of prod-us.
        expect(jobs).toHaveLength(6);
        for (const j of jobs) {
            const containers = ((j.props.spec as { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } }).template.spec.containers);
            const sql = containers[0].env?.find((e) => e.name === "DB_BOOTSTRAP_SQL")?.value ?? "";
            expect(sql).toContain("CREATE ROLE rds_pgaudit;");
            expect(sql).toContain("CREATE EXTENSION IF NOT EXISTS pgaudit;");
            expect(sql).toMatch(/GRANT rds_iam TO (assignment|authoring|progress)_service;/);
        }
    });

    it("the SQL is idempotent: each role is created only when missing", () => {
        expect(dbBootstrapSql("shop_service")).toBe(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shop_service') THEN CREATE ROLE shop_service LOGIN; END IF; END $$; GRANT rds_iam TO shop_service; DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_pgaudit') THEN CREATE ROLE rds_pgaudit; END IF; END $$; CREATE EXTENSION IF NOT EXISTS pgaudit;",
        );
    });
});
