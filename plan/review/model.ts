import type { RegisteredResource } from "../engine";
import { CloudRunServiceCard, K8sServiceCard, TopologyCard } from "../../data/catalog/types";
import { kedaPausedReplicasAnnotation } from "../../data/residency";
import { TypeIndex } from "../../policy/resource-index";

/**
 * What the review pack reads from a plan: the registered resources (inputs as written to
 * resources.json), the service graph and the findings. Pure over these; nothing here runs the
 * program, so the tests hand it fixture plans.
 */

/** The fields of a registered resource the pack reads (a `RegisteredResource` or a fixture has them). */
export type ReviewResource = Pick<RegisteredResource, "type" | "name" | "parent" | "provider" | "inputs" | "protect" | "region">;

type Props = Record<string, unknown>;

export function obj(v: unknown): Props {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {};
}

export function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

export const meta = (r: ReviewResource): Props => obj(obj(r.inputs).metadata);
export const spec = (r: ReviewResource): Props => obj(obj(r.inputs).spec);
export const k8sName = (r: ReviewResource): string | undefined => str(meta(r).name);
export const k8sNamespace = (r: ReviewResource): string => str(meta(r).namespace) ?? "default";
export const labels = (r: ReviewResource): Props => obj(meta(r).labels);

export const K8S = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    cronJob: "kubernetes:batch/v1:CronJob",
    service: "kubernetes:core/v1:Service",
    namespace: "kubernetes:core/v1:Namespace",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    httpRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    peerAuthentication: "kubernetes:security.istio.io/v1:PeerAuthentication",
    authorizationPolicy: "kubernetes:security.istio.io/v1:AuthorizationPolicy",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    configMap: "kubernetes:core/v1:ConfigMap",
    backendTrafficPolicy: "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
    canary: "kubernetes:flagger.app/v1beta1:Canary",
    kubernetesProvider: "pulumi:providers:kubernetes",
} as const;

export const CLOUD_RUN = "gcp:cloudrunv2/service:Service";
export const AURORA = "aws:rds/cluster:Cluster";
export const CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance";

/** The node-pool label the workloads select (components/k8s). */
export const POOL_LABEL = "platform.melmastoon.com/pool";

/** Indexes a plan's resources by type once. */
export class PlanIndex extends TypeIndex<ReviewResource> {

    /** Kubernetes objects of `type` in `cluster` (the explicit provider's name) and namespace. */
    inNamespace(type: string, cluster: string, namespace: string): ReviewResource[] {
        return this.of(type).filter((r) => (r.provider ?? "default") === cluster && k8sNamespace(r) === namespace);
    }

    /** The AWS region of a cluster: its kubeconfig's EKS endpoint, else the provider's name. */
    clusterRegion(cluster: string): string {
        const p = this.of(K8S.kubernetesProvider).find((x) => x.name === cluster);
        const kubeconfig = str(obj(p?.inputs).kubeconfig);
        const m = kubeconfig ? /\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com/.exec(kubeconfig) : null;
        return m?.[1] ?? cluster;
    }
}

/** One role as the plan registered it in one cluster or region. */
export interface RoleView {
    readonly role: string;
    /** `Deployment`, `StatefulSet`, `CronJob` or `Cloud Run service`. */
    readonly kind: string;
    /** The object's name (Kubernetes) or the Cloud Run service name. */
    readonly objectName: string;
    readonly minReplicas: number | null;
    readonly maxReplicas: number | null;
    /** What scales it: KEDA triggers, Cloud Run's request-based autoscaler, or fixed. */
    readonly scaling: string;
    /** Node pool from the pod's nodeSelector (null on Cloud Run). */
    readonly nodePool: string | null;
    readonly zoneSpread: string;
    readonly cpuRequest: string | null;
    readonly memoryRequest: string | null;
    readonly memoryLimit: string | null;
    readonly image: string | null;
    readonly serviceAccount: string | null;
    /** How it is reached: `edge <path>` through the gateway, `internal` ClusterIP, or Cloud Run ingress. */
    readonly exposure: string;
    readonly pdbMinAvailable: number | null;
}

