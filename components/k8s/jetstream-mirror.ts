import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { leafnodePort, mirrorDeliverPrefixOf, mirrorStreamNameOf } from "../../data/jetstream-mirror";
import { StreamProfile, StreamSpec } from "../../data/streams";
import { natsLeafnodeTlsSecret } from "../aws/nats";
import { jetStreamApiVersion, streamResourceName } from "./jetstream";

/** The NATS chart's server pods (release `nats`): what the leaf-node Service and its NetworkPolicy select. */
export const natsServerSelector = { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "nats", "app.kubernetes.io/component": "nats" };
/** Ports the NATS pods take from inside the cluster (client, route, monitor, exporter): left open as before. */
const inClusterPorts = [4222, 6222, 8222, 7777];

/** The hostname names an internal NLB of a region gets (`<name>-<id>.elb.<region>.amazonaws.com`): the listener certificate's SAN. */
export function nlbDnsNames(region: string): string[] {
    return [`*.elb.${region}.amazonaws.com`];
}

/**
 * The LB controller's annotations of the leaf-node Service: an internal NLB (never internet-facing),
 * IP targets with the client address kept (the NetworkPolicy sees the leaf pods' peer-VPC addresses),
 * cross-zone, and access logs to the region's log bucket (audit/lb-access-logs). Pure.
 */
export function leafnodeLbAnnotations(accessLogBucket: string): Record<string, string> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
        "service.beta.kubernetes.io/aws-load-balancer-attributes": `load_balancing.cross_zone.enabled=true,access_logs.s3.enabled=true,access_logs.s3.bucket=${accessLogBucket},access_logs.s3.prefix=nlb`,
    };
}

export interface LeafnodeHubArgs {
    /** The AWS region of the hub (the listener certificate names its NLB hostnames). */
    readonly region: string;
    /** Namespace NATS runs in. */
    readonly namespace: pulumi.Input<string>;
    /** The passive regions' VPC ranges: the only sources of the leaf-node port (NLB source ranges and NetworkPolicy). */
    readonly peerCidrs: readonly string[];
    /** This region's VPC range: the NLB's health checks come from its nodes' addresses. */
    readonly vpcCidr: string;
    /** The region's access-log bucket (name). */
    readonly accessLogBucket: pulumi.Input<string>;
    readonly labels: Readonly<Record<string, string>>;
    /** The NATS release (the listener and its certificate exist once it is). */
    readonly after: readonly pulumi.Resource[];
}

/**
 * The hub side of the JetStream leaf link in an active region: an internal NLB in front of the NATS
 * servers' leaf-node port, reachable only from the peered passive VPCs, and the hub's CA certificate
 * the leaf verifies the listener with (read from the listener certificate's Secret: `ca.crt`).
 */
export class LeafnodeHub extends pulumi.ComponentResource {
    /** `host:7422` of the internal NLB. */
    readonly endpoint: pulumi.Output<string>;
    /** The hub's CA certificate (PEM). */
    readonly caPem: pulumi.Output<string>;

