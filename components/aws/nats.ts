import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { NatsPermissions, streamAdminUser } from "../../data/broker";
import { RotationSlots } from "../../data/rotation";
import { leafCertificate } from "../k8s/certificates";
import { leafnodePort } from "../../data/jetstream-mirror";
import { charts, helmRelease, platformNamespace } from "./helm";

/** One NATS principal per service (case study §19: broker principal per publisher/consumer). */
export interface NatsUser {
    readonly service: string;
    /** Complete publish allow list (data/broker.ts `natsPermissionsOf`): its events and its streams' API subjects only. */
    readonly publish: readonly string[];
    /** Complete subscribe allow list: the events it consumes and its own inbox prefix. */
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
    /** Permissions of the stream-admin user (creates and updates the declared streams; operations use it). */
    readonly streamAdmin: NatsPermissions;
    /** Rotation slots of this deployment (data/rotation.ts): each principal has users `<name>-a` and `<name>-b`. */
    readonly rotation: RotationSlots;
    /** The cert-manager CA issuer the server and client certificates are signed by (they wait for it). */
    readonly caIssuer: pulumi.Resource;
    /** Environment (Secrets Manager names). */
    readonly environment: string;
    /** CMK of the secrets data class: the stream-admin credentials in Secrets Manager. */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** Secrets Manager recovery window (30 in staging/prod). */
    readonly secretRecoveryDays: number;
    /** Deletion protection and Pulumi `protect` for the secret (staging/prod). */
    readonly protect: boolean;
    /** Node label key selecting a pool; platform pods go to the `platform` pool. */
    readonly nodePoolLabel: string;
    /** Standard labels (environment, service, owner, managed-by) of every Kubernetes object. */
    readonly labels: Readonly<Record<string, string>>;
    /** Labels the Prometheus Operator selects monitors by. */
    readonly monitorLabels: Readonly<Record<string, string>>;
    /** What the release waits for: the StorageClass and the Prometheus Operator's CRDs (PodMonitor). */
    readonly after: readonly pulumi.Resource[];
    /** Cross-region JetStream (data/jetstream-mirror.ts): this region's JetStream domain and its side of the leaf link. */
    readonly leafnodes?: NatsLeafnodes;
}

/** A hub (active region) opens the TLS leaf-node listener; a leaf (passive region) dials its hub. */
export interface NatsLeafnodes {
    /** JetStream domain of this region (`$JS.<domain>.API` from across the link). */
    readonly domain: string;
    /** Hub: the names the listener's certificate carries (the internal NLB's hostnames). */
    readonly hub?: { readonly dnsNames: readonly string[] };
    /** Leaf: the hub's `tls://user:password@host:7422` (secret) and its CA certificate (PEM), which verifies the hub. */
    readonly leaf?: { readonly url: pulumi.Output<string>; readonly hubCaPem: pulumi.Input<string> };
}

export const natsClientPort = 4222;
/** The account holding the services' users and JetStream streams. */
export const natsAccount = "APP";
export const natsMonitorPort = 8222;
/** The server certificate's Secret (server + route TLS); its `ca.crt` is the cluster CA. */
export const natsServerTlsSecret = "nats-server-tls";
/** The stream-admin principal's client certificate (NACK's controller and operations use it). */
export const natsStreamAdminTlsSecret = "nats-stream-admin-tls";
/** The leaf-node listener's certificate Secret (hub side). */
export const natsLeafnodeTlsSecret = "nats-leafnode-tls";
/** The ConfigMap holding the hub's CA certificate (leaf side): public, so not a Secret. */
export const natsHubCaConfigMap = "nats-hub-ca";
const hubCaDir = "/etc/nats-hub-ca";

/** The Secret each client namespace gets from its own Certificate: `ca.crt`, `tls.crt`, `tls.key`. */
export const natsClientTlsSecret = "nats-client-tls";

/** The two users of one principal (`assignment-service-a`, `-b`): renewed on alternate rotation periods. */
export function natsUserNames(principal: string): { readonly a: string; readonly b: string } {
    return { a: `${principal}-a`, b: `${principal}-b` };
}

/** DNS names of the server certificate: the client Service and every pod behind the headless Service (routes). */
export function natsServerDnsNames(namespace: string): string[] {
    const suffixes = ["", `.${namespace}`, `.${namespace}.svc`, `.${namespace}.svc.cluster.local`];
    return [...suffixes.map((s) => `nats${s}`), ...suffixes.map((s) => `*.nats-headless${s}`)];
}

