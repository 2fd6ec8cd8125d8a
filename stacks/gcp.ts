import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cloudRunServices } from "../data/catalog";
import { subjectOfKey } from "../data/catalog/notification";
import { CloudRunServiceCard } from "../data/catalog/types";
import { CostGuardrails } from "../components/gcp/budget";
import { isBackground } from "../components/gcp/cloudrun";
import { Edge } from "../components/gcp/edge";
import { Identities } from "../components/gcp/identities";
import { CmekKey } from "../components/gcp/kms";
import { bucketName, dualRegionLocation, internalAudienceOf, internalHostOf, secretId, unitOf } from "../data/naming/gcp";
import { PeerCallerIdentities } from "../components/gcp/peer-identity";
import { Network } from "../components/gcp/network";
import { ProjectServices } from "../components/gcp/project";
import { PubSub } from "../components/gcp/pubsub";
import { RegionalPlatform } from "../components/gcp/regional-platform";
import { Secrets } from "../components/gcp/secrets";
import { AccessLogBucket, NotificationBucket } from "../components/gcp/storage";
import { gcsLogWriterGroup } from "../data/log-delivery";
import { releaseRunbookAnchor, runbookUrl } from "../data/catalog/observability";
import { ServiceSlos } from "../components/gcp/slo";
import { standardLabels } from "../data/naming/tags";
import { DeployContext } from "../data/context";
import { GcpHandle } from "./interconnect";
import { GcpProfile, gcpProfiles } from "../data/profiles/gcp";
import { CloudDeployRelease, ImageAdmission } from "../components/gcp/release";

/** One explicit GCP provider per region: the stack's project, default labels (incl. residency). */
export function gcpProvider(ctx: DeployContext, region: string): gcp.Provider {
    const { config } = ctx;
    return new gcp.Provider(`gcp-${region}`, {
        project: config.gcp.project,
        region,
        // Budgets and API enablement are billed/quota'd against the stack's own project.
        billingProject: config.gcp.project,
        userProjectOverride: true,
        defaultLabels: {
            ...standardLabels({ environment: config.environment, owner: config.owner, service: "notification-service" }),
            residency: config.residency,
        },
    });
}

/** Where the service's bucket lives: a configurable dual-region in prod where the zone has one. */
export function bucketPlacement(profile: GcpProfile, active: string, dr: string | undefined): { location: string; dataLocations?: string[]; kmsLocation: string } {
    const dual = profile.dualRegionBucket && dr ? dualRegionLocation(active, dr) : undefined;
    if (dual && dr) {
        return { location: dual.location, dataLocations: [active.toUpperCase(), dr.toUpperCase()], kmsLocation: dual.kmsLocation };
    }
    return { location: active.toUpperCase(), kmsLocation: active };
}

interface StackShared {
    readonly ctx: DeployContext;
    readonly profile: GcpProfile;
    readonly providers: Readonly<Record<string, gcp.Provider>>;
    readonly global: gcp.Provider;
    readonly randomProvider: random.Provider;
    readonly project: ProjectServices;
    readonly network: Network;
    /** The EKS callers' GCP identities (absent: no card names an inbound caller). */
    readonly peers?: PeerCallerIdentities;
    /** The project's Binary Authorization policy: Cloud Run services are created after it. */
    readonly admission: ImageAdmission;
}

/** Per role of a card's `inbound`: its callers' service account emails (the role's only peer invokers). */
export function peerInvokersOf(card: CloudRunServiceCard, emails: Readonly<Record<string, pulumi.Input<string>>>): Record<string, pulumi.Input<string>[]> {
    const invokers: Record<string, pulumi.Input<string>[]> = {};
    for (const i of card.inbound) {
        const email = emails[i.service];
        if (email === undefined) {
            throw new Error(`${card.service}: inbound caller ${i.service} has no service account`);
        }
        (invokers[i.role] ??= []).push(email);
    }
    return invokers;
}

