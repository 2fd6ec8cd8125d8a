import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../../data/catalog/types";
import { StreamProfile, StreamSpec, validateStreams } from "../../data/streams";
import { ChartRef, helmRelease } from "../aws/helm";
import { OidcIdentity, irsaRole } from "../aws/irsa";

/** NACK, the NATS controllers for Kubernetes, from the official chart (nats-io/k8s helm/charts/nack), pinned. */
export const nackChart: ChartRef = { chart: "nack", version: "0.36.0", repo: "https://nats-io.github.io/k8s/helm/charts/" };
export const jetStreamApiVersion = "jetstream.nats.io/v1beta2";
/** The NATS user the controller logs in as (JetStream API only: `$JS.API.>` publish, `_INBOX.>` subscribe). */
export const controllerUser = "jetstream-controller";

/** `PROGRESS_STATEMENTS` → `progress-statements` (a DNS-1123 name for the custom resource). */
export function streamResourceName(stream: string): string {
    return stream.toLowerCase().replace(/_/g, "-");
}

/** The Stream custom resource's spec for one stream in an environment. */
export function streamSpec(s: StreamSpec, p: StreamProfile, account: string, preventDelete: boolean): Record<string, unknown> {
    return {
        name: s.name,
        subjects: [...s.subjects],
        retention: "limits",
        storage: "file",
        replicas: p.replicas,
        maxAge: p.maxAge,
        maxBytes: p.maxBytes,
        discard: "old",
        duplicateWindow: p.duplicateWindow,
        account,
        // Deleting the custom resource must not delete the stream's data in staging/prod.
        preventDelete,
    };
}

export interface JetStreamStreamsArgs {
    readonly environment: Environment;
    /** The namespace NATS runs in: the controller, its Account and the Streams live there. */
    readonly namespace: pulumi.Input<string>;
    /** `nats://host:4222` of the cluster's NATS service. */
    readonly natsUrl: string;
    /** The controller user's client URL with its password (secret), from the NATS component. */
    readonly controllerCredentials: pulumi.Output<string>;
    /** Secret (`ca.crt`, `tls.crt`, `tls.key`) of the controller's client certificate: NATS verifies every client. */
    readonly clientTlsSecretName: string;
    readonly streams: readonly StreamSpec[];
    readonly profile: StreamProfile;
    /** Node label key selecting a pool; the controller runs on the `platform` pool. */
    readonly nodePoolLabel: string;
    readonly labels: Readonly<Record<string, string>>;
    /** Streams survive deletion of their resources and Pulumi protects them (staging/prod). */
    readonly protect: boolean;
    /** The NATS release (the servers the controller talks to) and External Secrets' CRDs. */
    readonly after: readonly pulumi.Resource[];
    /** Where the controller's login is kept: Secrets Manager, read through External Secrets with its own IRSA role. */
    readonly login: {
        readonly awsProvider: aws.Provider;
        readonly region: string;
        readonly environment: string;
        readonly oidc: OidcIdentity;
        readonly secretsKeyArn: pulumi.Input<string>;
        readonly recoveryDays: number;
    };
}

/** The Kubernetes ServiceAccount External Secrets assumes to read the controller's login. */
export const loginServiceAccount = "nack-login";

/**
 * Every stream the cards publish to, managed by the program through NACK's JetStream controller:
 * file storage, replicas from the profile (3 in staging/prod: every server of the quorum holds a copy,
 * so a zone loss loses no acknowledged message), limits retention with age and size caps.
 */
