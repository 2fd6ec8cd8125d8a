import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { charts, helmRelease, platformNamespace } from "./helm";

/** One NATS principal per service (case study §19: broker principal per publisher/consumer). */
export interface NatsUser {
    readonly service: string;
    /** Subjects the service may publish (its events); JetStream API and acks are added. */
    readonly publish: readonly string[];
    /** Subjects the service may subscribe to (the events it consumes); reply inboxes are added. */
    readonly subscribe: readonly string[];
}

export interface NatsJetStreamArgs {
    /** Explicit provider of the `@pulumi/random` secrets. */
    readonly randomProvider: random.Provider;
    /** Namespace the release and its objects live in. */
    readonly namespace: string;
    /** Servers: 3 (a JetStream quorum) in staging/prod, 1 in dev. */
    readonly replicas: number;
    /** JetStream file-store volume size per server. */
    readonly storageSize: string;
    /** The encrypted gp3 StorageClass for persistent volumes. */
    readonly storageClassName: string;
    /** Container requests and limits of each server. */
    readonly resources: { readonly cpuRequest: string; readonly cpuLimit: string; readonly memoryRequest: string; readonly memoryLimit: string };
    /** One NATS user per service. */
    readonly users: readonly NatsUser[];
    /** Node label key selecting a pool; platform pods go to the `platform` pool. */
    readonly nodePoolLabel: string;
    /** Standard labels (environment, service, owner, managed-by) of every Kubernetes object. */
    readonly labels: Readonly<Record<string, string>>;
    /** Labels the Prometheus Operator selects monitors by. */
    readonly monitorLabels: Readonly<Record<string, string>>;
    /** What the release waits for: the StorageClass and the Prometheus Operator's CRDs (PodMonitor). */
    readonly after: readonly pulumi.Resource[];
}

export const natsClientPort = 4222;
/** The account holding the services' users and JetStream streams. */
export const natsAccount = "APP";
export const natsMonitorPort = 8222;

export function validateNatsArgs(args: Pick<NatsJetStreamArgs, "replicas" | "users">): string[] {
    const problems: string[] = [];
    // JetStream RAFT needs an odd quorum; 2 servers tolerate no loss and split-brain on one.
    if (args.replicas !== 1 && (args.replicas < 3 || args.replicas % 2 === 0)) {
        problems.push(`replicas ${args.replicas}: use 1 (dev) or an odd number ≥ 3`);
    }
    const seen = new Set<string>();
    for (const u of args.users) {
        if (seen.has(u.service)) {
            problems.push(`user ${u.service} listed twice`);
        }
        seen.add(u.service);
    }
    return problems;
}

/** A subject and everything below it: `assignment.window.materialized.v1` → itself; prefixes stay as given. */
function subjects(list: readonly string[]): string[] {
    return [...new Set(list)];
}

/** NATS JetStream from the official chart: clustered file store on encrypted volumes, per-service users. */
export class NatsJetStream extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    readonly url: string;
    readonly monitoringEndpoint: string;
    /** Per service: a client URL carrying its user and password (secret). */
    readonly credentials: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: NatsJetStreamArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:NatsJetStream", name, {}, opts);
        const problems = validateNatsArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid NATS arguments:\n  - ${problems.join("\n  - ")}`, this);
        }
        const k = { parent: this, provider: opts.provider };
        const ns = platformNamespace(`${name}-ns`, args.namespace, args.labels, k);
        const host = `nats.${args.namespace}.svc.cluster.local`;
        this.url = `nats://${host}:${natsClientPort}`;
        this.monitoringEndpoint = `${host}:${natsMonitorPort}`;

        // Alphanumeric passwords: safe inside a URL and NATS config without escaping.
        const sys = new random.RandomPassword(`${name}-sys-password`, { length: 32, special: false }, { parent: this, provider: args.randomProvider });
        const passwords = args.users.map((u) => ({ user: u, pw: new random.RandomPassword(`${name}-${u.service}-password`, { length: 32, special: false }, { parent: this, provider: args.randomProvider }) }));
        const credentials: Record<string, pulumi.Output<string>> = {};
        for (const { user, pw } of passwords) {
            credentials[user.service] = pulumi.secret(pulumi.interpolate`nats://${user.service}:${pw.result}@${host}:${natsClientPort}`);
        }
        this.credentials = credentials;

        // Only bcrypt hashes go into the server config; the values are still marked secret.
        const accounts = pulumi.all([sys.bcryptHash, ...passwords.map((p) => p.pw.bcryptHash)]).apply(([sysHash, ...hashes]) => ({
            SYS: { users: [{ user: "sys", password: sysHash }] },
            [natsAccount]: {
                jetstream: "enabled",
                users: passwords.map(({ user }, i) => ({
                    user: user.service,
                    password: hashes[i],
                    permissions: {
                        publish: { allow: [...subjects(user.publish), "$JS.API.>", "$JS.ACK.>"] },
                        subscribe: { allow: [...subjects(user.subscribe), "_INBOX.>"] },
                    },
                })),
            },
        }));
        const clustered = args.replicas > 1;
        const values = pulumi.secret(
            accounts.apply((acc) => ({
                config: {
                    cluster: { enabled: clustered, replicas: args.replicas },
                    jetstream: {
                        enabled: true,
                        fileStore: { enabled: true, dir: "/data", pvc: { enabled: true, size: args.storageSize, storageClassName: args.storageClassName } },
                        memoryStore: { enabled: false },
                    },
                    monitor: { enabled: true, port: natsMonitorPort },
                    merge: { accounts: acc, system_account: "SYS" },
                },
                container: {
                    merge: {
                        resources: {
                            requests: { cpu: args.resources.cpuRequest, memory: args.resources.memoryRequest },
                            limits: { cpu: args.resources.cpuLimit, memory: args.resources.memoryLimit },
                        },
                    },
                },
                podTemplate: {
                    merge: { spec: { nodeSelector: { [args.nodePoolLabel]: "platform" } } },
                    // One server per zone: a zone loss keeps the JetStream quorum.
                    topologySpreadConstraints: { "topology.kubernetes.io/zone": { maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" } },
                },
                podDisruptionBudget: { enabled: true },
                service: { ports: { monitor: { enabled: true } } },
                promExporter: { enabled: true, podMonitor: { enabled: true, merge: { metadata: { labels: { ...args.monitorLabels } } } } },
                natsBox: { enabled: false },
            })),
        );
        this.release = helmRelease(`${name}-release`, "nats", charts.nats, ns.metadata.name, values, { ...k, dependsOn: [...args.after] });
        this.registerOutputs({ url: this.url, monitoringEndpoint: this.monitoringEndpoint });
    }
}
