import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts, helmRelease, platformNamespace } from "./helm";
import { ambientLabel } from "../../data/mesh";
import { OidcIdentity, irsaRole } from "./irsa";
import { cardinalityProcessor, grafanaValues } from "./grafana";

export interface ClusterAddonsArgs {
    /** Environment (dev, staging, prod): names, tags and sizing. */
    readonly environment: string;
    /** AWS region of this platform. */
    readonly region: string;
    /** EKS cluster name. */
    readonly clusterName: pulumi.Input<string>;
    /** The cluster's OIDC identity, for IRSA roles. */
    readonly oidc: OidcIdentity;
    /** Node label key selecting a pool; platform pods go to the `platform` pool. */
    readonly nodePoolLabel: string;
    /** Standard labels (environment, service, owner, managed-by) of every Kubernetes object. */
    readonly labels: Readonly<Record<string, string>>;
    /** The encrypted gp3 StorageClass for persistent volumes. */
    readonly storageClassName: string;
    /** Prometheus replicas. */
    readonly prometheusReplicas: number;
    /** OpenTelemetry Collector replicas. */
    readonly otelReplicas: number;
    /** Days Prometheus keeps samples in cluster. */
    readonly prometheusRetentionDays: number;
    /** CMK of the logs data class (CloudWatch log groups). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Days log groups keep events (environment profile). */
    readonly logRetentionDays: number;
    /** Node groups, StorageClass and add-ons the releases wait for. */
    readonly after: readonly pulumi.Resource[];
}

export const namespaces = { monitoring: "monitoring", platform: "platform", keda: "keda", externalSecrets: "external-secrets" } as const;
/** The release label kube-prometheus-stack's Prometheus selects ServiceMonitors/PodMonitors by. */
export const monitorSelector = { release: "kube-prometheus-stack" } as const;
export const otelServiceName = "otel-collector";
export const otlpGrpcPort = 4317;

/**
 * The in-cluster platform services workloads rely on: Prometheus Operator + Prometheus
 * (kube-prometheus-stack), the OpenTelemetry Collector (gateway deployment; traces to X-Ray, logs
 * to CloudWatch, metrics to Prometheus), KEDA and the External Secrets Operator.
 */
export class ClusterAddons extends pulumi.ComponentResource {
    readonly prometheus: k8s.helm.v3.Release;
    readonly otel: k8s.helm.v3.Release;
    readonly keda: k8s.helm.v3.Release;
    readonly externalSecrets: k8s.helm.v3.Release;
    readonly prometheusUrl: string;
    readonly otlpEndpoint: string;

