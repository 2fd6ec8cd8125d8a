import { Finding } from "../../data/findings";
import { TopologyCard } from "../../data/catalog/types";
import type { GraphEdge } from "../../policy/graph/graph";
import { failurePolicyFor, outboundOf } from "./card";
import { CLOUD_RUN, K8S, PlanIndex, Placement, ReviewResource, arr, k8sName, k8sNamespace, obj, placementsOf, podLabels, prometheusAlerts, spec, str, workloadsOf } from "./model";

/**
 * The case study's §26 review checklist, evaluated item by item against a stack's plan: each item
 * has a status (pass / fail / not-applicable, or not-automatable with the reason) and the evidence
 * read from the registered resources, the service graph and the findings. Pure over its input.
 */

export type Status = "pass" | "fail" | "not-applicable" | "not-automatable";

export interface ReviewInput {
    readonly stack: string;
    readonly index: PlanIndex;
    readonly graph: readonly GraphEdge[];
    readonly findings: readonly Finding[];
    readonly cards: readonly TopologyCard[];
    /** A repository file's text (runbooks), undefined when it does not exist. */
    readonly readFile: (relativePath: string) => string | undefined;
}

export interface Evaluation {
    readonly status: Status;
    readonly evidence: readonly string[];
}

export interface ChecklistItem {
    /** `26.1.1` … `26.7.4`: section and position in the case study. */
    readonly id: string;
    readonly section: string;
    readonly question: string;
    /** How the item is evaluated, or why it cannot be. */
    readonly how: string;
    readonly evaluate?: (input: ReviewInput) => Evaluation;
}

export interface EvaluatedItem {
    readonly id: string;
    readonly section: string;
    readonly question: string;
    readonly how: string;
    readonly status: Status;
    readonly evidence: readonly string[];
}

/** Derived once per evaluation: the placements of every card in the stack. */
const placementCache = new WeakMap<ReviewInput, Placement[]>();

function placements(input: ReviewInput): Placement[] {
    const cached = placementCache.get(input);
    if (cached) {
        return cached;
    }
    const all = input.cards.flatMap((c) => placementsOf(input.index, c));
    placementCache.set(input, all);
    return all;
}

const eks = (input: ReviewInput) => placements(input).filter((p) => p.platform === "eks");
const where = (p: Placement) => `${p.service}@${p.region}`;

/** pass when no problem was found and something was checked; not-applicable when nothing applies. */
function verdict(checked: readonly string[], problems: readonly string[]): Evaluation {
    if (problems.length > 0) {
        return { status: "fail", evidence: problems };
    }
    return checked.length === 0 ? { status: "not-applicable", evidence: ["nothing in this stack to check"] } : { status: "pass", evidence: checked };
}

/** Deployments and StatefulSets of every EKS placement, with the placement. */
function servingWorkloads(input: ReviewInput): { p: Placement; w: ReviewResource }[] {
    return eks(input).flatMap((p) => workloadsOf(input.index, p.cluster, p.namespace ?? "", p.service).filter((w) => w.type !== K8S.cronJob).map((w) => ({ p, w })));
}

function containersOf(w: ReviewResource): Record<string, unknown>[] {
    const s = spec(w);
    const pod = w.type === K8S.cronJob ? obj(obj(obj(obj(s.jobTemplate).spec).template).spec) : obj(obj(s.template).spec);
    return arr(pod.containers).map(obj);
}

const serviceNamespaces = (input: ReviewInput) => eks(input).map((p) => ({ p, cluster: p.cluster, ns: p.namespace ?? "" }));

