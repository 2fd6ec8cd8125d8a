import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ambientLabel, istioNamespace } from "../../data/mesh";
import { charts, helmRelease, platformNamespace } from "./helm";

export interface ServiceMeshArgs {
    /** Node label key selecting a pool; the control plane goes to the `platform` pool. */
    readonly nodePoolLabel: string;
    /** Standard labels of every Kubernetes object. */
    readonly labels: Readonly<Record<string, string>>;
    /** istiod replicas (the environment profile). */
    readonly istiodReplicas: number;
    /** Node groups and add-ons the releases wait for. */
    readonly after: readonly pulumi.Resource[];
}

/**
 * Istio in ambient mode from its official charts (base → istiod → cni → ztunnel): no sidecar per
 * pod; the ztunnel DaemonSet carries every meshed connection as mTLS (HBONE) with the SPIFFE
 * identity of the pod's service account, and istio-cni (chained after the VPC CNI) redirects the
 * enrolled pods' traffic to it.
 */
export class ServiceMesh extends pulumi.ComponentResource {
    /** The release that installs Istio's CRDs (PeerAuthentication, AuthorizationPolicy). */
    readonly crds: k8s.helm.v3.Release;
    /** Every release, in order: workloads enrolled in ambient wait for all of them. */
    readonly releases: readonly k8s.helm.v3.Release[];

    constructor(name: string, args: ServiceMeshArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:ServiceMesh", name, {}, opts);
        const k = { parent: this, provider: opts.provider };
        const onPlatform = { [args.nodePoolLabel]: "platform" };
        const ns = platformNamespace(`${name}-istio-system-ns`, istioNamespace, args.labels, k);

        this.crds = helmRelease(`${name}-istio-base`, "istio-base", charts.istioBase, ns.metadata.name, { defaultRevision: "default" }, { ...k, dependsOn: [...args.after] });
        const istiod = helmRelease(
            `${name}-istiod`,
            "istiod",
            charts.istiod,
            ns.metadata.name,
            {
                // STRICT is declared per service namespace (policy k8s-mesh-mtls), not mesh-wide: the gateway's
                // namespace must still take the ALB's plaintext.
                profile: "ambient",
                pilot: {
                    replicaCount: args.istiodReplicas,
                    autoscaleMin: args.istiodReplicas,
                    nodeSelector: onPlatform,
                    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
                },
            },
            { ...k, dependsOn: [this.crds] },
        );
        const cni = helmRelease(
            `${name}-istio-cni`,
            "istio-cni",
            charts.istioCni,
            ns.metadata.name,
            {
                profile: "ambient",
                // Chained after the AWS VPC CNI, which keeps pod IPs and the NetworkPolicy agent.
                cni: { chained: true, resources: { requests: { cpu: "100m", memory: "100Mi" } } },
            },
            { ...k, dependsOn: [istiod] },
        );
        const ztunnel = helmRelease(
            `${name}-ztunnel`,
            "ztunnel",
            charts.ztunnel,
            ns.metadata.name,
            { resources: { requests: { cpu: "200m", memory: "512Mi" } } },
            { ...k, dependsOn: [cni] },
        );
        this.releases = [this.crds, istiod, cni, ztunnel];
        this.registerOutputs({ dataplaneLabel: ambientLabel });
    }
}