/** A service as registered in one place (EKS cluster or GCP region). */
export interface Placement {
    readonly service: string;
    readonly platform: "eks" | "cloud-run";
    readonly region: string;
    /** The Kubernetes provider (EKS) or `cloud-run@<region>`. */
    readonly cluster: string;
    /** The namespace (EKS) or null (Cloud Run runs per project and region). */
    readonly namespace: string | null;
    readonly roles: readonly RoleView[];
    /** Workload identity: the Kubernetes SA and its IAM role (IRSA), or the roles' GCP service accounts. */
    readonly identity: readonly string[];
    /** Mesh mTLS mode of the namespace (PeerAuthentication), or `n/a (Cloud Run: Google front end TLS + IAM invoker)`. */
    readonly meshMtls: string;
    /** The service's own database as registered (identifier, protected). */
    readonly database: string | null;
    /** Dashboards registered for it: Grafana ConfigMaps (label grafana_dashboard) or Cloud Monitoring dashboards. */
    readonly dashboards: readonly string[];
    /** Alerting rules registered for it (PrometheusRule alerts in its namespace, or Cloud Monitoring alert policies). */
    readonly alerts: readonly string[];
}

/** The Grafana dashboard ConfigMaps of a service in a cluster: labelled for the sidecar, named for the service. */
export function dashboardConfigMaps(index: PlanIndex, cluster: string, service: string): ReviewResource[] {
    return index.of(K8S.configMap).filter((c) => (c.provider ?? "default") === cluster && labels(c).grafana_dashboard !== undefined && (k8sName(c) ?? "").includes(service.replace(/-service$/, "")));
}

/** The alert names of the PrometheusRules in a namespace. */
export function prometheusAlerts(index: PlanIndex, cluster: string, namespace: string): string[] {
    return index
        .inNamespace(K8S.prometheusRule, cluster, namespace)
        .flatMap((r) => arr(spec(r).groups).flatMap((g) => arr(obj(g).rules).map((x) => str(obj(x).alert))))
        .filter((a): a is string => a !== undefined);
}

const quantity = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);

function podSpec(w: ReviewResource): Props {
    const s = spec(w);
    return w.type === K8S.cronJob ? obj(obj(obj(obj(s.jobTemplate).spec).template).spec) : obj(obj(s.template).spec);
}

function roleOf(w: ReviewResource): string {
    return str(labels(w)["app.kubernetes.io/component"]) ?? k8sName(w) ?? w.name;
}

const kindName: Record<string, string> = { [K8S.deployment]: "Deployment", [K8S.statefulSet]: "StatefulSet", [K8S.cronJob]: "CronJob" };

/** The workloads (Deployments, StatefulSets, CronJobs) a service registered in one namespace. */
export function workloadsOf(index: PlanIndex, cluster: string, namespace: string, service: string): ReviewResource[] {
    return [K8S.deployment, K8S.statefulSet, K8S.cronJob]
        .flatMap((t) => index.inNamespace(t, cluster, namespace))
        .filter((w) => labels(w)["app.kubernetes.io/name"] === service);
}

function selects(selector: Props, podLabels: Props): boolean {
    const match = obj(selector.matchLabels);
    return Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => podLabels[k] === v);
}

export function podLabels(w: ReviewResource): Props {
    const s = spec(w);
    const template = w.type === K8S.cronJob ? obj(obj(obj(s.jobTemplate).spec).template) : obj(s.template);
    return obj(obj(template.metadata).labels);
}

