import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A pinned chart from a repository (or an `oci://` reference with no repository). */
export interface ChartRef {
    readonly chart: string;
    readonly version: string;
    /** HTTPS repository; omitted for `oci://` charts. */
    readonly repo?: string;
}

/** Charts the platform installs, pinned. */
export const charts = {
    kubePrometheusStack: { chart: "kube-prometheus-stack", version: "79.5.0", repo: "https://prometheus-community.github.io/helm-charts" },
    otelCollector: { chart: "opentelemetry-collector", version: "0.139.1", repo: "https://open-telemetry.github.io/opentelemetry-helm-charts" },
    keda: { chart: "keda", version: "2.18.1", repo: "https://kedacore.github.io/charts" },
    externalSecrets: { chart: "external-secrets", version: "0.20.4", repo: "https://charts.external-secrets.io" },
    nats: { chart: "nats", version: "1.3.16", repo: "https://nats-io.github.io/k8s/helm/charts/" },
    envoyGateway: { chart: "oci://docker.io/envoyproxy/gateway-helm", version: "v1.5.4" },
    // Istio 1.28 supports Kubernetes 1.29–1.34 (the clusters run 1.34); one version for all four charts.
    istioBase: { chart: "base", version: "1.28.0", repo: "https://istio-release.storage.googleapis.com/charts" },
    istiod: { chart: "istiod", version: "1.28.0", repo: "https://istio-release.storage.googleapis.com/charts" },
    istioCni: { chart: "cni", version: "1.28.0", repo: "https://istio-release.storage.googleapis.com/charts" },
    ztunnel: { chart: "ztunnel", version: "1.28.0", repo: "https://istio-release.storage.googleapis.com/charts" },
    awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "1.14.1", repo: "https://aws.github.io/eks-charts" },
    // cert-manager 1.19 supports Kubernetes 1.31–1.34; the chart installs its CRDs (crds.enabled).
    certManager: { chart: "cert-manager", version: "v1.19.1", repo: "https://charts.jetstack.io" },
} as const satisfies Record<string, ChartRef>;

/** A namespace the platform owns, labelled for NetworkPolicy selection. */
export function platformNamespace(name: string, namespace: string, labels: Readonly<Record<string, string>>, opts: pulumi.CustomResourceOptions): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(
        name,
        { metadata: { name: namespace, labels: { ...labels, "kubernetes.io/metadata.name": namespace, "app.kubernetes.io/part-of": "platform" } } },
        opts,
    );
}

/** One provider-managed Helm release of a pinned chart into a namespace created beforehand. */
export function helmRelease(
    name: string,
    releaseName: string,
    ref: ChartRef,
    /** The namespace (created beforehand: `createNamespace` stays false). */
    namespace: pulumi.Input<string>,
    values: pulumi.Input<Record<string, unknown>>,
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name: releaseName,
            chart: ref.chart,
            version: ref.version,
            repositoryOpts: ref.repo ? { repo: ref.repo } : undefined,
            namespace,
            createNamespace: false,
            atomic: true,
            cleanupOnFail: true,
            timeout: 900,
            values,
        },
        opts,
    );
}
