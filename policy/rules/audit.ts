import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { arr, effectiveTags, obj } from "./util";

/**
 * Audit and access logs (issue 11 item 5): statement and audit logging on every Postgres, access
 * logs on every load balancer and bucket of record, and log buckets that keep what they receive.
 * A log bucket is the one tagged/labelled `purpose: access-logs`; every other bucket is of record.
 */

const nonEmpty = (v: unknown): boolean => typeof v === "string" && v.length > 0;
const LOG_PURPOSE = "access-logs";

/** Statement classes pgaudit must record (`pgaudit.log`). */
export const requiredAuditClasses = ["ddl", "role"] as const;
/** `log_statement` values that include every DDL statement. */
const ddlStatementLevels = new Set(["ddl", "mod", "all"]);

/** What is missing from a Postgres parameter/flag map for statement and audit logging; pure. */
export function missingAuditSettings(settings: ReadonlyMap<string, string>, engine: "aurora" | "cloudsql"): string[] {
    const missing: string[] = [];
    if (engine === "aurora") {
        const libs = (settings.get("shared_preload_libraries") ?? "").split(",").map((s) => s.trim());
        if (!libs.includes("pgaudit")) missing.push("shared_preload_libraries with pgaudit");
        if (settings.get("pgaudit.role") !== "rds_pgaudit") missing.push("pgaudit.role = rds_pgaudit");
    } else if (settings.get("cloudsql.enable_pgaudit") !== "on") {
        missing.push("cloudsql.enable_pgaudit = on");
    }
    const classes = (settings.get("pgaudit.log") ?? "").split(",").map((s) => s.trim().toLowerCase());
    const absent = requiredAuditClasses.filter((c) => !classes.includes(c) && !classes.includes("all"));
    if (absent.length > 0) missing.push(`pgaudit.log with ${absent.join(", ")}`);
    if (!ddlStatementLevels.has(settings.get("log_statement") ?? "none")) missing.push("log_statement = ddl (or mod/all)");
    return missing;
}

const asMap = (list: unknown): Map<string, string> => new Map(arr(list).map((p) => [String(obj(p).name), String(obj(p).value)]));

export const postgresAuditLogging: StackValidationPolicy = {
    name: "audit/pgaudit",
    description:
        "Every Postgres records DDL and role changes: Aurora clusters use a cluster parameter group preloading pgaudit with pgaudit.log ⊇ ddl,role, " +
        "pgaudit.role = rds_pgaudit and log_statement = ddl; Cloud SQL instances set cloudsql.enable_pgaudit, pgaudit.log and log_statement.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const groups = args.resources.filter((r) => r.type === "aws:rds/clusterParameterGroup:ClusterParameterGroup");
        for (const c of args.resources.filter((r) => r.type === "aws:rds/cluster:Cluster" && String(r.props.engine ?? "").startsWith("aurora-postgresql"))) {
            const deps = c.propertyDependencies?.dbClusterParameterGroupName ?? [];
            const group = groups.find((g) => deps.some((d) => d.urn === g.urn) || (nonEmpty(c.props.dbClusterParameterGroupName) && [g.props.name, g.name].includes(c.props.dbClusterParameterGroupName)));
            if (!group) {
                report(`Aurora cluster "${c.name}" has no cluster parameter group of this program (the default one loads no pgaudit)`, c.urn);
                continue;
            }
            const missing = missingAuditSettings(asMap(group.props.parameters), "aurora");
            if (missing.length > 0) {
                report(`Aurora cluster "${c.name}" (parameter group "${group.name}") lacks ${missing.join(", ")}`, c.urn);
            }
        }
        for (const i of args.resources.filter((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance" && String(r.props.databaseVersion ?? "").startsWith("POSTGRES"))) {
            const missing = missingAuditSettings(asMap(obj(i.props.settings).databaseFlags), "cloudsql");
            if (missing.length > 0) {
                report(`Cloud SQL instance "${i.name}" lacks ${missing.join(", ")}`, i.urn);
            }
        }
    },
};

/** Backend-service schemes that proxy requests (and so can log them); INTERNAL passthrough is covered by VPC flow logs. */
const proxiedSchemes = new Set(["EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED"]);

export const loadBalancerAccessLogs: ResourceValidationPolicy = {
    name: "audit/lb-access-logs",
    description:
        "Every load balancer logs its requests: ALBs send access logs to S3, GCP proxy load balancers' backend services enable logging at sample rate 1, " +
        "and a Kubernetes Service of type LoadBalancer on AWS carries the access-log annotations.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const p = args.props;
        if (args.type === "aws:lb/loadBalancer:LoadBalancer" && (p.loadBalancerType ?? "application") === "application") {
            const logs = obj(p.accessLogs);
            if (logs.enabled !== true || !nonEmpty(logs.bucket)) {
                report(`ALB "${args.name}" does not write access logs to S3 (accessLogs.enabled and bucket)`);
            }
        }
        if (
            (args.type === "gcp:compute/backendService:BackendService" || args.type === "gcp:compute/regionBackendService:RegionBackendService") &&
            proxiedSchemes.has(String(p.loadBalancingScheme ?? "EXTERNAL"))
        ) {
            const log = obj(p.logConfig);
            if (log.enable !== true || (log.sampleRate !== undefined && log.sampleRate !== 1)) {
                report(`backend service "${args.name}" does not log every request (logConfig.enable, sampleRate 1)`);
            }
        }
        if (args.type === "kubernetes:core/v1:Service" && obj(p.spec).type === "LoadBalancer") {
            const a = obj(obj(p.metadata).annotations);
            const inTree = a["service.beta.kubernetes.io/aws-load-balancer-access-log-enabled"] === "true";
            const lbc = String(a["service.beta.kubernetes.io/aws-load-balancer-attributes"] ?? "").includes("access_logs.s3.enabled=true");
            if (!inTree && !lbc) {
                report(`Service "${args.name}" of type LoadBalancer has no access logs (aws-load-balancer-attributes access_logs.s3.enabled=true)`);
            }
        }
    },
};

