import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { arr, obj } from "./util";
import { k8sServices } from "../../data/catalog";
import { admittedPrincipals, ambientLabel } from "../../data/mesh";

/**
 * Kubernetes workload rules (case study §7, §11, §19, §26): what every pod the program creates must
 * be, and stack-wide checks that compare objects (PDBs against autoscalers, NetworkPolicies against
 * pods). They read the registered inputs, so they hold for any workload, not only the catalog's.
 */

type Props = Record<string, unknown>;

const workloadKinds: Record<string, "long-running" | "job"> = {
    "kubernetes:apps/v1:Deployment": "long-running",
    "kubernetes:apps/v1:StatefulSet": "long-running",
    "kubernetes:apps/v1:DaemonSet": "long-running",
    "kubernetes:apps/v1:ReplicaSet": "long-running",
    "kubernetes:core/v1:Pod": "long-running",
    "kubernetes:batch/v1:Job": "job",
    "kubernetes:batch/v1:CronJob": "job",
};

/** Namespaces where a Service may face outside the cluster (the edge gateway's). */
export const edgeNamespaces: readonly string[] = ["gateway"];

const zoneKey = "topology.kubernetes.io/zone";

/** The pod template (metadata + spec) of a workload's inputs. */
export function podTemplateOf(type: string, props: Props): { metadata: Props; spec: Props } | undefined {
    if (!(type in workloadKinds)) {
        return undefined;
    }
    if (type === "kubernetes:core/v1:Pod") {
        return { metadata: obj(props.metadata), spec: obj(props.spec) };
    }
    const spec = obj(props.spec);
    const template = type === "kubernetes:batch/v1:CronJob" ? obj(obj(obj(spec.jobTemplate).spec).template) : obj(spec.template);
    return { metadata: obj(template.metadata), spec: obj(template.spec) };
}

function containersOf(pod: Props): Props[] {
    return [...arr(pod.initContainers), ...arr(pod.containers)].map(obj);
}

function mainContainers(pod: Props): Props[] {
    return arr(pod.containers).map(obj);
}

function nameOf(props: Props): string {
    const m = obj(props.metadata);
    return `${typeof m.namespace === "string" ? `${m.namespace}/` : ""}${typeof m.name === "string" ? m.name : "?"}`;
}

const namespaceOf = (props: Props): string => {
    const ns = obj(props.metadata).namespace;
    return typeof ns === "string" ? ns : "default";
};

function eachPod(validate: (pod: Props, kind: "long-running" | "job", workload: string, report: (m: string) => void) => void): ResourceValidationPolicy["validateResource"] {
    return (args, report) => {
        const tpl = podTemplateOf(args.type, args.props);
        if (tpl) {
            validate(tpl.spec, workloadKinds[args.type], `${args.type.split(":")[2]} ${nameOf(args.props)}`, report);
        }
    };
}

export const requestsAndLimits: ResourceValidationPolicy = {
    name: "k8s-requests-limits",
    description: "Every container sets CPU and memory requests and limits (capacity math and bin-packing depend on them).",
    enforcementLevel: "mandatory",
    validateResource: eachPod((pod, _kind, workload, report) => {
        for (const c of containersOf(pod)) {
            const res = obj(c.resources);
            const missing = [
                ...["cpu", "memory"].filter((k) => obj(res.requests)[k] === undefined).map((k) => `requests.${k}`),
                ...["cpu", "memory"].filter((k) => obj(res.limits)[k] === undefined).map((k) => `limits.${k}`),
            ];
            if (missing.length > 0) {
                report(`${workload} container "${String(c.name)}" lacks ${missing.join(", ")}`);
            }
        }
    }),
};

export const probesPresent: ResourceValidationPolicy = {
    name: "k8s-probes",
    description: "Long-running containers have startup, readiness and liveness probes, and liveness is not the readiness check (it must never test a dependency).",
    enforcementLevel: "mandatory",
    validateResource: eachPod((pod, kind, workload, report) => {
        if (kind !== "long-running") {
            return;
        }
        for (const c of mainContainers(pod)) {
            const missing = ["startupProbe", "readinessProbe", "livenessProbe"].filter((p) => c[p] === undefined);
            if (missing.length > 0) {
                report(`${workload} container "${String(c.name)}" lacks ${missing.join(", ")}`);
                continue;
            }
            const path = (p: unknown) => obj(obj(p).httpGet).path;
            const live = path(c.livenessProbe);
            if (live !== undefined && live === path(c.readinessProbe)) {
                report(`${workload} container "${String(c.name)}": liveness probes the readiness endpoint ${String(live)}`);
            }
        }
    }),
};

