import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FlagdDocument, flagd, flagdHost } from "../../data/flags";
import { cardinalityRelabelings, scrapeLimits } from "./observability";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

export interface FlagdArgs {
    /** flagd's image, pinned by digest (stack config `images.flagd`: the ECR mirror of ghcr.io/open-feature/flagd). */
    readonly image: string;
    /** The flag file flagd serves (data/flags.ts). */
    readonly flags: FlagdDocument;
    readonly replicas: number;
    /** Node label key selecting the platform pool. */
    readonly nodePoolLabel: string;
    /** Namespaces of the services that evaluate flags: the only ones admitted on the evaluation port. */
    readonly clientNamespaces: readonly string[];
    /** Prometheus' namespace: admitted on the management (metrics) port. */
    readonly monitoringNamespace: string;
    readonly labels: Readonly<Record<string, string>>;
    /**
     * PriorityClass of flagd's pods: every service evaluates flags on its request path, so flagd
     * schedules with the most critical services' class (the platform's PriorityClasses).
     */
    readonly priorityClassName: pulumi.Input<string>;
    /** Labels the Prometheus Operator selects ServiceMonitors by. */
    readonly monitorLabels: Readonly<Record<string, string>>;
    /** The release installing the ServiceMonitor CRD (kube-prometheus-stack). */
    readonly after: readonly pulumi.Resource[];
}

/** Validates the arguments; pure. */
export function validateFlagdArgs(args: Pick<FlagdArgs, "image" | "replicas" | "clientNamespaces" | "flags">): string[] {
    const problems: string[] = [];
    if (!/^[^\s@]+@sha256:[a-f0-9]{64}$/.test(args.image)) {
        problems.push(`flagd image "${args.image}" is not pinned by digest`);
    }
    if (!Number.isInteger(args.replicas) || args.replicas < 1) {
        problems.push(`flagd replicas must be a positive integer (got ${args.replicas})`);
    }
    if (args.clientNamespaces.length === 0) {
        problems.push("flagd without client namespaces: nothing could reach it");
    }
    if (Object.keys(args.flags.flags).length === 0) {
        problems.push("flagd with an empty flag file");
    }
    return problems;
}

const inNamespace = (ns: string): Peer => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });

/**
 * flagd as a central evaluation service (the "standalone" model of OpenFeature's docs): the official
 * image reading its flag file from a ConfigMap (`--uri file:`; flagd watches the file, so a changed
 * flag reaches the pods without a restart), a Service on the evaluation port, a PDB, and a `flags`
 * namespace under restricted Pod Security whose NetworkPolicies admit only the service namespaces
 * (evaluation) and Prometheus (metrics).
 */
