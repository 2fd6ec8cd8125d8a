import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Extensions Cloud SQL for PostgreSQL 16 lets `cloudsqlsuperuser` members create (Cloud SQL's extension list). */
export const cloudSqlPostgresExtensions: readonly string[] = [
    "btree_gin", "btree_gist", "citext", "hstore", "pg_partman", "pg_stat_statements", "pg_trgm", "pgaudit", "pgcrypto", "pgvector", "postgis", "uuid-ossp",
];

/** Checks the card's extensions: known to Cloud SQL, no duplicates; returns the problems. */
export function validateExtensions(extensions: readonly string[]): string[] {
    const problems = extensions.filter((e) => !cloudSqlPostgresExtensions.includes(e)).map((e) => `extension ${e} is not one this program knows Cloud SQL for PostgreSQL 16 offers`);
    const dupes = extensions.filter((e, i) => extensions.indexOf(e) !== i);
    return [...problems, ...dupes.map((e) => `extension ${e} listed twice`)];
}

/** FNV-1a, 32 bits, as 8 hex digits: a stable short digest of the extension list for the execution token. */
function fnv1a(text: string): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
}

/**
 * The execution token: a new one (new image digest or new extension list) makes Cloud Run run the job
 * on `pulumi up` and the update waits for it to finish. Job name + token must stay under 63 characters.
 */
export function migrationToken(jobName: string, image: string, extensions: readonly string[]): string {
    const digest = /@sha256:([0-9a-f]{64})$/.exec(image)?.[1];
    if (!digest) {
        throw new Error(`migration image ${image} is not pinned by digest`);
    }
    const token = `${digest.slice(0, 12)}-${fnv1a([...extensions].sort().join(","))}`;
    if (jobName.length + token.length >= 63) {
        throw new Error(`job ${jobName} + execution token ${token} is ${jobName.length + token.length} characters; Cloud Run allows under 63`);
    }
    return token;
}

export interface MigrationJobArgs {
    /** Cloud Run job name (`notification-migrate`). */
    readonly jobName: string;
    readonly region: string;
    /** The service's image: the same build runs its migrations (`APP_ROLE=migrate`). */
    readonly image: string;
    /** Postgres extensions the migrator creates first (seed 001 §4.1). */
    readonly extensions: readonly string[];
    readonly serviceAccountEmail: pulumi.Input<string>;
    readonly connectorId: pulumi.Input<string>;
    readonly keyId: pulumi.Input<string>;
    /** The primary's private IP: migrations connect directly, not through PgBouncer (session locks, DDL). */
    readonly databaseHost: pulumi.Input<string>;
    readonly serverCaCerts: pulumi.Input<readonly { readonly cert?: string }[]>;
    readonly databaseName: string;
    readonly databaseUser: string;
    /** Secret id of the migrator's password (the identity reads it). */
    readonly passwordSecret: pulumi.Input<string>;
    readonly deletionProtection: boolean;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The service's migration job (seed 001 §6: "applied before the new revision rolls out"): a Cloud Run
 * job of the service's image as the migrator user, straight to the Cloud SQL primary (verify-ca), which
 * first runs `CREATE EXTENSION IF NOT EXISTS` for every extension in DATABASE_EXTENSIONS (the migrator
 * is a Cloud SQL BUILT_IN user, member of cloudsqlsuperuser, which may create them), then the forward-only
 * schema migrations. Its execution token changes with the image digest and the extension list, so
 * `pulumi up` runs it once per release and waits; the services depend on it.
 */
export class MigrationJob extends pulumi.ComponentResource {
    readonly job: gcp.cloudrunv2.Job;
    readonly token: string;

    constructor(name: string, args: MigrationJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:MigrationJob", name, {}, opts);
        let token: string;
        try {
            const problems = validateExtensions(args.extensions);
            if (problems.length > 0) {
                throw new Error(problems.join("; "));
            }
            token = migrationToken(args.jobName, args.image, args.extensions);
        } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this);
        }
        this.token = token;
        const ca = pulumi.output(args.serverCaCerts).apply((cs) => cs.map((c) => c.cert ?? "").find((c) => c.includes("BEGIN CERTIFICATE")) ?? "");
        this.job = new gcp.cloudrunv2.Job(
            `${name}-job`,
            {
                name: args.jobName,
                location: args.region,
                launchStage: "GA",
                deletionProtection: args.deletionProtection,
                labels: { role: "migrate" },
                runExecutionToken: token,
                template: {
                    taskCount: 1,
                    parallelism: 1,
                    labels: { role: "migrate" },
                    template: {
                        serviceAccount: args.serviceAccountEmail,
                        encryptionKey: args.keyId,
                        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                        // Forward-only and idempotent (IF NOT EXISTS, a migrations table): one retry covers a lost connection.
                        maxRetries: 1,
                        timeout: "1800s",
                        vpcAccess: { connector: args.connectorId, egress: "PRIVATE_RANGES_ONLY" },
                        containers: [
                            {
                                name: "migrate",
                                image: args.image,
                                resources: { limits: { cpu: "1", memory: "512Mi" } },
                                envs: [
                                    { name: "APP_ROLE", value: "migrate" },
                                    { name: "DATABASE_HOST", value: args.databaseHost },
                                    { name: "DATABASE_PORT", value: "5432" },
                                    { name: "DATABASE_SSLMODE", value: "verify-ca" },
                                    { name: "DATABASE_SSLROOTCERT_PEM", value: ca },
                                    { name: "DATABASE_NAME", value: args.databaseName },
                                    { name: "DATABASE_USER", value: args.databaseUser },
                                    { name: "DATABASE_EXTENSIONS", value: args.extensions.join(",") },
                                    { name: "DB_MIGRATOR_PASSWORD", valueSource: { secretKeyRef: { secret: args.passwordSecret, version: "latest" } } },
                                ],
                            },
                        ],
                    },
                },
            },
            { parent: this, provider: args.provider, dependsOn: args.dependsOn },
        );
        this.registerOutputs({ token: this.token });
    }
}
