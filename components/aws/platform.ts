import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { K8sServiceCard, NodePool, nodePools } from "../../data/catalog/types";
import { NodeGroupSize, nodeGroupSize } from "../../capacity/aws";
import { EnvironmentProfile } from "../../data/profiles";
import { AwsProfile, auroraEngineVersion, eksVersion, nodePoolLabel, redisEngineVersion } from "../../data/profiles/aws";
import { ResolvedReplicas } from "../../data/replicas";
import { RegionalPlatformHandle, ServiceBinding } from "../contracts";
import { PriorityClasses } from "../k8s/priority-classes";
import { standardTags } from "../../data/naming/tags";
import { AuroraDatabase, AuroraRole } from "./aurora";
import { AccessLogBucket } from "./access-logs";
import { Edge, gatewayName, gatewayNamespace } from "./edge";
import { EksCluster } from "./eks";
import { KmsKeys } from "./kms";
import { NatsJetStream, NatsUser, natsAccount, natsClientTlsSecret, natsStreamAdminTlsSecret } from "./nats";
import { CertManager } from "./cert-manager";
import { natsPermissionsOf, streamAdminPermissions, streamAdminUser } from "../../data/broker";
import { credentialRotationDays, masterPasswordRotationDays, rotationSlots } from "../../data/rotation";
import { DatabasePooler } from "./pooler";
import { AnalyticsFirehose } from "./msk";
import { firehoseProfiles, firehoseTopics } from "../../data/profiles/firehose";
import { poolerProfiles } from "../../data/profiles/pooler";
import { Network } from "./network";
import { ClusterAddons, monitorSelector, namespaces } from "./observability";
import { ServiceMesh } from "./mesh";
import { RedisCluster } from "./redis";
import { ServiceCloudResources, SecretSources, dbUserOf } from "./service-binding";
import { FeatureSwitches } from "../../data/catalog/features";
import { flagDefinitions, flagd, flagdDocument } from "../../data/flags";
import { Flagd } from "../k8s/flagd";
import { DnsRecordPlan } from "../../data/residency";
import { DataClass } from "./kms";

/** What another region's copies need from this region to live here (components/aws/region-copies.ts). */
export interface CopyHost {
    readonly region: string;
    readonly vpcId: pulumi.Output<string>;
    readonly isolatedSubnetIds: pulumi.Output<string>[];
    readonly zones: pulumi.Output<string[]>;
    /** The EKS cluster security group: after promotion its pods are the databases' clients. */
    readonly clientSecurityGroupId: pulumi.Output<string>;
    readonly keyArns: Readonly<Record<DataClass, pulumi.Output<string>>>;
}
import { ReleaseControllers, dbBootstrapAccess } from "./release";
import { JetStreamStreams } from "../k8s/jetstream";
import { LeafnodeHub, MirrorStreams, nlbDnsNames } from "../k8s/jetstream-mirror";
import { jetStreamDomainOf, leafPermissions, leafPrincipalOf, mirrorMaxBytes, mirrorStreamNameOf, withMirrorAdmin } from "../../data/jetstream-mirror";
import { streamProfiles, streamsOf } from "../../data/streams";

/** A service's Aurora global database, created by the active region for the passive one to join. */
export interface GlobalDatabaseRef {
    readonly globalClusterId: pulumi.Output<string>;
    /** The primary cluster and its writer: the secondary waits for them. */
    readonly primaryResources: readonly pulumi.Resource[];
}

