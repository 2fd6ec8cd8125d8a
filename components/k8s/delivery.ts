import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { Environment, K8sRole, K8sServiceCard, ReleaseStrategy } from "../../data/catalog/types";
import { dbBootstrapAppRole, flaggerNamespace, isProgressive, loadTesterServiceAccount, migrateAppRole, releaseOf, rollbackGate } from "../../data/catalog/release";

export { flaggerNamespace, loadTesterServiceAccount };
import { roleLabels, serviceLabels, shortName, workloadName } from "../../data/naming/k8s";
import { hbonePort } from "../../data/mesh";
import { ClusterServices, ServiceBinding } from "../contracts";
import { httpPort, podSpec } from "./pod";
import { routePolicyOf, routeTimeout } from "./observability";

/**
 * Progressive delivery on EKS with Flagger (components/aws/release.ts installs it): per role that the
 * card gives `canary` or `blue-green`, a Flagger `Canary` over the role's Deployment. Flagger creates
 * the `<role>`/`-primary`/`-canary` Services and the role's HTTPRoute on the edge Gateway, shifts the
 * route's weights, analyses each step on Prometheus and rolls back on its own. The KEDA ScaledObject
 * stays on the Deployment; Flagger copies it for the primary (`autoscalerRef`).
 */

/** The namespace label that puts a namespace under the sigstore policy-controller's admission (opt-in by design). */
export const imageVerificationLabel = { "policy.sigstore.dev/include": "true" } as const;

export const loadTesterUrl = `http://flagger-loadtester.${flaggerNamespace}/`;
/** Names of the cluster's metric templates (flagger.app/v1beta1 MetricTemplate in the flagger namespace). */
export const metricTemplates = { errorRate: "error-rate", p95VersusBaseline: "p95-versus-baseline" } as const;
/**
 * The label Flagger derives its pod selectors from (`selectorLabels` of the chart): unique per role,
 * so a role's primary/canary Services never select another role's pods.
 */
export const flaggerSelectorLabel = "app.kubernetes.io/instance";

/** The services' HTTP metrics (OpenTelemetry semantic conventions, on the metrics port every role exports). */
const requests = "http_server_request_duration_seconds";
/** Flagger's own idiom for "the canary's pods": `<target>-<hash>-<suffix>`, never `<target>-primary-…`. */
const canaryPods = 'pod=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';
const primaryPods = 'pod=~"{{ target }}-primary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';

/** Prometheus queries of the two checks (pure; the tests read them). */
export function metricQueries(): Record<keyof typeof metricTemplates, string> {
    const sel = (pods: string, extra = "") => `{namespace="{{ namespace }}",${pods}${extra}}`;
    const p95 = (pods: string) => `histogram_quantile(0.95, sum by (le) (rate(${requests}_bucket${sel(pods)}[{{ interval }}])))`;
    return {
        // Percent of the new version's requests answered 5xx over the interval.
        errorRate: `100 * sum(rate(${requests}_count${sel(canaryPods, ',http_response_status_code=~"5.."')}[{{ interval }}])) / sum(rate(${requests}_count${sel(canaryPods)}[{{ interval }}]))`,
        // The new version's p95 over the current version's (the baseline).
        p95VersusBaseline: `${p95(canaryPods)} / ${p95(primaryPods)}`,
    };
}

