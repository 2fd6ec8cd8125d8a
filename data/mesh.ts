import { InboundPeer, K8sServiceCard } from "./catalog/types";
import { flaggerNamespace, hasProgressiveRole, loadTesterServiceAccount } from "./catalog/release";

/**
 * The service mesh (Istio ambient) as data: the identities a service namespace admits and the
 * ports ambient's data plane uses. Components render these; the policy pack checks against them.
 */

/** Namespace of the Istio control plane, CNI node agent and ztunnel. */
export const istioNamespace = "istio-system";
/** Namespace label enrolling every pod of the namespace in ambient (ztunnel, no sidecar). */
export const ambientLabel = { "istio.io/dataplane-mode": "ambient" } as const;
/** Istio's trust domain: SPIFFE identities are `spiffe://cluster.local/ns/<ns>/sa/<sa>`. */
export const trustDomain = "cluster.local";
/** HBONE: ztunnel carries every meshed connection as mTLS on this port of the destination pod. */
export const hbonePort = 15008;
/** Ambient rewrites kubelet probes to come from this link-local address (istio-cni SNAT). */
export const probeSourceCidr = "169.254.7.127/32";

/** Edge gateway (Envoy Gateway) namespace: its proxies call the edge-exposed ports. */
export const meshGatewayNamespace = "gateway";
/** Namespace and service account of kube-prometheus-stack's Prometheus (fullnameOverride kube-prometheus-stack). */
export const meshPrometheus = { namespace: "monitoring", serviceAccount: "kube-prometheus-stack-prometheus" } as const;
/** The metrics port Prometheus scrapes (seeds/000 §6). */
export const meshMetricsPort = 9464;

/** SPIFFE principal of a service account as Istio's AuthorizationPolicy names it. */
export function principal(namespace: string, serviceAccount: string): string {
    return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * Envoy Gateway names its proxies' service account after a hash of the Gateway, so the gateway is
 * admitted as every account of its namespace (which holds only the controller and the proxies).
 */
export const gatewayPrincipal = principal(meshGatewayNamespace, "*");
export const prometheusPrincipal = principal(meshPrometheus.namespace, meshPrometheus.serviceAccount);
/** Flagger's load tester (data/catalog/release.ts). */
export const loadTesterPrincipal = principal(flaggerNamespace, loadTesterServiceAccount);

/** The principal of one inbound caller of a card. */
export function peerPrincipal(p: InboundPeer): string {
    return principal(p.namespace, p.serviceAccount);
}

/** One ALLOW rule: these principals, to these pod ports. */
export interface MeshRule {
    readonly principals: readonly string[];
    readonly ports: readonly number[];
}

/**
 * What a service namespace admits through the mesh: the card's callers on the port their role
 * serves (pods listen on `podPort` whatever the Service publishes), the gateway on the edge roles'
 * port, Prometheus on the metrics port. Nothing else: an ALLOW policy denies what no rule matches.
 */
export function meshRules(card: K8sServiceCard, podPort: number): MeshRule[] {
    const rules: MeshRule[] = [];
    if (card.roles.some((r) => r.exposure?.reach === "edge")) {
        rules.push({ principals: [gatewayPrincipal], ports: [podPort] });
    }
    const callers = [...new Set(card.inbound.map(peerPrincipal))].sort();
    if (callers.length > 0) {
        rules.push({ principals: callers, ports: [podPort] });
    }
    // Release (issue 12): Flagger's load tester sends each analysis step's synthetic traffic to the new version.
    if (hasProgressiveRole(card)) {
        rules.push({ principals: [loadTesterPrincipal], ports: [podPort] });
    }
    rules.push({ principals: [prometheusPrincipal], ports: [meshMetricsPort] });
    return rules;
}

/** Every principal a card's namespace admits (callers + gateway + Prometheus), sorted. */
export function admittedPrincipals(card: K8sServiceCard): string[] {
    return [...new Set(meshRules(card, 0).flatMap((r) => r.principals))].sort();
}