export interface AwsRegionalPlatformArgs {
    /** Environment (dev, staging, prod): names, tags and sizing. */
    readonly environment: EnvironmentProfile["environment"];
    /** AWS account id of the stack. */
    readonly accountId: string;
    /** Owner label/tag value (stack config `owner`). */
    readonly owner: string;
    /** AWS region of this platform. */
    readonly region: string;
    /** Part this cluster plays (see `AuroraRole`). */
    readonly role: "active" | "passive";
    /** The stack's DNS zone. */
    readonly domain: string;
    /** The VPC's CIDR. */
    readonly vpcCidr: string;
    /** CIDRs allowed on the EKS public endpoint (empty: private only). */
    readonly apiAccessCidrs: readonly string[];
    /** Allowlisted third-party LRS sources for the xAPI ingest. */
    readonly lrsAllowCidrs: readonly string[];
    /** The EKS services of the catalog. */
    readonly cards: readonly K8sServiceCard[];
    /** Replica bounds per `service/role` after overrides. */
    readonly replicas: ResolvedReplicas;
    /** The environment profile (protection, retention). */
    readonly profile: EnvironmentProfile;
    /** The AWS sizing profile of the environment. */
    readonly awsProfile: AwsProfile;
    /** Active region of a stack with a passive region: make each database the primary of a global database. */
    readonly globalPrimary: boolean;
    /** Passive region: the global databases to join, by service. */
    readonly globalDatabases?: Readonly<Record<string, GlobalDatabaseRef>>;
    /** Suffix of the global cluster identifiers (`<service>-<env><suffix>`): a second home's global databases need their own. */
    readonly globalIdentifierSuffix?: string;
    /** Public DNS records this region answers (data/residency.ts `dnsPlan`). */
    readonly dnsRecords: readonly DnsRecordPlan[];
    /** Explicit provider of the `@pulumi/random` secrets (AUTH tokens, NATS users, signing keys). */
    readonly randomProvider: random.Provider;
    /** IAM role given cluster admin through an EKS access entry. */
    readonly adminRoleArn: string;
    /** Path prefix of the progress-service xAPI ingest, guarded at the WAF. */
    readonly xapiIngestPath: string;
    /** Switches of the features operations provide values for (data/catalog/features.ts). */
    readonly features: FeatureSwitches;
    /** flagd's image pinned by digest (stack config `images.flagd`). */
    readonly flagdImage: string;
    /** Deployment time (ms since the epoch): picks the credential rotation period (data/rotation.ts); default now. */
    readonly nowMs?: number;
    /** CDN-fronted buckets (authoring's drafts): the us-east-1 provider CloudFront's certificate and WAF need, and the residency zone. */
    readonly cdn?: { readonly edgeProvider: aws.Provider; readonly residency: string };
    /** Cross-region JetStream (data/jetstream-mirror.ts): an active region is the hub of its passive regions' leaf links; a passive region is a leaf. */
    readonly jetStreamLink?: JetStreamLinkArgs;
}

/** This region's side of the JetStream leaf links. */
export interface JetStreamLinkArgs {
    /** Hub: the passive regions that mirror this region's streams, and their VPC ranges. */
    readonly hub?: { readonly leafRegions: readonly string[]; readonly peerCidrs: readonly string[] };
    /** Leaf: the hub region, its leaf-node endpoint and CA, and the leaf principal's client URL at the hub (secret). */
    readonly leaf?: { readonly hubRegion: string; readonly hub: LeafnodeHubHandle };
}

/** What a hub platform hands its leaf regions. */
export interface LeafnodeHubHandle {
    /** `host:7422` of the internal NLB. */
    readonly endpoint: pulumi.Output<string>;
    readonly caPem: pulumi.Output<string>;
    /** Per leaf region: its principal's client URL (user and password, secret). */
    readonly credentials: Readonly<Record<string, pulumi.Output<string>>>;
}

/** Validates the composition's inputs; pure. */
export function validatePlatformArgs(args: Pick<AwsRegionalPlatformArgs, "role" | "globalDatabases" | "cards" | "globalPrimary">): string[] {
    const problems: string[] = [];
    if (args.role === "passive") {
        for (const card of args.cards.filter((c) => c.database)) {
            if (!args.globalDatabases?.[card.service]) {
                problems.push(`passive region: no global database of ${card.service} to join (the active region must be deployed first, with globalPrimary)`);
            }
        }
    }
    if (args.role === "passive" && args.globalPrimary) {
        problems.push("a passive region cannot be a global primary");
    }
    return problems;
}

