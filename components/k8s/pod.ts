import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HttpProbe, K8sRole, K8sServiceCard } from "../../data/catalog/types";
import { ClusterServices } from "../contracts";
import { awaitingSecretName, configMapName, roleSelector, secretName, workloadName } from "../../data/naming/k8s";
import { natsTlsPodParts } from "./nats-client";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Probe = k8s.types.input.core.v1.Probe;

/** Ports of the shared service image (every role): HTTP (API, health) and OpenTelemetry Prometheus metrics. */
export const httpPort = 8080;
export const metricsPort = 9464;
/** UID/GID of the image's unprivileged user. */
export const runAsUser = 10001;

function probe(p: HttpProbe, initialDelaySeconds = 0): Probe {
    return {
        httpGet: { path: p.path, port: p.port },
        periodSeconds: p.periodSeconds,
        failureThreshold: p.failureThreshold,
        timeoutSeconds: p.timeoutSeconds ?? 1,
        initialDelaySeconds,
    };
}

export interface PodInputs {
    readonly card: K8sServiceCard;
    readonly role: K8sRole;
    readonly image: string;
    readonly serviceAccountName: pulumi.Input<string>;
    readonly cluster: ClusterServices;
    /**
     * Secret keys awaiting operations (their feature is off): they come from a second Secret the pod
     * reads with `optional: true`, so a missing value never holds the pod in CreateContainerConfigError.
     */
    readonly optionalSecrets?: readonly string[];
    /** The Aurora reader endpoint's URL, for roles that read from the replicas (no credentials: IAM authentication). */
    readonly databaseReadUrl?: pulumi.Input<string>;
    /** Release jobs (issue 12): more plain variables and Secrets read whole (the database bootstrap's admin credentials). */
    readonly extraEnv?: readonly { readonly name: string; readonly value: string }[];
    readonly extraSecretRefs?: readonly string[];
}

/**
 * The database environment of a role: its pool size is the card's `dbPoolPerPod`, the very number
 * the capacity model sums against `max_connections` (capacity/aws.ts `dbClients`), and a role that
 * reads from the replicas gets the reader endpoint.
 */
export function databaseEnv(card: K8sServiceCard, role: K8sRole, databaseReadUrl?: pulumi.Input<string>): k8s.types.input.core.v1.EnvVar[] {
    if (!card.database) {
        return [];
    }
    const env: k8s.types.input.core.v1.EnvVar[] = [];
    if (role.dbPoolPerPod > 0) {
        env.push({ name: "DB_POOL_SIZE", value: String(role.dbPoolPerPod) });
    }
    if (role.readsFromReplicas && databaseReadUrl !== undefined) {
        env.push({ name: "POSTGRES_READ_URL", value: databaseReadUrl });
    }
    return env;
}

/**
 * The pod of one role: the service's one image with `APP_ROLE`, config and secrets by reference,
 * the card's probes and resources, zone + node spread, the role's node pool, and a locked-down
 * security context (non-root, read-only root, no privilege escalation, no capabilities).
 */
export function podSpec(i: PodInputs): PodSpec {
    const { card, role } = i;
    const selector = roleSelector(card, role);
    const spread = (topologyKey: string) => ({
        maxSkew: 1,
        topologyKey,
        // ScheduleAnyway: spread is a preference; DoNotSchedule would turn node pressure into an outage (case study §11).
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selector },
    });
    const isJob = role.runtime === "cronjob";
    const optional = i.optionalSecrets ?? [];
    // NATS clients: the cluster CA and the service's client certificate (cert-manager), read-only.
    const natsTls = natsTlsPodParts(card, i.cluster);
    return {
        serviceAccountName: i.serviceAccountName,
        // Only a leader-elected role talks to the Kubernetes API; IRSA mounts its own (STS-audience) token.
        automountServiceAccountToken: role.leaderElection !== undefined,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: role.terminationGracePeriodSeconds,
        // Set only when the platform created the classes: a pod naming a missing class is rejected.
        priorityClassName: i.cluster.priorityClassNames?.[card.criticality],
        restartPolicy: isJob ? "Never" : "Always",
        nodeSelector: { [i.cluster.nodePoolLabel]: role.nodePool },
        topologySpreadConstraints: isJob ? undefined : [spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")],
        securityContext: {
            runAsNonRoot: true,
            runAsUser,
            runAsGroup: runAsUser,
            fsGroup: runAsUser,
            seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
            {
                name: "app",
                image: i.image,
                // Pinned by digest: the bytes cannot change, so a cached copy is always the right one.
                imagePullPolicy: "IfNotPresent",
                env: [
                    { name: "APP_ROLE", value: role.name },
                    { name: "OTEL_SERVICE_NAME", value: workloadName(card, role) },
                    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                    { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                    ...(role.leaderElection ? [{ name: "LEADER_ELECTION_LEASE", value: role.leaderElection.leaseName }] : []),
                    ...databaseEnv(card, role, i.databaseReadUrl),
                    ...(i.extraEnv ?? []),
                ],
                envFrom: [
                    { configMapRef: { name: configMapName(card) } },
                    ...(card.secrets.some((k) => !optional.includes(k)) ? [{ secretRef: { name: secretName(card) } }] : []),
                    ...(optional.length > 0 ? [{ secretRef: { name: awaitingSecretName(card), optional: true } }] : []),
                    ...(i.extraSecretRefs ?? []).map((name) => ({ secretRef: { name } })),
                ],
                ports: [
                    { name: "http", containerPort: httpPort, protocol: "TCP" },
                    { name: "metrics", containerPort: metricsPort, protocol: "TCP" },
                ],
                resources: {
                    requests: { cpu: role.resources.cpuRequest, memory: role.resources.memoryRequest },
                    limits: { cpu: role.resources.cpuLimit, memory: role.resources.memoryLimit },
                },
                startupProbe: role.probes ? probe(role.probes.startup) : undefined,
                readinessProbe: role.probes ? probe(role.probes.readiness) : undefined,
                livenessProbe: role.probes ? probe(role.probes.liveness) : undefined,
                securityContext: {
                    runAsNonRoot: true,
                    runAsUser,
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    privileged: false,
                    capabilities: { drop: ["ALL"] },
                    seccompProfile: { type: "RuntimeDefault" },
                },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...natsTls.mounts],
            },
        ],
        // The only writable path: scratch space, bounded so a runaway writer is evicted, not the node.
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }, ...natsTls.volumes],
    };
}