function deployCard(
    card: CloudRunServiceCard,
    s: StackShared,
): { outputs: Record<string, pulumi.Input<unknown>>; internalIps: Readonly<Record<string, pulumi.Output<string>>>; certValidation: Edge["internalCertValidation"] } {
    const { ctx, profile, providers, project, network } = s;
    const { config } = ctx;
    const env = config.environment;
    const unit = unitOf(card.service);
    const protect = ctx.profile.protectState;
    const labels = { app: unit };
    const regions = config.gcp.regions;
    const active = regions.filter((r) => r.role === "active");
    const dr = regions.find((r) => r.role === "dr");
    const primary = active[0].region;

    // One CMEK key per region, used by every regional resource and replica there.
    const keys: Record<string, CmekKey> = {};
    for (const r of regions) {
        keys[r.region] = new CmekKey(`${unit}-kms-${r.region}`, {
            location: r.region,
            keyRingName: `melmastoon-${unit}-${env}-${r.region}`,
            keyName: `${unit}-data-${r.region}`,
            encrypters: project.agentEmails,
            protect,
            provider: providers[r.region],
        });
    }

    const secrets = new Secrets(
        `${unit}-secrets`,
        {
            unit,
            environment: env,
            purposes: card.secretPurposes,
            replicas: regions.map((r) => ({ region: r.region, keyId: keys[r.region].keyId })),
            protect,
            labels,
            provider: s.global,
            dependsOn: regions.flatMap((r) => keys[r.region].grants),
        },
        { providers: [s.randomProvider] },
    );
    const globalPurposes = new Set(card.secretPurposes.filter((p) => p.source !== "provider").map((p) => p.purpose));
    const secretAccess: Record<string, string[]> = {};
    for (const role of card.roles) {
        secretAccess[role.name] = role.secrets.filter((p) => globalPurposes.has(p));
    }
    secretAccess["pgbouncer"] = ["db-app-password"];
    // The migration job's identity: the migrator's password only (components/gcp/migration.ts).
    secretAccess["migrate"] = ["db-migrator-password"];
    // Vendor credentials are per tenant and read at run time (never mounted): each role reads its vendors' prefix.
    const prefixAccess: Record<string, string[]> = {};
    for (const role of card.roles) {
        const vendors = card.secretPurposes.filter((p) => p.source === "vendor" && role.secrets.includes(p.purpose)).map((p) => p.vendor ?? p.purpose);
        if (vendors.length > 0) {
            prefixAccess[role.name] = vendors.map((v) => `${secretId([unit, env, "vendor", v])}--`);
        }
    }
    const identities = new Identities(`${unit}-identities`, {
        project: config.gcp.project,
        unit,
        identities: [...card.roles.map((r) => r.name), "pgbouncer", "pubsub-push", "migrate"],
        // PgBouncer and the push identity run no application code: no telemetry grants.
        telemetry: card.roles.map((r) => r.name),
        secretAccess,
        secretIds: secrets.ids,
        prefixAccess,
        projectNumber: project.projectNumber,
        // The vendor-template store is the same bucket (no separate one exists), so these are all its signers.
        signers: card.urlSigners ?? [],
        provider: s.global,
    });

    const publishers: Record<string, pulumi.Input<string>[]> = {};
    for (const role of card.roles) {
        for (const key of role.publishes) {
            (publishers[subjectOfKey(key)] ??= []).push(identities.emails[role.name]);
        }
    }
    const pubsub = new PubSub(`${unit}-pubsub`, {
        topics: card.topics,
        consumers: card.roles.filter((r) => r.consumes.length > 0).map((r) => r.name),
        publishers,
        storageRegions: regions.map((r) => r.region),
        keyId: keys[primary].keyId,
        pubsubAgentEmail: project.agentEmails.pubsub,
        labels,
        provider: s.global,
        dependsOn: keys[primary].grants,
    });

    const placement = bucketPlacement(profile, primary, dr?.region);
    const bucketKey =
        placement.kmsLocation === primary
            ? keys[primary]
            : new CmekKey(`${unit}-kms-${placement.kmsLocation}`, {
                  location: placement.kmsLocation,
                  keyRingName: `melmastoon-${unit}-${env}-${placement.kmsLocation}`,
                  keyName: `${unit}-data-${placement.kmsLocation}`,
                  encrypters: { storage: project.agentEmails.storage },
                  protect,
                  provider: s.global,
              });
    const accessLogs = new AccessLogBucket(`${unit}-access-logs`, {
        bucketName: `${bucketName(unit, env, config.residency)}-access-logs`,
        location: placement.location,
        dataLocations: placement.dataLocations,
        keyId: bucketKey.keyId,
        retentionDays: ctx.profile.logRetentionDays,
        protect,
        writerGroup: gcsLogWriterGroup,
        labels,
        provider: s.global,
        dependsOn: bucketKey.grants,
    });
    const bucket = new NotificationBucket(`${unit}-assets`, {
        bucketName: bucketName(unit, env, config.residency),
        location: placement.location,
        dataLocations: placement.dataLocations,
        keyId: bucketKey.keyId,
        // Request-serving roles render, store and sign asset URLs; background loops never touch objects.
        objectUsers: card.roles.filter((r) => !isBackground(r)).map((r) => identities.emails[r.name]),
        protect,
        labels,
        provider: s.global,
        dependsOn: bucketKey.grants,
        accessLogBucket: accessLogs.bucketName,
    });
    const platforms: Record<string, RegionalPlatform> = {};
    regions.forEach((r, index) => {
        const drKey = dr && r.role === "active" ? keys[dr.region] : undefined;
        platforms[r.region] = new RegionalPlatform(`${unit}-${r.region}`, {
            card,
            environment: env,
            project: config.gcp.project,
            region: r.region,
            role: r.role,
            index,
            profile,
            protect,
            labels,
            provider: providers[r.region],
            network: network.network,
            privateServiceRangeName: network.privateServiceRangeName,
            privateServiceConnection: network.privateServiceConnection,
            key: { keyId: keys[r.region].keyId, grants: keys[r.region].grants },
            agents: project.agentEmails,
            dr: dr && drKey ? { region: dr.region, keyId: drKey.keyId, grants: drKey.grants, provider: providers[dr.region] } : undefined,
            secrets,
            identities,
            pubsub,
            bucketName: bucket.bucketName,
            instances: ctx.replicas,
            image: config.images[card.imageKey],
            pgbouncerImage: config.images["pgbouncer"],
            multiActive: active.length > 1,
            peers: s.peers && card.inbound.length > 0 ? { invokers: peerInvokersOf(card, s.peers.emails), audience: internalAudienceOf(card.service, config.domain) } : undefined,
        }, { dependsOn: [s.admission.policy] });
    });

    const edge = new Edge(`${unit}-edge`, {
        unit,
        environment: env,
        publicHost: `notify.${config.domain}`,
        internalHost: internalHostOf(card.service, config.domain),
        regions: active.map((r) => {
            const p = platforms[r.region];
            const proxyOnly = p.network.proxyOnly;
            if (!p.apiServiceName || !p.internalServiceName || !proxyOnly) {
                throw new Error(`active region ${r.region} has no API service, peers' entry or proxy-only subnet`);
            }
            return {
                region: r.region,
                apiServiceName: p.apiServiceName,
                internalServiceName: p.internalServiceName,
                provider: providers[r.region],
                subnetId: p.network.subnet.id,
                proxyOnlySubnet: proxyOnly,
            };
        }),
        vendors: card.webhookVendors,
        networkId: network.networkId,
        labels,
        provider: s.global,
    });

    // SLOs, burn-rate alerts, the card's named alerts and the dashboard (issue 13).
    new ServiceSlos(`${unit}-slo`, { card, project: config.gcp.project, unit, regions: active.map((r) => r.region), labels, provider: s.global, dependsOn: Object.values(platforms) });
    // Release (issue 12): the Cloud Deploy pipeline with the document's canary and rollback conditions.
    const apiServiceName = `${unit}-${card.roles.find((r) => r.ingress === "load-balancer")?.name ?? card.roles[0].name}`;
    const release = new CloudDeployRelease(`${unit}-release`, {
        project: config.gcp.project,
        runbookUrl: runbookUrl(card, releaseRunbookAnchor),
        projectNumber: project.projectNumber,
        environment: env,
        region: primary,
        activeRegions: active.map((r) => r.region),
        apiServiceName,
        publicHost: `notify.${config.domain}`,
        healthPath: card.healthPath,
        runtimeServiceAccounts: card.roles.map((r) => identities.emails[r.name]),
        unit,
        provider: s.global,
        dependsOn: project.apis,
    });

    const outputs = {
        deliveryPipeline: release.pipelineName,
        regions: Object.fromEntries(regions.map((r) => [r.region, { role: r.role, egressIps: platforms[r.region].egressIps }])),
        publicIp: edge.publicIp,
        publicNameServers: edge.publicNameServers,
        bucket: bucket.bucketName,
    };
    return { outputs, internalIps: edge.internalIps, certValidation: edge.internalCertValidation };
}