/**
 * One AWS region of a stack: network, keys, EKS with its node pools and add-ons, the data services
 * (Aurora per service, Redis, NATS), the edge, observability, and each service's cloud resources.
 */
export class AwsRegionalPlatform extends pulumi.ComponentResource {
    readonly handle: RegionalPlatformHandle;
    readonly clusterName: pulumi.Output<string>;
    readonly clusterEndpoint: pulumi.Output<string>;
    readonly albDnsName: pulumi.Output<string>;
    /** The region's cosign signing key (KMS, ECC P-256): the release signs every image with it. */
    readonly signingKeyArn: pulumi.Output<string>;
    readonly databases: Readonly<Record<string, AuroraDatabase>>;
    readonly globalDatabases: Readonly<Record<string, GlobalDatabaseRef>>;
    readonly redisEndpoint?: pulumi.Output<string>;
    /** The analytics firehose's MSK cluster (active regions of stacks whose cards feed analytics-service). */
    readonly firehose?: AnalyticsFirehose;
    readonly nodeGroupSizes: Readonly<Record<NodePool, NodeGroupSize>>;
    /** Secret keys created without a value (no source here): operations sets them. */
    readonly secretsPendingValues: Readonly<Record<string, readonly string[]>>;
    /** The region's VPC, for the cross-cloud VPN (components/interconnect). */
    readonly network: { readonly vpcId: pulumi.Output<string>; readonly cidr: string; readonly privateRouteTableIds: readonly pulumi.Output<string>[] };
    /** Where other regions' copies (headless Aurora secondaries, replicated objects) can live in this region. */
    readonly copyHost: CopyHost;
    /** The JetStream leaf-node hub of an active region with passive regions. */
    readonly leafnodeHub?: LeafnodeHubHandle;