/** The Flagger `analysis` of a strategy: steps or iterations, the rollback gate, synthetic traffic. */
export function canaryAnalysis(card: K8sServiceCard, role: K8sRole, s: Extract<ReleaseStrategy, { kind: "canary" | "blue-green" }>): Record<string, unknown> {
    const interval = `${s.stepMinutes}m`;
    const target = `http://${workloadName(card, role)}-canary.${card.namespace}:${role.exposure?.port ?? httpPort}${role.probes?.readiness.path ?? "/"}`;
    return {
        interval,
        // The first failed check rolls back (seed 001 §6: "auto-rollback if any of").
        threshold: 1,
        ...(s.kind === "canary" ? { stepWeights: [...s.stepWeights] } : { iterations: s.iterations }),
        metrics: [
            {
                name: "error-rate",
                templateRef: { name: metricTemplates.errorRate, namespace: flaggerNamespace },
                thresholdRange: { max: rollbackGate.maxErrorRatePercent },
                interval: `${rollbackGate.errorWindowMinutes}m`,
            },
            {
                name: "p95-versus-baseline",
                templateRef: { name: metricTemplates.p95VersusBaseline, namespace: flaggerNamespace },
                thresholdRange: { max: rollbackGate.maxP95VersusBaseline },
                interval: `${rollbackGate.errorWindowMinutes}m`,
            },
        ],
        webhooks: [
            {
                // Synthetic traffic to the new version for every step: a blue/green green has no users until the switch.
                name: "synthetic-traffic",
                type: "rollout",
                url: loadTesterUrl,
                timeout: "15s",
                metadata: { type: "cmd", cmd: `hey -z ${s.stepMinutes - 1}m -q 5 -c 2 ${target}` },
            },
        ],
    };
}