export const imageByDigest: ResourceValidationPolicy = {
    name: "k8s-image-digest",
    description: "Every container image is pinned by digest (@sha256:), never a mutable tag.",
    enforcementLevel: "mandatory",
    validateResource: eachPod((pod, _kind, workload, report) => {
        for (const c of containersOf(pod)) {
            if (typeof c.image !== "string" || !/@sha256:[a-f0-9]{64}$/.test(c.image)) {
                report(`${workload} container "${String(c.name)}" image ${JSON.stringify(c.image)} is not pinned by digest`);
            }
        }
    }),
};

export const zoneSpread: ResourceValidationPolicy = {
    name: "k8s-zone-spread",
    description: `Long-running workloads spread their pods over zones (topologySpreadConstraints on ${zoneKey}).`,
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === "kubernetes:core/v1:Pod" || args.type === "kubernetes:apps/v1:DaemonSet") {
            return; // A bare pod cannot spread; a DaemonSet runs on every node already.
        }
        const tpl = podTemplateOf(args.type, args.props);
        if (!tpl || workloadKinds[args.type] !== "long-running") {
            return;
        }
        const spreads = arr(tpl.spec.topologySpreadConstraints).map(obj);
        if (!spreads.some((s) => s.topologyKey === zoneKey && typeof s.maxSkew === "number" && s.maxSkew >= 1)) {
            report(`${args.type.split(":")[2]} ${nameOf(args.props)} has no topologySpreadConstraint on ${zoneKey}`);
        }
    },
};

export const nonRootReadOnly: ResourceValidationPolicy = {
    name: "k8s-non-root-read-only",
    description: "Containers run as non-root with a read-only root filesystem and no privilege escalation.",
    enforcementLevel: "mandatory",
    validateResource: eachPod((pod, _kind, workload, report) => {
        const podSc = obj(pod.securityContext);
        for (const c of containersOf(pod)) {
            const sc = obj(c.securityContext);
            const problems: string[] = [];
            if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) {
                problems.push("runAsNonRoot is not true");
            }
            if ((sc.runAsUser ?? podSc.runAsUser) === 0) {
                problems.push("runAsUser is 0");
            }
            if (sc.readOnlyRootFilesystem !== true) {
                problems.push("readOnlyRootFilesystem is not true");
            }
            if (sc.allowPrivilegeEscalation !== false) {
                problems.push("allowPrivilegeEscalation is not false");
            }
            if (sc.privileged === true) {
                problems.push("privileged");
            }
            if (problems.length > 0) {
                report(`${workload} container "${String(c.name)}": ${problems.join(", ")}`);
            }
        }
    }),
};

export const noDefaultServiceAccount: ResourceValidationPolicy = {
    name: "k8s-no-default-service-account",
    description: "Every workload runs under its own service account, never the namespace's `default` (case study §19, §27.1).",
    enforcementLevel: "mandatory",
    validateResource: eachPod((pod, _kind, workload, report) => {
        const sa = pod.serviceAccountName ?? pod.serviceAccount;
        if (sa === undefined || sa === "" || sa === "default") {
            report(`${workload} runs on the default service account`);
        }
    }),
};

export const noExternalServices: ResourceValidationPolicy = {
    name: "k8s-no-external-service",
    description: `No Service of type LoadBalancer or NodePort outside the edge namespace (${edgeNamespaces.join(", ")}): public exposure only through the gateway. An internal load balancer (scheme internal) exposes nothing publicly.`,
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "kubernetes:core/v1:Service") {
            return;
        }
        const type = obj(args.props.spec).type;
        const a = obj(obj(args.props.metadata).annotations);
        const internal = a["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internal" || a["service.beta.kubernetes.io/aws-load-balancer-internal"] === "true";
        if (((type === "LoadBalancer" && !internal) || type === "NodePort") && !edgeNamespaces.includes(namespaceOf(args.props))) {
            report(`Service ${nameOf(args.props)} is of type ${String(type)} outside the edge namespace`);
        }
    },
};

