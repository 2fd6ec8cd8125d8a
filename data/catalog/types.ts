/**
 * Topology cards (case study §22): the typed description of one service's runtime topology.
 * Pure data types; nothing here imports Pulumi. Components turn cards into resources, the capacity
 * model turns them into envelopes and budgets. A new service is a new card, not new code.
 */

export const environments = ["dev", "staging", "prod"] as const;
export type Environment = (typeof environments)[number];

/** A value per environment. */
export type PerEnv<T> = Readonly<Record<Environment, T>>;

/** Node pools of the case study's §12 strategy that this platform runs (memory/edge pools folded in, see README). */
export const nodePools = ["platform", "core", "worker"] as const;
export type NodePool = (typeof nodePools)[number];

export interface ReplicaRange {
    readonly min: number;
    readonly max: number;
}

/** Kubernetes quantities, e.g. cpu "500m" / "2", memory "512Mi" / "1.5Gi". */
export interface ContainerResources {
    readonly cpuRequest: string;
    readonly cpuLimit: string;
    readonly memoryRequest: string;
    readonly memoryLimit: string;
}

/**
 * What a trigger's number measures, which decides how it is rendered (components/k8s/scaling.ts):
 * - `per-pod`: the document says "/pod" (or the number is ours, per replica): the number is each
 *   replica's target (KEDA `AverageValue`).
 * - `backlog`: a depth or lag the whole role works down (queue depth, outbox backlog, projection
 *   lag): the first scale-up comes when the total reaches the number (KEDA `Value`).
 * - `rate`: a total arrival rate that more replicas share but do not reduce: the first scale-up
 *   comes when the total reaches the number, then each replica carries number / minReplicas.
 */
export type TriggerScope = "per-pod" | "backlog" | "rate";

/** A scaling trigger from the documents; each is rendered by a maintained mechanism (KEDA). */
export type ScalingTrigger =
    /** Average CPU utilisation across pods, percent of the request. */
    | { readonly kind: "cpu"; readonly targetUtilizationPercent: number }
    /** A Prometheus query and the document's number for it, read as `scope` says. */
    | { readonly kind: "prometheus"; readonly metric: string; readonly query: string; readonly threshold: number; readonly scope: TriggerScope }
    /** JetStream consumer lag (pending + unacknowledged messages of the consumer, a queue depth). */
    | { readonly kind: "nats-jetstream"; readonly stream: string; readonly consumer: string; readonly lagThreshold: number; readonly scope: Exclude<TriggerScope, "rate"> };

export interface HttpProbe {
    readonly path: string;
    /** Named container port. */
    readonly port: "http" | "metrics";
    readonly periodSeconds: number;
    readonly failureThreshold: number;
    readonly timeoutSeconds?: number;
}

export interface Probes {
    readonly startup: HttpProbe;
    readonly readiness: HttpProbe;
    /** Must never check a dependency (case study §27.5): it restarts the process, which fixes nothing downstream. */
    readonly liveness: HttpProbe;
}

/** How a role that serves traffic is reached. */
export interface Exposure {
    readonly port: number;
    readonly protocol: "http" | "websocket";
    /** `edge`: routed from the gateway namespace's ingress; `internal`: peers in the cluster only. */
    readonly reach: "edge" | "internal";
    /** Public path prefix at the edge, when `reach` is `edge`. */
    readonly pathPrefix?: string;
    /**
     * Consistent hashing at the ingress by a request value (authoring collab: `draftId`). `cookie`
     * and `header` work with every Envoy Gateway release; `query` needs one whose BackendTrafficPolicy
     * has `QueryParams` hashing (not v1.5/v1.6).
     */
    readonly stickyBy?: { readonly source: "header" | "query" | "cookie"; readonly name: string };
}

export type K8sRuntime = "deployment" | "statefulset" | "cronjob";

/**
 * How a new image of a role reaches its users (seeds/000 §8, 002 §8, 003 §10), per environment.
 * `canary` and `blue-green` are run by the progressive-delivery controller (Flagger, components/k8s/delivery.ts)
 * with its analysis gate; `rolling` is the Deployment's own rolling update; `drain-recreate` is the
 * collab server's (notify clients, drain, replace: the pod's grace period carries the notice).
 */
export type ReleaseStrategy =
    /** Traffic weights (percent) held one analysis interval each, then 100 %. */
    | { readonly kind: "canary"; readonly stepWeights: readonly number[]; readonly stepMinutes: number }
    /** The new version (green) is analysed for `iterations` intervals with no user traffic, then takes 100 %. */
    | { readonly kind: "blue-green"; readonly iterations: number; readonly stepMinutes: number }
    | { readonly kind: "rolling"; readonly maxSurge: number; readonly maxUnavailable: number }
    | { readonly kind: "drain-recreate" };

