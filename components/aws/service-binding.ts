import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { FeatureSwitches, featureOfSecret, switchOf } from "../../data/catalog/features";
import { inboxPrefixOf } from "../../data/broker";
import { RotationSlots, rotationPeriodKey } from "../../data/rotation";
import { natsClientConfig } from "../k8s/nats-client";
import { K8sServiceCard } from "../../data/catalog/types";
import { ServiceBinding } from "../contracts";
import { OidcIdentity, irsaRole } from "./irsa";
import { bucketAccessLogging } from "./access-logs";
import { AuthoringCdn } from "./cdn";
import { topicArnOf } from "./msk";

/** Where a service's secret values come from in this region (each optional: absent → no value). */
export interface SecretSources {
    readonly postgres?: {
        readonly host: pulumi.Output<string>;
        /** The cluster's reader endpoint (seeds/003 §12: reads go to the replicas). */
        readonly readerHost: pulumi.Output<string>;
        readonly port: number;
        readonly database: string;
        readonly clusterResourceId: pulumi.Output<string>;
        /** Set when the host is the service's RDS Proxy (`prx-…`): `rds-db:connect` names the proxy, not the cluster. */
        readonly proxyResourceId?: pulumi.Output<string>;
    };
    /** The service's own ElastiCache user (RBAC) and its current password. */
    readonly redis?: { readonly host: pulumi.Output<string>; readonly port: number; readonly userName: string; readonly password: pulumi.Output<string> };
    /** The analytics firehose of this region (seed 003 §8), for a card that feeds it. */
    readonly firehose?: { readonly bootstrapBrokers: pulumi.Output<string>; readonly clusterArn: pulumi.Output<string>; readonly topics: readonly string[] };
    /** The service's NATS client URL with its credentials. */
    readonly natsCredentials?: pulumi.Output<string>;
    readonly otlpEndpoint: string;
}

export interface ServiceCloudResourcesArgs {
    /** Explicit provider of the `@pulumi/random` secrets. */
    readonly randomProvider: random.Provider;
    /** The service's topology card. */
    readonly card: K8sServiceCard;
    /** Environment (dev, staging, prod): names, tags and sizing. */
    readonly environment: string;
    /** AWS region of this platform. */
    readonly region: string;
    /** AWS account id of the stack. */
    readonly accountId: string;
    /** The cluster's OIDC identity, for IRSA roles. */
    readonly oidc: OidcIdentity;
    /** CMK of the secrets data class (Secrets Manager). */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** CMK of the object-storage data class (S3 SSE-KMS). */
    readonly objectStorageKeyArn: pulumi.Input<string>;
    /** Where the secret values come from in this region. */
    readonly sources: SecretSources;
    /** Feature switches: a secret operations fill is tagged with its feature and whether it is on. */
    readonly features: FeatureSwitches;
    /** Deletion protection and Pulumi `protect` for stateful resources (staging/prod). */
    readonly protect: boolean;
    /** Secrets Manager recovery window (30 in staging/prod). */
    readonly secretRecoveryDays: number;
    /** The region's access-log bucket (components/aws/access-logs.ts): every bucket here logs its requests there. */
    readonly accessLogs: { readonly bucketName: pulumi.Input<string>; readonly ready: readonly pulumi.Resource[] };
    /** Rotation slots of this deployment (data/rotation.ts): the signing key is renewed each period. */
    readonly rotation: RotationSlots;
    /** For buckets served through a CDN (BucketSpec `cdn`): the us-east-1 provider and the stack's zone. */
    readonly cdn?: { readonly edgeProvider: aws.Provider; readonly domain: string; readonly residency: string; readonly logRetentionDays: number };
}

/** The secret key carrying the firehose's bootstrap brokers and topics (JSON). */
export const firehoseKey = "ANALYTICS_FIREHOSE";

/** The secret key a CDN-fronted bucket's signer reads (created by the CDN, not from a source). */
export const cdnSigningKey = "CDN_SIGNING";