export const hostIsolation: ResourceValidationPolicy = {
    name: "k8s-host-isolation",
    description:
        "No pod shares the node's namespaces or files: no hostNetwork, hostPID, hostIPC, hostPath volume, hostPort, Windows hostProcess, or unmasked /proc (Polaris hostNetworkSet, hostPIDSet, hostIPCSet, hostPathSet, hostPortSet, hostProcess, procMount).",
    enforcementLevel: "mandatory",
    validateResource: eachPod((pod, _kind, workload, report) => {
        const problems: string[] = ["hostNetwork", "hostPID", "hostIPC"].filter((k) => pod[k] === true);
        for (const v of arr(pod.volumes).map(obj)) {
            if (v.hostPath !== undefined) {
                problems.push(`hostPath volume "${String(v.name)}"`);
            }
        }
        if (obj(obj(pod.securityContext).windowsOptions).hostProcess === true) {
            problems.push("hostProcess");
        }
        for (const c of containersOf(pod)) {
            const sc = obj(c.securityContext);
            if (arr(c.ports).some((p) => obj(p).hostPort !== undefined && obj(p).hostPort !== 0)) {
                problems.push(`container "${String(c.name)}" hostPort`);
            }
            if (obj(sc.windowsOptions).hostProcess === true) {
                problems.push(`container "${String(c.name)}" hostProcess`);
            }
            if (sc.procMount !== undefined && sc.procMount !== "Default") {
                problems.push(`container "${String(c.name)}" procMount ${String(sc.procMount)}`);
            }
        }
        if (problems.length > 0) {
            report(`${workload} shares the host: ${problems.join(", ")}`);
        }
    }),
};

export const capabilitiesSeccomp: ResourceValidationPolicy = {
    name: "k8s-capabilities-seccomp",
    description:
        "Every container drops ALL Linux capabilities, adds none, and runs under a RuntimeDefault or Localhost seccomp profile (its own or the pod's) (Polaris dangerousCapabilities, insecureCapabilities, linuxHardening).",
    enforcementLevel: "mandatory",
    validateResource: eachPod((pod, _kind, workload, report) => {
        const podSeccomp = obj(obj(pod.securityContext).seccompProfile).type;
        for (const c of containersOf(pod)) {
            const sc = obj(c.securityContext);
            const caps = obj(sc.capabilities);
            const problems: string[] = [];
            if (!arr(caps.drop).includes("ALL")) {
                problems.push("does not drop ALL capabilities");
            }
            if (arr(caps.add).length > 0) {
                problems.push(`adds ${arr(caps.add).map(String).join(", ")}`);
            }
            const seccomp = obj(sc.seccompProfile).type ?? podSeccomp;
            if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
                problems.push(`seccomp profile ${seccomp === undefined ? "unset" : String(seccomp)}`);
            }
            if (problems.length > 0) {
                report(`${workload} container "${String(c.name)}": ${problems.join(", ")}`);
            }
        }
    }),
};

/** Built-in ClusterRoles that grant (nearly) everything in their scope. */
const broadClusterRoles = ["cluster-admin", "admin", "edit"];
/** Subresources that open a shell or a stream into a running pod. */
const podShellResources = ["pods/exec", "pods/attach"];

export const rbacLeastPrivilege: ResourceValidationPolicy = {
    name: "k8s-rbac-least-privilege",
    description: `Roles and ClusterRoles grant no wildcard (apiGroups, resources or verbs "*") and no ${podShellResources.join(" or ")}; no binding references ${broadClusterRoles.join(", ")} (Polaris's pod exec/attach and cluster-admin RBAC checks).`,
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const kind = args.type.split(":")[2];
        if (args.type === "kubernetes:rbac.authorization.k8s.io/v1:Role" || args.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole") {
            arr(args.props.rules).map(obj).forEach((rule, i) => {
                const wild = (["apiGroups", "resources", "verbs"] as const).filter((k) => arr(rule[k]).includes("*"));
                if (wild.length > 0) {
                    report(`${kind} ${nameOf(args.props)} rule ${i} grants "*" in ${wild.join(", ")}`);
                }
                const shell = arr(rule.resources).filter((r) => podShellResources.includes(String(r)));
                if (shell.length > 0) {
                    report(`${kind} ${nameOf(args.props)} rule ${i} grants ${shell.map(String).join(", ")}`);
                }
            });
        }
        if (args.type === "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding" || args.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding") {
            const ref = obj(args.props.roleRef);
            if (ref.kind === "ClusterRole" && broadClusterRoles.includes(String(ref.name))) {
                report(`${kind} ${nameOf(args.props)} binds the built-in ClusterRole ${String(ref.name)}`);
            }
        }
    },
};

