import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { K8sServiceCard } from "../../data/catalog/types";
import { ClusterServices } from "../contracts";
import { leafCertificate } from "./certificates";

/** Where a NATS client pod finds the cluster CA and its client certificate. */
export const natsTlsMountPath = "/etc/nats-tls";
const natsTlsVolume = "nats-tls";

/** ConfigMap entries naming the TLS files (the client library's CA, cert and key options). */
export const natsClientConfig: Readonly<Record<string, string>> = {
    NATS_CA_FILE: `${natsTlsMountPath}/ca.crt`,
    NATS_CERT_FILE: `${natsTlsMountPath}/tls.crt`,
    NATS_KEY_FILE: `${natsTlsMountPath}/tls.key`,
};

/** Does the card's service talk to NATS over the platform's TLS (so its pods mount the client certificate)? */
export function usesNatsTls(card: K8sServiceCard, cluster: ClusterServices): boolean {
    return cluster.natsTls !== undefined && card.outbound.some((d) => d.kind === "nats");
}

/** The pod parts of a NATS TLS client: the Secret cert-manager writes, read-only. */
export function natsTlsPodParts(card: K8sServiceCard, cluster: ClusterServices): { volumes: k8s.types.input.core.v1.Volume[]; mounts: k8s.types.input.core.v1.VolumeMount[] } {
    if (!usesNatsTls(card, cluster) || !cluster.natsTls) {
        return { volumes: [], mounts: [] };
    }
    return {
        volumes: [{ name: natsTlsVolume, secret: { secretName: cluster.natsTls.secretName, defaultMode: 0o440 } }],
        mounts: [{ name: natsTlsVolume, mountPath: natsTlsMountPath, readOnly: true }],
    };
}

/** The service's NATS client certificate (CN = service), in its namespace, from the cluster CA. */
export function natsClientCertificate(
    name: string,
    card: K8sServiceCard,
    namespace: pulumi.Input<string>,
    cluster: ClusterServices,
    labels: Readonly<Record<string, string>>,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource | undefined {
    if (!usesNatsTls(card, cluster) || !cluster.natsTls) {
        return undefined;
    }
    return leafCertificate(name, { objectName: "nats-client", namespace, secretName: cluster.natsTls.secretName, commonName: card.service, usages: ["client auth"], labels, issuerName: cluster.natsTls.issuerName }, opts);
}