const isLogBucket = (r: PolicyResource): boolean => effectiveTags(r).purpose === LOG_PURPOSE;
const isProtected = (r: PolicyResource): boolean => ["staging", "prod"].includes(effectiveTags(r).environment ?? "");

/** Does `child`'s `field` name `bucket` (CrossGuard's dependency graph, or the offline runner's resolved value)? */
function names(child: PolicyResource, field: string, bucket: PolicyResource): boolean {
    const deps = child.propertyDependencies?.[field] ?? [];
    if (deps.some((d) => d.urn === bucket.urn)) {
        return true;
    }
    const v = child.props[field];
    return nonEmpty(v) && (v === bucket.props.bucket || v === bucket.props.name);
}

export const bucketAccessLogs: StackValidationPolicy = {
    name: "audit/bucket-access-logs",
    description:
        "Every bucket of record logs its requests to a log bucket: an S3 bucket has a BucketLogging targeting a bucket tagged purpose=access-logs; " +
        "a Cloud Storage bucket has logging.logBucket naming a bucket labelled purpose=access-logs.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const s3 = args.resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
        const s3Logs = s3.filter(isLogBucket);
        const loggings = args.resources.filter((r) => r.type === "aws:s3/bucketLogging:BucketLogging");
        for (const b of s3.filter((r) => !isLogBucket(r))) {
            const logging = loggings.find((l) => names(l, "bucket", b));
            if (!logging) {
                report(`S3 bucket "${b.name}" has no server access logging`, b.urn);
            } else if (!s3Logs.some((t) => names(logging, "targetBucket", t))) {
                report(`S3 bucket "${b.name}" logs to ${String(logging.props.targetBucket)}, which is not a log bucket (purpose=access-logs)`, b.urn);
            }
        }
        const gcs = args.resources.filter((r) => r.type === "gcp:storage/bucket:Bucket");
        const gcsLogs = gcs.filter(isLogBucket);
        for (const b of gcs.filter((r) => !isLogBucket(r))) {
            const target = obj(b.props.logging).logBucket;
            if (!nonEmpty(target)) {
                report(`Cloud Storage bucket "${b.name}" has no usage logging (logging.logBucket)`, b.urn);
            } else if (!gcsLogs.some((t) => target === t.props.name)) {
                report(`Cloud Storage bucket "${b.name}" logs to ${String(target)}, which is not a log bucket (purpose=access-logs)`, b.urn);
            }
        }
    },
};

