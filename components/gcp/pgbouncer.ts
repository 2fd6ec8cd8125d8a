import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpProfile } from "../../stacks/profiles/gcp";

export interface PgBouncerSettings {
    /** `max_client_conn` per instance. */
    readonly maxClientConnPerInstance: number;
    /** `default_pool_size` per instance (server connections to Cloud SQL). */
    readonly defaultPoolSize: number;
    /** Σ server connections over all instances. */
    readonly serverConnections: number;
}

/**
 * PgBouncer's pool arithmetic (seed 001 §4.1): 800 client connections split over the fixed
 * instances, and a server pool that fits inside `max_connections` minus the reserved connections.
 */
export function pgbouncerSettings(p: GcpProfile["pgbouncer"], sql: GcpProfile["sql"]): PgBouncerSettings {
    if (p.instances < 1) {
        throw new Error("PgBouncer needs at least one instance");
    }
    const serverConnections = p.instances * p.serverPoolPerInstance;
    const budget = sql.maxConnections - sql.reservedConnections;
    if (serverConnections > budget) {
        throw new Error(`PgBouncer server pool ${p.instances} × ${p.serverPoolPerInstance} = ${serverConnections} exceeds max_connections ${sql.maxConnections} − reserved ${sql.reservedConnections} = ${budget}`);
    }
    return { maxClientConnPerInstance: Math.floor(p.maxClientConnections / p.instances), defaultPoolSize: p.serverPoolPerInstance, serverConnections };
}

export interface PgBouncerArgs {
    readonly serviceName: string;
    readonly region: string;
    readonly image: string;
    readonly settings: PgBouncerSettings;
    readonly instances: number;
    readonly databaseHost: pulumi.Input<string>;
    readonly databaseName: string;
    readonly databaseUser: string;
    /** Secret id of the database user's password. */
    readonly passwordSecret: pulumi.Input<string>;
    readonly serviceAccountEmail: pulumi.Input<string>;
    readonly connectorId: pulumi.Input<string>;
    readonly keyId: pulumi.Input<string>;
    readonly invokers: readonly pulumi.Input<string>[];
    readonly deletionProtection: boolean;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * PgBouncer in transaction mode as its own Cloud Run service `notification-pgbouncer-{region}`
 * (seed 001 §4.1), at a fixed instance count so its server pool is a known number; TLS to Cloud SQL.
 */
export class PgBouncer extends pulumi.ComponentResource {
    readonly uri: pulumi.Output<string>;

    constructor(name: string, args: PgBouncerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:PgBouncer", name, {}, opts);
        const s = args.settings;
        const env: Record<string, pulumi.Input<string>> = {
            DB_HOST: args.databaseHost,
            DB_NAME: args.databaseName,
            DB_USER: args.databaseUser,
            POOL_MODE: "transaction",
            MAX_CLIENT_CONN: String(s.maxClientConnPerInstance),
            DEFAULT_POOL_SIZE: String(s.defaultPoolSize),
            MAX_DB_CONNECTIONS: String(s.defaultPoolSize),
            SERVER_TLS_SSLMODE: "require",
            AUTH_TYPE: "scram-sha-256",
            LISTEN_PORT: "6432",
        };
        const service = new gcp.cloudrunv2.Service(
            `${name}-service`,
            {
                name: args.serviceName,
                location: args.region,
                ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
                deletionProtection: args.deletionProtection,
                launchStage: "GA",
                labels: { role: "pgbouncer" },
                template: {
                    serviceAccount: args.serviceAccountEmail,
                    encryptionKey: args.keyId,
                    executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                    // Every client connection is one long request: the per-instance client cap.
                    maxInstanceRequestConcurrency: s.maxClientConnPerInstance,
                    timeout: "3600s",
                    scaling: { minInstanceCount: args.instances, maxInstanceCount: args.instances },
                    vpcAccess: { connector: args.connectorId, egress: "PRIVATE_RANGES_ONLY" },
                    labels: { role: "pgbouncer" },
                    containers: [
                        {
                            name: "pgbouncer",
                            image: args.image,
                            ports: { containerPort: 6432, name: "http1" },
                            resources: { limits: { cpu: "2", memory: "1Gi" }, cpuIdle: false, startupCpuBoost: false },
                            envs: [
                                ...Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
                                { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: args.passwordSecret, version: "latest" } } },
                            ],
                            startupProbe: { tcpSocket: { port: 6432 }, periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 3 },
                        },
                    ],
                },
                traffics: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
            },
            { parent: this, provider: args.provider, dependsOn: args.dependsOn },
        );
        this.uri = service.uri;
        if (args.invokers.length > 0) {
            new gcp.cloudrunv2.ServiceIamBinding(
                `${name}-invokers`,
                { name: service.name, location: args.region, role: "roles/run.invoker", members: args.invokers.map((m) => pulumi.interpolate`serviceAccount:${m}`) },
                { parent: this, provider: args.provider },
            );
        }
        this.registerOutputs({ uri: this.uri });
    }
}