    constructor(name: string, args: AwsRegionalPlatformArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:RegionalPlatform", name, {}, opts);
        const problems = validatePlatformArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid platform arguments for ${args.region}:\n  - ${problems.join("\n  - ")}`, this);
        }
        const provider = opts.provider;
        const p = { parent: this, provider };
        const { profile, awsProfile: ap } = args;
        const protect = profile.protectState;
        const secretRecoveryDays = protect ? 30 : 7;
        const clusterName = `learning-${args.environment}-${args.region}`;
        const labels = standardTags({ environment: args.environment, owner: args.owner, service: "platform" });

        const kms = new KmsKeys(`${name}-kms`, { accountId: args.accountId, region: args.region, deletionWindowDays: profile.kmsDeletionWindowDays, protect, aliasPrefix: `learning-${args.environment}` }, p);
        const net = new Network(
            `${name}-net`,
            { region: args.region, cidr: args.vpcCidr, natGateways: ap.natGateways, clusterName, logsKeyArn: kms.arns.logs, logRetentionDays: profile.logRetentionDays },
            p,
        );

        this.network = { vpcId: net.vpcId, cidr: net.cidr, privateRouteTableIds: net.privateRouteTableIds };
        // ALB and S3 server access logs of this region, kept for the environment's log retention.
        const accessLogs = new AccessLogBucket(
            `${name}-access-logs`,
            { environment: args.environment, region: args.region, accountId: args.accountId, retentionDays: profile.logRetentionDays, protect },
            p,
        );

        const sizes = Object.fromEntries(nodePools.map((pool) => [pool, nodeGroupSize(pool, args.cards, args.replicas, ap)])) as Record<NodePool, NodeGroupSize>;
        this.nodeGroupSizes = sizes;
        const eks = new EksCluster(
            `${name}-eks`,
            {
                accountId: args.accountId,
                region: args.region,
                clusterName,
                version: eksVersion,
                vpcId: net.vpcId,
                privateSubnetIds: net.privateSubnetIds,
                apiAccessCidrs: args.apiAccessCidrs,
                clusterSecretsKeyArn: kms.arns["cluster-secrets"],
                volumesKeyArn: kms.arns.volumes,
                logsKeyArn: kms.arns.logs,
                logRetentionDays: profile.logRetentionDays,
                adminRoleArn: args.adminRoleArn,
                nodeGroups: sizes,
                nodePoolLabel,
                labels,
                retainVolumes: protect,
                protect,
            },
            p,
        );
        this.clusterName = eks.clusterName;
        this.clusterEndpoint = eks.endpoint;
        const k8sProvider = eks.k8sProvider;

        const addons = new ClusterAddons(
            `${name}-addons`,
            {
                environment: args.environment,
                region: args.region,
                clusterName: eks.clusterName,
                oidc: eks.oidc,
                nodePoolLabel,
                labels,
                storageClassName: eks.storageClassName,
                prometheusReplicas: ap.platformComponents.find((c) => c.name === "kube-prometheus-stack/prometheus")?.replicas ?? 1,
                otelReplicas: ap.platformComponents.find((c) => c.name === "opentelemetry-collector")?.replicas ?? 1,
                prometheusRetentionDays: Math.min(profile.logRetentionDays, 15),
                logsKeyArn: kms.arns.logs,
                logRetentionDays: profile.logRetentionDays,
                after: eks.ready,
            },
            { parent: this, provider: k8sProvider, awsProvider: provider },
        );

        // Istio ambient: mTLS between every enrolled namespace (seeds/000 §6 "from peer services via mesh").
        const mesh = new ServiceMesh(
            `${name}-mesh`,
            {
                nodePoolLabel,
                labels,
                istiodReplicas: ap.platformComponents.find((c) => c.name === "istiod")?.replicas ?? 1,
                after: eks.ready,
            },
            { parent: this, provider: k8sProvider },
        );

        // Cluster-scoped, so the platform (not a workload) owns them; workloads pick theirs by criticality.
        const priorities = new PriorityClasses(`${name}-priorities`, { environment: args.environment, owner: args.owner }, { parent: this, provider: k8sProvider });

        // The in-cluster flag service: the cards' flags with this environment's defaults (data/flags.ts).
        const flags = new Flagd(
            `${name}-flagd`,
            {
                image: args.flagdImage,
                flags: flagdDocument(flagDefinitions(args.cards, args.environment, args.features)),
                replicas: flagd.replicas[args.environment],
                nodePoolLabel,
                clientNamespaces: args.cards.map((c) => c.namespace),
                monitoringNamespace: namespaces.monitoring,
                labels,
                priorityClassName: priorities.names.critical,
                monitorLabels: monitorSelector,
                after: [addons.prometheus],
            },
            // The pods are admitted only once their PriorityClass exists.
            { parent: this, provider: k8sProvider, dependsOn: [...eks.ready, priorities] },
        );

        // The cluster's private PKI (cert-manager): NATS server, route and client certificates.
        const certManager = new CertManager(
            `${name}-cert-manager`,
            {
                namespace: "cert-manager",
                caCommonName: `${clusterName} platform CA`,
                replicas: ap.platformComponents.find((c) => c.name === "cert-manager/controller")?.replicas ?? 1,
                nodePoolLabel,
                labels,
                monitorLabels: monitorSelector,
                after: [...eks.ready, addons.prometheus],
            },
            { parent: this, provider: k8sProvider },
        );
        // Program-rotated credentials (NATS, ElastiCache users, signing keys): the period of this deployment.
        const rotation = rotationSlots(args.nowMs ?? Date.now(), credentialRotationDays[args.environment]);

        const link = args.jetStreamLink;
        const streams = streamsOf(args.cards);
        const domain = jetStreamDomainOf(args.region);
        const leafUsers: NatsUser[] = (link?.hub?.leafRegions ?? []).map((leaf) => ({ service: leafPrincipalOf(leaf), ...leafPermissions(domain, leaf, streams.map((s) => s.name)) }));
        const natsUsers: NatsUser[] = [
            ...args.cards.filter((c) => c.outbound.some((d) => d.kind === "nats")).map((c) => ({ service: c.service, ...natsPermissionsOf(c) })),
            ...leafUsers,
        ];
        const leafLink = link?.leaf;
        const leafUrl = leafLink
            ? pulumi.secret(
                  pulumi.all([leafLink.hub.credentials[args.region], leafLink.hub.endpoint]).apply(([c, endpoint]) => {
                      const u = new URL(c);
                      return `tls://${u.username}:${u.password}@${endpoint}`;
                  }),
              )
            : undefined;
        const nats = new NatsJetStream(
            `${name}-nats`,
            {
                namespace: "nats",
                randomProvider: args.randomProvider,
                replicas: ap.nats.replicas,
                storageSize: ap.nats.storageSize,
                storageClassName: eks.storageClassName,
                resources: ap.nats,
                users: natsUsers,
                streamAdmin: withMirrorAdmin(streamAdminPermissions(), leafLink ? streams.map((s) => mirrorStreamNameOf(s.name)) : []),
                rotation,
                caIssuer: certManager.caIssuer,
                environment: args.environment,
                secretsKeyArn: kms.arns.secrets,
                secretRecoveryDays,
                protect,
                nodePoolLabel,
                labels,
                monitorLabels: monitorSelector,
                after: [...eks.ready, addons.prometheus],
                leafnodes: link
                    ? { domain, hub: link.hub ? { dnsNames: nlbDnsNames(args.region) } : undefined, leaf: leafLink && leafUrl ? { url: leafUrl, hubCaPem: leafLink.hub.caPem } : undefined }
                    : undefined,
            },
            { parent: this, provider: k8sProvider, awsProvider: provider },
        );
        if (link?.hub) {
            const hub = new LeafnodeHub(
                `${name}-leafnode-hub`,
                { region: args.region, namespace: "nats", peerCidrs: link.hub.peerCidrs, vpcCidr: args.vpcCidr, accessLogBucket: accessLogs.bucketName, labels, after: [nats.release] },
                { parent: this, provider: k8sProvider },
            );
            this.leafnodeHub = { endpoint: hub.endpoint, caPem: hub.caPem, credentials: Object.fromEntries(link.hub.leafRegions.map((l) => [l, nats.credentials[leafPrincipalOf(l)]])) };
        }

        // Every stream the cards publish to, declared through NACK (components/k8s/jetstream.ts).
        const jetStream = new JetStreamStreams(
            `${name}-jetstream`,
            {
                environment: args.environment,
                namespace: "nats",
                natsUrl: nats.url,
                // NACK logs in as the stream-admin principal (creates and updates the declared streams, never deletes),
                // with the stream-admin client certificate NATS verifies (issue 11: TLS on every client connection).
                controllerCredentials: nats.credentials[streamAdminUser],
                clientTlsSecretName: natsStreamAdminTlsSecret,
                streams,
                profile: streamProfiles[args.environment],
                nodePoolLabel,
                labels,
                protect,
                after: [nats.release, addons.externalSecrets, nats.streamAdminCertificate],
                login: { awsProvider: provider, region: args.region, environment: args.environment, oidc: eks.oidc, secretsKeyArn: kms.arns.secrets, recoveryDays: secretRecoveryDays },
            },
            { parent: this, provider: k8sProvider },
        );
        // A passive region mirrors every stream of its hub over the leaf link (seed 000 §9 RPO).
        if (leafLink) {
            new MirrorStreams(
                `${name}-jetstream-mirrors`,
                { namespace: "nats", streams, profile: streamProfiles[args.environment], maxBytes: mirrorMaxBytes[args.environment], hubDomain: jetStreamDomainOf(leafLink.hubRegion), region: args.region, labels, protect, after: [jetStream] },
                { parent: this, provider: k8sProvider },
            );
        }

        const needsRedis = args.cards.some((c) => c.outbound.some((d) => d.kind === "redis"));
        const redis = needsRedis
            ? new RedisCluster(
                  `${name}-redis`,
                  {
                      environment: args.environment,
                      region: args.region,
                      engineVersion: redisEngineVersion,
                      randomProvider: args.randomProvider,
                      nodeType: ap.redis.nodeType,
                      shards: ap.redis.shards,
                      replicasPerShard: ap.redis.replicasPerShard,
                      vpcId: net.vpcId,
                      isolatedSubnetIds: net.isolatedSubnetIds,
                      clientSecurityGroupId: eks.clusterSecurityGroupId,
                      cacheKeyArn: kms.arns.cache,
                      logsKeyArn: kms.arns.logs,
                      logRetentionDays: profile.logRetentionDays,
                      snapshotRetentionDays: ap.redis.snapshotRetentionDays,
                      snapshotWindow: ap.redis.snapshotWindow,
                      maintenanceWindow: ap.redis.maintenanceWindow,
                      protect,
                      services: args.cards.filter((c) => c.outbound.some((d) => d.kind === "redis")).map((c) => c.service),
                      rotation,
                  },
                  p,
              )
            : undefined;
        this.redisEndpoint = redis?.configurationEndpoint;

        const databases: Record<string, AuroraDatabase> = {};
        const poolers: Record<string, DatabasePooler> = {};
        const globals: Record<string, GlobalDatabaseRef> = {};
        for (const card of args.cards) {
            if (!card.database) {
                continue;
            }
            const role: AuroraRole = args.role === "passive" ? "global-secondary" : args.globalPrimary ? "global-primary" : "standalone";
            const joining = args.globalDatabases?.[card.service];
            // The pooler fronts a writer: a passive region's read-only secondary gets one when it is promoted (README).
            const pooled = card.database.pooled === true && role !== "global-secondary";

            const db = new AuroraDatabase(
                `${name}-${card.service}-db`,
                {
                    service: card.service,
                    randomProvider: args.randomProvider,
                    environment: args.environment,
                    databaseName: card.database.name,
                    role,
                    globalClusterId: joining?.globalClusterId,
                    primaryResources: joining?.primaryResources,
                    engineVersion: auroraEngineVersion,
                    instanceClass: ap.aurora.instanceClass,
                    readers: card.database.readers[args.environment],
                    maxConnections: ap.aurora.maxConnections,
                    vpcId: net.vpcId,
                    isolatedSubnetIds: net.isolatedSubnetIds,
                    zones: net.zones,
                    clientSecurityGroupId: eks.clusterSecurityGroupId,
                    pooler: pooled ? { vpcCidr: args.vpcCidr } : undefined,
                    databaseKeyArn: kms.arns.database,
                    secretsKeyArn: kms.arns.secrets,
                    backupRetentionDays: profile.backupRetentionDays,
                    backupWindow: ap.aurora.backupWindow,
                    maintenanceWindow: ap.aurora.maintenanceWindow,
                    performanceInsightsRetentionDays: ap.aurora.performanceInsightsRetentionDays,
                    logsKeyArn: kms.arns.logs,
                    logRetentionDays: profile.logRetentionDays,
                    protect,
                    secretRecoveryDays,
                    // A global primary's master secret rotates by Secrets Manager (RDS-managed passwords are not available to global databases).
                    masterRotation: { vpcCidr: args.vpcCidr, region: args.region, intervalDays: masterPasswordRotationDays },
                    globalIdentifier: role === "global-primary" && args.globalIdentifierSuffix ? `${card.service}-${args.environment}${args.globalIdentifierSuffix}` : undefined,
                },
                p,
            );
            databases[card.service] = db;
            if (db.poolerSecurityGroupId) {
                poolers[card.service] = new DatabasePooler(
                    `${name}-${card.service}-pooler`,
                    {
                        service: card.service,
                        environment: args.environment,
                        region: args.region,
                        accountId: args.accountId,
                        clusterIdentifier: db.cluster.clusterIdentifier,
                        clusterResourceId: db.clusterResourceId,
                        dbUsers: [dbUserOf(card.service)],
                        subnetIds: net.isolatedSubnetIds,
                        securityGroupId: db.poolerSecurityGroupId,
                        profile: poolerProfiles[args.environment],
                        logsKeyArn: kms.arns.logs,
                        logRetentionDays: profile.logRetentionDays,
                        after: [...db.instances.slice(0, 1)],
                    },
                    p,
                );
            }
            if (db.globalCluster) {
                globals[card.service] = { globalClusterId: db.globalCluster.id, primaryResources: [db.cluster, ...db.instances.slice(0, 1)] };
            }
        }
        this.databases = databases;

        // Seed 003 §8: the analytics firehose, where a card feeds analytics-service (progress).
        const feedsAnalytics = args.cards.some((c) => c.outbound.some((d) => d.kind === "service" && d.name === "analytics-service"));
        if (args.role === "active" && feedsAnalytics) {
            this.firehose = new AnalyticsFirehose(
                `${name}-firehose`,
                {
                    environment: args.environment,
                    region: args.region,
                    vpcId: net.vpcId,
                    vpcCidr: args.vpcCidr,
                    subnetIds: net.privateSubnetIds,
                    clientSecurityGroupId: eks.clusterSecurityGroupId,
                    keyArn: kms.arns.database,
                    logsKeyArn: kms.arns.logs,
                    logRetentionDays: profile.logRetentionDays,
                    profile: firehoseProfiles[args.environment],
                    protect,
                },
                p,
            );
        }
        this.globalDatabases = globals;

        const edge = new Edge(
            `${name}-edge`,
            {
                environment: args.environment,
                region: args.region,
                regionRole: args.role,
                dnsRecords: args.dnsRecords,
                domain: args.domain,
                clusterName: eks.clusterName,
                vpcId: net.vpcId,
                vpcCidr: net.cidr,
                publicSubnetIds: net.publicSubnetIds,
                clusterSecurityGroupId: eks.clusterSecurityGroupId,
                oidc: eks.oidc,
                nodePoolLabel,
                labels,
                envoyReplicas: ap.platformComponents.find((c) => c.name === "envoy-gateway/proxy")?.replicas ?? 2,
                lrsAllowCidrs: args.lrsAllowCidrs,
                xapiIngestPath: args.xapiIngestPath,
                perTenantLimit: ap.waf.perTenantLimit,
                perUserLimit: ap.waf.perUserLimit,
                logsKeyArn: kms.arns.logs,
                logRetentionDays: profile.logRetentionDays,
                protect,
                accessLogs,
                after: [...eks.ready, addons.prometheus],
            },
            { parent: this, provider: k8sProvider, awsProvider: provider },
        );
        this.albDnsName = edge.albDnsName;
        this.copyHost = { region: args.region, vpcId: net.vpcId, isolatedSubnetIds: net.isolatedSubnetIds, zones: net.zones, clientSecurityGroupId: eks.clusterSecurityGroupId, keyArns: kms.arns };

        // Release safety (issue 12): Flagger + the signature-verifying admission controller with the region's signing key.
        const release = new ReleaseControllers(
            `${name}-release`,
            {
                environment: args.environment,
                region: args.region,
                oidc: eks.oidc,
                nodePoolLabel,
                labels,
                prometheusUrl: addons.prometheusUrl,
                deletionWindowDays: profile.kmsDeletionWindowDays,
                protect,
                after: [...eks.ready, addons.prometheus, addons.keda, ...edge.crdReleases],
            },
            { parent: this, provider: k8sProvider, awsProvider: provider },
        );
        this.signingKeyArn = release.signingKeyArn;

        const bindings: Record<string, ServiceBinding> = {};
        const pending: Record<string, readonly string[]> = {};
        for (const card of args.cards) {
            const db = databases[card.service];
            const sources: SecretSources = {
                postgres:
                    db && card.database
                        ? poolers[card.service]
                            ? { host: poolers[card.service].endpoint, readerHost: db.readerEndpoint, port: poolers[card.service].port, database: card.database.name, clusterResourceId: db.clusterResourceId, proxyResourceId: poolers[card.service].proxyResourceId }
                            : { host: db.writerEndpoint, readerHost: db.readerEndpoint, port: db.port, database: card.database.name, clusterResourceId: db.clusterResourceId }
                        : undefined,
                redis: redis?.users[card.service] ? { host: redis.configurationEndpoint, port: redis.port, ...redis.users[card.service] } : undefined,
                firehose:
                    this.firehose && card.outbound.some((d) => d.kind === "service" && d.name === "analytics-service")
                        ? { bootstrapBrokers: this.firehose.bootstrapBrokers, clusterArn: this.firehose.cluster.arn, topics: firehoseTopics }
                        : undefined,
                natsCredentials: nats.credentials[card.service],
                otlpEndpoint: addons.otlpEndpoint,
            };
            const svc = new ServiceCloudResources(
                `${name}-${card.service}`,
                {
                    card,
                    randomProvider: args.randomProvider,
                    environment: args.environment,
                    region: args.region,
                    accountId: args.accountId,
                    oidc: eks.oidc,
                    secretsKeyArn: kms.arns.secrets,
                    objectStorageKeyArn: kms.arns["object-storage"],
                    sources,
                    features: args.features,
                    protect,
                    secretRecoveryDays,
                    accessLogs,
                    rotation,
                    cdn: args.cdn && { edgeProvider: args.cdn.edgeProvider, domain: args.domain, residency: args.cdn.residency, logRetentionDays: profile.logRetentionDays },
                },
                p,
            );
            // Release (issue 12): where this region's database has a writer, the one-time bootstrap may read its master secret.
            const master = args.role === "active" ? db?.masterSecretArn : undefined;
            bindings[card.service] = master
                ? { ...svc.binding, dbBootstrap: dbBootstrapAccess(`${name}-${card.service}-db-bootstrap`, { oidc: eks.oidc, region: args.region, namespace: card.namespace, masterSecretArn: master, secretsKeyArn: kms.arns.secrets, dbUser: dbUserOf(card.service) }, { parent: release, provider }) }
                : svc.binding;
            pending[card.service] = svc.valuesPending;
        }
        this.secretsPendingValues = pending;

        this.handle = {
            region: args.region,
            role: args.role,
            k8sProvider,
            cluster: {
                gatewayNamespace,
                gatewayName,
                monitoringNamespace: namespaces.monitoring,
                serviceMonitorSelector: monitorSelector,
                prometheusUrl: addons.prometheusUrl,
                natsNamespace: "nats",
                natsUrl: nats.url,
                natsMonitoringEndpoint: nats.monitoringEndpoint,
                natsAccount: natsAccount,
                natsTls: { issuerName: certManager.caIssuerName, secretName: natsClientTlsSecret },
                priorityClassNames: priorities.names,
                objectStorageCidrs: net.s3Cidrs,
                otelNamespace: namespaces.platform,
                nodePoolLabel,
                vpcCidr: args.vpcCidr,
                flags: { namespace: flagd.namespace, host: flags.host, port: flagd.evaluationPort },
            },
            bindings,
            crdsReady: [addons.prometheus, addons.keda, addons.externalSecrets, ...edge.crdReleases, nats.release, ...mesh.releases, certManager.caIssuer, ...release.releases],
        };
        this.registerOutputs({ clusterName: this.clusterName, clusterEndpoint: this.clusterEndpoint, albDnsName: this.albDnsName });
    }
}
