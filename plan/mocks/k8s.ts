import { OutputFn } from "./types";

/** Computed attributes of Kubernetes resources the program reads. */
export const k8sOutputs: Record<string, OutputFn> = {
    /** A Service of type LoadBalancer gets its load balancer's hostname from the LB controller. */
    "kubernetes:core/v1:Service": (args) => {
        const spec = (args.inputs.spec ?? {}) as { type?: string };
        return spec.type === "LoadBalancer" ? { status: { loadBalancer: { ingress: [{ hostname: `k8s-${args.name.replace(/[^a-z0-9]/g, "").slice(0, 20)}-0123456789.elb.amazonaws.com` }] } } } : {};
    },
    /** A Secret read from the cluster (`Secret.get`): a cert-manager certificate Secret carries its CA as `ca.crt`. */
    "kubernetes:core/v1:Secret": (args) => (args.id ? { data: { "ca.crt": Buffer.from(`-----BEGIN CERTIFICATE-----\nmock ${args.name}\n-----END CERTIFICATE-----\n`).toString("base64") } } : {}),
};
