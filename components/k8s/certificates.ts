import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Name of the ClusterIssuer that signs with the cluster's private CA. */
export const caIssuerName = "platform-ca";
/** Root CA lifetime and renewal: ten years, renewed one year ahead with the same key. */
export const rootCaDuration = "87600h";
export const rootCaRenewBefore = "8760h";
/** Leaf lifetime and renewal (NATS server and clients): 90 days, renewed 30 days ahead. */
export const leafDuration = "2160h";
export const leafRenewBefore = "720h";

/** A Certificate signed by the cluster CA: `ca.crt`, `tls.crt` and `tls.key` land in `secretName`. */
/** The provider's generic await (pulumi-kubernetes ≥ 4.18): the create completes when the condition holds. */
export const waitForAnnotation = "pulumi.com/waitFor";

export function leafCertificate(
    name: string,
    args: {
        readonly objectName: string;
        readonly namespace: pulumi.Input<string>;
        readonly secretName: string;
        readonly commonName: string;
        readonly dnsNames?: readonly string[];
        readonly usages: readonly ("server auth" | "client auth")[];
        readonly labels: Readonly<Record<string, string>>;
        /** ClusterIssuer name (default: the platform CA). */
        readonly issuerName?: string;
    },
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            // The Pulumi Kubernetes provider waits until cert-manager has issued it (the Secret exists), so
            // what mounts or reads the Secret on the first `pulumi up` never waits on a value not yet written.
            metadata: { name: args.objectName, namespace: args.namespace, labels: { ...args.labels }, annotations: { [waitForAnnotation]: "condition=Ready" } },
            spec: {
                secretName: args.secretName,
                secretTemplate: { labels: { ...args.labels } },
                commonName: args.commonName,
                dnsNames: args.dnsNames ? [...args.dnsNames] : undefined,
                usages: ["digital signature", "key encipherment", ...args.usages],
                duration: leafDuration,
                renewBefore: leafRenewBefore,
                // A new key on every renewal: a leaked key dies with its certificate.
                privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                issuerRef: { name: args.issuerName ?? caIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
            },
        },
        opts,
    );
}

