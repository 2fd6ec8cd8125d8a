import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { subjectOfKey } from "../../data/catalog/notification";
import { CloudRunServiceCard, Environment, ReplicaRange } from "../../data/catalog/types";
import { GcpProfile } from "../../data/profiles/gcp";
import { CloudRunService, effectiveInstances, validateCloudRunRole } from "./cloudrun";
import { Database } from "./database";
import { MigrationJob } from "./migration";
import { Identities } from "./identities";
import { CmekAgent } from "./project";
import { PgBouncer, pgbouncerSettings } from "./pgbouncer";
import { PubSub } from "./pubsub";
import { Redis, validateRedisProfile } from "./redis";
import { RegionalNetwork } from "./network";
import { secretIdOf, Secrets } from "./secrets";
import { Subscriptions } from "./subscriptions";
import { pgbouncerNames, redisInstanceName, regionCidrs, regionZones, secretId, sqlInstanceName, unitOf } from "../../data/naming/gcp";
import { failurePolicyConfig } from "../../data/catalog/failure-policies";

/** Environment variable a secret purpose is mounted as. */
export function envNameOf(purpose: string): string {
    return purpose.replace(/-/g, "_").toUpperCase();
}

/**
 * Everything an active region's settings must satisfy, checked before any resource exists: the
 * Redis size, PgBouncer's pool against max_connections, every role's Cloud Run limits.
 */
export function validateRegionalSettings(card: CloudRunServiceCard, profile: GcpProfile, instances: (role: CloudRunServiceCard["roles"][number]) => ReplicaRange): void {
    validateRedisProfile(profile.redis);
    pgbouncerSettings(profile.pgbouncer, profile.sql);
    for (const role of card.roles) {
        validateCloudRunRole(role, instances(role));
    }
}

/** The database the service owns and the users the program creates. */
export const appUser = "notification_app";
export const migratorUser = "notification_migrator";

export interface RegionalPlatformArgs {
    readonly card: CloudRunServiceCard;
    readonly environment: Environment;
    readonly project: string;
    readonly region: string;
    /** `active` serves tenants; `dr` holds network, NAT, key and the database's warm replica. */
    readonly role: "active" | "dr";
    /** Position of the region in the stack (the address plan). */
    readonly index: number;
    readonly profile: GcpProfile;
    readonly protect: boolean;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    readonly network: gcp.compute.Network;
    readonly privateServiceRangeName: pulumi.Input<string>;
    readonly privateServiceConnection: pulumi.Resource;
    /** This region's CMEK key and the grants resources encrypted with it wait for. */
    readonly key: { readonly keyId: pulumi.Input<string>; readonly grants: pulumi.Resource[] };
    readonly agents: Readonly<Record<CmekAgent, pulumi.Input<string>>>;
    /** The DR region, for the database's backups and cross-region replica (active regions). */
    readonly dr?: { readonly region: string; readonly keyId: pulumi.Input<string>; readonly grants: pulumi.Resource[]; readonly provider: gcp.Provider };
    readonly secrets?: Secrets;
    readonly identities?: Identities;
    readonly pubsub?: PubSub;
    readonly bucketName?: pulumi.Input<string>;
    /** Instance bounds per role after the stack's overrides. */
    readonly instances: Readonly<Record<string, ReplicaRange>>;
    readonly image: string;
    readonly pgbouncerImage: string;
    /** Several active regions: subscriptions filter by the tenant's region. */
    readonly multiActive: boolean;
    /**
     * Peer callers (issue 15): per role of the card's `inbound`, the callers' service account emails
     * (its only invokers) and the ID-token audience they present (the internal load balancer's URL).
     */
    readonly peers?: { readonly invokers: Readonly<Record<string, readonly pulumi.Input<string>[]>>; readonly audience: string };
}