/** The Postgres role a service logs in as with IAM authentication (case study §19: a database role per service). */
export function dbUserOf(service: string): string {
    return service.replace(/-/g, "_");
}

/** A bucket name within S3's 63 characters, stable per stack/region/service/purpose. */
export function bucketName(environment: string, region: string, service: string, purpose: string, accountId: string): string {
    const base = `${service}-${purpose}-${environment}-${region}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    const suffix = `-${accountId.slice(-6)}`;
    return `${base.slice(0, 63 - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/** The in-cluster URL of a peer service the card depends on (`AI_GATEWAY_URL` from the ai-gateway dependency). */
function peerUrl(card: K8sServiceCard, name: string): string | undefined {
    const dep = card.outbound.find((d) => d.kind === "service" && d.name === name);
    return dep && dep.kind === "service" ? `http://${dep.name}.${dep.namespace}.svc.cluster.local:${dep.port}` : undefined;
}

/**
 * The cloud side of one service in one region: its Secrets Manager secrets (values from real
 * outputs, marked secret), its buckets, and its IRSA role, which can read only those secrets and
 * buckets and connect to its own database as its own user.
 */
export class ServiceCloudResources extends pulumi.ComponentResource {
    readonly binding: ServiceBinding;
    /** Keys whose secret exists without a value: operations adds it (no source in this program). */
    readonly valuesPending: readonly string[];

    constructor(name: string, args: ServiceCloudResourcesArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:ServiceCloudResources", name, {}, opts);
        const { card, sources } = args;
        const o = { parent: this, provider: opts.provider };
        const keep = { ...o, protect: args.protect };
        const tags = { service: card.service };

        const signingKey = card.secrets.includes("INTERNAL_SVC_JWT_SIGNING_KEY")
            ? new random.RandomPassword(`${name}-jwt-signing-key`, { length: 64, special: false, keepers: { rotation: String(args.rotation.period) } }, { parent: this, provider: args.randomProvider })
            : undefined;
        const valueOf = (key: string): pulumi.Output<string> | undefined => {
            switch (key) {
                case "POSTGRES_URL": {
                    const pg = sources.postgres;
                    // IAM authentication: the password is a short-lived token the client generates; none in the URL.
                    return pg && pulumi.interpolate`postgresql://${dbUserOf(card.service)}@${pg.host}:${pg.port}/${pg.database}?sslmode=verify-full`;
                }
                case "REDIS_URL": {
                    const r = sources.redis;
                    // The service's own user (RBAC): its key prefix only.
                    return r && pulumi.interpolate`rediss://${r.userName}:${r.password}@${r.host}:${r.port}`;
                }
                case firehoseKey: {
                    // A passive region has no cluster until it is promoted: the producer stays off there.
                    const f = sources.firehose;
                    return f
                        ? pulumi.interpolate`${f.bootstrapBrokers}`.apply((b) => JSON.stringify({ bootstrapBrokers: b, auth: "AWS_MSK_IAM", tls: true, topics: f.topics }))
                        : pulumi.output(JSON.stringify({ disabled: "no analytics firehose in this region" }));
                }
                case cdnSigningKey:
                    // No CDN in this stack (data/cdn.ts): the service signs S3 presigned URLs instead.
                    return pulumi.output(JSON.stringify({ mode: "s3-presigned", urlTtlSeconds: 600 }));
                case "NATS_CREDS":
                    return sources.natsCredentials;
                case "INTERNAL_SVC_JWT_SIGNING_KEY":
                    return signingKey?.result;
                case "OTEL_EXPORTER_OTLP_ENDPOINT":
                    return pulumi.output(sources.otlpEndpoint);
                case "AI_GATEWAY_URL": {
                    const url = peerUrl(card, "ai-gateway-service");
                    return url === undefined ? undefined : pulumi.output(url);
                }
                default:
                    return undefined;
            }
        };

        const secretNames: Record<string, pulumi.Output<string>> = {};
        const secretArns: pulumi.Output<string>[] = [];
        const pending: string[] = [];
        const cdnBucket = args.cdn ? card.buckets.find((b) => b.cdn) : undefined;
        for (const key of card.secrets) {
            if (key === cdnSigningKey && cdnBucket) {
                continue;
            }
            // A value operations put: the tags say which switch governs it (the start-up check reads them).
            const feature = featureOfSecret(key);
            const secretTags = feature
                ? { ...tags, "value-source": "operations", "feature-switch": switchOf(feature.name), "feature-enabled": String(args.features[feature.name]) }
                : tags;
            const secret = new aws.secretsmanager.Secret(
                `${name}-${key.toLowerCase().replace(/_/g, "-")}`,
                { name: `${args.environment}/${card.service}/${key}`, description: `${card.service} ${key}`, kmsKeyId: args.secretsKeyArn, recoveryWindowInDays: args.secretRecoveryDays, tags: secretTags },
                keep,
            );
            secretNames[key] = secret.name;
            secretArns.push(secret.arn);
            const value = valueOf(key);
            if (value === undefined) {
                pending.push(key);
                continue;
            }
            new aws.secretsmanager.SecretVersion(`${name}-${key.toLowerCase().replace(/_/g, "-")}-value`, { secretId: secret.id, secretString: pulumi.secret(value) }, o);
        }
        this.valuesPending = pending;

        const bucketNames: Record<string, pulumi.Output<string>> = {};
        const bucketArns: pulumi.Output<string>[] = [];
        for (const spec of card.buckets) {
            const b = `${name}-${spec.purpose}`;
            const bucket = new aws.s3.Bucket(b, { bucket: bucketName(args.environment, args.region, card.service, spec.purpose, args.accountId), forceDestroy: !args.protect, tags: { ...tags, purpose: spec.purpose } }, keep);
            new aws.s3.BucketPublicAccessBlock(`${b}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o);
            new aws.s3.BucketOwnershipControls(`${b}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, o);
            new aws.s3.BucketVersioning(`${b}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, o);
            new aws.s3.BucketServerSideEncryptionConfiguration(
                `${b}-encryption`,
                { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.objectStorageKeyArn }, bucketKeyEnabled: true }] },
                o,
            );
            const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
                { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                { id: "noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
            ];
            if (spec.expireAfterDays > 0 || spec.coldAfterDays > 0) {
                rules.push({
                    id: "retention",
                    status: "Enabled",
                    filter: {},
                    expiration: spec.expireAfterDays > 0 ? { days: spec.expireAfterDays } : undefined,
                    transitions: spec.coldAfterDays > 0 ? [{ days: spec.coldAfterDays, storageClass: "GLACIER_IR" }] : undefined,
                });
            }
            new aws.s3.BucketLifecycleConfiguration(`${b}-lifecycle`, { bucket: bucket.id, rules }, o);
            // Who read or wrote what: S3 server access logs to the region's locked log bucket.
            bucketAccessLogging(`${b}-access-logs`, { id: bucket.id, name: bucket.bucket }, args.accessLogs, o);
            // The CDN (seed 002 §4–§5) reads this bucket through origin access control: its distribution only.
            const cdn =
                spec.cdn && args.cdn
                    ? new AuthoringCdn(
                          `${b}-cdn`,
                          {
                              service: card.service,
                              environment: args.environment,
                              region: args.region,
                              accountId: args.accountId,
                              domain: args.cdn.domain,
                              residency: args.cdn.residency,
                              bucketId: bucket.id,
                              bucketArn: bucket.arn,
                              bucketRegionalDomainName: bucket.bucketRegionalDomainName,
                              secretsKeyArn: args.secretsKeyArn,
                              secretRecoveryDays: args.secretRecoveryDays,
                              randomProvider: args.randomProvider,
                              edgeProvider: args.cdn.edgeProvider,
                              logRetentionDays: args.cdn.logRetentionDays,
                              protect: args.protect,
                          },
                          { parent: this, provider: opts.provider },
                      )
                    : undefined;
            if (cdn) {
                secretNames[cdnSigningKey] = cdn.signingSecret.name;
                secretArns.push(cdn.signingSecret.arn);
            }
            new aws.s3.BucketPolicy(
                `${b}-tls-only`,
                {
                    bucket: bucket.id,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                            ...(cdn
                                ? [
                                      {
                                          Sid: "CloudFrontOriginAccessControl",
                                          Effect: "Allow",
                                          Principal: { Service: "cloudfront.amazonaws.com" },
                                          Action: "s3:GetObject",
                                          Resource: pulumi.interpolate`${bucket.arn}/*`,
                                          Condition: { StringEquals: { "AWS:SourceArn": cdn.distribution.arn } },
                                      },
                                  ]
                                : []),
                        ],
                    }),
                },
                o,
            );
            bucketNames[spec.purpose] = bucket.bucket;
            bucketArns.push(bucket.arn);
        }

        // IRSA: exactly the workload's ServiceAccount; the External Secrets SecretStore uses it too.
        const serviceAccountName = card.service;
        const role = irsaRole(`${name}-role`, args.oidc, card.namespace, serviceAccountName, o);
        const statements: pulumi.Input<Record<string, unknown>>[] = [];
        if (secretArns.length > 0) {
            statements.push(
                { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArns },
                {
                    Sid: "DecryptOwnSecrets",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: [args.secretsKeyArn],
                    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } },
                },
            );
        }
        if (bucketArns.length > 0) {
            statements.push(
                { Sid: "ListOwnBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArns },
                { Sid: "OwnObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: bucketArns.map((arn) => pulumi.interpolate`${arn}/*`) },
                {
                    Sid: "ObjectKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: [args.objectStorageKeyArn],
                    Condition: { StringEquals: { "kms:ViaService": `s3.${args.region}.amazonaws.com` } },
                },
            );
        }
        if (sources.postgres && card.database) {
            statements.push({
                Sid: "ConnectAsOwnDbUser",
                Effect: "Allow",
                Action: "rds-db:connect",
                Resource: [pulumi.interpolate`arn:aws:rds-db:${args.region}:${args.accountId}:dbuser:${sources.postgres.proxyResourceId ?? sources.postgres.clusterResourceId}/${dbUserOf(card.service)}`],
            });
        }
        if (sources.firehose && card.secrets.includes(firehoseKey)) {
            const f = sources.firehose;
            statements.push(
                { Sid: "FirehoseConnect", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [f.clusterArn] },
                { Sid: "FirehoseWrite", Effect: "Allow", Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"], Resource: f.topics.map((t) => f.clusterArn.apply((arn) => topicArnOf(arn, t))) },
            );
        }
        if (statements.length > 0) {
            new aws.iam.RolePolicy(`${name}-role-policy`, { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) }, o);
        }

        // The reader URL has the writer's form (IAM authentication, verify-full): no credential, so plain config.
        const pg = sources.postgres;
        const databaseReadUrl = pg && card.database ? pulumi.interpolate`postgresql://${dbUserOf(card.service)}@${pg.readerHost}:${pg.port}/${pg.database}?sslmode=verify-full` : undefined;
        const config: Record<string, string> = {
            [rotationPeriodKey]: String(args.rotation.period),
            ...(sources.redis ? { REDIS_USER: sources.redis.userName } : {}),
            ...(sources.natsCredentials ? { NATS_INBOX_PREFIX: inboxPrefixOf(card.service), ...natsClientConfig } : {}),
        };
        this.binding = { service: card.service, namespace: card.namespace, serviceAccountName, roleArn: role.arn, secretNames, bucketNames, databaseReadUrl, config };
        this.registerOutputs({ roleArn: role.arn, secretNames });
    }
}
