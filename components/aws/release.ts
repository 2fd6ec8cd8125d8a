import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ambientLabel } from "../../data/mesh";
import { flaggerNamespace, flaggerSelectorLabel, loadTesterServiceAccount, metricQueries, metricTemplates } from "../k8s/delivery";
import { ChartRef, helmRelease, platformNamespace } from "./helm";
import { irsaRole, OidcIdentity } from "./irsa";

/** The release controllers' charts, pinned like the platform's others (components/aws/helm.ts). */
export const releaseCharts = {
    flagger: { chart: "flagger", version: "1.42.0", repo: "https://flagger.app" },
    flaggerLoadTester: { chart: "loadtester", version: "0.36.0", repo: "https://flagger.app" },
    policyController: { chart: "policy-controller", version: "0.10.5", repo: "https://sigstore.github.io/helm-charts" },
} as const satisfies Record<string, ChartRef>;

/** Namespace of the sigstore policy-controller (its chart's default). */
export const policyControllerNamespace = "cosign-system";
/** The policy-controller webhook's service account (chart default), which reads the signing key's public half. */
export const policyControllerServiceAccount = "policy-controller-webhook";
/** Name of the ClusterImagePolicy every service image must satisfy. */
export const imagePolicyName = "release-signed";

/** cosign's reference to an AWS KMS key (`awskms:///<arn>`). */
export function cosignKmsRef(arn: string): string {
    return `awskms:///${arn}`;
}

export interface ReleaseControllersArgs {
    readonly environment: string;
    readonly region: string;
    readonly oidc: OidcIdentity;
    readonly nodePoolLabel: string;
    readonly labels: Readonly<Record<string, string>>;
    /** In-cluster Prometheus the analysis queries (kube-prometheus-stack). */
    readonly prometheusUrl: string;
    readonly deletionWindowDays: number;
    readonly protect: boolean;
    /** What the controllers wait for (cluster ready, Prometheus, KEDA, Gateway API CRDs). */
    readonly after: readonly pulumi.Resource[];
}

/**
 * What makes a release safe on one EKS cluster: Flagger (progressive delivery over the Gateway API,
 * KEDA-aware) with its load tester and the two analysis checks, and the sigstore policy-controller
 * with the region's image-signing key (KMS, ECC P-256, SIGN_VERIFY): an image whose cosign signature
 * does not verify against it is refused in every namespace labelled for verification.
 */
export class ReleaseControllers extends pulumi.ComponentResource {
    /** Releases whose CRDs the workloads' Canary objects need. */
    readonly releases: readonly pulumi.Resource[];
    readonly signingKeyArn: pulumi.Output<string>;

