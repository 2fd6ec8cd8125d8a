import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { FeatureSwitches, allFeaturesOff, featureState } from "../../data/catalog/features";
import { flagdClientConfigFor } from "../../data/flags";
import { Environment, K8sRole, K8sServiceCard, ReplicaRange } from "../../data/catalog/types";
import { disruptionBudget } from "../../capacity/workloads";
import { ResolvedReplicas } from "../../data/replicas";
import { CrossCloudEndpoint, RegionalPlatformHandle, ServiceBinding } from "../contracts";
import {
    awaitingSecretName,
    configMapName,
    externalSecretName,
    roleLabels,
    roleSelector,
    secretStoreName,
    serviceLabels,
    serviceSelector,
    shortName,
    workloadName,
} from "../../data/naming/k8s";
import { networkPolicies, networkPolicyName } from "./network";
import { httpPort, metricsPort, podSpec } from "./pod";
import { ambientLabel, meshRules } from "../../data/mesh";
import { isAutoscaled, scaledObjectSpec } from "./scaling";
import { validateServiceWorkload } from "./validation";
import { natsClientCertificate } from "./nats-client";
import { rotationPeriodKey } from "../../data/rotation";
import { failurePolicyConfig } from "../../data/catalog/failure-policies";
import { cardinalityRelabelings, dashboardUid, edgeTrafficPolicySpec, routePolicyOf, routeTimeout, scrapeLimits } from "./observability";
import { kedaPausedReplicasAnnotation, runsInRegion } from "../../data/residency";
// --- release (issue 12): progressive delivery, migrations before rollout ---
import { deploymentStrategy, flaggerSelectorLabel, imageVerificationLabel, roleCanary, serviceDelivery } from "./delivery";
import { isProgressive, releaseOf } from "../../data/catalog/release";

/** Inputs of one service's Kubernetes side in one region. */
export interface ServiceWorkloadArgs {
    /** The service's topology card: every object below is derived from it. */
    readonly card: K8sServiceCard;
    readonly environment: Environment;
    /** Owner label value (stack config `owner`). */
    readonly owner: string;
    /** Replica bounds per `service/role`, after the stack's overrides. */
    readonly replicas: ResolvedReplicas;
    /** The service image, pinned by digest (stack config `images[card.imageKey]`). */
    readonly image: string;
    /** The regional platform the workload runs on (provider, cluster services, IRSA binding). */
    readonly platform: RegionalPlatformHandle;
    /** Feature switches (stack config `features`, data/catalog/features.ts); default: every feature off. */
    readonly features?: FeatureSwitches;
    /**
     * The stack's services on the other cloud, by service (components/interconnect): every
     * `cross-cloud` dependency of the card must have one (its URL goes to the ConfigMap, its ranges
     * to the egress NetworkPolicy).
     */
    readonly crossCloud?: Readonly<Record<string, CrossCloudEndpoint>>;
}

/** `NOTIFICATION_SERVICE_URL` → `NOTIFICATION_SERVICE_AUDIENCE`: the ID-token audience key next to a cross-cloud URL key. */
export function audienceKeyOf(configKey: string): string {
    return `${configKey.replace(/_URL$/, "")}_AUDIENCE`;
}

/** ConfigMap keys of the caller's GCP identity (Workload Identity Federation, issue 15). */
export const gcpIdentityKeys = { workloadProvider: "GCP_WORKLOAD_IDENTITY_PROVIDER", serviceAccount: "GCP_SERVICE_ACCOUNT" } as const;

/**
 * The ConfigMap entries of the card's cross-cloud dependencies (`NOTIFICATION_SERVICE_URL` → URL,
 * `NOTIFICATION_SERVICE_AUDIENCE` → the ID-token audience) and, apart, the caller's GCP identity
 * (outputs of the GCP side: the token-exchange audience and the service account it impersonates); pure.
 */