    constructor(name: string, args: ClusterAddonsArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider; awsProvider: aws.Provider }) {
        super("learning-platform:k8s:ClusterAddons", name, {}, opts);
        const k = { parent: this, provider: opts.provider };
        const a = { parent: this, provider: opts.awsProvider };
        const after = { ...k, dependsOn: [...args.after] };
        const onPlatform = { [args.nodePoolLabel]: "platform" };

        const monitoring = platformNamespace(`${name}-monitoring-ns`, namespaces.monitoring, { ...args.labels, ...ambientLabel }, k);
        this.prometheus = helmRelease(
            `${name}-kube-prometheus-stack`,
            "kube-prometheus-stack",
            charts.kubePrometheusStack,
            monitoring.metadata.name,
            {
                fullnameOverride: "kube-prometheus-stack",
                // seeds/000 §2 names SigNoz; the program runs its nearest real path: Prometheus in cluster, and
                // Grafana loading the cards' dashboards (issue 13) through its sidecar.
                grafana: grafanaValues(onPlatform),
                prometheusOperator: { nodeSelector: onPlatform, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
                "kube-state-metrics": { nodeSelector: onPlatform },
                prometheus: {
                    prometheusSpec: {
                        replicas: args.prometheusReplicas,
                        retention: `${args.prometheusRetentionDays}d`,
                        nodeSelector: onPlatform,
                        enableRemoteWriteReceiver: true,
                        // Only monitors labelled release=kube-prometheus-stack are picked up.
                        serviceMonitorSelectorNilUsesHelmValues: true,
                        podMonitorSelectorNilUsesHelmValues: true,
                        resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
                        storageSpec: {
                            volumeClaimTemplate: { spec: { storageClassName: args.storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } } },
                        },
                    },
                },
                alertmanager: {
                    alertmanagerSpec: {
                        nodeSelector: onPlatform,
                        storage: { volumeClaimTemplate: { spec: { storageClassName: args.storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } } } },
                    },
                },
            },
            after,
        );
        this.prometheusUrl = `http://kube-prometheus-stack-prometheus.${namespaces.monitoring}.svc.cluster.local:9090`;

        // OpenTelemetry Collector with its own IRSA role: X-Ray and its one log group only.
        const platform = platformNamespace(`${name}-platform-ns`, namespaces.platform, args.labels, k);
        const appLogs = new aws.cloudwatch.LogGroup(
            `${name}-otel-logs`,
            { name: `/learning/${args.environment}/${args.region}/application`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            a,
        );
        const otelRole = irsaRole(`${name}-otel-role`, args.oidc, namespaces.platform, otelServiceName, a);
        new aws.iam.RolePolicyAttachment(`${name}-otel-xray`, { role: otelRole.name, policyArn: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess" }, a);
        new aws.iam.RolePolicy(
            `${name}-otel-logs-policy`,
            {
                role: otelRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [appLogs.arn, pulumi.interpolate`${appLogs.arn}:*`] }],
                }),
            },
            a,
        );
        this.otel = helmRelease(
            `${name}-otel-collector`,
            "otel-collector",
            charts.otelCollector,
            platform.metadata.name,
            {
                mode: "deployment",
                fullnameOverride: otelServiceName,
                image: { repository: "otel/opentelemetry-collector-contrib" },
                replicaCount: args.otelReplicas,
                nodeSelector: onPlatform,
                serviceAccount: { create: true, name: otelServiceName, annotations: { "eks.amazonaws.com/role-arn": otelRole.arn } },
                resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                podDisruptionBudget: { enabled: args.otelReplicas > 1, minAvailable: 1 },
                ports: { metrics: { enabled: true } },
                serviceMonitor: { enabled: true, extraLabels: { ...monitorSelector } },
                config: {
                    receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${otlpGrpcPort}` }, http: { endpoint: "0.0.0.0:4318" } } } },
                    processors: {
                        batch: {},
                        memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
                        // Tenant/user/draft ids off the metrics (traces and logs keep them): case study §20.
                        "attributes/cardinality": cardinalityProcessor(),
                    },
                    exporters: {
                        awsxray: { region: args.region },
                        awscloudwatchlogs: { region: args.region, log_group_name: appLogs.name, log_stream_name: "otel" },
                        prometheusremotewrite: { endpoint: `${this.prometheusUrl}/api/v1/write` },
                    },
                    service: {
                        pipelines: {
                            traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["awsxray"] },
                            metrics: { receivers: ["otlp"], processors: ["memory_limiter", "attributes/cardinality", "batch"], exporters: ["prometheusremotewrite"] },
                            logs: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["awscloudwatchlogs"] },
                        },
                    },
                },
            },
            { ...k, dependsOn: [...args.after, this.prometheus] },
        );
        this.otlpEndpoint = `http://${otelServiceName}.${namespaces.platform}.svc.cluster.local:${otlpGrpcPort}`;

        const keda = platformNamespace(`${name}-keda-ns`, namespaces.keda, args.labels, k);
        this.keda = helmRelease(
            `${name}-keda`,
            "keda",
            charts.keda,
            keda.metadata.name,
            {
                nodeSelector: onPlatform,
                operator: { replicaCount: 2 },
                podDisruptionBudget: { operator: { minAvailable: 1 } },
                prometheus: { operator: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...monitorSelector } } } },
                resources: { operator: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } } },
            },
            { ...k, dependsOn: [...args.after, this.prometheus] },
        );

        const eso = platformNamespace(`${name}-external-secrets-ns`, namespaces.externalSecrets, args.labels, k);
        // No IAM role of its own: each service's SecretStore authenticates as that service's ServiceAccount (IRSA).
        this.externalSecrets = helmRelease(
            `${name}-external-secrets`,
            "external-secrets",
            charts.externalSecrets,
            eso.metadata.name,
            {
                installCRDs: true,
                replicaCount: 2,
                nodeSelector: onPlatform,
                podDisruptionBudget: { enabled: true, minAvailable: 1 },
                serviceMonitor: { enabled: true, additionalLabels: { ...monitorSelector } },
                webhook: { nodeSelector: onPlatform, replicaCount: 2 },
                certController: { nodeSelector: onPlatform },
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            },
            { ...k, dependsOn: [...args.after, this.prometheus] },
        );
        this.registerOutputs({ prometheusUrl: this.prometheusUrl, otlpEndpoint: this.otlpEndpoint });
    }
}