    constructor(name: string, args: ReleaseControllersArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider; awsProvider: aws.Provider }) {
        super("learning-platform:aws:ReleaseControllers", name, {}, opts);
        const k = { parent: this, provider: opts.provider };
        const a = { parent: this, provider: opts.awsProvider };
        const after = { ...k, dependsOn: [...args.after] };
        const onPlatform = { [args.nodePoolLabel]: "platform" };

        // --- progressive delivery: Flagger on the Gateway API ---
        // In the mesh: the load tester's identity is what the services' ALLOW policies admit.
        const ns = platformNamespace(`${name}-flagger-ns`, flaggerNamespace, { ...args.labels, ...ambientLabel }, k);
        const flagger = helmRelease(
            `${name}-flagger`,
            "flagger",
            releaseCharts.flagger,
            ns.metadata.name,
            {
                meshProvider: "gatewayapi:v1",
                metricsServer: args.prometheusUrl,
                selectorLabels: flaggerSelectorLabel,
                leaderElection: { enabled: true, replicaCount: 2 },
                nodeSelector: onPlatform,
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "512Mi" } },
                prometheus: { install: false },
            },
            after,
        );
        const loadTester = helmRelease(
            `${name}-flagger-loadtester`,
            "flagger-loadtester",
            releaseCharts.flaggerLoadTester,
            ns.metadata.name,
            { serviceAccount: { create: true, name: loadTesterServiceAccount }, nodeSelector: onPlatform },
            after,
        );
        const q = metricQueries();
        const template = (logical: string, templateName: string, query: string) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${logical}`,
                {
                    apiVersion: "flagger.app/v1beta1",
                    kind: "MetricTemplate",
                    metadata: { name: templateName, namespace: flaggerNamespace, labels: { ...args.labels } },
                    spec: { provider: { type: "prometheus", address: args.prometheusUrl }, query },
                },
                { ...k, dependsOn: [flagger] },
            );
        template("metric-error-rate", metricTemplates.errorRate, q.errorRate);
        template("metric-p95", metricTemplates.p95VersusBaseline, q.p95VersusBaseline);

        // --- only signed images: the signing key and the admission controller ---
        const key = new aws.kms.Key(
            `${name}-image-signing`,
            {
                description: `cosign signatures of the ${args.environment} release images (${args.region})`,
                keyUsage: "SIGN_VERIFY",
                customerMasterKeySpec: "ECC_NIST_P256",
                deletionWindowInDays: args.deletionWindowDays,
                // Asymmetric keys cannot rotate automatically; a new key is a new ClusterImagePolicy authority.
                enableKeyRotation: false,
            },
            { ...a, protect: args.protect },
        );
        this.signingKeyArn = key.arn;
        new aws.kms.Alias(`${name}-image-signing-alias`, { name: `alias/learning-${args.environment}-image-signing`, targetKeyId: key.keyId }, a);
        const verifier = irsaRole(`${name}-policy-controller-role`, args.oidc, policyControllerNamespace, policyControllerServiceAccount, a);
        new aws.iam.RolePolicy(
            `${name}-policy-controller-kms`,
            {
                role: verifier.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    // The public half only: the verifier can never sign.
                    Statement: [{ Effect: "Allow", Action: ["kms:GetPublicKey", "kms:DescribeKey"], Resource: [key.arn] }],
                }),
            },
            a,
        );
        const cosignNs = platformNamespace(`${name}-cosign-ns`, policyControllerNamespace, args.labels, k);
        const policyController = helmRelease(
            `${name}-policy-controller`,
            "policy-controller",
            releaseCharts.policyController,
            cosignNs.metadata.name,
            {
                webhook: {
                    replicaCount: 2,
                    nodeSelector: onPlatform,
                    serviceAccount: { name: policyControllerServiceAccount, annotations: { "eks.amazonaws.com/role-arn": verifier.arn, "eks.amazonaws.com/sts-regional-endpoints": "true" } },
                    env: { AWS_REGION: args.region },
                    // An image no policy matches is refused, not admitted (the chart's default is "deny" too; stated).
                    configData: { "no-match-policy": "deny" },
                    failurePolicy: "Fail",
                },
            },
            after,
        );
        new k8s.apiextensions.CustomResource(
            `${name}-image-policy`,
            {
                apiVersion: "policy.sigstore.dev/v1beta1",
                kind: "ClusterImagePolicy",
                metadata: { name: imagePolicyName, labels: { ...args.labels } },
                spec: {
                    images: [{ glob: "**" }],
                    authorities: [{ name: "release-kms", key: { kms: key.arn.apply(cosignKmsRef), hashAlgorithm: "sha256" } }],
                    mode: "enforce",
                },
            },
            { ...k, dependsOn: [policyController] },
        );

        this.releases = [flagger, loadTester, policyController];
        this.registerOutputs({ signingKeyArn: this.signingKeyArn });
    }
}

/** The Kubernetes service account of a service's database bootstrap Job. */
export const dbBootstrapServiceAccount = (namespace: string): string => `${namespace}-db-bootstrap`;

/**
 * The IAM side of the one-time database bootstrap: a role the bootstrap Job's service account assumes
 * (IRSA), allowed to read the cluster's master secret and nothing else.
 */
export function dbBootstrapAccess(
    name: string,
    args: { readonly oidc: OidcIdentity; readonly region: string; readonly namespace: string; readonly masterSecretArn: pulumi.Output<string>; readonly secretsKeyArn: pulumi.Input<string>; readonly dbUser: string },
    opts: pulumi.CustomResourceOptions,
): { serviceAccountName: string; roleArn: pulumi.Output<string>; masterSecretArn: pulumi.Output<string>; dbUser: string } {
    const sa = dbBootstrapServiceAccount(args.namespace);
    const role = irsaRole(`${name}-role`, args.oidc, args.namespace, sa, opts);
    new aws.iam.RolePolicy(
        `${name}-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [args.masterSecretArn] },
                    { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [args.secretsKeyArn], Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } } },
                ],
            }),
        },
        opts,
    );
    return { serviceAccountName: sa, roleArn: role.arn, masterSecretArn: args.masterSecretArn, dbUser: args.dbUser };
}