/** A Kubernetes workload as the plan registered it: replicas from its ScaledObject, else its spec. */
export function k8sRoleView(index: PlanIndex, w: ReviewResource): RoleView {
    const cluster = w.provider ?? "default";
    const ns = k8sNamespace(w);
    const name = k8sName(w) ?? w.name;
    const scaler = index.inNamespace(K8S.scaledObject, cluster, ns).find((s) => str(obj(spec(s).scaleTargetRef).name) === name);
    const pod = podSpec(w);
    const container = obj(arr(pod.containers)[0]);
    const resources = obj(container.resources);
    const fixed = typeof spec(w).replicas === "number" ? (spec(w).replicas as number) : w.type === K8S.cronJob ? null : 1;
    // A paused autoscaler (a writer held in a passive region, data/residency.ts) pins the count it names.
    const paused = scaler ? str(obj(meta(scaler).annotations)[kedaPausedReplicasAnnotation]) : undefined;
    const pinned = paused !== undefined ? Number(paused) : undefined;
    const minReplicas = pinned ?? (scaler ? ((spec(scaler).minReplicaCount as number | undefined) ?? null) : fixed);
    const maxReplicas = pinned ?? (scaler ? ((spec(scaler).maxReplicaCount as number | undefined) ?? null) : fixed);
    const triggers = scaler ? arr(spec(scaler).triggers).map((t) => `${str(obj(t).type) ?? "?"}${str(obj(t).name) ? `:${str(obj(t).name)}` : ""}`) : [];
    const spread = arr(pod.topologySpreadConstraints).map(obj);
    const zone = spread.find((c) => c.topologyKey === "topology.kubernetes.io/zone");
    const podLabelSet = podLabels(w);
    const pdb = index.inNamespace(K8S.pdb, cluster, ns).find((p) => selects(obj(spec(p).selector), podLabelSet));
    const services = index.inNamespace(K8S.service, cluster, ns).filter((s) => obj(spec(s).selector) && Object.keys(obj(spec(s).selector)).length > 0 && Object.entries(obj(spec(s).selector)).every(([k, v]) => podLabelSet[k] === v) && str(spec(s).clusterIP) !== "None");
    const routes = index
        .inNamespace(K8S.httpRoute, cluster, ns)
        .filter((r) => arr(spec(r).rules).some((rule) => arr(obj(rule).backendRefs).some((b) => services.some((s) => k8sName(s) === obj(b).name))));
    const paths = routes.flatMap((r) => arr(spec(r).rules).flatMap((rule) => arr(obj(rule).matches).map((m) => str(obj(obj(m).path).value) ?? "/")));
    // A progressive role's Service and HTTPRoute are Flagger's, written from its Canary (issue 12).
    const canary = index.inNamespace(K8S.canary, cluster, ns).find((c) => str(obj(spec(c).targetRef).name) === name);
    const canaryService = obj(spec(canary ?? w).service);
    const canaryExposure = canary
        ? arr(canaryService.gatewayRefs).length > 0
            ? `edge via Gateway ${arr(canaryService.gatewayRefs).map((g) => `${str(obj(g).namespace) ?? ns}/${str(obj(g).name) ?? "?"}`).join(", ")} ${arr(canaryService.match).map((m) => str(obj(obj(m).uri).prefix) ?? "/").join(", ")} → ClusterIP ${str(canaryService.name) ?? name} (Flagger canary)`
            : `internal ClusterIP ${str(canaryService.name) ?? name} (Flagger canary)`
        : undefined;
    const exposure =
        canaryExposure !== undefined && services.length === 0
            ? canaryExposure
            : services.length === 0
            ? "none (no Service)"
            : routes.length > 0
              ? `edge via Gateway ${routes.flatMap((r) => arr(spec(r).parentRefs).map((p) => `${str(obj(p).namespace) ?? ns}/${str(obj(p).name) ?? "?"}`)).join(", ")} ${paths.join(", ")} → ${services.map((s) => `${str(spec(s).type) ?? "ClusterIP"} ${k8sName(s)}`).join(", ")}`
              : `internal ${services.map((s) => `${str(spec(s).type) ?? "ClusterIP"} ${k8sName(s)}`).join(", ")}`;
    return {
        role: roleOf(w),
        kind: kindName[w.type] ?? w.type,
        objectName: name,
        minReplicas,
        maxReplicas,
        scaling: scaler ? `KEDA ${triggers.join(", ")}` : "fixed",
        nodePool: str(obj(pod.nodeSelector)[POOL_LABEL]) ?? null,
        zoneSpread: zone ? `zone maxSkew ${String(zone.maxSkew)} (${String(zone.whenUnsatisfiable)})` : "none",
        cpuRequest: quantity(obj(resources.requests).cpu),
        memoryRequest: quantity(obj(resources.requests).memory),
        memoryLimit: quantity(obj(resources.limits).memory),
        image: str(container.image) ?? null,
        serviceAccount: str(pod.serviceAccountName) ?? null,
        exposure,
        pdbMinAvailable: pdb && typeof spec(pdb).minAvailable === "number" ? (spec(pdb).minAvailable as number) : null,
    };
}

