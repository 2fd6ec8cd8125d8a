import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { K8sServiceCard } from "../../data/catalog/types";
import { ClusterServices, CrossCloudEndpoint } from "../contracts";
import { httpPort, metricsPort } from "./pod";
import { roleSelector, serviceSelector, shortName } from "../../data/naming/k8s";
import { hbonePort, istioNamespace, probeSourceCidr } from "../../data/mesh";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

/** Ports of the data services inside the VPC (Aurora, ElastiCache) and of the in-cluster platform. */
export const postgresPort = 5432;
export const redisPort = 6379;
export const natsClientPort = 4222;
export const otlpPorts = [4317, 4318] as const;
/** VPC interface endpoints (Secrets Manager, STS, S3, ECR) and the EKS API's ENIs answer on 443 inside the VPC. */
export const vpcEndpointPort = 443;

const inNamespace = (ns: string): Peer => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
const tcp = (port: number): Port => ({ protocol: "TCP", port });

export interface NamedPolicy {
    /** Suffix of the logical name and the Kubernetes name. */
    readonly suffix: string;
    readonly spec: NetworkPolicySpec;
}

/**
 * A service's NetworkPolicies (seeds/000 §6): deny everything in and out, then allow exactly what
 * the card declares. No rule admits 0.0.0.0/0: AWS APIs are reached through VPC endpoints, services on
 * GCP through the HA VPN (`crossCloud`: their endpoints by service).
 */
export function networkPolicies(card: K8sServiceCard, cluster: ClusterServices, crossCloud: Readonly<Record<string, CrossCloudEndpoint>> = {}): NamedPolicy[] {
    const all = { matchLabels: serviceSelector(card) };
    const policies: NamedPolicy[] = [
        { suffix: "default-deny", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        {
            suffix: "allow-dns",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                ],
            },
        },
        {
            suffix: "allow-metrics-scrape",
            spec: {
                podSelector: all,
                policyTypes: ["Ingress"],
                ingress: [{ from: [inNamespace(cluster.monitoringNamespace)], ports: [tcp(metricsPort)] }],
            },
        },
    ];

    for (const role of card.roles) {
        if (!role.exposure) {
            continue;
        }
        const from: Peer[] = [];
        if (role.exposure.reach === "edge") {
            from.push(inNamespace(cluster.gatewayNamespace));
        }
        const peers = card.inbound.filter((p) => p.port === role.exposure?.port);
        from.push(...peers.map((p) => inNamespace(p.namespace)));
        if (from.length > 0) {
            policies.push({
                suffix: `allow-${role.name}-ingress`,
                spec: {
                    podSelector: { matchLabels: roleSelector(card, role) },
                    policyTypes: ["Ingress"],
                    // Pods listen on 8080 whatever port the Service publishes.
                    ingress: [{ from, ports: [tcp(httpPort)] }],
                },
            });
        }
    }

    // Ambient underneath: ztunnel delivers every admitted connection as HBONE (mTLS on 15008) from
    // the caller's pod, so the namespaces admitted above (and ztunnel's own) may reach 15008; the
    // mesh's AuthorizationPolicy then narrows them to the exact identities.
    const hboneFrom: Peer[] = [inNamespace(cluster.monitoringNamespace), inNamespace(istioNamespace)];
    if (card.roles.some((r) => r.exposure?.reach === "edge")) {
        hboneFrom.push(inNamespace(cluster.gatewayNamespace));
    }
    hboneFrom.push(...[...new Set(card.inbound.map((p) => p.namespace))].sort().map(inNamespace));
    policies.push({ suffix: "allow-mesh-hbone", spec: { podSelector: all, policyTypes: ["Ingress"], ingress: [{ from: hboneFrom, ports: [tcp(hbonePort)] }] } });
    // Ambient rewrites kubelet probes to come from a fixed link-local address (istio-cni).
    policies.push({
        suffix: "allow-kubelet-probes",
        spec: { podSelector: all, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: probeSourceCidr } }], ports: [tcp(httpPort)] }] },
    });

    const egress: NetworkPolicySpec["egress"] = [];
    const kinds = new Set(card.outbound.map((d) => d.kind));
    const vpc = { ipBlock: { cidr: cluster.vpcCidr } };
    const dataPorts = [...(kinds.has("postgres") ? [postgresPort] : []), ...(kinds.has("redis") ? [redisPort] : [])];
    if (dataPorts.length > 0) {
        egress.push({ to: [vpc], ports: dataPorts.map(tcp) });
    }
    if (kinds.has("nats")) {
        egress.push({ to: [inNamespace(cluster.natsNamespace)], ports: [tcp(natsClientPort)] });
    }
    egress.push({ to: [inNamespace(cluster.otelNamespace)], ports: otlpPorts.map(tcp) });
    // --- feature flags (issue 15): the in-cluster flagd, evaluation port only ---
    if (cluster.flags) {
        egress.push({ to: [inNamespace(cluster.flags.namespace)], ports: [tcp(cluster.flags.port)] });
    }
    // --- end feature flags ---
    // Secrets Manager / STS (IRSA) / S3 / ECR endpoints and, for leader election, the EKS API.
    egress.push({ to: [vpc], ports: [tcp(vpcEndpointPort)] });
    const s3 = cluster.objectStorageCidrs;
    if (kinds.has("object-storage") && s3 !== undefined) {
        // S3 through the gateway endpoint: only S3's own ranges, only HTTPS.
        egress.push({ to: pulumi.output(s3).apply((cidrs) => cidrs.map((cidr) => ({ ipBlock: { cidr } }))), ports: [tcp(vpcEndpointPort)] });
    }
    for (const d of card.outbound) {
        if (d.kind === "service") {
            // Once both ends are in the mesh, ztunnel carries the call as HBONE on the peer pod's 15008.
            egress.push({ to: [inNamespace(d.namespace)], ports: [tcp(d.port), tcp(hbonePort)] });
        }
        // The other cloud over the HA VPN: only the ranges its private name resolves into, only its port.
        const remote = d.kind === "cross-cloud" ? crossCloud[d.service] : undefined;
        if (remote) {
            egress.push({ to: remote.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(remote.port)] });
            // ID tokens for the call are minted at Google's STS / IAM Credentials, private.googleapis.com over the same VPN.
            egress.push({ to: [{ ipBlock: { cidr: remote.googleApis.cidr } }], ports: [tcp(443)] });
        }
    }
    policies.push({ suffix: "allow-egress", spec: { podSelector: all, policyTypes: ["Egress"], egress } });
    return policies;
}

/** Kubernetes name of a policy. */
export function networkPolicyName(card: K8sServiceCard, p: NamedPolicy): string {
    return `${shortName(card)}-${p.suffix}`;
}