export class JetStreamStreams extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    readonly streamNames: readonly string[];

    constructor(name: string, args: JetStreamStreamsArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:JetStreamStreams", name, {}, opts);
        const problems = validateStreams(args.streams, args.environment);
        if (problems.length > 0 || args.profile.replicas < 1) {
            throw new pulumi.ResourceError(`JetStream streams:\n  - ${[...problems, ...(args.profile.replicas < 1 ? ["replicas must be ≥ 1"] : [])].join("\n  - ")}`, this);
        }
        const k = { parent: this, provider: opts.provider };
        this.release = helmRelease(
            `${name}-nack`,
            "nack",
            nackChart,
            args.namespace,
            {
                jetstream: { enabled: true, nats: { url: args.natsUrl } },
                // Watch its own namespace only: a Role, not a ClusterRole.
                namespaced: true,
                nodeSelector: { [args.nodePoolLabel]: "platform" },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
                securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
                containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                global: { labels: { ...args.labels } },
            },
            { ...k, dependsOn: [...args.after] },
        );
        // The controller's login: in Secrets Manager (never a Secret the program writes), synced by External
        // Secrets into the `user`/`password` keys NACK's Account resource reads.
        const a = { parent: this, provider: args.login.awsProvider };
        const loginSecret = new aws.secretsmanager.Secret(
            `${name}-login`,
            {
                name: `${args.login.environment}/nats/${controllerUser}`,
                description: "NACK JetStream controller's NATS login",
                kmsKeyId: args.login.secretsKeyArn,
                recoveryWindowInDays: args.login.recoveryDays,
                tags: { service: "nats" },
            },
            { ...a, protect: args.protect },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-login-value`,
            {
                secretId: loginSecret.id,
                secretString: pulumi.secret(args.controllerCredentials.apply((u) => JSON.stringify({ user: decodeURIComponent(new URL(u).username), password: decodeURIComponent(new URL(u).password) }))),
            },
            a,
        );
        const role = irsaRole(`${name}-login-role`, args.login.oidc, "nats", loginServiceAccount, a);
        new aws.iam.RolePolicy(
            `${name}-login-role-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "ReadLogin", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [loginSecret.arn] },
                        { Sid: "DecryptLogin", Effect: "Allow", Action: "kms:Decrypt", Resource: [args.login.secretsKeyArn], Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.login.region}.amazonaws.com` } } },
                    ],
                }),
            },
            a,
        );
        const sa = new k8s.core.v1.ServiceAccount(
            `${name}-login-sa`,
            {
                metadata: { name: loginServiceAccount, namespace: args.namespace, labels: { ...args.labels }, annotations: { "eks.amazonaws.com/role-arn": role.arn, "eks.amazonaws.com/sts-regional-endpoints": "true" } },
                automountServiceAccountToken: false,
            },
            k,
        );
        const store = new k8s.apiextensions.CustomResource(
            `${name}-login-store`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "SecretStore",
                metadata: { name: "nack-login", namespace: args.namespace, labels: { ...args.labels } },
                spec: { provider: { aws: { service: "SecretsManager", region: args.login.region, auth: { jwt: { serviceAccountRef: { name: sa.metadata.name } } } } } },
            },
            { ...k, dependsOn: [...args.after] },
        );
        const login = new k8s.apiextensions.CustomResource(
            `${name}-login-sync`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: "nack-app-login", namespace: args.namespace, labels: { ...args.labels } },
                spec: {
                    refreshInterval: "1h",
                    secretStoreRef: { name: store.metadata.name, kind: "SecretStore" },
                    target: { name: "nack-app-login", creationPolicy: "Owner", deletionPolicy: "Retain" },
                    data: [
                        { secretKey: "user", remoteRef: { key: loginSecret.name, property: "user" } },
                        { secretKey: "password", remoteRef: { key: loginSecret.name, property: "password" } },
                    ],
                },
            },
            { ...k, dependsOn: [...args.after] },
        );
        const account = new k8s.apiextensions.CustomResource(
            `${name}-account`,
            {
                apiVersion: jetStreamApiVersion,
                kind: "Account",
                metadata: { name: "app", namespace: args.namespace, labels: { ...args.labels } },
                spec: {
                    name: "app",
                    servers: [args.natsUrl],
                    tls: { secret: { name: args.clientTlsSecretName }, ca: "ca.crt", cert: "tls.crt", key: "tls.key" },
                    user: { secret: { name: "nack-app-login" }, user: "user", password: "password" },
                },
            },
            { ...k, dependsOn: [this.release, login] },
        );
        for (const s of args.streams) {
            new k8s.apiextensions.CustomResource(
                `${name}-${streamResourceName(s.name)}`,
                {
                    apiVersion: jetStreamApiVersion,
                    kind: "Stream",
                    metadata: { name: streamResourceName(s.name), namespace: args.namespace, labels: { ...args.labels, "app.kubernetes.io/part-of": s.owner } },
                    spec: streamSpec(s, args.profile, "app", args.protect),
                },
                { ...k, protect: args.protect, dependsOn: [this.release, account] },
            );
        }
        this.streamNames = args.streams.map((s) => s.name);
        this.registerOutputs({ streamNames: this.streamNames });
    }
}