/**
 * The GCP side of the program: per stack, the project's APIs and service agents, the VPC, a budget;
 * per Cloud Run service of the catalog, its keys, secrets, identities, topics, bucket, one
 * RegionalPlatform per region and the global edge. `interconnect` (absent without Cloud Run services):
 * the VPC, providers and internal load balancer addresses the cross-cloud VPN needs.
 */
export function deployGcp(ctx: DeployContext): { outputs: Record<string, pulumi.Input<unknown>>; interconnect?: GcpHandle } {
    const { config } = ctx;
    const cards = cloudRunServices(ctx.catalog);
    const profile = gcpProfiles[config.environment];
    const providers: Record<string, gcp.Provider> = {};
    for (const r of config.gcp.regions) {
        providers[r.region] = gcpProvider(ctx, r.region);
    }
    const primary = config.gcp.regions.find((r) => r.role === "active")?.region ?? config.gcp.regions[0].region;
    const global = providers[primary];
    const outputs: Record<string, pulumi.Input<unknown>> = {};
    if (cards.length === 0) {
        return { outputs };
    }
    const randomProvider = new random.Provider("random-gcp", {});
    const project = new ProjectServices("gcp-project", { project: config.gcp.project, provider: global });
    const network = new Network("gcp-network", { environment: config.environment, provider: global });
    new CostGuardrails("gcp-cost", {
        billingAccount: config.gcp.billingAccount,
        environment: config.environment,
        projectNumber: project.projectNumber,
        monthlyUsd: profile.monthlyBudgetUsd,
        provider: global,
    });
    // The EKS services the cards name as callers (issue 15): one pool and one service account each per stack.
    const callers = [...new Set(cards.flatMap((c) => c.inbound.map((i) => i.service)))];
    const peers = callers.length > 0 ? new PeerCallerIdentities("gcp-peer-callers", { callers, provider: global }, { dependsOn: project.apis }) : undefined;
    // Release (issue 12): only attested images deploy to Cloud Run in this project.
    const admission = new ImageAdmission("gcp-image-admission", {
        project: config.gcp.project,
        environment: config.environment,
        region: primary,
        protect: ctx.profile.protectState,
        provider: global,
        dependsOn: project.apis,
    });
    const shared: StackShared = { ctx, profile, providers, global, randomProvider, project, network, peers, admission };
    const internalIps: Record<string, Readonly<Record<string, pulumi.Output<string>>>> = {};
    const certValidation: Record<string, Edge["internalCertValidation"]> = {};
    for (const card of cards) {
        const deployed = deployCard(card, shared);
        outputs[card.service] = deployed.outputs;
        internalIps[card.service] = deployed.internalIps;
        certValidation[card.service] = deployed.certValidation;
    }
    return { outputs, interconnect: { networkId: network.networkId, providers, internalIps, global, peers, certValidation } };
}