    constructor(name: string, args: LeafnodeHubArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:LeafnodeHub", name, {}, opts);
        if (args.peerCidrs.length === 0) {
            throw new pulumi.ResourceError("a leaf-node hub needs at least one peer CIDR", this);
        }
        const k = { parent: this, provider: opts.provider };
        const service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: "nats-leafnode", namespace: args.namespace, labels: { ...args.labels }, annotations: pulumi.output(args.accessLogBucket).apply(leafnodeLbAnnotations) },
                spec: {
                    type: "LoadBalancer",
                    loadBalancerClass: "service.k8s.aws/nlb",
                    // The LB controller turns these into the NLB security group's CIDR rules (inter-region peering cannot reference security groups).
                    loadBalancerSourceRanges: [...args.peerCidrs],
                    selector: natsServerSelector,
                    ports: [{ name: "leafnodes", port: leafnodePort, targetPort: leafnodePort, protocol: "TCP" }],
                },
            },
            { ...k, dependsOn: [...args.after] },
        );
        new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            {
                metadata: { name: "nats-leafnode", namespace: args.namespace, labels: { ...args.labels } },
                spec: {
                    podSelector: { matchLabels: natsServerSelector },
                    policyTypes: ["Ingress"],
                    ingress: [
                        { ports: inClusterPorts.map((port) => ({ port, protocol: "TCP" })) },
                        // The leaf-node port: the peered passive VPCs (client IP kept) and this VPC's NLB health checks only.
                        { from: [...args.peerCidrs, args.vpcCidr].map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: leafnodePort, protocol: "TCP" }] },
                    ],
                },
            },
            k,
        );
        this.endpoint = service.status.apply((s) => `${s?.loadBalancer?.ingress?.[0]?.hostname ?? ""}:${leafnodePort}`);
        // The listener certificate's Secret carries the issuing CA (`ca.crt`, public); the leaf trusts only that CA.
        const tls = k8s.core.v1.Secret.get(`${name}-listener-tls`, pulumi.interpolate`${args.namespace}/${natsLeafnodeTlsSecret}`, { ...k, dependsOn: [...args.after] });
        this.caPem = pulumi.unsecret(tls.data.apply((d) => Buffer.from(d?.["ca.crt"] ?? "", "base64").toString("utf8")));
        this.registerOutputs({ endpoint: this.endpoint });
    }
}

/** The NACK Stream spec of the local mirror of one hub stream. Pure. */
export function mirrorStreamSpec(s: StreamSpec, p: StreamProfile, maxBytes: number, hubDomain: string, leafRegion: string, preventDelete: boolean): Record<string, unknown> {
    return {
        name: mirrorStreamNameOf(s.name),
        // A mirror has no subjects: it only copies the origin, in order, with the origin's sequence numbers.
        mirror: { name: s.name, externalApiPrefix: `$JS.${hubDomain}.API`, externalDeliverPrefix: mirrorDeliverPrefixOf(leafRegion) },
        retention: "limits",
        storage: "file",
        replicas: p.replicas,
        maxAge: p.maxAge,
        maxBytes,
        discard: "old",
        account: "app",
        preventDelete,
    };
}

export interface MirrorStreamsArgs {
    /** Namespace NATS and NACK run in (the `app` Account resource lives there). */
    readonly namespace: pulumi.Input<string>;
    /** The hub's streams (data/streams.ts `streamsOf`). */
    readonly streams: readonly StreamSpec[];
    readonly profile: StreamProfile;
    /** Bytes per mirror (data/jetstream-mirror.ts `mirrorMaxBytes`). */
    readonly maxBytes: number;
    /** The hub's JetStream domain. */
    readonly hubDomain: string;
    /** This (passive) region. */
    readonly region: string;
    readonly labels: Readonly<Record<string, string>>;
    /** Streams survive deletion of their resources and Pulumi protects them (staging/prod). */
    readonly protect: boolean;
    /** NACK and its Account (the region's JetStreamStreams). */
    readonly after: readonly pulumi.Resource[];
}

/** The passive region's mirrors of every hub stream, declared through NACK (R per the profile). */
export class MirrorStreams extends pulumi.ComponentResource {
    readonly streamNames: readonly string[];

    constructor(name: string, args: MirrorStreamsArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:MirrorStreams", name, {}, opts);
        if (args.streams.length === 0) {
            throw new pulumi.ResourceError("no stream to mirror", this);
        }
        for (const s of args.streams) {
            new k8s.apiextensions.CustomResource(
                `${name}-${streamResourceName(mirrorStreamNameOf(s.name))}`,
                {
                    apiVersion: jetStreamApiVersion,
                    kind: "Stream",
                    metadata: { name: streamResourceName(mirrorStreamNameOf(s.name)), namespace: args.namespace, labels: { ...args.labels, "app.kubernetes.io/part-of": s.owner } },
                    spec: mirrorStreamSpec(s, args.profile, args.maxBytes, args.hubDomain, args.region, args.protect),
                },
                { parent: this, provider: opts.provider, protect: args.protect, dependsOn: [...args.after] },
            );
        }
        this.streamNames = args.streams.map((s) => mirrorStreamNameOf(s.name));
        this.registerOutputs({ streamNames: this.streamNames });
    }
}