export function validateNatsArgs(args: Pick<NatsJetStreamArgs, "replicas" | "users">): string[] {
    const problems: string[] = [];
    // JetStream RAFT needs an odd quorum; 2 servers tolerate no loss and split-brain on one.
    if (args.replicas !== 1 && (args.replicas < 3 || args.replicas % 2 === 0)) {
        problems.push(`replicas ${args.replicas}: use 1 (dev) or an odd number ≥ 3`);
    }
    const seen = new Set<string>();
    for (const u of args.users) {
        for (const subject of u.publish) {
            if (subject === ">" || subject === "$JS.API.>" || /^\$JS\.API\.STREAM\.(CREATE|UPDATE|DELETE|PURGE)\b/.test(subject)) {
                problems.push(`user ${u.service} may publish ${subject}: services manage no streams`);
            }
        }
        if (seen.has(u.service)) {
            problems.push(`user ${u.service} listed twice`);
        }
        seen.add(u.service);
    }
    return problems;
}

/**
 * NATS JetStream from the official chart: clustered file store on encrypted volumes, per-service
 * users limited to their own subjects and streams, TLS (cert-manager) on client and route
 * connections with client certificates required.
 */
export class NatsJetStream extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    readonly url: string;
    readonly monitoringEndpoint: string;
    /** Per service: a client URL carrying its user and password (secret). */
    readonly credentials: Readonly<Record<string, pulumi.Output<string>>>;

    /** Secrets Manager secret of the stream-admin credentials (operations). */
    readonly streamAdminSecretArn: pulumi.Output<string>;
    /** The stream-admin client certificate: what logs in as stream-admin waits for its Secret. */
    readonly streamAdminCertificate: pulumi.Resource;

    constructor(name: string, args: NatsJetStreamArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider; awsProvider: aws.Provider }) {
        super("learning-platform:k8s:NatsJetStream", name, {}, opts);
        const problems = validateNatsArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid NATS arguments:\n  - ${problems.join("\n  - ")}`, this);
        }
        const k = { parent: this, provider: opts.provider };
        const ns = platformNamespace(`${name}-ns`, args.namespace, args.labels, k);
        const host = `nats.${args.namespace}.svc.cluster.local`;
        // TLS only: a client that does not speak TLS is refused.
        this.url = `tls://${host}:${natsClientPort}`;
        this.monitoringEndpoint = `${host}:${natsMonitorPort}`;

        const certOpts = { ...k, dependsOn: [args.caIssuer] };
        const serverCert = leafCertificate(
            `${name}-server-tls`,
            {
                objectName: "nats-server",
                namespace: ns.metadata.name,
                secretName: natsServerTlsSecret,
                commonName: `nats.${args.namespace}.svc`,
                dnsNames: natsServerDnsNames(args.namespace),
                // Routes are both: each server dials its peers and is dialled by them.
                usages: ["server auth", "client auth"],
                labels: args.labels,
            },
            certOpts,
        );
        // The stream-admin's client certificate: NACK's controller (components/k8s/jetstream.ts) and operations use it.
        this.streamAdminCertificate = leafCertificate(
            `${name}-stream-admin-tls`,
            { objectName: "nats-stream-admin", namespace: ns.metadata.name, secretName: natsStreamAdminTlsSecret, commonName: streamAdminUser, usages: ["client auth"], labels: args.labels },
            certOpts,
        );

        const hubLeafCert = args.leafnodes?.hub
            ? leafCertificate(
                  `${name}-leafnode-tls`,
                  {
                      objectName: "nats-leafnode",
                      namespace: ns.metadata.name,
                      secretName: natsLeafnodeTlsSecret,
                      commonName: `nats-leafnode.${args.namespace}.svc`,
                      dnsNames: args.leafnodes.hub.dnsNames,
                      usages: ["server auth"],
                      labels: args.labels,
                  },
                  certOpts,
              )
            : undefined;
        const hubCa = args.leafnodes?.leaf
            ? new k8s.core.v1.ConfigMap(
                  `${name}-hub-ca`,
                  { metadata: { name: natsHubCaConfigMap, namespace: ns.metadata.name, labels: { ...args.labels } }, data: { "ca.crt": args.leafnodes.leaf.hubCaPem } },
                  k,
              )
            : undefined;

        // Alphanumeric passwords: safe inside a URL and NATS config without escaping. Two per
        // principal, renewed on alternate periods (data/rotation.ts): clients get the one just renewed.
        const rp = { parent: this, provider: args.randomProvider };
        const slotPassword = (principal: string, slot: "a" | "b") =>
            new random.RandomPassword(
                `${name}-${principal}-password-${slot}`,
                { length: 32, special: false, keepers: { rotation: args.rotation[slot] } },
                // Slot a is the single password of before (renamed, not replaced by the rename).
                { ...rp, aliases: slot === "a" ? [{ name: `${name}-${principal}-password` }] : [] },
            );
        const sys = new random.RandomPassword(`${name}-sys-password`, { length: 32, special: false }, rp);
        const principals = [...args.users.map((u) => ({ name: u.service, publish: u.publish, subscribe: u.subscribe })), { name: streamAdminUser, ...args.streamAdmin }];
        const passwords = principals.map((p) => ({ principal: p, a: slotPassword(p.name, "a"), b: slotPassword(p.name, "b") }));
        const current = (p: (typeof passwords)[number]) => (args.rotation.current === "a" ? p.a : p.b);
        const credentials: Record<string, pulumi.Output<string>> = {};
        for (const p of passwords) {
            credentials[p.principal.name] = pulumi.secret(pulumi.interpolate`tls://${natsUserNames(p.principal.name)[args.rotation.current]}:${current(p).result}@${host}:${natsClientPort}`);
        }
        this.credentials = credentials;

        const adminSecret = new aws.secretsmanager.Secret(
            `${name}-stream-admin-secret`,
            { name: `${args.environment}/platform/nats-stream-admin`, description: "NATS stream-admin credentials (creates and updates the declared streams)", kmsKeyId: args.secretsKeyArn, recoveryWindowInDays: args.secretRecoveryDays },
            { parent: this, provider: opts.awsProvider, protect: args.protect },
        );
        new aws.secretsmanager.SecretVersion(`${name}-stream-admin-secret-value`, { secretId: adminSecret.id, secretString: credentials[streamAdminUser] }, { parent: this, provider: opts.awsProvider });
        this.streamAdminSecretArn = adminSecret.arn;

        // Only bcrypt hashes go into the server config; the values are still marked secret.
        const hashes = pulumi.all(passwords.map((p) => pulumi.all([p.a.bcryptHash, p.b.bcryptHash])));
        const accounts = pulumi.all([sys.bcryptHash, hashes]).apply(([sysHash, pairs]) => ({
            SYS: { users: [{ user: "sys", password: sysHash }] },
            [natsAccount]: {
                jetstream: "enabled",
                users: passwords.flatMap(({ principal }, i) =>
                    (["a", "b"] as const).map((slot, j) => ({
                        user: natsUserNames(principal.name)[slot],
                        password: pairs[i][j],
                        permissions: { publish: { allow: [...principal.publish] }, subscribe: { allow: [...principal.subscribe] } },
                    })),
                ),
            },
        }));
        const clustered = args.replicas > 1;
        const leaf = args.leafnodes?.leaf;
        const remoteUrl = leaf ? leaf.url : pulumi.output("");
        const values = pulumi.secret(
            pulumi.all([accounts, remoteUrl]).apply(([acc, url]) => ({
                // The cluster CA (cert-manager writes it next to the server's key) verifies clients and route peers.
                tlsCA: { enabled: true, secretName: natsServerTlsSecret, key: "ca.crt" },
                config: {
                    // Client connections: TLS with a client certificate from the cluster CA, then the user's password.
                    nats: { tls: { enabled: true, secretName: natsServerTlsSecret, merge: { verify: true, timeout: 2 } } },
                    cluster: { enabled: clustered, replicas: args.replicas, tls: { enabled: clustered, secretName: natsServerTlsSecret } },
                    // Hub: the leaf-node listener, TLS with the listener certificate; the leaf's user authenticates.
                    ...(args.leafnodes?.hub ? { leafnodes: { enabled: true, port: leafnodePort, tls: { enabled: true, secretName: natsLeafnodeTlsSecret } } } : {}),
                    jetstream: {
                        enabled: true,
                        ...(args.leafnodes ? { merge: { domain: args.leafnodes.domain } } : {}),
                        fileStore: { enabled: true, dir: "/data", pvc: { enabled: true, size: args.storageSize, storageClassName: args.storageClassName } },
                        memoryStore: { enabled: false },
                    },
                    monitor: { enabled: true, port: natsMonitorPort },
                    merge: {
                        accounts: acc,
                        system_account: "SYS",
                        // Leaf: dial the hub (no listener of its own), binding the local APP account to the hub's.
                        ...(leaf ? { leafnodes: { remotes: [{ urls: [url], account: natsAccount, tls: { ca_file: `${hubCaDir}/ca.crt`, timeout: 5 } }] } } : {}),
                    },
                },
                container: {
                    ...(leaf ? { patch: [{ op: "add", path: "/volumeMounts/-", value: { name: "hub-ca", mountPath: hubCaDir, readOnly: true } }] } : {}),
                    merge: {
                        resources: {
                            requests: { cpu: args.resources.cpuRequest, memory: args.resources.memoryRequest },
                            limits: { cpu: args.resources.cpuLimit, memory: args.resources.memoryLimit },
                        },
                    },
                },
                podTemplate: {
                    ...(leaf ? { patch: [{ op: "add", path: "/spec/volumes/-", value: { name: "hub-ca", configMap: { name: natsHubCaConfigMap } } }] } : {}),
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
        this.release = helmRelease(`${name}-release`, "nats", charts.nats, ns.metadata.name, values, { ...k, dependsOn: [...args.after, serverCert, ...(hubLeafCert ? [hubLeafCert] : []), ...(hubCa ? [hubCa] : [])] });
        this.registerOutputs({ url: this.url, monitoringEndpoint: this.monitoringEndpoint });
    }
}