/** One role of a service on Kubernetes: one process of the shared image, chosen by APP_ROLE. */
export interface K8sRole {
    readonly name: string;
    readonly description: string;
    readonly runtime: K8sRuntime;
    readonly replicas: PerEnv<ReplicaRange>;
    /** Empty: fixed at `replicas.min` (no autoscaler). */
    readonly scaling: readonly ScalingTrigger[];
    readonly resources: ContainerResources;
    readonly nodePool: NodePool;
    /** Database connections each pod opens to the service's primary database (0: none); the pod gets it as `DB_POOL_SIZE`. */
    readonly dbPoolPerPod: number;
    /** Reads go to the Aurora reader endpoint (seeds/003 §12): the pod gets `POSTGRES_READ_URL`. */
    readonly readsFromReplicas?: boolean;
    readonly exposure?: Exposure;
    /** Absent for cron jobs. */
    readonly probes?: Probes;
    readonly terminationGracePeriodSeconds: number;
    /** PDB minAvailable where a document fixes it; otherwise derived (see components/k8s). */
    readonly pdbMinAvailable?: number;
    /** Leader election through a coordination.k8s.io Lease (the only Kubernetes API use allowed). */
    readonly leaderElection?: { readonly leaseName: string };
    /** Cron schedule, for `cronjob` roles. */
    readonly schedule?: string;
    /**
     * `stopped`: the role writes on its own (an outbox relay) and does not run in a passive region
     * (data/residency.ts); leader-elected roles and cron jobs stop there without saying so.
     */
    readonly standby?: "stopped";
    /** Release strategy per environment (absent: rolling, see data/catalog/release.ts). */
    readonly release?: PerEnv<ReleaseStrategy>;
}

/** A dependency a service calls; NetworkPolicy egress and the data plane wiring come from these. */
export type Dependency =
    | { readonly kind: "postgres" }
    | { readonly kind: "redis" }
    | { readonly kind: "nats" }
    | { readonly kind: "object-storage" }
    /** A peer service in the mesh, by its namespace. */
    | { readonly kind: "service"; readonly name: string; readonly namespace: string; readonly port: number }
    /**
     * A service on the other cloud, reached over the private cross-cloud path (HA VPN, see
     * components/interconnect): its URL reaches the pods as config under `configKey`.
     */
    | { readonly kind: "cross-cloud"; readonly service: string; readonly cloud: "gcp"; readonly port: number; readonly protocol: "https"; readonly configKey: string };

/** A caller allowed in (NetworkPolicy and mesh AuthorizationPolicy) besides the gateway and Prometheus. */
export interface InboundPeer {
    readonly name: string;
    readonly namespace: string;
    /** The Service port it calls (a role's exposure port). */
    readonly port: number;
    /** The caller's Kubernetes service account: its mesh identity is `cluster.local/ns/<namespace>/sa/<serviceAccount>`. */
    readonly serviceAccount: string;
}

/** The service's own Postgres (Aurora on AWS), one cluster per active region. */
export interface DatabaseSpec {
    readonly name: string;
    /** Readers per environment (prod: at least two, the AWS issue). */
    readonly readers: PerEnv<number>;
    /** Connections reserved for admin, replication and migrations, outside the application budget. */
    readonly reservedConnections: number;
    /**
     * The service connects through a transaction-pooling proxy (seeds 002 §4, 003 §5 "pgbouncer
     * transaction-mode pool"): RDS Proxy in front of the writer (components/aws/pooler.ts).
     */
    readonly pooled?: boolean;
}

/** Object storage the service owns (S3 on AWS). */
export interface BucketSpec {
    readonly purpose: string;
    /** Objects expire after this many days (0: never). */
    readonly expireAfterDays: number;
    /** Transition to a cold storage class after this many days (0: never). */
    readonly coldAfterDays: number;
    /** Served through the service's CDN with signed URLs (seed 002 §4–§5: authoring's previews and thumbnails). */
    readonly cdn?: boolean;
}

/** A bounded retry rule (case study §14: 0 attempts for a non-idempotent unknown outcome, 1 for a safe transient). */
export interface RetryRule {
    /** Attempts after the first. */
    readonly attempts: number;
    /** Only idempotent calls (or calls carrying an idempotency key) are retried. */
    readonly idempotentOnly: true;
    /** Retries in flight may be at most this percent of the calls in flight (the retry budget). */
    readonly budgetPercent: number;
    /** Back-off before a retry. */
    readonly backoffMs: number;
}

/** Circuit breaker of one dependency: trips on consecutive failures, sheds calls past a concurrency cap. */
export interface CircuitBreakerRule {
    readonly consecutiveFailures: number;
    /** Time the breaker stays open (the upstream ejected) before a probe call. */
    readonly openSeconds: number;
    /** Calls in flight to the dependency past which new calls fail fast. */
    readonly maxConcurrent: number;
}

/** What one dependency's failure does (case study §22 reliability, §26.7); data/catalog/failure-policies.ts. */
export interface FailurePolicy {
    readonly dependency: string;
    /** The degradation mode: what users and operators see while the dependency fails. */
    readonly behavior: string;
    readonly timeoutMs: number;
    readonly retry: RetryRule;
    readonly circuitBreaker: CircuitBreakerRule;
}