/** The `Canary` spec of one progressive role (pure). */
export function canarySpec(card: K8sServiceCard, role: K8sRole, environment: Environment, cluster: ClusterServices, autoscaled: boolean): Record<string, unknown> {
    const s = releaseOf(role, environment);
    if (!isProgressive(s) || !role.exposure) {
        throw new Error(`${card.service}/${role.name}: ${s.kind} is not run by the progressive-delivery controller`);
    }
    const wl = workloadName(card, role);
    const edge = role.exposure.reach === "edge";
    // The card's route deadline (case study §14: 800 ms); Flagger writes it into the HTTPRoute it owns.
    const routePolicy = routePolicyOf(card, role);
    return {
        provider: "gatewayapi:v1",
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: wl },
        ...(autoscaled ? { autoscalerRef: { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", name: wl } } : {}),
        progressDeadlineSeconds: 600,
        service: {
            name: wl,
            port: role.exposure.port,
            targetPort: "http",
            portName: "http",
            // The edge route Flagger owns: same Gateway, same path prefix as before the controller.
            ...(edge ? { gatewayRefs: [{ name: cluster.gatewayName, namespace: cluster.gatewayNamespace }], match: [{ uri: { prefix: role.exposure.pathPrefix } }], ...(routePolicy ? { timeout: routeTimeout(routePolicy) } : {}) } : {}),
        },
        analysis: canaryAnalysis(card, role, s),
    };
}

/** The Deployment strategy of a role the Deployment itself rolls. */
export function deploymentStrategy(role: K8sRole, environment: Environment): { type: "RollingUpdate"; rollingUpdate: { maxUnavailable: number; maxSurge: number } } {
    const s = releaseOf(role, environment);
    // Progressive roles: Flagger scales this Deployment to zero and rolls its own primary; the collab drain keeps one-at-a-time.
    return s.kind === "rolling" ? { type: "RollingUpdate", rollingUpdate: { maxUnavailable: s.maxUnavailable, maxSurge: s.maxSurge } } : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
}

/** The Job of one image's migrations: named after the image digest, so each release runs once. */
export function migrationJobName(card: K8sServiceCard, image: string): string {
    return `${shortName(card)}-migrate-${createHash("sha256").update(image).digest("hex").slice(0, 10)}`;
}

/** The role a migration pod is: the service's image with APP_ROLE=migrate, no probes, run to completion. */
export function migrationRole(card: K8sServiceCard): K8sRole {
    const api = card.roles.find((r) => r.exposure) ?? card.roles[0];
    return {
        name: migrateAppRole,
        description: "Schema migrations of the release (forward-only, backward-compatible)",
        runtime: "cronjob",
        replicas: { dev: { min: 1, max: 1 }, staging: { min: 1, max: 1 }, prod: { min: 1, max: 1 } },
        scaling: [],
        resources: api.resources,
        nodePool: "worker",
        dbPoolPerPod: 1,
        terminationGracePeriodSeconds: 60,
    };
}

export interface DeliveryArgs {
    readonly card: K8sServiceCard;
    readonly environment: Environment;
    readonly owner: string;
    readonly image: string;
    readonly cluster: ClusterServices;
    readonly namespace: pulumi.Input<string>;
    readonly serviceAccountName: pulumi.Input<string>;
    readonly optionalSecrets: readonly string[];
    /** Only where the database has a writer (an active region): a passive region's replica is read-only. */
    readonly runMigrations: boolean;
    /** The one-time bootstrap's IAM side (ServiceBinding.dbBootstrap), where the region's database has a writer. */
    readonly dbBootstrap?: ServiceBinding["dbBootstrap"];
    /** Region of the Secrets Manager secret the bootstrap reads. */
    readonly region: string;
    /** What custom resources wait for (the External Secrets CRDs). */
    readonly crdsReady: readonly pulumi.Resource[];
}

/**
 * The per-service release objects outside the roles: the migration Job of the current image (the
 * workloads wait for it, so no pod of the new image serves before its schema exists) and, when a
 * role is progressive, the load tester's way in through the NetworkPolicies (the mesh ALLOW rule is in data/mesh.ts).
 */
export function serviceDelivery(
    name: string,
    args: DeliveryArgs,
    /** Parent and provider of the service's objects. */
    child: pulumi.CustomResourceOptions,
    /** What the release objects wait for (ConfigMap, secrets, mesh policies). */
    deps: readonly pulumi.Resource[],
): { migration?: k8s.batch.v1.Job } {
    const { card } = args;
    const labels = serviceLabels(card, { environment: args.environment, owner: args.owner });
    let migration: k8s.batch.v1.Job | undefined;
    const bootstrap = args.runMigrations && card.database && args.dbBootstrap ? dbBootstrapJob(name, args, args.dbBootstrap, child, deps) : undefined;
    if (args.runMigrations && card.database) {
        const role = migrationRole(card);
        const podLabels = roleLabels(card, role, { environment: args.environment, owner: args.owner });
        const jobName = migrationJobName(card, args.image);
        migration = new k8s.batch.v1.Job(
            `${name}-migrate`,
            {
                metadata: { name: jobName, namespace: args.namespace, labels: { ...podLabels, "app.kubernetes.io/instance": jobName } },
                spec: {
                    backoffLimit: 1,
                    activeDeadlineSeconds: 1800,
                    // No TTL: the finished Job stays as the record of the release's migration (and the nightly drift check sees no change).
                    template: {
                        metadata: { labels: { ...podLabels, "app.kubernetes.io/instance": jobName } },
                        spec: podSpec({ card, role, image: args.image, serviceAccountName: args.serviceAccountName, cluster: args.cluster, optionalSecrets: args.optionalSecrets }),
                    },
                },
            },
            // The login role exists (and may use IAM authentication) before the first migration connects with it.
            { ...child, dependsOn: [...deps, ...(bootstrap ? [bootstrap] : [])] },
        );
    }
    const progressive = card.roles.filter((r) => isProgressive(releaseOf(r, args.environment)));
    if (progressive.length > 0) {
        // Pods listen on the image's HTTP port whatever their Service publishes.
        const ports = [httpPort];
        new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol-load-tester`,
            {
                metadata: { name: `${shortName(card)}-allow-load-tester`, namespace: args.namespace, labels },
                spec: {
                    podSelector: { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: progressive.map((r) => r.name) }] },
                    policyTypes: ["Ingress"],
                    ingress: [
                        {
                            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": flaggerNamespace } } }],
                            ports: [...ports, hbonePort].map((port) => ({ protocol: "TCP", port })),
                        },
                    ],
                },
            },
            child,
        );
    }
    return { migration };
}

/** The Flagger Canary of one progressive role. */
export function roleCanary(logical: string, card: K8sServiceCard, role: K8sRole, environment: Environment, cluster: ClusterServices, meta: Record<string, unknown>, autoscaled: boolean, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
        `${logical}-canary`,
        { apiVersion: "flagger.app/v1beta1", kind: "Canary", metadata: meta, spec: canarySpec(card, role, environment, cluster, autoscaled) },
        opts,
    );
}

/**
 * The one-time bootstrap's SQL (run as the master user): the service's login role with `rds_iam`
 * (the IAM-authentication URLs), and the audit role and extension the cluster parameter group's
 * `pgaudit.role = rds_pgaudit` names (issue 11: pgaudit needs both before it logs).
 */
export function dbBootstrapSql(dbUser: string): string {
    const role = (name: string, login: boolean) => `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name}${login ? " LOGIN" : ""}; END IF; END $$;`;
    return [role(dbUser, true), `GRANT rds_iam TO ${dbUser};`, role("rds_pgaudit", false), "CREATE EXTENSION IF NOT EXISTS pgaudit;"].join(" ");
}

/**
 * The one-time database bootstrap: with the cluster's master credentials (from Secrets Manager through
 * its own IRSA role and SecretStore), the image's `db-bootstrap` entry point creates the service's
 * login role if missing and grants it `rds_iam`, so the IAM-authentication URLs work. Runs once: a
 * later release does not replace it (its spec is ignored after creation).
 */
export function dbBootstrapJob(name: string, args: DeliveryArgs, access: NonNullable<ServiceBinding["dbBootstrap"]>, child: pulumi.CustomResourceOptions, deps: readonly pulumi.Resource[]): k8s.batch.v1.Job {
    const { card } = args;
    const crd = { ...child, dependsOn: [...deps, ...args.crdsReady] };
    const base = migrationRole(card);
    const role: K8sRole = { ...base, name: dbBootstrapAppRole, description: "Creates the service's login role and grants rds_iam (once)" };
    const short = shortName(card);
    const objectName = `${short}-db-bootstrap`;
    const labels = { ...roleLabels(card, role, { environment: args.environment, owner: args.owner }), "app.kubernetes.io/instance": objectName };
    const sa = new k8s.core.v1.ServiceAccount(
        `${name}-db-bootstrap-sa`,
        {
            metadata: { name: access.serviceAccountName, namespace: args.namespace, labels, annotations: { "eks.amazonaws.com/role-arn": access.roleArn, "eks.amazonaws.com/sts-regional-endpoints": "true" } },
            automountServiceAccountToken: false,
        },
        child,
    );
    const store = new k8s.apiextensions.CustomResource(
        `${name}-db-bootstrap-store`,
        {
            apiVersion: "external-secrets.io/v1",
            kind: "SecretStore",
            metadata: { name: `${short}-db-admin`, namespace: args.namespace, labels },
            spec: { provider: { aws: { service: "SecretsManager", region: args.region, auth: { jwt: { serviceAccountRef: { name: sa.metadata.name } } } } } },
        },
        crd,
    );
    const adminSecret = `${short}-db-admin`;
    const external = new k8s.apiextensions.CustomResource(
        `${name}-db-bootstrap-secret`,
        {
            apiVersion: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: { name: adminSecret, namespace: args.namespace, labels },
            spec: {
                refreshInterval: "1h",
                secretStoreRef: { name: store.metadata.name, kind: "SecretStore" },
                target: { name: adminSecret, creationPolicy: "Owner", deletionPolicy: "Delete" },
                data: [
                    { secretKey: "PGUSER", remoteRef: { key: access.masterSecretArn, property: "username" } },
                    { secretKey: "PGPASSWORD", remoteRef: { key: access.masterSecretArn, property: "password" } },
                ],
            },
        },
        crd,
    );
    const pod = podSpec({
        card,
        role,
        image: args.image,
        serviceAccountName: sa.metadata.name,
        cluster: args.cluster,
        optionalSecrets: args.optionalSecrets,
        extraSecretRefs: [adminSecret],
        extraEnv: [
            { name: "DB_IAM_ROLE", value: access.dbUser },
            // The SQL the entry point runs, idempotent: the role may already exist.
            { name: "DB_BOOTSTRAP_SQL", value: dbBootstrapSql(access.dbUser) },
        ],
    });
    return new k8s.batch.v1.Job(
        `${name}-db-bootstrap`,
        {
            metadata: { name: objectName, namespace: args.namespace, labels },
            spec: {
                backoffLimit: 2,
                activeDeadlineSeconds: 900,
                template: {
                    metadata: { labels },
                    spec: pod,
                },
            },
        },
        { ...child, dependsOn: [...deps, external], ignoreChanges: ["spec"] },
    );
}