/** Where a card's EKS service runs: its Namespace objects labelled with the service, one per cluster. */
export function eksPlacements(index: PlanIndex, card: K8sServiceCard): Placement[] {
    return index
        .of(K8S.namespace)
        .filter((n) => k8sName(n) === card.namespace && labels(n)["app.kubernetes.io/name"] === card.service)
        .map((n) => {
            const cluster = n.provider ?? "default";
            const region = index.clusterRegion(cluster);
            const roles = workloadsOf(index, cluster, card.namespace, card.service).map((w) => k8sRoleView(index, w));
            const sas = index.inNamespace(K8S.serviceAccount, cluster, card.namespace).filter((s) => roles.some((r) => r.serviceAccount === k8sName(s)));
            const identity = sas.map((s) => `ServiceAccount ${card.namespace}/${k8sName(s)}${str(obj(meta(s).annotations)["eks.amazonaws.com/role-arn"]) ? ` → IAM role ${str(obj(meta(s).annotations)["eks.amazonaws.com/role-arn"])}` : ""}`);
            const peer = index.inNamespace(K8S.peerAuthentication, cluster, card.namespace)[0];
            const db = index.of(AURORA).find((c) => c.region === region && c.name.includes(`${card.service}-db`)) ?? index.of(AURORA).find((c) => c.name === `${region}-${card.service}-db-cluster`);
            return {
                service: card.service,
                platform: "eks" as const,
                region,
                cluster,
                namespace: card.namespace,
                roles,
                identity,
                meshMtls: peer ? `${str(obj(spec(peer).mtls).mode) ?? "UNSET"} (PeerAuthentication ${card.namespace}/${k8sName(peer)})` : "none",
                database: db ? `Aurora ${str(obj(db.inputs).clusterIdentifier) ?? db.name}${db.protect ? " [protect]" : ""}${obj(db.inputs).deletionProtection === true ? " deletionProtection" : ""}` : null,
                dashboards: dashboardConfigMaps(index, cluster, card.service).map((c) => `ConfigMap ${k8sNamespace(c)}/${k8sName(c)}`),
                alerts: [...new Set(prometheusAlerts(index, cluster, card.namespace))],
            };
        });
}

/** A Cloud Run service's regions: its roles' services grouped by location. */
export function cloudRunPlacements(index: PlanIndex, card: CloudRunServiceCard): Placement[] {
    const roleNames = new Set(card.roles.map((r) => r.name));
    const services = index.of(CLOUD_RUN).filter((s) => roleNames.has(str(obj(obj(s.inputs).labels).role) ?? ""));
    const regions = [...new Set(services.map((s) => str(obj(s.inputs).location) ?? s.region ?? "unknown"))];
    return regions.map((region) => {
        const here = services.filter((s) => (str(obj(s.inputs).location) ?? s.region ?? "unknown") === region);
        const roles: RoleView[] = here.map((s) => {
            const t = obj(obj(s.inputs).template);
            const c = obj(arr(t.containers)[0]);
            const limits = obj(obj(c.resources).limits);
            const scaling = obj(t.scaling);
            return {
                role: str(obj(obj(s.inputs).labels).role) ?? s.name,
                kind: "Cloud Run service",
                objectName: str(obj(s.inputs).name) ?? s.name,
                minReplicas: typeof scaling.minInstanceCount === "number" ? scaling.minInstanceCount : 0,
                maxReplicas: typeof scaling.maxInstanceCount === "number" ? scaling.maxInstanceCount : null,
                scaling: `Cloud Run autoscaler (concurrency ${String(t.maxInstanceRequestConcurrency ?? "default")})`,
                nodePool: null,
                zoneSpread: "regional service (Cloud Run spreads instances across the region's zones)",
                cpuRequest: quantity(limits.cpu),
                memoryRequest: quantity(limits.memory),
                memoryLimit: quantity(limits.memory),
                image: str(c.image) ?? null,
                serviceAccount: str(t.serviceAccount) ?? null,
                exposure: `Cloud Run ingress ${str(obj(s.inputs).ingress) ?? "INGRESS_TRAFFIC_ALL"}`,
                pdbMinAvailable: null,
            };
        });
        const db = index.of(CLOUD_SQL).find((d) => str(obj(d.inputs).region) === region && !obj(d.inputs).masterInstanceName);
        return {
            service: card.service,
            platform: "cloud-run" as const,
            region,
            cluster: `cloud-run@${region}`,
            namespace: null,
            roles,
            identity: [...new Set(roles.map((r) => r.serviceAccount).filter((s): s is string => s !== null))].map((sa) => `GCP service account ${sa}`),
            meshMtls: "n/a (Cloud Run: TLS at Google's front end, IAM invoker checks per call)",
            database: db ? `Cloud SQL ${str(obj(db.inputs).name) ?? db.name}${db.protect ? " [protect]" : ""}${obj(db.inputs).deletionProtection === true ? " deletionProtection" : ""}` : null,
            dashboards: index.of("gcp:monitoring/dashboard:Dashboard").map((d) => `Cloud Monitoring dashboard ${d.name}`),
            alerts: index.of("gcp:monitoring/alertPolicy:AlertPolicy").map((a) => str(obj(a.inputs).displayName) ?? a.name),
        };
    });
}

export function placementsOf(index: PlanIndex, card: TopologyCard): Placement[] {
    return card.platform === "eks" ? eksPlacements(index, card) : cloudRunPlacements(index, card);
}