export function crossCloudConfig(
    card: K8sServiceCard,
    crossCloud: Readonly<Record<string, CrossCloudEndpoint>>,
): { config: Record<string, string>; identity: Record<string, pulumi.Input<string>>; missing: string[] } {
    const config: Record<string, string> = {};
    const identity: Record<string, pulumi.Input<string>> = {};
    const missing: string[] = [];
    for (const d of card.outbound) {
        if (d.kind !== "cross-cloud") {
            continue;
        }
        const endpoint = crossCloud[d.service];
        if (!endpoint) {
            missing.push(`${d.service} (${d.cloud}) has no cross-cloud path in this stack`);
        } else if (endpoint.port !== d.port) {
            missing.push(`${d.service}: the card calls port ${d.port}, the path carries ${endpoint.port}`);
        } else {
            config[d.configKey] = endpoint.url;
            config[audienceKeyOf(d.configKey)] = endpoint.audience;
            const account = endpoint.identity?.serviceAccounts[card.service];
            if (!endpoint.identity || account === undefined) {
                missing.push(`${d.service}: no GCP identity for ${card.service} (the card's inbound must name it)`);
            } else {
                identity[gcpIdentityKeys.workloadProvider] = endpoint.identity.workloadProviderAudience;
                identity[gcpIdentityKeys.serviceAccount] = account;
            }
        }
    }
    return { config, identity, missing };
}

/** Resolve a card's config for one environment (PerEnv values pick the environment's entry). */
export function resolveConfig(card: K8sServiceCard, environment: Environment): Record<string, string> {
    return Object.fromEntries(Object.entries(card.config).map(([k, v]) => [k, typeof v === "string" ? v : v[environment]]));
}