interface CardBase {
    readonly service: string;
    readonly owner: string;
    readonly criticality: "critical" | "high" | "medium";
    /** Key into the stack config's `images` map: the image is pinned by digest there. */
    readonly imageKey: string;
    readonly secrets: readonly string[];
    readonly data: {
        readonly owns: readonly string[];
        readonly publishes: readonly string[];
        readonly consumes: readonly string[];
    };
    readonly slo: { readonly availability: number; readonly p95LatencyMs: number };
    readonly alerts: readonly string[];
    readonly runbook: string;
    readonly failurePolicy: readonly FailurePolicy[];
    readonly dr: { readonly rpoMinutes: number; readonly rtoMinutes: number };
    /** Where the numbers come from. */
    readonly source: string;
}

/** A service on EKS. */
export interface K8sServiceCard extends CardBase {
    readonly platform: "eks";
    readonly namespace: string;
    readonly roles: readonly K8sRole[];
    readonly inbound: readonly InboundPeer[];
    readonly outbound: readonly Dependency[];
    /** ConfigMap entries; a PerEnv value differs per environment. */
    readonly config: Readonly<Record<string, string | PerEnv<string>>>;
    readonly database?: DatabaseSpec;
    readonly buckets: readonly BucketSpec[];
}

/** One Cloud Run service of a service on GCP. */
export interface CloudRunRole {
    readonly name: string;
    readonly description: string;
    readonly instances: PerEnv<ReplicaRange>;
    /** Concurrent requests per instance (Cloud Run caps it at 1000); WebSockets count as requests. */
    readonly concurrency: number;
    readonly timeoutSeconds: number;
    readonly cpu: string;
    readonly memory: string;
    readonly startupCpuBoost: boolean;
    /**
     * `load-balancer`: internal + the external LB only (IAM invocation off: the external LB cannot mint
     * tokens); `internal`: internal only; `internal-load-balancer`: internal only, behind the internal
     * load balancer for the card's `inbound` callers, IAM invocation on (issue 15).
     */
    readonly ingress: "load-balancer" | "internal" | "internal-load-balancer";
    readonly sessionAffinity: boolean;
    /** Database connections each instance opens (through PgBouncer). */
    readonly dbPoolPerInstance: number;
    /** Secret purposes this role may read (keys of the card's `secretPurposes`). */
    readonly secrets: readonly string[];
    /** Feature flag that must be on before this role takes traffic; while off its min is 0. */
    readonly featureFlag?: string;
    /** Subjects this role publishes (keys of the card's `topics`). */
    readonly publishes: readonly string[];
    /** Subjects this role consumes: one push subscription per subject, dead-lettered per role. */
    readonly consumes: readonly string[];
    /** Opens connections to third-party vendors through Cloud NAT (the NAT port budget counts these). */
    readonly vendorEgress: boolean;
}

/** A Pub/Sub topic the service owns (one per published subject). */
export interface TopicSpec {
    readonly subject: string;
    /** `regulated` topics (consent, delivery evidence) keep 30 days; `operational` ones 7. */
    readonly retention: "operational" | "regulated";
    /** Attribute the publisher sets as ordering key (EVENT_SCHEMAS §1), documented on the schema. */
    readonly orderingKey: string;
}

/** A secret the service reads: generated by the program, or a container operations fill. */
export interface SecretPurpose {
    readonly purpose: string;
    /** `generated`: a random value of `length` chars; `provider`: a value a provider returns; `vendor`: container only. */
    readonly source: "generated" | "provider" | "vendor";
    readonly length?: number;
    /** For vendor secrets: the vendor (naming scheme `vendor/{vendor}/{tenantId}/{credKind}`). */
    readonly vendor?: string;
}

/** A vendor whose delivery webhooks reach the API at the edge; rate-limited by Cloud Armor. */
export interface WebhookVendor {
    readonly vendor: string;
    readonly pathPrefix: string;
    /** Requests per second the edge lets through for this vendor (the document's cap). */
    readonly capRps: number;
}

/** A peer service allowed to invoke one role of a Cloud Run service (its own GCP service account, `roles/run.invoker`). */
export interface CloudRunInbound {
    /** The calling service's card, e.g. `assignment-service` (an EKS card with a `cross-cloud` dependency). */
    readonly service: string;
    /** The role it invokes (ingress `internal-load-balancer`). */
    readonly role: string;
}

/** A service on Cloud Run. */
export interface CloudRunServiceCard extends CardBase {
    readonly platform: "cloud-run";
    readonly roles: readonly CloudRunRole[];
    readonly topics: readonly TopicSpec[];
    readonly secretPurposes: readonly SecretPurpose[];
    readonly webhookVendors: readonly WebhookVendor[];
    /** Liveness path; readiness is the same path with `?ready=true` (seed 001 §3). */
    readonly healthPath: string;
    /** Postgres extensions the migration job creates before the schema migrations (seed 001 §4.1). */
    readonly postgresExtensions?: readonly string[];
    /** Roles that sign bucket URLs with their own identity (IAM signBlob: token creator on themselves). */
    readonly urlSigners?: readonly string[];
    readonly containerPort: number;
    /** Peer callers and the role each invokes: the only identities, besides Pub/Sub push, that may invoke an internal role. */
    readonly inbound: readonly CloudRunInbound[];
}

export type TopologyCard = K8sServiceCard | CloudRunServiceCard;