export class Flagd extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    /** In-cluster host of the evaluation Service. */
    readonly host: string;
    readonly configMap: k8s.core.v1.ConfigMap;

    constructor(name: string, args: FlagdArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:Flagd", name, {}, opts);
        const problems = validateFlagdArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid flagd arguments:\n  - ${problems.join("\n  - ")}`, this);
        }
        const p = { parent: this, provider: opts.provider };
        const ns = new k8s.core.v1.Namespace(
            `${name}-ns`,
            {
                metadata: {
                    name: flagd.namespace,
                    labels: {
                        ...args.labels,
                        "kubernetes.io/metadata.name": flagd.namespace,
                        "app.kubernetes.io/part-of": "platform",
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                    },
                },
            },
            p,
        );
        const namespace = ns.metadata.name;
        const selector = { "app.kubernetes.io/name": "flagd" };
        // `instance` names the Deployment (one flagd per cluster), as the services' workloads do.
        const labels = { ...args.labels, ...selector, "app.kubernetes.io/instance": "flagd" };
        const meta = (objectName: string) => ({ name: objectName, namespace, labels });

        const flagFile = JSON.stringify(args.flags, null, 2);
        this.configMap = new k8s.core.v1.ConfigMap(`${name}-flags`, { metadata: meta("flagd-flags"), data: { [flagd.fileName]: flagFile } }, p);

        // Its own identity with no API token: flagd reads a mounted file, never the Kubernetes API.
        const sa = new k8s.core.v1.ServiceAccount(`${name}-service-account`, { metadata: meta("flagd"), automountServiceAccountToken: false }, p);

        const spread = (topologyKey: string) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } });
        const probe = (path: string, failureThreshold = 3, periodSeconds = 10) => ({ httpGet: { path, port: flagd.managementPort }, periodSeconds, failureThreshold, timeoutSeconds: 1 });
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: meta("flagd"),
                spec: {
                    replicas: args.replicas,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                    template: {
                        metadata: { labels },
                        spec: {
                            serviceAccountName: sa.metadata.name,
                            automountServiceAccountToken: false,
                            enableServiceLinks: false,
                            priorityClassName: args.priorityClassName,
                            nodeSelector: { [args.nodePoolLabel]: "platform" },
                            topologySpreadConstraints: [spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")],
                            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
                            containers: [
                                {
                                    name: "flagd",
                                    image: args.image,
                                    imagePullPolicy: "IfNotPresent",
                                    args: ["start", "--uri", `file:${flagd.mountPath}/${flagd.fileName}`, "--port", String(flagd.evaluationPort), "--management-port", String(flagd.managementPort)],
                                    ports: [
                                        { name: "evaluation", containerPort: flagd.evaluationPort, protocol: "TCP" },
                                        { name: "management", containerPort: flagd.managementPort, protocol: "TCP" },
                                    ],
                                    resources: {
                                        requests: { cpu: flagd.resources.cpuRequest, memory: flagd.resources.memoryRequest },
                                        limits: { cpu: flagd.resources.cpuLimit, memory: flagd.resources.memoryLimit },
                                    },
                                    // flagd's management port serves /healthz and /readyz.
                                    startupProbe: probe("/readyz", 30, 2),
                                    readinessProbe: probe("/readyz"),
                                    livenessProbe: probe("/healthz"),
                                    securityContext: {
                                        runAsNonRoot: true,
                                        runAsUser: 65532,
                                        allowPrivilegeEscalation: false,
                                        readOnlyRootFilesystem: true,
                                        privileged: false,
                                        capabilities: { drop: ["ALL"] },
                                        seccompProfile: { type: "RuntimeDefault" },
                                    },
                                    volumeMounts: [{ name: "flags", mountPath: flagd.mountPath, readOnly: true }],
                                },
                            ],
                            volumes: [{ name: "flags", configMap: { name: this.configMap.metadata.name } }],
                        },
                    },
                },
            },
            p,
        );
        const service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: flagd.serviceName, namespace, labels },
                spec: {
                    type: "ClusterIP",
                    selector,
                    ports: [
                        { name: "grpc-evaluation", port: flagd.evaluationPort, targetPort: flagd.evaluationPort, protocol: "TCP" },
                        { name: "http-management", port: flagd.managementPort, targetPort: flagd.managementPort, protocol: "TCP" },
                    ],
                },
            },
            p,
        );
        // flagd's OpenTelemetry metrics (evaluations, errors) on the management port.
        new k8s.apiextensions.CustomResource(
            `${name}-service-monitor`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: { name: "flagd", namespace, labels: { ...labels, ...args.monitorLabels } },
                spec: {
                    selector: { matchLabels: selector },
                    namespaceSelector: { matchNames: [flagd.namespace] },
                    ...scrapeLimits(),
                    endpoints: [{ port: "http-management", path: "/metrics", interval: "30s", scrapeTimeout: "10s", metricRelabelings: cardinalityRelabelings() }],
                },
            },
            { ...p, dependsOn: [...args.after, service] },
        );
        if (args.replicas > 1) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb`,
                { metadata: meta("flagd"), spec: { maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" } },
                p,
            );
        }
        const policy = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-${suffix}`, { metadata: meta(`flagd-${suffix}`), spec }, p);
        policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        policy("allow-evaluation", {
            podSelector: { matchLabels: selector },
            policyTypes: ["Ingress"],
            ingress: [{ from: args.clientNamespaces.map(inNamespace), ports: [{ protocol: "TCP", port: flagd.evaluationPort }] }],
        });
        policy("allow-metrics-scrape", {
            podSelector: { matchLabels: selector },
            policyTypes: ["Ingress"],
            ingress: [{ from: [inNamespace(args.monitoringNamespace)], ports: [{ protocol: "TCP", port: flagd.managementPort }] }],
        });
        // flagd reads a mounted file: no egress at all (not even DNS).

        this.namespace = namespace;
        this.host = flagdHost;
        this.registerOutputs({ namespace, host: this.host });
    }
}