/** Does a label selector (matchLabels + matchExpressions In/NotIn/Exists/DoesNotExist) select these labels? */
export function selects(selector: unknown, labels: Record<string, unknown>): boolean {
    const s = obj(selector);
    for (const [k, v] of Object.entries(obj(s.matchLabels))) {
        if (labels[k] !== v) {
            return false;
        }
    }
    for (const e of arr(s.matchExpressions).map(obj)) {
        const key = String(e.key);
        const values = arr(e.values);
        const has = key in labels;
        const ok =
            e.operator === "In" ? has && values.includes(labels[key]) :
            e.operator === "NotIn" ? !has || !values.includes(labels[key]) :
            e.operator === "Exists" ? has :
            e.operator === "DoesNotExist" ? !has : false;
        if (!ok) {
            return false;
        }
    }
    return true;
}

/** Objects go to different clusters through different providers: compare only within one (provider, namespace). */
function scopeOf(r: PolicyResource): string {
    return `${r.provider?.name ?? "default"}/${namespaceOf(r.props)}`;
}

interface PodGroup {
    readonly resource: PolicyResource;
    readonly kind: string;
    readonly name: string;
    readonly labels: Record<string, unknown>;
    /** The replica floor: an autoscaler's minimum when one targets it, else spec.replicas (default 1). */
    readonly minReplicas: number;
}

function longRunningGroups(resources: readonly PolicyResource[]): PodGroup[] {
    const scalers = resources.filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject" || r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    const out: PodGroup[] = [];
    for (const r of resources) {
        if (r.type !== "kubernetes:apps/v1:Deployment" && r.type !== "kubernetes:apps/v1:StatefulSet") {
            continue;
        }
        const tpl = podTemplateOf(r.type, r.props);
        const kind = r.type.split(":")[2];
        const name = String(obj(r.props.metadata).name);
        const scaler = scalers.find((s) => {
            const spec = obj(s.props.spec);
            const ref = obj(spec.scaleTargetRef);
            return scopeOf(s) === scopeOf(r) && ref.name === name && (ref.kind ?? "Deployment") === kind;
        });
        const sspec = scaler ? obj(scaler.props.spec) : {};
        // KEDA's paused-replicas annotation holds the target at that count (a passive region's stopped roles).
        const paused = scaler ? obj(obj(scaler.props.metadata).annotations)["autoscaling.keda.sh/paused-replicas"] : undefined;
        const fromScaler = scaler ? (typeof paused === "string" ? Number(paused) : (sspec.minReplicaCount ?? sspec.minReplicas ?? 1)) : undefined;
        const replicas = fromScaler ?? obj(r.props.spec).replicas ?? 1;
        out.push({ resource: r, kind, name, labels: obj(tpl?.metadata.labels), minReplicas: typeof replicas === "number" ? replicas : 1 });
    }
    return out;
}

export const disruptionBudgets: StackValidationPolicy = {
    name: "k8s-pdb",
    description:
        "Every Deployment/StatefulSet whose minimum is above one replica has a PodDisruptionBudget, and no budget forbids every voluntary disruption (minAvailable below the minimum, maxUnavailable above zero).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const pdbs = args.resources.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget");
        for (const g of longRunningGroups(args.resources)) {
            const mine = pdbs.filter((p) => scopeOf(p) === scopeOf(g.resource) && selects(obj(p.props.spec).selector, g.labels));
            if (g.minReplicas > 1 && mine.length === 0) {
                report(`${g.kind} ${nameOf(g.resource.props)} runs at least ${g.minReplicas} replicas but no PodDisruptionBudget selects its pods`, g.resource.urn);
            }
            for (const p of mine) {
                const spec = obj(p.props.spec);
                const minAvailable = spec.minAvailable;
                if (typeof minAvailable === "number" && minAvailable >= g.minReplicas) {
                    report(`PodDisruptionBudget ${nameOf(p.props)} minAvailable ${minAvailable} ≥ the ${g.minReplicas} replica minimum of ${g.kind} ${g.name}: no voluntary disruption is ever allowed`, p.urn);
                }
                if (minAvailable === "100%" || spec.maxUnavailable === 0 || spec.maxUnavailable === "0%") {
                    report(`PodDisruptionBudget ${nameOf(p.props)} allows zero disruptions`, p.urn);
                }
            }
        }
    },
};

