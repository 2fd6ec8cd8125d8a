import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpProfile } from "../../data/profiles/gcp";
import { redisMinimumGb, redisReadReplicaMinimumGb } from "../../capacity/gcp";
import { sundayTwoAmLocal } from "../../data/naming/gcp";

/** Checks a Redis profile against what Memorystore can provision; throws on an impossible one. */
export function validateRedisProfile(p: GcpProfile["redis"]): void {
    if (p.memoryGb < redisMinimumGb) {
        throw new Error(`Memorystore instances are at least ${redisMinimumGb} GB (profile asks ${p.memoryGb})`);
    }
    if (p.readReplicas > 0 && (p.tier !== "STANDARD_HA" || p.memoryGb < redisReadReplicaMinimumGb)) {
        throw new Error(`read replicas need STANDARD_HA and at least ${redisReadReplicaMinimumGb} GB (profile: ${p.tier}, ${p.memoryGb} GB)`);
    }
    if (p.readReplicas > 5) {
        throw new Error(`Memorystore allows 1 to 5 read replicas (profile asks ${p.readReplicas})`);
    }
}

export interface RedisArgs {
    readonly name: string;
    readonly region: string;
    readonly networkId: pulumi.Input<string>;
    readonly keyId: pulumi.Input<string>;
    readonly profile: GcpProfile["redis"];
    readonly protect: boolean;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Memorystore for Redis (seed 001 §4.2): private service access, TLS (server authentication), AUTH,
 * `allkeys-lru`, CMEK, a Sunday maintenance window; STANDARD_HA with read replicas where the size
 * allows. The AUTH string is a provider output, kept secret.
 */
export class Redis extends pulumi.ComponentResource {
    readonly host: pulumi.Output<string>;
    readonly readEndpoint: pulumi.Output<string>;
    readonly authString: pulumi.Output<string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:Redis", name, {}, opts);
        try {
            validateRedisProfile(args.profile);
        } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this);
        }
        const p = args.profile;
        const window = sundayTwoAmLocal(args.region);
        const weekday: Record<number, string> = { 1: "MONDAY", 6: "SATURDAY", 7: "SUNDAY" };
        const instance = new gcp.redis.Instance(
            `${name}-instance`,
            {
                name: args.name,
                region: args.region,
                tier: p.tier,
                memorySizeGb: p.memoryGb,
                redisVersion: "REDIS_7_2",
                authorizedNetwork: args.networkId,
                connectMode: "PRIVATE_SERVICE_ACCESS",
                transitEncryptionMode: "SERVER_AUTHENTICATION",
                authEnabled: true,
                customerManagedKey: args.keyId,
                redisConfigs: { "maxmemory-policy": "allkeys-lru" },
                ...(p.readReplicas > 0 ? { readReplicasMode: "READ_REPLICAS_ENABLED", replicaCount: p.readReplicas } : {}),
                // Same local Sunday 02:00 as the database (the window is given in UTC).
                maintenancePolicy: { weeklyMaintenanceWindows: [{ day: weekday[window.day], startTime: { hours: window.hour, minutes: 0, seconds: 0, nanos: 0 } }] },
                // A cache: losing it costs warm-up time only, so no RDB persistence.
                persistenceConfig: { persistenceMode: "DISABLED" },
                labels: args.labels,
            },
            { parent: this, provider: args.provider, protect: args.protect, dependsOn: args.dependsOn, additionalSecretOutputs: ["authString"] },
        );
        this.host = instance.host;
        this.readEndpoint = instance.readEndpoint;
        this.authString = pulumi.secret(instance.authString);
        this.registerOutputs({ host: this.host, readEndpoint: this.readEndpoint });
    }
}