export const checklist: readonly ChecklistItem[] = [
    {
        id: "26.1.1",
        section: "Workload identity",
        question: "Does each service have its own service account?",
        how: "Every role's pods name a service account other than `default`, used by no other service in the cluster; every Cloud Run role runs as its own GCP service account.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            const owner = new Map<string, string>();
            for (const p of placements(input)) {
                for (const r of p.roles) {
                    const key = p.platform === "eks" ? `${p.cluster}/${p.namespace}/${r.serviceAccount}` : `${r.serviceAccount}`;
                    const holder = p.platform === "eks" ? p.service : `${p.service}/${r.role}`;
                    if (!r.serviceAccount || r.serviceAccount === "default") {
                        problems.push(`${where(p)} ${r.role}: runs as ${r.serviceAccount ?? "no service account"}`);
                    } else if (owner.has(key) && owner.get(key) !== holder) {
                        problems.push(`${where(p)} ${r.role}: service account ${r.serviceAccount} is also ${owner.get(key)}'s`);
                    } else {
                        owner.set(key, holder);
                        checked.push(`${where(p)} ${r.role}: ${r.serviceAccount}`);
                    }
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.1.2",
        section: "Workload identity",
        question: "Are DB/broker permissions scoped per service?",
        how: "Each EKS service's service account carries its own IAM role (IRSA), shared with no other service; each service with a database has its own cluster with IAM database authentication; Cloud Run roles have distinct GCP service accounts (26.1.1).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            const roleOwner = new Map<string, string>();
            for (const p of eks(input)) {
                const arns = input.index
                    .inNamespace(K8S.serviceAccount, p.cluster, p.namespace ?? "")
                    .filter((s) => p.roles.some((r) => r.serviceAccount === k8sName(s)))
                    .map((s) => str(obj(obj(s.inputs).metadata).annotations ? obj(obj(obj(s.inputs).metadata).annotations)["eks.amazonaws.com/role-arn"] : undefined));
                if (arns.length === 0 || arns.some((a) => a === undefined)) {
                    problems.push(`${where(p)}: a service account without an IAM role (eks.amazonaws.com/role-arn)`);
                    continue;
                }
                for (const arn of arns as string[]) {
                    const other = roleOwner.get(arn);
                    if (other && other !== p.service) {
                        problems.push(`${where(p)}: IAM role ${arn} is shared with ${other}`);
                    }
                    roleOwner.set(arn, p.service);
                    checked.push(`${where(p)}: IAM role ${arn}`);
                }
                const card = input.cards.find((c) => c.service === p.service);
                if (card?.platform === "eks" && card.database) {
                    const db = input.index.of("aws:rds/cluster:Cluster").find((c) => c.region === p.region && c.name.includes(`${p.service}-db`));
                    if (!db || obj(db.inputs).iamDatabaseAuthenticationEnabled !== true) {
                        problems.push(`${where(p)}: no own Aurora cluster with IAM database authentication`);
                    } else {
                        checked.push(`${where(p)}: own Aurora cluster ${str(obj(db.inputs).clusterIdentifier) ?? db.name} with IAM database authentication`);
                    }
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.1.3",
        section: "Workload identity",
        question: "Are admin endpoints isolated?",
        how: "No HTTPRoute at the edge routes an admin, internal, actuator, health or metrics path, nor to a metrics port; Cloud Run roles the card marks internal are registered INGRESS_TRAFFIC_INTERNAL_ONLY.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            const admin = /^\/(admin|internal|actuator|metrics|health|debug)(\/|$)/;
            for (const route of input.index.of(K8S.httpRoute)) {
                for (const rule of arr(spec(route).rules).map(obj)) {
                    const paths = arr(rule.matches).map((m) => str(obj(obj(m).path).value) ?? "/");
                    const ports = arr(rule.backendRefs).map((b) => obj(b).port);
                    if (paths.some((x) => admin.test(x)) || ports.includes(9464)) {
                        problems.push(`HTTPRoute ${k8sNamespace(route)}/${k8sName(route)} routes ${paths.join(", ")} (ports ${ports.join(", ")}) from the edge`);
                    } else {
                        checked.push(`HTTPRoute ${k8sNamespace(route)}/${k8sName(route)}: ${paths.join(", ")} → port ${ports.join(", ")}`);
                    }
                }
            }
            for (const card of input.cards) {
                if (card.platform !== "cloud-run") {
                    continue;
                }
                for (const role of card.roles.filter((r) => r.ingress === "internal")) {
                    for (const s of input.index.of(CLOUD_RUN).filter((x) => obj(obj(x.inputs).labels).role === role.name)) {
                        const ingress = str(obj(s.inputs).ingress);
                        (ingress === "INGRESS_TRAFFIC_INTERNAL_ONLY" ? checked : problems).push(`Cloud Run ${s.name}: ingress ${ingress ?? "INGRESS_TRAFFIC_ALL (default)"}`);
                    }
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.1.4",
        section: "Workload identity",
        question: "Is service-to-service auth enforced beyond network location?",
        how: "Every EKS service namespace has a STRICT mesh PeerAuthentication and at least one AuthorizationPolicy (identities, not addresses); no Cloud Run service disables the IAM invoker check.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, cluster, ns } of serviceNamespaces(input)) {
                const strict = input.index.inNamespace(K8S.peerAuthentication, cluster, ns).some((a) => obj(spec(a).mtls).mode === "STRICT");
                const authz = input.index.inNamespace(K8S.authorizationPolicy, cluster, ns);
                if (!strict || authz.length === 0) {
                    problems.push(`${where(p)}: ${strict ? "" : "no STRICT PeerAuthentication; "}${authz.length} AuthorizationPolicy`);
                } else {
                    checked.push(`${where(p)}: STRICT mTLS, AuthorizationPolicy ${authz.map(k8sName).join(", ")}`);
                }
            }
            // Edge-facing roles (card ingress `load-balancer`) take end users' calls through the load
            // balancer and Cloud Armor; the IAM invoker check is for service-to-service callers.
            const edgeRoles = new Set(input.cards.flatMap((c) => (c.platform === "cloud-run" ? c.roles.filter((r) => r.ingress === "load-balancer").map((r) => r.name) : [])));
            for (const s of input.index.of(CLOUD_RUN)) {
                const role = str(obj(obj(s.inputs).labels).role) ?? "";
                const disabled = obj(s.inputs).invokerIamDisabled === true;
                if (edgeRoles.has(role)) {
                    checked.push(`Cloud Run ${s.name}: edge-facing (behind the load balancer), invoker IAM ${disabled ? "off for end users" : "enforced"}`);
                } else {
                    (disabled ? problems : checked).push(`Cloud Run ${s.name}: invoker IAM ${disabled ? "disabled" : "enforced"}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.2.1",
        section: "Network",
        question: "Is public exposure limited to edge/gateway?",
        how: "Services of type LoadBalancer or NodePort exist only in the gateway namespace; no Cloud Run service takes INGRESS_TRAFFIC_ALL (the global load balancer is the edge).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const s of input.index.of(K8S.service)) {
                const type = str(spec(s).type) ?? "ClusterIP";
                if (type === "LoadBalancer" || type === "NodePort") {
                    (k8sNamespace(s) === "gateway" ? checked : problems).push(`Service ${k8sNamespace(s)}/${k8sName(s)} is ${type}`);
                }
            }
            for (const s of input.index.of(CLOUD_RUN)) {
                const ingress = str(obj(s.inputs).ingress) ?? "INGRESS_TRAFFIC_ALL";
                (ingress === "INGRESS_TRAFFIC_ALL" ? problems : checked).push(`Cloud Run ${s.name}: ${ingress}`);
            }
            checked.push(`${input.index.of(K8S.httpRoute).length} HTTPRoute(s), all attached to the edge Gateway`);
            return verdict(checked, problems);
        },
    },
    {
        id: "26.2.2",
        section: "Network",
        question: "Are internal services ClusterIP only?",
        how: "Every Kubernetes Service in a service namespace is ClusterIP (headless included).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, cluster, ns } of serviceNamespaces(input)) {
                for (const s of input.index.inNamespace(K8S.service, cluster, ns)) {
                    const type = str(spec(s).type) ?? "ClusterIP";
                    (type === "ClusterIP" ? checked : problems).push(`${where(p)}: Service ${ns}/${k8sName(s)} ${type}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.2.3",
        section: "Network",
        question: "Are NetworkPolicies/service mesh policies defined?",
        how: "Every service namespace has a default-deny NetworkPolicy (empty pod selector, Ingress and Egress) plus allow rules, and mesh AuthorizationPolicies (26.1.4).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, cluster, ns } of serviceNamespaces(input)) {
                const nps = input.index.inNamespace(K8S.networkPolicy, cluster, ns);
                const deny = nps.find((n) => Object.keys(obj(obj(spec(n).podSelector).matchLabels)).length === 0 && ["Ingress", "Egress"].every((t) => arr(spec(n).policyTypes).includes(t)));
                (deny ? checked : problems).push(`${where(p)}: ${nps.length} NetworkPolicies${deny ? `, default deny ${k8sName(deny)}` : ", no default deny"}`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.2.4",
        section: "Network",
        question: "Are timeouts and retries defined per edge?",
        how: "Every HTTPRoute rule sets `timeouts.request`, and a retry policy covers it (an Envoy Gateway BackendTrafficPolicy with `retry` targeting the route or its Gateway, or the rule's own `retry`).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            const btps = input.index.of(K8S.backendTrafficPolicy).filter((b) => obj(spec(b).retry) && Object.keys(obj(spec(b).retry)).length > 0);
            for (const route of input.index.of(K8S.httpRoute)) {
                const name = k8sName(route);
                const gateways = arr(spec(route).parentRefs).map((p) => str(obj(p).name));
                const retried = btps.some((b) => [...arr(spec(b).targetRefs), spec(b).targetRef].map(obj).some((t) => (t.kind === "HTTPRoute" && t.name === name && k8sNamespace(b) === k8sNamespace(route)) || (t.kind === "Gateway" && gateways.includes(str(t.name)))));
                arr(spec(route).rules).map(obj).forEach((rule, i) => {
                    const timeout = str(obj(rule.timeouts).request);
                    const ok = timeout !== undefined && (retried || Object.keys(obj(rule.retry)).length > 0);
                    (ok ? checked : problems).push(`HTTPRoute ${k8sNamespace(route)}/${name} rule ${i}: timeout ${timeout ?? "none"}, retry ${retried || Object.keys(obj(rule.retry)).length > 0 ? "set" : "none"}`);
                });
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.3.1",
        section: "Availability",
        question: "Are critical services spread across zones?",
        how: "Every Deployment and StatefulSet of a critical or high service has a topology spread constraint on topology.kubernetes.io/zone; Cloud Run services are regional (spread by the platform).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, w } of servingWorkloads(input)) {
                const card = input.cards.find((c) => c.service === p.service);
                if (card?.criticality === "medium") {
                    continue;
                }
                const pod = obj(obj(spec(w).template).spec);
                const zone = arr(pod.topologySpreadConstraints).map(obj).find((c) => c.topologyKey === "topology.kubernetes.io/zone");
                (zone ? checked : problems).push(`${where(p)} ${k8sName(w)}: ${zone ? `zone spread maxSkew ${String(zone.maxSkew)}` : "no zone spread"}`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.3.2",
        section: "Availability",
        question: "Do PodDisruptionBudgets protect critical replicas?",
        how: "Every Deployment/StatefulSet whose minimum is 2 or more has a PDB selecting its pods with minAvailable of at least 1 and below the minimum (so a node drain can proceed).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p } of servingWorkloads(input).filter((x, i, all) => all.findIndex((y) => y.p === x.p) === i)) {
                for (const r of p.roles.filter((x) => x.kind !== "CronJob" && (x.minReplicas ?? 0) >= 2)) {
                    const ok = r.pdbMinAvailable !== null && r.pdbMinAvailable >= 1 && r.pdbMinAvailable < (r.minReplicas ?? 0);
                    (ok ? checked : problems).push(`${where(p)} ${r.objectName}: min ${r.minReplicas}, PDB minAvailable ${r.pdbMinAvailable ?? "none"}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.3.3",
        section: "Availability",
        question: "Are readiness/liveness/startup probes correct?",
        how: "Every serving container has startup, readiness and liveness probes and liveness does not share readiness's endpoint (§27.5: liveness checks the process, not its dependencies); Cloud Run services have startup and liveness probes.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, w } of servingWorkloads(input)) {
                for (const c of containersOf(w)) {
                    const path = (k: string) => str(obj(obj(c[k]).httpGet).path);
                    const missing = ["startupProbe", "readinessProbe", "livenessProbe"].filter((k) => !c[k]);
                    const same = !missing.length && path("livenessProbe") !== undefined && path("livenessProbe") === path("readinessProbe");
                    (missing.length || same ? problems : checked).push(`${where(p)} ${k8sName(w)}/${str(c.name)}: ${missing.length ? `missing ${missing.join(", ")}` : `liveness ${path("livenessProbe") ?? "exec/tcp"}, readiness ${path("readinessProbe") ?? "exec/tcp"}${same ? " (same endpoint)" : ""}`}`);
                }
            }
            for (const s of input.index.of(CLOUD_RUN)) {
                const c = obj(arr(obj(obj(s.inputs).template).containers)[0]);
                (c.startupProbe && c.livenessProbe ? checked : problems).push(`Cloud Run ${s.name}: startup ${c.startupProbe ? "set" : "none"}, liveness ${c.livenessProbe ? "set" : "none"}`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.3.4",
        section: "Availability",
        question: "Does rollout preserve minimum capacity?",
        how: "Every Deployment rolls with maxUnavailable 0 (a new pod is ready before an old one goes); StatefulSets roll one pod at a time under their PDB.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, w } of servingWorkloads(input)) {
                if (w.type !== K8S.deployment) {
                    const partition = obj(obj(spec(w).updateStrategy).rollingUpdate).maxUnavailable;
                    checked.push(`${where(p)} StatefulSet ${k8sName(w)}: ${str(obj(spec(w).updateStrategy).type) ?? "RollingUpdate"}${partition !== undefined ? ` maxUnavailable ${String(partition)}` : " one pod at a time"}`);
                    continue;
                }
                const strategy = obj(spec(w).strategy);
                const ru = obj(strategy.rollingUpdate);
                const ok = (str(strategy.type) ?? "RollingUpdate") === "RollingUpdate" && (ru.maxUnavailable === 0 || ru.maxUnavailable === "0%");
                (ok ? checked : problems).push(`${where(p)} ${k8sName(w)}: ${str(strategy.type) ?? "RollingUpdate (default)"} maxUnavailable ${String(ru.maxUnavailable ?? "25% (default)")}, maxSurge ${String(ru.maxSurge ?? "25% (default)")}`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.4.1",
        section: "Capacity",
        question: "Are max replicas bounded by downstream capacity?",
        how: "The capacity model's capacity/hpa-max-db-budget findings (every role at its maximum against the database's connection budget) are present for the stack's databases and no capacity finding is mandatory.",
        evaluate: (input) => {
            const mandatory = input.findings.filter((f) => f.ruleId.startsWith("capacity/") && f.severity === "mandatory");
            const bounds = input.findings.filter((f) => f.ruleId === "capacity/hpa-max-db-budget" || f.ruleId === "capacity/gcp-pgbouncer-clients");
            if (mandatory.length > 0) {
                return { status: "fail", evidence: mandatory.map((f) => `${f.ruleId} ${f.resource}: ${f.message}`) };
            }
            return bounds.length === 0 ? { status: "fail", evidence: ["no capacity/hpa-max-db-budget finding: the maximum replicas were not checked against a database budget"] } : { status: "pass", evidence: bounds.map((f) => `${f.ruleId} ${f.resource}: ${f.message}`) };
        },
    },
    {
        id: "26.4.2",
        section: "Capacity",
        question: "Is DB pool math reviewed?",
        how: "The capacity model reports every database's connection demand against its budget (capacity/db-connection-budget, capacity/gcp-pgbouncer-server) on every plan; a budget exceeded is mandatory and fails the plan.",
        evaluate: (input) => {
            const math = input.findings.filter((f) => f.ruleId === "capacity/db-connection-budget" || f.ruleId === "capacity/gcp-pgbouncer-server");
            const over = math.filter((f) => f.severity === "mandatory");
            if (over.length > 0) {
                return { status: "fail", evidence: over.map((f) => `${f.resource}: ${f.message}`) };
            }
            const dbs = eks(input).filter((p) => p.database !== null).length + input.index.of("gcp:sql/databaseInstance:DatabaseInstance").length;
            return dbs === 0 ? { status: "not-applicable", evidence: ["no database in this stack"] } : math.length === 0 ? { status: "fail", evidence: ["no connection-budget finding for the stack's databases"] } : { status: "pass", evidence: math.map((f) => `${f.resource}: ${f.message}`) };
        },
    },
    {
        id: "26.4.3",
        section: "Capacity",
        question: "Is async worker scaling based on lag/oldest-age?",
        how: "Every autoscaled role that serves no traffic (no Service selects it) scales on a queue trigger (KEDA nats-jetstream or a Prometheus lag/queue query), not on CPU or memory alone.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const p of eks(input)) {
                for (const r of p.roles.filter((x) => x.exposure.startsWith("none") && x.scaling.startsWith("KEDA"))) {
                    const triggers = r.scaling.replace(/^KEDA /, "").split(", ").map((t) => t.split(":")[0]);
                    const queue = triggers.some((t) => t !== "cpu" && t !== "memory");
                    (queue ? checked : problems).push(`${where(p)} ${r.objectName}: ${r.scaling}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.4.4",
        section: "Capacity",
        question: "Are traffic classes separated?",
        how: "In every EKS placement the roles that take interactive traffic (a Service selects them) and the async roles run on different node pools (nodeSelector).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const p of eks(input)) {
                const interactive = new Set(p.roles.filter((r) => !r.exposure.startsWith("none")).map((r) => r.nodePool));
                const async = p.roles.filter((r) => r.exposure.startsWith("none"));
                if (interactive.size === 0 || async.length === 0) {
                    continue;
                }
                const shared = async.filter((r) => interactive.has(r.nodePool));
                (shared.length ? problems : checked).push(`${where(p)}: interactive on ${[...interactive].join(", ")}; async ${async.map((r) => `${r.role} on ${r.nodePool ?? "any node"}`).join(", ")}`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.5.1",
        section: "Data",
        question: "Is data ownership enforced?",
        how: "Every service whose card owns a database has its own registered database (Aurora cluster per service and region on AWS, the Cloud SQL instance on GCP) in every region it runs.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const p of placements(input)) {
                const card = input.cards.find((c) => c.service === p.service);
                const owns = card?.platform === "eks" ? card.database !== undefined : card !== undefined && card.data.owns.length > 0;
                if (owns) {
                    (p.database ? checked : problems).push(`${where(p)}: owns ${card?.data.owns.join(", ")} → ${p.database ?? "no database registered"}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.5.2",
        section: "Data",
        question: "Are cross-service DB joins blocked?",
        how: "No two services share a database cluster: each service's Postgres is a separate cluster, so a join across services cannot be written in SQL.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            const byDb = new Map<string, string[]>();
            for (const p of placements(input).filter((x) => x.database)) {
                byDb.set(`${p.region}:${p.database}`, [...(byDb.get(`${p.region}:${p.database}`) ?? []), p.service]);
            }
            for (const [db, services] of byDb) {
                (new Set(services).size > 1 ? problems : checked).push(`${db}: ${[...new Set(services)].join(", ")}`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.5.3",
        section: "Data",
        question: "Is read model staleness explicit?",
        how: "Not automatable: staleness is a read model's contract (the API documents it, the projector exposes its lag); the plan registers no read model boundary to inspect. The projector lag alert is in the cards (26.6).",
    },
    {
        id: "26.5.4",
        section: "Data",
        question: "Is audit store append-only and replay-safe?",
        how: "Not automatable: append-only is a database grant and an application contract (no UPDATE/DELETE for the writer role), and replay safety is idempotent consumers; neither is an infrastructure input the plan holds.",
    },
    {
        id: "26.6.1",
        section: "Observability",
        question: "Are trace/log/metric identities consistent?",
        how: "Every container's OTEL_SERVICE_NAME equals its pod's app.kubernetes.io/instance label (the name metrics carry through the ServiceMonitor and traces carry through OTLP).",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const p of eks(input)) {
                for (const w of workloadsOf(input.index, p.cluster, p.namespace ?? "", p.service)) {
                    const instance = str(podLabels(w)["app.kubernetes.io/instance"]);
                    for (const c of containersOf(w)) {
                        const otel = str(obj(arr(c.env).map(obj).find((e) => e.name === "OTEL_SERVICE_NAME")).value);
                        (otel !== undefined && otel === instance ? checked : problems).push(`${where(p)} ${k8sName(w)}: OTEL_SERVICE_NAME ${otel ?? "unset"}, instance label ${instance ?? "unset"}`);
                    }
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.6.2",
        section: "Observability",
        question: "Is telemetry routed through collector or known pipeline?",
        how: "The service graph has an `otlp` edge with a complete path (ConfigMap/secret endpoint → NetworkPolicy → collector Service) for every EKS service and region.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const p of eks(input)) {
                const edge = input.graph.find((e) => e.from === `${p.service}@${p.region}` && e.to === "otlp");
                if (!edge) {
                    problems.push(`${where(p)}: no otlp edge in the service graph`);
                } else {
                    (edge.problems.length === 0 ? checked : problems).push(`${where(p)}: ${edge.problems.length === 0 ? edge.path.join(" → ") : edge.problems.join("; ")}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.6.3",
        section: "Observability",
        question: "Are cardinality risks controlled?",
        how: "Every service's ServiceMonitor drops labels (a `labeldrop` metric relabelling) and sets sampleLimit and labelLimit.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, cluster, ns } of serviceNamespaces(input)) {
                const monitors = input.index.inNamespace(K8S.serviceMonitor, cluster, ns);
                if (monitors.length === 0) {
                    problems.push(`${where(p)}: no ServiceMonitor`);
                }
                for (const m of monitors) {
                    const drops = arr(spec(m).endpoints).flatMap((e) => arr(obj(e).metricRelabelings).map(obj)).filter((r) => r.action === "labeldrop").map((r) => str(r.regex) ?? "?");
                    const limits = typeof spec(m).sampleLimit === "number" && typeof spec(m).labelLimit === "number";
                    (drops.length > 0 && limits ? checked : problems).push(`${where(p)} ServiceMonitor ${k8sName(m)}: labeldrop ${drops.join(", ") || "none"}, sampleLimit ${String(spec(m).sampleLimit ?? "none")}, labelLimit ${String(spec(m).labelLimit ?? "none")}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.6.4",
        section: "Observability",
        question: "Are topology dashboards linked from service catalog?",
        how: "Every EKS service has a dashboard ConfigMap (label grafana_dashboard, the kube-prometheus-stack sidecar's) in its cluster named for the service; the review pack's card links the dashboard name.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const p of eks(input)) {
                (p.dashboards.length ? checked : problems).push(`${where(p)}: ${p.dashboards.length ? p.dashboards.join(", ") : "no dashboard ConfigMap (label grafana_dashboard)"}`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.7.1",
        section: "Failure handling",
        question: "Does each dependency have a failure policy?",
        how: "Every outbound dependency of every card deployed in the stack has an entry in the card's failure policy.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            const deployed = new Set(placements(input).map((p) => p.service));
            for (const card of input.cards.filter((c) => deployed.has(c.service))) {
                for (const dep of outboundOf(card)) {
                    const policy = failurePolicyFor(card, dep);
                    (policy ? checked : problems).push(`${card.service} → ${dep}: ${policy ?? "no failure policy"}`);
                }
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.7.2",
        section: "Failure handling",
        question: "Is degradation visible to user/operator?",
        how: "Operator side: every EKS service namespace has a PrometheusRule with alerting rules; GCP: Cloud Monitoring alert policies exist. The user-facing side (error responses, degraded UI) is the application's.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            for (const { p, cluster, ns } of serviceNamespaces(input)) {
                const alerts = prometheusAlerts(input.index, cluster, ns);
                (alerts.length ? checked : problems).push(`${where(p)}: ${alerts.length} alerting rule(s)${alerts.length ? ` (${alerts.slice(0, 4).join(", ")}${alerts.length > 4 ? ", …" : ""})` : ", no PrometheusRule alerts"}`);
            }
            if (placements(input).some((p) => p.platform === "cloud-run")) {
                const policies = input.index.of("gcp:monitoring/alertPolicy:AlertPolicy");
                (policies.length ? checked : problems).push(`Cloud Run: ${policies.length} Cloud Monitoring alert policies`);
            }
            return verdict(checked, problems);
        },
    },
    {
        id: "26.7.3",
        section: "Failure handling",
        question: "Are retry/circuit breaker policies consistent across app/mesh/client?",
        how: "Not automatable: the application's and its HTTP clients' retry and breaker settings live in the service code, which the plan does not see; the plan holds only the gateway's (26.2.4) and the cards' failure policies (26.7.1).",
    },
    {
        id: "26.7.4",
        section: "Failure handling",
        question: "Are emergency levers documented?",
        how: "Every deployed service's runbook (docs/runbooks/<service>.md, or the card's path) exists in the repository and has an emergency levers section.",
        evaluate: (input) => {
            const checked: string[] = [];
            const problems: string[] = [];
            const deployed = new Set(placements(input).map((p) => p.service));
            for (const card of input.cards.filter((c) => deployed.has(c.service))) {
                const paths = [`docs/runbooks/${card.service}.md`, card.runbook, `docs/${card.runbook}`];
                const found = paths.map((p) => ({ p, text: input.readFile(p) })).find((x) => x.text !== undefined);
                const levers = found?.text !== undefined && /^#+ .*emergency lever/im.test(found.text);
                (levers ? checked : problems).push(`${card.service}: ${found ? `${found.p}${levers ? " has an emergency levers section" : " has no emergency levers section"}` : `no runbook at ${paths.join(" or ")}`}`);
            }
            return verdict(checked, problems);
        },
    },
];

export function evaluateChecklist(input: ReviewInput): EvaluatedItem[] {
    return checklist.map((item) => {
        const result: Evaluation = item.evaluate ? item.evaluate(input) : { status: "not-automatable", evidence: [] };
        return { id: item.id, section: item.section, question: item.question, how: item.how, status: result.status, evidence: result.evidence };
    });
}

const mark: Record<Status, string> = { pass: "PASS", fail: "FAIL", "not-applicable": "N/A", "not-automatable": "NOT AUTOMATABLE" };

export function renderChecklist(stack: string, items: readonly EvaluatedItem[]): string {
    const count = (s: Status) => items.filter((i) => i.status === s).length;
    const lines = [
        `# Runtime topology review checklist (case study §26): ${stack}`,
        "",
        `${items.length} items: ${count("pass")} pass, ${count("fail")} fail, ${count("not-applicable")} not applicable, ${count("not-automatable")} not automatable. Evaluated from the stack's plan (registered resources, service graph, findings).`,
        "",
    ];
    let section = "";
    for (const i of items) {
        if (i.section !== section) {
            section = i.section;
            lines.push(`## ${i.id.split(".").slice(0, 2).join(".")} ${section}`, "");
        }
        lines.push(`### ${i.id} ${i.question} — ${mark[i.status]}`, "", `How: ${i.how}`, "");
        const shown = i.evidence.slice(0, 30);
        lines.push(...shown.map((e) => `- ${e}`), ...(i.evidence.length > shown.length ? [`- … and ${i.evidence.length - shown.length} more`] : []), ...(shown.length ? [""] : []));
    }
    return lines.join("\n");
}