export const networkPolicyCoverage: StackValidationPolicy = {
    name: "k8s-network-policy-coverage",
    description:
        "Every pod is selected by a NetworkPolicy for both ingress and egress: its namespace has a default-deny policy (empty podSelector) or policies whose selectors match its labels.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const policies = args.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        for (const r of args.resources) {
            const tpl = podTemplateOf(r.type, r.props);
            if (!tpl) {
                continue;
            }
            const labels = obj(tpl.metadata.labels);
            const covered = (direction: "Ingress" | "Egress") =>
                policies.some((p) => {
                    const spec = obj(p.props.spec);
                    const types = arr(spec.policyTypes);
                    const applies = types.length > 0 ? types.includes(direction) : direction === "Ingress" || spec.egress !== undefined;
                    return scopeOf(p) === scopeOf(r) && applies && selects(spec.podSelector, labels);
                });
            const missing = (["Ingress", "Egress"] as const).filter((d) => !covered(d));
            if (missing.length > 0) {
                report(`${r.type.split(":")[2]} ${nameOf(r.props)}: no NetworkPolicy selects its pods for ${missing.join(" and ")}`, r.urn);
            }
        }
    },
};

export const serviceAccountToken: StackValidationPolicy = {
    name: "k8s-service-account-token",
    description:
        "A pod mounts a Kubernetes API token only when its service account is granted something by a RoleBinding or ClusterRoleBinding: a pod that never calls the API carries no credential for it (Polaris automountServiceAccountToken).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const accounts = args.resources.filter((r) => r.type === "kubernetes:core/v1:ServiceAccount");
        const bindings = args.resources.filter((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding" || r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        for (const r of args.resources) {
            const tpl = podTemplateOf(r.type, r.props);
            if (!tpl) {
                continue;
            }
            const ns = namespaceOf(r.props);
            const sa = String(tpl.spec.serviceAccountName ?? tpl.spec.serviceAccount ?? "default");
            const account = accounts.find((a) => scopeOf(a) === scopeOf(r) && obj(a.props.metadata).name === sa);
            // The pod's own setting wins; unset, the ServiceAccount's; unset there too, Kubernetes mounts it.
            const mounts = (tpl.spec.automountServiceAccountToken ?? (account ? account.props.automountServiceAccountToken : undefined) ?? true) !== false;
            if (!mounts) {
                continue;
            }
            const granted = bindings.some(
                (b) =>
                    (b.type.endsWith(":ClusterRoleBinding") || scopeOf(b) === scopeOf(r)) &&
                    (b.provider?.name ?? "default") === (r.provider?.name ?? "default") &&
                    arr(b.props.subjects).map(obj).some((s) => s.kind === "ServiceAccount" && s.name === sa && (s.namespace ?? namespaceOf(b.props)) === ns),
            );
            if (!granted) {
                report(`${r.type.split(":")[2]} ${nameOf(r.props)} mounts an API token for service account "${sa}", which no RoleBinding or ClusterRoleBinding grants anything`, r.urn);
            }
        }
    },
};

const peerAuthenticationType = "kubernetes:security.istio.io/v1:PeerAuthentication";
const authorizationPolicyType = "kubernetes:security.istio.io/v1:AuthorizationPolicy";

/**
 * The identities an ALLOW policy admits, and its rules that admit any identity (no `from`, or a
 * source without principals: plaintext or any meshed caller would match).
 */
function allowedPrincipals(policy: Props): { principals: string[]; open: number } {
    const spec = obj(policy.spec);
    const principals: string[] = [];
    let open = 0;
    for (const rule of arr(spec.rules).map(obj)) {
        const sources = arr(rule.from).map((f) => obj(obj(f).source));
        const named = sources.flatMap((src) => arr(src.principals).map(String));
        if (sources.length === 0 || sources.some((src) => arr(src.principals).length === 0)) {
            open += 1;
        }
        principals.push(...named);
    }
    return { principals, open };
}

