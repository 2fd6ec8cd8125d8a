import { RegisteredResource } from "../../plan/engine";
import { fixture } from "../harness";

/**
 * Small worlds for the start-up and graph rules: a cluster in us-east-1 with one namespace, the
 * objects a pod reads, and the Secrets Manager / Secret Manager secrets behind them.
 */

export const region = "us-east-1";
export const k8sProvider = "k8s-us-east-1";
export const awsProvider = "aws-us-east-1";
export const gcpProvider = "gcp-us-central1";

export function providers(): RegisteredResource[] {
    return [
        fixture(
            "pulumi:providers:kubernetes",
            { kubeconfig: JSON.stringify({ clusters: [{ cluster: { server: `https://ABC123.gr7.${region}.eks.amazonaws.com` } }] }) },
            { name: k8sProvider },
        ),
        fixture("pulumi:providers:aws", { region }, { name: awsProvider, region }),
        fixture("pulumi:providers:gcp", { region: "us-central1" }, { name: gcpProvider, region: "us-central1" }),
    ];
}

const k8s = (type: string, name: string, props: Record<string, unknown>) => fixture(type, props, { name, provider: k8sProvider });
const awsRes = (type: string, name: string, props: Record<string, unknown>, extra: Partial<RegisteredResource> = {}) =>
    fixture(type, props, { name, provider: awsProvider, region, ...extra });

export function deployment(name: string, ns: string, container: Record<string, unknown>, volumes: unknown[] = []): RegisteredResource {
    return k8s("kubernetes:apps/v1:Deployment", name, {
        metadata: { name, namespace: ns },
        spec: { template: { spec: { containers: [{ name: "app", image: "x", ...container }], volumes } } },
    });
}

export function cronJob(name: string, ns: string, container: Record<string, unknown>, volumes: unknown[] = []): RegisteredResource {
    return k8s("kubernetes:batch/v1:CronJob", name, {
        metadata: { name, namespace: ns },
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "app", image: "x", ...container }], volumes } } } } },
    });
}

export function configMap(name: string, ns: string, data: Record<string, string>): RegisteredResource {
    return k8s("kubernetes:core/v1:ConfigMap", `${ns}-${name}`, { metadata: { name, namespace: ns }, data });
}

export function secretStore(ns: string): RegisteredResource {
    return k8s("kubernetes:external-secrets.io/v1:SecretStore", `${ns}-store`, {
        metadata: { name: "store", namespace: ns },
        spec: { provider: { aws: { service: "SecretsManager", region } } },
    });
}

/** An ExternalSecret writing `target` from Secrets Manager secrets (key → remote secret name). */
export function externalSecret(ns: string, target: string, keys: Record<string, string>): RegisteredResource {
    return k8s("kubernetes:external-secrets.io/v1:ExternalSecret", `${ns}-${target}`, {
        metadata: { name: target, namespace: ns },
        spec: {
            secretStoreRef: { name: "store", kind: "SecretStore" },
            target: { name: target },
            data: Object.entries(keys).map(([secretKey, key]) => ({ secretKey, remoteRef: { key } })),
        },
    });
}

export const arnOf = (name: string) => `arn:aws:secretsmanager:${region}:210987654321:secret:${name}-a1B2c3`;

export function awsSecret(logical: string, name: string, tags: Record<string, string> = {}): RegisteredResource {
    return awsRes("aws:secretsmanager/secret:Secret", logical, { name, tags });
}

/** A version pointing at its secret by ARN (as the offline plan resolves `secret.id`). */
export function awsVersion(logical: string, secretName: string, value = "v"): RegisteredResource {
    return awsRes("aws:secretsmanager/secretVersion:SecretVersion", logical, { secretId: arnOf(secretName), secretString: value });
}

/** A version known only by its dependency (as under `pulumi preview`, where the id is unknown). */
export function awsVersionByDependency(logical: string, secret: RegisteredResource): RegisteredResource {
    return awsRes("aws:secretsmanager/secretVersion:SecretVersion", logical, { secretString: "v" }, { dependencies: { secretId: [secret.urn] } });
}

export function gcpSecret(logical: string, secretId: string, labels: Record<string, string> = {}): RegisteredResource {
    return fixture("gcp:secretmanager/secret:Secret", { secretId, labels }, { name: logical, provider: gcpProvider, region: "us-central1" });
}

export function gcpVersion(logical: string, secretId: string): RegisteredResource {
    return fixture("gcp:secretmanager/secretVersion:SecretVersion", { secret: `projects/p/secrets/${secretId}`, secretData: "v" }, { name: logical, provider: gcpProvider, region: "us-central1" });
}

export function cloudRun(name: string, envs: unknown[]): RegisteredResource {
    return fixture(
        "gcp:cloudrunv2/service:Service",
        { name, location: "us-central1", template: { containers: [{ name: "app", image: "x", envs }] } },
        { name: `${name}-service`, provider: gcpProvider, region: "us-central1" },
    );
}