/** What an S3 log bucket lacks to keep its logs: private, owner-enforced, encrypted, expiring, TLS-only, undeletable in staging/prod; pure over its attached resources. */
export function s3LogBucketGaps(bucket: PolicyResource, attached: readonly PolicyResource[]): string[] {
    const of = (type: string) => attached.filter((r) => r.type === type);
    const gaps: string[] = [];
    const pab = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0];
    if (!pab || !["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => pab.props[k] === true)) gaps.push("a full public access block");
    if (!of("aws:s3/bucketOwnershipControls:BucketOwnershipControls").some((r) => obj(r.props.rule).objectOwnership === "BucketOwnerEnforced")) gaps.push("BucketOwnerEnforced ownership");
    if (!of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").some((r) => arr(r.props.rules).length > 0)) gaps.push("default encryption");
    const expires = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").some((r) => arr(r.props.rules).some((x) => obj(x).status === "Enabled" && typeof obj(obj(x).expiration).days === "number"));
    if (!expires) gaps.push("a lifecycle that expires logs");
    const statements = of("aws:s3/bucketPolicy:BucketPolicy").flatMap((r) => {
        try {
            return arr(obj(JSON.parse(String(r.props.policy))).Statement).map(obj);
        } catch {
            return [];
        }
    });
    const actions = (s: Record<string, unknown>) => (Array.isArray(s.Action) ? s.Action.map(String) : [String(s.Action)]);
    if (!statements.some((s) => s.Effect === "Deny" && obj(obj(s.Condition).Bool)["aws:SecureTransport"] === "false")) gaps.push("a TLS-only policy");
    // Unconditional: the TLS-only deny also names s3:* but only for plaintext requests.
    const deniesDeletion = statements.some((s) => s.Effect === "Deny" && s.Condition === undefined && actions(s).some((a) => a === "s3:DeleteObject" || a === "s3:*"));
    if (isProtected(bucket) && !deniesDeletion) gaps.push("a policy denying log deletion");
    return gaps;
}

export const logBucketLocked: StackValidationPolicy = {
    name: "audit/log-bucket-locked",
    description:
        "Log buckets keep what they receive: S3 — public access blocked, BucketOwnerEnforced, default encryption, expiring lifecycle, TLS-only policy, " +
        "and in staging/prod a policy denying object deletion; Cloud Storage — public access prevented, uniform access, CMEK, a retention policy " +
        "(locked in staging/prod) and a delete lifecycle.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const b of args.resources.filter((r) => r.type === "aws:s3/bucket:Bucket" && isLogBucket(r))) {
            const attached = args.resources.filter((r) => r.type.startsWith("aws:s3/bucket") && r.type !== "aws:s3/bucket:Bucket" && names(r, "bucket", b));
            const gaps = s3LogBucketGaps(b, attached);
            if (gaps.length > 0) {
                report(`log bucket "${b.name}" lacks ${gaps.join(", ")}`, b.urn);
            }
        }
        for (const b of args.resources.filter((r) => r.type === "gcp:storage/bucket:Bucket" && isLogBucket(r))) {
            const p = b.props;
            const retention = obj(p.retentionPolicy);
            const gaps = [
                p.publicAccessPrevention === "enforced" ? undefined : "public access prevention",
                p.uniformBucketLevelAccess === true ? undefined : "uniform bucket-level access",
                nonEmpty(obj(p.encryption).defaultKmsKeyName) ? undefined : "CMEK",
                Number(retention.retentionPeriod ?? 0) > 0 ? undefined : "a retention policy",
                !isProtected(b) || retention.isLocked === true ? undefined : "a locked retention policy",
                arr(p.lifecycleRules).some((r) => obj(obj(r).action).type === "Delete") ? undefined : "a delete lifecycle",
            ].filter((g): g is string => g !== undefined);
            if (gaps.length > 0) {
                report(`log bucket "${b.name}" lacks ${gaps.join(", ")}`, b.urn);
            }
        }
    },
};

export const auditPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [postgresAuditLogging, loadBalancerAccessLogs, bucketAccessLogs, logBucketLocked];