export const meshMtls: StackValidationPolicy = {
    name: "k8s-mesh-mtls",
    description:
        "Every service namespace is in Istio ambient (istio.io/dataplane-mode=ambient), has a STRICT PeerAuthentication (no plaintext, no port-level exception), and ALLOW AuthorizationPolicies whose principals are exactly its card's inbound callers, the edge gateway and Prometheus (seeds/000 §6, 002 §7, 003 §9).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const cards = new Map(k8sServices().map((c) => [c.service, c]));
        for (const r of args.resources.filter((x) => x.type === "kubernetes:core/v1:Namespace")) {
            const meta = obj(r.props.metadata);
            const labels = obj(meta.labels);
            const card = labels["app.kubernetes.io/part-of"] === "learning-platform" ? cards.get(String(labels["app.kubernetes.io/name"])) : undefined;
            if (!card) {
                continue;
            }
            const ns = String(meta.name);
            const scope = `${r.provider?.name ?? "default"}/${ns}`;
            const inNs = (type: string) => args.resources.filter((x) => x.type === type && scopeOf(x) === scope);
            if (labels[Object.keys(ambientLabel)[0]] !== ambientLabel["istio.io/dataplane-mode"]) {
                report(`namespace ${ns} is not in the mesh: label istio.io/dataplane-mode=ambient missing`, r.urn);
            }
            const peerAuth = inNs(peerAuthenticationType).map((p) => obj(p.props.spec));
            const strict = peerAuth.filter((spec) => obj(spec.mtls).mode === "STRICT" && obj(spec.selector).matchLabels === undefined);
            const weak = peerAuth.filter((spec) => obj(spec.mtls).mode !== "STRICT" || Object.values(obj(spec.portLevelMtls)).some((m) => obj(m).mode !== "STRICT"));
            if (strict.length === 0 || weak.length > 0) {
                report(`namespace ${ns}: mTLS is not STRICT (a namespace-wide PeerAuthentication with mode STRICT and no weaker one is required)`, r.urn);
            }
            const policies = inNs(authorizationPolicyType).map((p) => p.props);
            const allow = policies.filter((p) => (obj(p.spec).action ?? "ALLOW") === "ALLOW").map(allowedPrincipals);
            if (allow.length === 0) {
                report(`namespace ${ns}: no ALLOW AuthorizationPolicy, so any meshed identity may call it`, r.urn);
                continue;
            }
            const open = allow.reduce((s, a) => s + a.open, 0);
            if (open > 0) {
                report(`namespace ${ns}: ${open} AuthorizationPolicy rule(s) admit callers without naming their principals`, r.urn);
            }
            const actual = [...new Set(allow.flatMap((a) => a.principals))].sort();
            const expected = admittedPrincipals(card);
            const extra = actual.filter((p) => !expected.includes(p));
            const missing = expected.filter((p) => !actual.includes(p));
            if (extra.length > 0 || missing.length > 0) {
                report(
                    `namespace ${ns}: the mesh admits ${extra.length > 0 ? `principals the card does not name (${extra.join(", ")})` : ""}${extra.length > 0 && missing.length > 0 ? " and " : ""}${missing.length > 0 ? `not the card's callers ${missing.join(", ")}` : ""}`,
                    r.urn,
                );
            }
        }
    },
};

/**
 * Every workload schedules with a PriorityClass (case study §18: traffic classes decide who is
 * evicted first under pressure) and its `app.kubernetes.io/instance` label names the workload, so
 * dashboards, PDB selectors and alerts address one instance (Polaris: priorityClassNotSet,
 * metadataAndInstanceMismatched).
 */
export const priorityAndInstance: ResourceValidationPolicy = {
    name: "k8s-priority-and-instance",
    description: "Every workload sets a pod priorityClassName, and its app.kubernetes.io/instance label equals its name.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const tpl = podTemplateOf(args.type, args.props);
        if (!tpl) {
            return;
        }
        const workload = `${args.type.split(":")[2]} ${nameOf(args.props)}`;
        const priority = tpl.spec.priorityClassName;
        if (typeof priority !== "string" || priority === "") {
            report(`${workload}: no priorityClassName; its pods would be evicted and preempted as if nothing depended on them`);
        }
        const meta = obj(args.props.metadata);
        const instance = obj(meta.labels)["app.kubernetes.io/instance"];
        if (instance !== meta.name) {
            report(`${workload}: label app.kubernetes.io/instance is ${instance === undefined ? "missing" : JSON.stringify(instance)}, not its name ${JSON.stringify(meta.name)}`);
        }
    },
};

export const k8sPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    requestsAndLimits,
    probesPresent,
    imageByDigest,
    zoneSpread,
    nonRootReadOnly,
    noDefaultServiceAccount,
    noExternalServices,
    hostIsolation,
    capabilitiesSeccomp,
    rbacLeastPrivilege,
    disruptionBudgets,
    networkPolicyCoverage,
    serviceAccountToken,
    meshMtls,
    priorityAndInstance,
];
