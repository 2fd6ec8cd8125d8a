import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { caIssuerName, rootCaDuration, rootCaRenewBefore } from "../k8s/certificates";
import { charts, helmRelease, platformNamespace } from "./helm";

export interface CertManagerArgs {
    /** Namespace of the release, the root CA's Secret and the cluster issuers. */
    readonly namespace: string;
    /** Common name of the cluster's private root (one CA per cluster: no trust across regions). */
    readonly caCommonName: string;
    /** Controller and webhook replicas (2 in staging/prod: issuance survives a node loss). */
    readonly replicas: number;
    /** Node label key selecting a pool; cert-manager runs on the `platform` pool. */
    readonly nodePoolLabel: string;
    /** Standard labels of every Kubernetes object. */
    readonly labels: Readonly<Record<string, string>>;
    /** Labels the Prometheus Operator selects monitors by. */
    readonly monitorLabels: Readonly<Record<string, string>>;
    /** What the release waits for: the cluster and the Prometheus Operator's CRDs (ServiceMonitor). */
    readonly after: readonly pulumi.Resource[];
}

/**
 * cert-manager from the jetstack chart (pinned, CRDs installed and kept by the chart) and the
 * cluster's private PKI: a self-signed issuer that signs only the root, the root CA Certificate
 * (its Secret in this namespace), and the `platform-ca` ClusterIssuer every leaf is signed by.
 */
export class CertManager extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    /** The CA issuer: leaf Certificates wait for it. */
    readonly caIssuer: k8s.apiextensions.CustomResource;
    readonly caIssuerName = caIssuerName;

    constructor(name: string, args: CertManagerArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:CertManager", name, {}, opts);
        const k = { parent: this, provider: opts.provider };
        const ns = platformNamespace(`${name}-ns`, args.namespace, args.labels, k);
        const onPlatform = { [args.nodePoolLabel]: "platform" };
        const small = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } };
        this.release = helmRelease(
            `${name}-release`,
            "cert-manager",
            charts.certManager,
            ns.metadata.name,
            {
                // The chart installs the CRDs and keeps them on uninstall (deleting them would delete every Certificate).
                crds: { enabled: true, keep: true },
                replicaCount: args.replicas,
                podDisruptionBudget: { enabled: args.replicas > 1, minAvailable: 1 },
                nodeSelector: onPlatform,
                resources: small,
                webhook: { replicaCount: args.replicas, nodeSelector: onPlatform, resources: small, podDisruptionBudget: { enabled: args.replicas > 1, minAvailable: 1 } },
                cainjector: { replicaCount: 1, nodeSelector: onPlatform, resources: small },
                startupapicheck: { nodeSelector: onPlatform },
                prometheus: { enabled: true, servicemonitor: { enabled: true, labels: { ...args.monitorLabels } } },
            },
            { ...k, dependsOn: [...args.after] },
        );
        const crd = { ...k, dependsOn: [this.release] };
        const selfSigned = new k8s.apiextensions.CustomResource(
            `${name}-selfsigned`,
            { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "platform-selfsigned", labels: { ...args.labels } }, spec: { selfSigned: {} } },
            crd,
        );
        const root = new k8s.apiextensions.CustomResource(
            `${name}-root-ca`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: { name: "platform-root-ca", namespace: ns.metadata.name, labels: { ...args.labels } },
                spec: {
                    isCA: true,
                    commonName: args.caCommonName,
                    secretName: "platform-root-ca",
                    duration: rootCaDuration,
                    renewBefore: rootCaRenewBefore,
                    // The root keeps its key on renewal: leaves signed before still verify against the renewed root.
                    privateKey: { algorithm: "ECDSA", size: 384, rotationPolicy: "Never" },
                    issuerRef: { name: "platform-selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" },
                },
            },
            { ...crd, dependsOn: [this.release, selfSigned] },
        );
        this.caIssuer = new k8s.apiextensions.CustomResource(
            `${name}-ca-issuer`,
            // A ClusterIssuer reads its CA Secret from cert-manager's own namespace.
            { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: caIssuerName, labels: { ...args.labels } }, spec: { ca: { secretName: "platform-root-ca" } } },
            { ...crd, dependsOn: [this.release, root] },
        );
        this.registerOutputs({ caIssuerName });
    }
}