/**
 * Everything of the notification platform in one region. Every region gets the network (subnet,
 * connector, NAT with reserved IPs); an active region adds Cloud SQL (with its replicas and the DR
 * replica), Memorystore, PgBouncer, the card's Cloud Run services and their subscriptions.
 *
 * A DR region runs no Cloud Run service: it would point at a read-only replica and fail every
 * write. Promotion is a stack change (the region's role becomes `active`), which deploys services,
 * cache and pooler in one update, inside the document's 2 h cold-DR RTO (seed 001 §8).
 */
export class RegionalPlatform extends pulumi.ComponentResource {
    readonly network: RegionalNetwork;
    readonly database?: Database;
    readonly redis?: Redis;
    readonly services: Readonly<Record<string, CloudRunService>>;
    /** Name of the Cloud Run service the load balancer fronts (active regions). */
    readonly apiServiceName?: pulumi.Output<string>;
    /** Name of the Cloud Run service the internal load balancer fronts for peer callers (active regions). */
    readonly internalServiceName?: pulumi.Output<string>;
    readonly egressIps: pulumi.Output<string>[];

    constructor(name: string, args: RegionalPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:RegionalPlatform", name, {}, opts);
        const { card, region, profile } = args;
        const unit = unitOf(card.service);
        const child = { parent: this, provider: args.provider };
        const instancesOf = (role: CloudRunServiceCard["roles"][number]) =>
            effectiveInstances(role, args.instances[`${card.service}/${role.name}`] ?? role.instances[args.environment]);
        let cidrs: ReturnType<typeof regionCidrs>;
        try {
            cidrs = regionCidrs(args.index);
            if (args.role === "active") {
                validateRegionalSettings(card, profile, instancesOf);
                // PgBouncer's physical names and zones, before the network exists.
                pgbouncerNames(unit, region);
                regionZones(region);
            }
        } catch (e) {
            throw new pulumi.ResourceError(`${region}: ${(e as Error).message}`, this);
        }
        this.network = new RegionalNetwork(
            `${name}-net`,
            {
                region,
                network: args.network,
                cidrs,
                connector: profile.connector,
                nat: profile.nat,
                protect: args.protect,
                proxyOnlySubnet: args.role === "active",
                provider: args.provider,
            },
            child,
        );
        this.egressIps = this.network.egressIps;
        const services: Record<string, CloudRunService> = {};
        this.services = services;
        if (args.role !== "active") {
            this.registerOutputs({ egressIps: this.egressIps });
            return;
        }
        const { secrets, identities, pubsub } = args;
        if (!secrets || !identities || !pubsub || !args.bucketName) {
            throw new pulumi.ResourceError(`active region ${region} needs the service's secrets, identities, topics and bucket`, this);
        }
        const keyDeps = [...args.key.grants];

        this.database = new Database(
            `${name}-sql`,
            {
                instanceName: sqlInstanceName(unit, args.environment, region),
                region,
                networkId: args.network.id,
                allocatedIpRange: args.privateServiceRangeName,
                keyId: args.key.keyId,
                sql: profile.sql,
                dr: args.dr && { region: args.dr.region, instanceName: sqlInstanceName(unit, args.environment, args.dr.region), keyId: args.dr.keyId, provider: args.dr.provider },
                databaseName: unit.replace(/-/g, "_"),
                users: [
                    { name: appUser, password: secrets.values["db-app-password"] },
                    { name: migratorUser, password: secrets.values["db-migrator-password"] },
                ],
                protect: args.protect,
                labels: args.labels,
                provider: args.provider,
                dependsOn: [...keyDeps, ...(args.dr?.grants ?? []), args.privateServiceConnection],
            },
            child,
        );

        this.redis = new Redis(
            `${name}-redis`,
            {
                // Ids over 40 characters (staging's, prod-eu's) were never creatable, so the shorter id
                // replaces nothing that exists; ids that fitted are unchanged.
                name: redisInstanceName(unit, args.environment, region),
                region,
                networkId: args.network.id,
                keyId: args.key.keyId,
                profile: profile.redis,
                protect: args.protect,
                labels: args.labels,
                provider: args.provider,
                dependsOn: [...keyDeps, args.privateServiceConnection],
            },
            child,
        );
        // Redis AUTH is a provider output, so its secret is regional (replica in this region only).
        const redisPurpose = card.secretPurposes.find((p) => p.source === "provider");
        const regionalSecrets: Record<string, pulumi.Output<string>> = {};
        if (redisPurpose) {
            const redisSecret = new gcp.secretmanager.Secret(
                `${name}-${redisPurpose.purpose}`,
                {
                    secretId: secretIdOf(unit, args.environment, redisPurpose, region),
                    replication: { userManaged: { replicas: [{ location: region, customerManagedEncryption: { kmsKeyName: args.key.keyId } }] } },
                    labels: { ...args.labels, source: "provider" },
                    deletionProtection: args.protect,
                },
                { ...child, protect: args.protect, dependsOn: keyDeps },
            );
            new gcp.secretmanager.SecretVersion(`${name}-${redisPurpose.purpose}-v1`, { secret: redisSecret.id, secretData: this.redis.authString, deletionPolicy: "ABANDON" }, child);
            regionalSecrets[redisPurpose.purpose] = redisSecret.secretId;
            new gcp.secretmanager.SecretIamBinding(
                `${name}-reads-${redisPurpose.purpose}`,
                {
                    secretId: redisSecret.id,
                    role: "roles/secretmanager.secretAccessor",
                    members: card.roles.filter((x) => x.secrets.includes(redisPurpose.purpose)).map((r) => pulumi.interpolate`serviceAccount:${identities.emails[r.name]}`),
                },
                child,
            );
        }

        const pgbouncer = new PgBouncer(
            `${name}-pgbouncer`,
            {
                unit,
                project: args.project,
                region,
                image: args.pgbouncerImage,
                settings: pgbouncerSettings(profile.pgbouncer, profile.sql),
                profile: profile.pgbouncer,
                databaseHost: this.database.privateIp,
                serverCaCerts: this.database.primary.serverCaCerts,
                databaseName: unit.replace(/-/g, "_"),
                databaseUser: appUser,
                passwordSecretId: secrets.ids["db-app-password"],
                serviceAccountEmail: identities.emails["pgbouncer"],
                networkId: args.network.id,
                subnetId: this.network.subnet.id,
                // The services reach the VPC through the connector: its range is the only client range.
                clientRanges: [cidrs.connector],
                keyId: args.key.keyId,
                labels: args.labels,
                provider: args.provider,
                dependsOn: keyDeps,
            },
            child,
        );

        // Migrations (and the extensions of seed 001 §4.1) run before any service revision rolls out.
        const migration = new MigrationJob(
            `${name}-migrate`,
            {
                jobName: `${unit}-migrate`,
                region,
                image: args.image,
                extensions: card.postgresExtensions ?? [],
                serviceAccountEmail: identities.emails["migrate"],
                connectorId: this.network.connectorId,
                keyId: args.key.keyId,
                databaseHost: this.database.privateIp,
                serverCaCerts: this.database.primary.serverCaCerts,
                databaseName: unit.replace(/-/g, "_"),
                databaseUser: migratorUser,
                passwordSecret: secrets.names["db-migrator-password"],
                deletionProtection: args.protect,
                provider: args.provider,
                dependsOn: [...keyDeps, this.database],
            },
            child,
        );
        const secretNameOf = (purpose: string) => regionalSecrets[purpose] ?? secrets.names[purpose];
        // Vendor credentials are per tenant (`vendor/{vendor}/{tenantId}/{credKind}`, seed 001 §4.5) and
        // operations add them: the services read them through the Secret Manager API when a tenant's
        // channel sends, never at start, so a revision never waits on a secret without a version.
        const isVendor = (purpose: string) => card.secretPurposes.some((p) => p.purpose === purpose && p.source === "vendor");
        const vendorPrefix = `${secretId([unit, args.environment, "vendor"])}--`;
        for (const role of card.roles) {
            const range = instancesOf(role);
            const env: Record<string, pulumi.Input<string>> = {
                APP_ROLE: role.name,
                APP_ENV: args.environment,
                GCP_PROJECT: args.project,
                GCP_REGION: region,
                ASSETS_BUCKET: args.bucketName,
                ...(role.dbPoolPerInstance > 0
                    ? {
                          // PgBouncer's internal load balancer over TCP (egress ALL_TRAFFIC through the connector).
                          DATABASE_HOST: pgbouncer.host,
                          DATABASE_PORT: String(pgbouncer.port),
                          // Connector → ILB → VM stays inside the VPC (Google encrypts VM-to-VM traffic); PgBouncer
                          // offers no client TLS, its server hop to Cloud SQL is verify-ca (README: PgBouncer).
                          DATABASE_SSLMODE: "disable",
                          DATABASE_NAME: unit.replace(/-/g, "_"),
                          DATABASE_USER: appUser,
                          DATABASE_POOL_SIZE: String(role.dbPoolPerInstance),
                      }
                    : {}),
                ...(role.secrets.includes("redis-auth") ? { REDIS_HOST: this.redis.host, REDIS_READ_HOST: this.redis.readEndpoint, REDIS_TLS: "true" } : {}),
                ...(role.featureFlag ? { FEATURE_GATE: role.featureFlag } : {}),
                ...(role.secrets.some(isVendor) ? { VENDOR_SM_PREFIX: vendorPrefix } : {}),
                // The card's timeouts, retries and breakers per dependency for the client library (issue 13:
                // Cloud Run has no mesh or gateway between a service and its dependencies, the app is the one layer).
                ...failurePolicyConfig(card),
            };
            const consumesSomething = role.consumes.length > 0;
            services[role.name] = new CloudRunService(
                `${name}-${role.name}`,
                {
                    serviceName: `${unit}-${role.name}`,
                    region,
                    role,
                    instances: range,
                    image: args.image,
                    serviceAccountEmail: identities.emails[role.name],
                    connectorId: this.network.connectorId,
                    keyId: args.key.keyId,
                    healthPath: card.healthPath,
                    containerPort: card.containerPort,
                    env,
                    secretEnv: role.secrets.filter((p) => !isVendor(p)).map((p) => ({ env: envNameOf(p), secret: secretNameOf(p) })),
                    // Exactly the identities the card names: Pub/Sub push for consumers, the `inbound` callers' accounts for the peers' entry.
                    invokers: [...(consumesSomething ? [identities.emails["pubsub-push"]] : []), ...(args.peers?.invokers[role.name] ?? [])],
                    customAudiences: role.ingress === "internal-load-balancer" && args.peers ? [args.peers.audience] : undefined,
                    deletionProtection: args.protect,
                    provider: args.provider,
                    dependsOn: [...keyDeps, migration],
                },
                child,
            );
        }
        this.apiServiceName = card.roles.filter((r) => r.ingress === "load-balancer").map((r) => services[r.name].name)[0];
        this.internalServiceName = card.roles.filter((r) => r.ingress === "internal-load-balancer").map((r) => services[r.name].name)[0];

        new Subscriptions(
            `${name}-subs`,
            {
                region,
                subscriptions: card.roles.flatMap((role) =>
                    role.consumes.map((key) => ({
                        consumer: role.name,
                        subject: subjectOfKey(key),
                        topicId: pubsub.topicIds[subjectOfKey(key)],
                        dlqTopicId: pubsub.dlqTopicIds[role.name],
                        pushUri: services[role.name].uri,
                    })),
                ),
                pushServiceAccountEmail: identities.emails["pubsub-push"],
                pubsubAgentEmail: args.agents.pubsub,
                regionFilter: args.multiActive,
                labels: args.labels,
                provider: args.provider,
                dependsOn: pubsub.dlqGrants,
            },
            child,
        );
        this.registerOutputs({ egressIps: this.egressIps, apiServiceName: this.apiServiceName, internalServiceName: this.internalServiceName });
    }
}