/** ConfigMap key of a bucket's name: `cold-archive` → `S3_BUCKET_COLD_ARCHIVE`. */
export function bucketConfigKey(purpose: string): string {
    return `S3_BUCKET_${purpose.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Envoy Gateway's consistent-hash input for a sticky exposure. `Header`/`Cookie` are what the
 * platform's pinned Envoy Gateway (v1.5) accepts; `QueryParams` exists only in later releases.
 */
export function consistentHashBy(sticky: NonNullable<NonNullable<K8sRole["exposure"]>["stickyBy"]>): Record<string, unknown> {
    switch (sticky.source) {
        case "cookie":
            // No TTL: Envoy never mints the cookie; the client sets it, so the hash key is the draft, not a random session.
            return { type: "Cookie", cookie: { name: sticky.name } };
        case "header":
            return { type: "Header", header: { name: sticky.name } };
        case "query":
            return { type: "QueryParams", queryParams: [{ name: sticky.name }] };
    }
}

/** How often ESO re-reads Secrets Manager: rotations reach the Secret within this interval. */
export const secretRefreshInterval = "1h";

/**
 * One service's Kubernetes objects on one regional cluster, from its topology card: namespace,
 * IRSA service account, ConfigMap, ExternalSecret, one workload per role (Deployment, StatefulSet
 * or CronJob) with its Service, KEDA autoscaler, PDB and edge route, a ServiceMonitor, and
 * default-deny NetworkPolicies with the card's allowed flows.
 */
export class ServiceWorkload extends pulumi.ComponentResource {
    /** Kubernetes namespace of the service. */
    readonly namespace: pulumi.Output<string>;
    readonly serviceAccountName: pulumi.Output<string>;
    /** Kubernetes name of each role's workload, by role (`api` → `assignment-api`). */
    readonly workloads: Readonly<Record<string, string>>;
    /** In-cluster URL of each role that serves traffic, by role. */
    readonly endpoints: Readonly<Record<string, string>>;

    constructor(name: string, args: ServiceWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:k8s:ServiceWorkload", name, {}, opts);
        const { card, platform } = args;
        const cluster = platform.cluster;
        const binding: ServiceBinding | undefined = platform.bindings[card.service];

        const problems = validateServiceWorkload({
            card,
            replicas: args.replicas,
            image: args.image,
            bindings: Object.fromEntries(
                Object.entries(platform.bindings).map(([k, b]) => [
                    k,
                    { secretKeys: Object.keys(b.secretNames), serviceAccountName: b.serviceAccountName, namespace: b.namespace, hasDatabaseReadUrl: b.databaseReadUrl !== undefined },
                ]),
            ),
        });
        const remote = crossCloudConfig(card, args.crossCloud ?? {});
        problems.push(...remote.missing);
        // Every edge route has the gateway failure policy of its card (data/catalog/failure-policies.ts).
        problems.push(...card.roles.filter((r) => r.exposure?.reach === "edge" && !routePolicyOf(card, r)).map((r) => `edge role ${r.name} has no route policy (timeout, retry, circuit breaker)`));
        if (problems.length > 0 || !binding) {
            throw new pulumi.ResourceError(`${card.service} cannot be deployed to ${platform.region}:\n  - ${problems.join("\n  - ")}`, this);
        }

        const child = { parent: this, provider: platform.k8sProvider };
        // Custom resources wait for the Helm releases that install their CRDs (ESO, KEDA, Prometheus Operator, Envoy Gateway).
        const crd = { ...child, dependsOn: [...platform.crdsReady] };
        const labelCtx = { environment: args.environment, owner: args.owner };
        const labels = serviceLabels(card, labelCtx);
        const short = shortName(card);

        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: card.namespace,
                    labels: {
                        ...labels,
                        // Every pod here meets the restricted Pod Security Standard; admission rejects one that does not.
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        // Every pod in Istio ambient: ztunnel carries its traffic as mTLS, no sidecar.
                        ...ambientLabel,
                        // Only images with a verifying cosign signature are admitted here (components/aws/release.ts).
                        ...imageVerificationLabel,
                    },
                    // The card's operational identity, for whoever finds the namespace first (labels cannot hold "/").
                    annotations: {
                        "learning-platform/owner-team": card.owner,
                        "learning-platform/criticality": card.criticality,
                        "learning-platform/runbook": card.runbook,
                        "learning-platform/dashboard": dashboardUid(card),
                        "learning-platform/source": card.source,
                    },
                },
            },
            child,
        );
        const namespace = ns.metadata.name;
        const meta = (objectName: string, extra: Record<string, string> = {}) => ({ name: objectName, namespace, labels: { ...labels, ...extra } });

        const sa = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            {
                metadata: {
                    ...meta(binding.serviceAccountName),
                    annotations: { "eks.amazonaws.com/role-arn": binding.roleArn, "eks.amazonaws.com/sts-regional-endpoints": "true" },
                },
                // Off by default; only a leader-elected pod opts in (pod-level), see pod.ts.
                automountServiceAccountToken: false,
            },
            child,
        );

        // The switches of features operations provide values for override the card's flags (off until on).
        const features = featureState(card, args.features ?? allFeaturesOff);
        // --- feature flags (issue 15): the FEATURE_* keys stay as start-up defaults; flagd serves the live values ---
        const flagsConfig = cluster.flags ? flagdClientConfigFor(cluster.flags) : {};
        // --- end feature flags ---
        // The dependencies' timeouts, retries and breakers for the client library (issue 13: the app is the one retry layer).
        const configData = { ...resolveConfig(card, args.environment), ...features.flags, ...remote.config, ...flagsConfig, ...(binding.config ?? {}), ...failurePolicyConfig(card) };
        // The service's buckets (names the platform chose) reach the pods as config, e.g. S3_BUCKET_DRAFTS.
        const bucketConfig = Object.fromEntries(Object.entries(binding.bucketNames).map(([purpose, bucket]) => [bucketConfigKey(purpose), bucket]));
        // The GCP identity (stable once created, like bucket names) stays outside the checksum: it is an output.
        const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: meta(configMapName(card)), data: { ...bucketConfig, ...remote.identity, ...configData } }, child);
        // A config change rolls the pods (envFrom is read at start only).
        const configChecksum = createHash("sha256").update(JSON.stringify(configData)).digest("hex");

        let secretsReady: pulumi.Resource[] = [];
        if (card.secrets.length > 0) {
            const store = new k8s.apiextensions.CustomResource(
                `${name}-secret-store`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "SecretStore",
                    metadata: meta(secretStoreName(card)),
                    spec: {
                        provider: {
                            aws: {
                                service: "SecretsManager",
                                region: platform.region,
                                // ESO assumes the service's own IRSA role: it can read this service's secrets and no others.
                                auth: { jwt: { serviceAccountRef: { name: sa.metadata.name } } },
                            },
                        },
                    },
                },
                crd,
            );
            const externalSecret = (logical: string, objectName: string, keys: readonly string[]) =>
                new k8s.apiextensions.CustomResource(
                    logical,
                    {
                        apiVersion: "external-secrets.io/v1",
                        kind: "ExternalSecret",
                        // A new credential rotation period re-reads Secrets Manager at once (ESO's force-sync), not within the refresh interval.
                        metadata: { ...meta(objectName), annotations: binding.config?.[rotationPeriodKey] ? { "force-sync": binding.config[rotationPeriodKey] } : undefined },
                        spec: {
                            refreshInterval: secretRefreshInterval,
                            secretStoreRef: { name: store.metadata.name, kind: "SecretStore" },
                            target: { name: objectName, creationPolicy: "Owner", deletionPolicy: "Retain" },
                            data: keys.map((key) => ({ secretKey: key, remoteRef: { key: binding.secretNames[key] } })),
                        },
                    },
                    crd,
                );
            // External Secrets fails a whole ExternalSecret when one remote key has no value: the values
            // operations have not provided yet live in their own, optionally read, ExternalSecret.
            const required = card.secrets.filter((k) => !features.optionalSecrets.includes(k));
            if (required.length > 0) {
                secretsReady = [externalSecret(`${name}-secrets`, externalSecretName(card), required)];
            }
            if (features.optionalSecrets.length > 0) {
                externalSecret(`${name}-secrets-awaiting`, awaitingSecretName(card), features.optionalSecrets);
            }
        }

        // Mesh (seeds/000 §6, 002 §7, 003 §9): plaintext refused, and only the card's callers, the
        // edge gateway and Prometheus admitted by SPIFFE identity; the NetworkPolicies stay underneath.
        // The pods start once both exist: no pod serves before plaintext is refused.
        const peerAuthentication = new k8s.apiextensions.CustomResource(
            `${name}-peer-authentication`,
            { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: meta("default"), spec: { mtls: { mode: "STRICT" } } },
            crd,
        );
        const authorizationPolicy = new k8s.apiextensions.CustomResource(
            `${name}-authorization-policy`,
            {
                apiVersion: "security.istio.io/v1",
                kind: "AuthorizationPolicy",
                metadata: meta(`${short}-allowed-callers`),
                spec: {
                    action: "ALLOW",
                    rules: meshRules(card, httpPort).map((r) => ({
                        from: [{ source: { principals: [...r.principals] } }],
                        to: [{ operation: { ports: r.ports.map(String) } }],
                    })),
                },
            },
            crd,
        );

        // The NATS client certificate (its Secret also carries the CA): pods mount it, so they wait for it.
        const natsCert = natsClientCertificate(`${name}-nats-client-tls`, card, namespace, cluster, labels, crd);

        // Release (issue 12): this image's migrations run before any workload of it starts.
        const delivery = serviceDelivery(
            name,
            { card, environment: args.environment, owner: args.owner, image: args.image, cluster, namespace, serviceAccountName: sa.metadata.name, optionalSecrets: features.optionalSecrets, runMigrations: platform.role === "active", dbBootstrap: binding.dbBootstrap, region: platform.region, crdsReady: platform.crdsReady },
            child,
            [configMap, ...secretsReady, peerAuthentication, authorizationPolicy],
        );
        const workloads: Record<string, string> = {};
        const endpoints: Record<string, string> = {};
        for (const role of card.roles) {
            const range = args.replicas[`${card.service}/${role.name}`];
            const wl = workloadName(card, role);
            workloads[role.name] = wl;
            this.role(name, role, range, args, {
                child,
                crd,
                namespace,
                configChecksum,
                dependsOn: [configMap, ...secretsReady, peerAuthentication, authorizationPolicy, ...(natsCert ? [natsCert] : []), ...(delivery.migration ? [delivery.migration] : [])],
                saName: sa.metadata.name,
                optionalSecrets: features.optionalSecrets,
            });
            if (role.exposure) {
                endpoints[role.name] = `http://${wl}.${card.namespace}.svc.cluster.local:${role.exposure.port}`;
            }
        }

        // One headless Service over every pod of the service, so one ServiceMonitor scrapes all roles.
        const metricsService = new k8s.core.v1.Service(
            `${name}-metrics`,
            {
                metadata: meta(`${short}-metrics`, { "app.kubernetes.io/component": "metrics" }),
                spec: {
                    type: "ClusterIP",
                    clusterIP: "None",
                    selector: serviceSelector(card),
                    ports: [{ name: "metrics", port: metricsPort, targetPort: "metrics", protocol: "TCP" }],
                },
            },
            child,
        );
        new k8s.apiextensions.CustomResource(
            `${name}-service-monitor`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: meta(short, { ...cluster.serviceMonitorSelector }),
                spec: {
                    selector: { matchLabels: { ...serviceSelector(card), "app.kubernetes.io/component": "metrics" } },
                    namespaceSelector: { matchNames: [card.namespace] },
                    // The role label lets dashboards and KEDA queries tell api from worker.
                    podTargetLabels: ["app.kubernetes.io/component"],
                    // Cardinality (case study §20): tenant/user/draft ids dropped, series and labels per target bounded.
                    ...scrapeLimits(),
                    endpoints: [{ port: "metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s", metricRelabelings: cardinalityRelabelings() }],
                },
            },
            { ...crd, dependsOn: [...platform.crdsReady, metricsService] },
        );

        for (const p of networkPolicies(card, cluster, args.crossCloud)) {
            new k8s.networking.v1.NetworkPolicy(`${name}-netpol-${p.suffix}`, { metadata: meta(networkPolicyName(card, p)), spec: p.spec }, child);
        }

        this.namespace = namespace;
        this.serviceAccountName = sa.metadata.name;
        this.workloads = workloads;
        this.endpoints = endpoints;
        this.registerOutputs({ namespace, serviceAccountName: this.serviceAccountName, workloads, endpoints });
    }

    /** One role: its workload and the objects that serve, scale, protect and route it. */
    private role(
        name: string,
        role: K8sRole,
        range: ReplicaRange,
        args: ServiceWorkloadArgs,
        ctx: {
            readonly child: pulumi.CustomResourceOptions;
            readonly crd: pulumi.CustomResourceOptions;
            readonly namespace: pulumi.Output<string>;
            readonly configChecksum: string;
            readonly dependsOn: pulumi.Resource[];
            readonly saName: pulumi.Output<string>;
            readonly optionalSecrets: readonly string[];
        },
    ): void {
        const { card, platform } = args;
        const cluster = platform.cluster;
        const wl = workloadName(card, role);
        const labels = roleLabels(card, role, { environment: args.environment, owner: args.owner });
        const selector = roleSelector(card, role);
        const meta = (objectName: string) => ({ name: objectName, namespace: ctx.namespace, labels });
        // A passive region runs no role that writes on its own (data/residency.ts): zero replicas, a
        // suspended CronJob, a ScaledObject paused at zero. Promotion (role → active) starts them.
        const stopped = !runsInRegion(role, platform.role);
        const logical = `${name}-${role.name}`;
        const template = {
            metadata: { labels, annotations: { "learning-platform/config-checksum": ctx.configChecksum } },
            spec: podSpec({
                card,
                role,
                image: args.image,
                serviceAccountName: ctx.saName,
                cluster,
                optionalSecrets: ctx.optionalSecrets,
                databaseReadUrl: platform.bindings[card.service]?.databaseReadUrl,
            }),
        };
        const workloadOpts = { ...ctx.child, dependsOn: ctx.dependsOn };
        // Progressive roles (canary, blue/green): Flagger owns their Services, route and primary (components/k8s/delivery.ts).
        const progressive = role.runtime === "deployment" && isProgressive(releaseOf(role, args.environment));

        if (role.leaderElection) {
            const leases = new k8s.rbac.v1.Role(
                `${logical}-leader-election`,
                {
                    metadata: meta(`${wl}-leader-election`),
                    rules: [
                        // `create` cannot be narrowed by name (the object does not exist yet); get/update only touch the one lease.
                        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
                        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: [role.leaderElection.leaseName], verbs: ["get", "update"] },
                    ],
                },
                ctx.child,
            );
            const rb = new k8s.rbac.v1.RoleBinding(
                `${logical}-leader-election`,
                {
                    metadata: meta(`${wl}-leader-election`),
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: leases.metadata.name },
                    subjects: [{ kind: "ServiceAccount", name: ctx.saName, namespace: ctx.namespace }],
                },
                ctx.child,
            );
            workloadOpts.dependsOn = [...ctx.dependsOn, rb];
        }

        switch (role.runtime) {
            case "deployment":
                new k8s.apps.v1.Deployment(
                    logical,
                    {
                        metadata: meta(wl),
                        spec: {
                            // With an autoscaler the HPA owns the count; stating it here would reset it on every update.
                            // Flagger scales a progressive role's Deployment to zero: no count here either.
                            replicas: stopped ? 0 : isAutoscaled(role, range) || progressive ? undefined : range.min,
                            revisionHistoryLimit: 5,
                            progressDeadlineSeconds: 600,
                            strategy: deploymentStrategy(role, args.environment),
                            // Flagger selects a role's pods by one label: the role's instance.
                            selector: { matchLabels: progressive ? { ...selector, [flaggerSelectorLabel]: wl } : selector },
                            template,
                        },
                    },
                    workloadOpts,
                );
                break;
            case "statefulset": {
                // Headless governing Service: stable pod identities for the lease holder.
                const headless = new k8s.core.v1.Service(
                    `${logical}-headless`,
                    {
                        metadata: meta(wl),
                        spec: { clusterIP: "None", selector, ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }], publishNotReadyAddresses: false },
                    },
                    ctx.child,
                );
                new k8s.apps.v1.StatefulSet(
                    logical,
                    {
                        metadata: meta(wl),
                        spec: {
                            serviceName: headless.metadata.name,
                            replicas: stopped ? 0 : range.min,
                            // Pods do not depend on each other's start order; the lease decides who leads.
                            podManagementPolicy: "Parallel",
                            revisionHistoryLimit: 5,
                            updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
                            selector: { matchLabels: selector },
                            template,
                        },
                    },
                    workloadOpts,
                );
                break;
            }
            case "cronjob":
                new k8s.batch.v1.CronJob(
                    logical,
                    {
                        metadata: meta(wl),
                        spec: {
                            schedule: role.schedule ?? "",
                            suspend: stopped,
                            timeZone: "Etc/UTC",
                            // A maintenance run never overlaps the previous one (pg_partman takes locks).
                            concurrencyPolicy: "Forbid",
                            startingDeadlineSeconds: 600,
                            successfulJobsHistoryLimit: 3,
                            failedJobsHistoryLimit: 3,
                            jobTemplate: {
                                metadata: { labels },
                                spec: { backoffLimit: 2, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 86400, template },
                            },
                        },
                    },
                    workloadOpts,
                );
                break;
        }

        if (role.exposure && !progressive) {
            const service = new k8s.core.v1.Service(
                `${logical}-service`,
                {
                    metadata: meta(wl),
                    spec: {
                        // Internal only: the edge reaches it through the gateway (case study §8).
                        type: "ClusterIP",
                        selector,
                        ports: [{ name: "http", port: role.exposure.port, targetPort: "http", protocol: "TCP" }],
                    },
                },
                ctx.child,
            );
            if (role.exposure.reach === "edge") {
                const routePolicy = routePolicyOf(card, role);
                const route = new k8s.apiextensions.CustomResource(
                    `${logical}-route`,
                    {
                        apiVersion: "gateway.networking.k8s.io/v1",
                        kind: "HTTPRoute",
                        metadata: meta(wl),
                        spec: {
                            parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: cluster.gatewayNamespace, name: cluster.gatewayName }],
                            rules: [
                                {
                                    matches: [{ path: { type: "PathPrefix", value: role.exposure.pathPrefix } }],
                                    backendRefs: [{ group: "", kind: "Service", name: service.metadata.name, port: role.exposure.port }],
                                    // The card's deadline (case study §14: 800 ms); a WebSocket lives for the whole editing session ("0s": none).
                                    timeouts: routePolicy ? { request: routeTimeout(routePolicy) } : undefined,
                                },
                            ],
                        },
                    },
                    ctx.crd,
                );
                const sticky = role.exposure.stickyBy;
                if (routePolicy) {
                    new k8s.apiextensions.CustomResource(
                        `${logical}-traffic-policy`,
                        {
                            apiVersion: "gateway.envoyproxy.io/v1alpha1",
                            kind: "BackendTrafficPolicy",
                            metadata: meta(wl),
                            // Timeout, bounded retry and circuit breaker from the card; with sticky hashing, same draft → same
                            // pod (Maglev consistent hashing), so a draft's Yjs document lives in one process.
                            spec: edgeTrafficPolicySpec(route.metadata.name, routePolicy, sticky ? { type: "ConsistentHash", consistentHash: consistentHashBy(sticky) } : undefined),
                        },
                        ctx.crd,
                    );
                }
            }
        }

        let scaler: pulumi.Resource | undefined;
        if (isAutoscaled(role, range)) {
            scaler = new k8s.apiextensions.CustomResource(
                `${logical}-scaler`,
                {
                    apiVersion: "keda.sh/v1alpha1",
                    kind: "ScaledObject",
                    metadata: stopped ? { ...meta(wl), annotations: { [kedaPausedReplicasAnnotation]: "0" } } : meta(wl),
                    spec: scaledObjectSpec(card, role, range, cluster),
                },
                ctx.crd,
            );
        }
        if (progressive) {
            const canary = roleCanary(logical, card, role, args.environment, cluster, meta(wl), scaler !== undefined, { ...ctx.crd, dependsOn: [...platform.crdsReady, ...(scaler ? [scaler] : [])] });
            // Flagger names the HTTPRoute it owns after the Canary's service (the role's workload name): the
            // card's timeout, retry and breaker attach to it as to a route of the program's own.
            const routePolicy = role.exposure?.reach === "edge" ? routePolicyOf(card, role) : undefined;
            if (routePolicy) {
                new k8s.apiextensions.CustomResource(
                    `${logical}-traffic-policy`,
                    { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "BackendTrafficPolicy", metadata: meta(wl), spec: edgeTrafficPolicySpec(wl, routePolicy) },
                    { ...ctx.crd, dependsOn: [canary] },
                );
            }
        }

        // A stopped role has no pods to protect (and a minAvailable over zero replicas would block every drain).
        const budget = stopped ? undefined : disruptionBudget(role, range);
        if (budget) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${logical}-pdb`,
                {
                    metadata: meta(wl),
                    spec: {
                        minAvailable: budget.minAvailable,
                        selector: { matchLabels: selector },
                        // A crash-looping pod must not block a node drain.
                        unhealthyPodEvictionPolicy: "AlwaysAllow",
                    },
                },
                ctx.child,
            );
        }
    }
}
