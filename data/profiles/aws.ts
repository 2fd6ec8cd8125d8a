import { Environment, NodePool } from "../catalog/types";
import { awsRegionsByZone } from "../regions";
import { gcpAddressBlocks } from "../naming/gcp";
import { flagd } from "../flags";

/**
 * AWS sizing per environment: typed data, no Pulumi imports. The components and the capacity model
 * read the same numbers, so what the plan provisions is what the capacity findings check.
 */

/** One EKS managed node group. */
export interface NodePoolProfile {
    readonly instanceType: string;
    /** Fraction of allocatable kept free at every workload's max replicas (0.25 = 25 %). */
    readonly headroom: number;
    /** Floor for the group's minimum size: one node per zone where zone loss must be survivable. */
    readonly minNodes: number;
}

/** A platform component's pods on the platform pool (requests per pod). */
export interface PlatformComponent {
    readonly name: string;
    readonly replicas: number;
    readonly cpu: string;
    readonly memory: string;
}

export interface AwsProfile {
    readonly environment: Environment;
    /** `per-az`: one NAT gateway per zone (zone-independent egress); `single`: one, cheaper. */
    readonly natGateways: "per-az" | "single";
    readonly nodePools: Readonly<Record<NodePool, NodePoolProfile>>;
    readonly aurora: {
        readonly instanceClass: string;
        /**
         * `max_connections` of the instance parameter group: the ceiling the capacity model checks
         * the connection budget against (must not exceed the class's default LEAST(mem/9531392, 5000)).
         */
        readonly maxConnections: number;
        /** UTC; must not overlap the maintenance window. */
        readonly backupWindow: string;
        readonly maintenanceWindow: string;
        /** Performance Insights retention in days (7 is the free tier; 465 the long-term maximum). */
        readonly performanceInsightsRetentionDays: number;
    };
    readonly redis: {
        readonly nodeType: string;
        readonly shards: number;
        readonly replicasPerShard: number;
        readonly snapshotRetentionDays: number;
        readonly snapshotWindow: string;
        readonly maintenanceWindow: string;
    };
    readonly nats: {
        readonly replicas: number;
        /** JetStream file store volume per server. */
        readonly storageSize: string;
        readonly cpuRequest: string;
        readonly cpuLimit: string;
        readonly memoryRequest: string;
        readonly memoryLimit: string;
    };
    readonly waf: {
        /** Requests per 5 minutes per tenant (x-tenant-id) before the edge blocks. */
        readonly perTenantLimit: number;
        /** Requests per 5 minutes per user (authorization / x-user-id). */
        readonly perUserLimit: number;
    };
    /** Platform components scheduled on the platform pool, beyond NATS (which is counted from `nats`). */
    readonly platformComponents: readonly PlatformComponent[];
    /** DaemonSets the platform adds to every node of every pool (one pod per node; `replicas` unused, 1). */
    readonly nodeDaemons: readonly PlatformComponent[];
}

/** Istio ambient's per-node data plane: the chart's requests (ztunnel 1.28 and istio-cni 1.28). */
const nodeDaemons: PlatformComponent[] = [
    { name: "istio/ztunnel", replicas: 1, cpu: "200m", memory: "512Mi" },
    { name: "istio/cni", replicas: 1, cpu: "100m", memory: "100Mi" },
];

const platformComponents = (prometheusReplicas: number, otelReplicas: number, flagdReplicas: number): PlatformComponent[] => [
    // The in-cluster flag service (data/flags.ts).
    { name: "flagd", replicas: flagdReplicas, cpu: flagd.resources.cpuRequest, memory: flagd.resources.memoryRequest },
    { name: "kube-prometheus-stack/prometheus", replicas: prometheusReplicas, cpu: "500m", memory: "2Gi" },
    { name: "kube-prometheus-stack/operator", replicas: 1, cpu: "100m", memory: "128Mi" },
    { name: "kube-prometheus-stack/kube-state-metrics", replicas: 1, cpu: "100m", memory: "128Mi" },
    // Grafana + its dashboard sidecar (components/aws/grafana.ts).
    { name: "kube-prometheus-stack/grafana", replicas: 1, cpu: "150m", memory: "320Mi" },
    { name: "opentelemetry-collector", replicas: otelReplicas, cpu: "250m", memory: "512Mi" },
    { name: "envoy-gateway/controller", replicas: 1, cpu: "100m", memory: "256Mi" },
    { name: "envoy-gateway/proxy", replicas: otelReplicas, cpu: "500m", memory: "512Mi" },
    { name: "aws-load-balancer-controller", replicas: 2, cpu: "100m", memory: "128Mi" },
    { name: "external-secrets", replicas: 2, cpu: "50m", memory: "128Mi" },
    { name: "keda", replicas: 2, cpu: "100m", memory: "256Mi" },
    { name: "coredns", replicas: 2, cpu: "100m", memory: "70Mi" },
    { name: "metrics-server", replicas: 2, cpu: "100m", memory: "200Mi" },
    { name: "ebs-csi-controller", replicas: 2, cpu: "50m", memory: "128Mi" },
    // Istio ambient's control plane (the chart's pilot requests); ztunnel and istio-cni are per-node DaemonSets.
    { name: "istiod", replicas: Math.min(otelReplicas, 2), cpu: "500m", memory: "2Gi" },
    // cert-manager (the cluster PKI for NATS TLS): the requests components/aws/cert-manager.ts sets.
    { name: "cert-manager/controller", replicas: Math.min(otelReplicas, 2), cpu: "50m", memory: "64Mi" },
    { name: "cert-manager/webhook", replicas: Math.min(otelReplicas, 2), cpu: "50m", memory: "64Mi" },
    { name: "cert-manager/cainjector", replicas: 1, cpu: "50m", memory: "64Mi" },
    // NACK's JetStream controller (components/k8s/jetstream.ts): the requests its release sets.
    { name: "nack/jetstream-controller", replicas: 1, cpu: "50m", memory: "64Mi" },
];

export const awsProfiles: Readonly<Record<Environment, AwsProfile>> = {
    dev: {
        environment: "dev",
        natGateways: "single",
        nodePools: {
            platform: { instanceType: "t3.xlarge", headroom: 0.2, minNodes: 1 },
            core: { instanceType: "t3.large", headroom: 0.2, minNodes: 1 },
            worker: { instanceType: "t3.large", headroom: 0.2, minNodes: 1 },
        },
        aurora: {
            instanceClass: "db.t4g.medium",
            maxConnections: 200,
            backupWindow: "03:00-04:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            performanceInsightsRetentionDays: 7,
        },
        redis: { nodeType: "cache.t4g.small", shards: 1, replicasPerShard: 1, snapshotRetentionDays: 1, snapshotWindow: "02:00-03:00", maintenanceWindow: "sun:05:00-sun:06:00" },
        nats: { replicas: 1, storageSize: "10Gi", cpuRequest: "250m", cpuLimit: "1", memoryRequest: "512Mi", memoryLimit: "1Gi" },
        waf: { perTenantLimit: 20000, perUserLimit: 2000 },
        platformComponents: platformComponents(1, 1, flagd.replicas.dev),
        nodeDaemons,
    },
    staging: {
        environment: "staging",
        natGateways: "per-az",
        nodePools: {
            platform: { instanceType: "m7i.xlarge", headroom: 0.25, minNodes: 3 },
            // The services' pods ask 1 GiB per 1 CPU or less: compute-optimised shapes pack them best.
            core: { instanceType: "c7i.xlarge", headroom: 0.25, minNodes: 3 },
            worker: { instanceType: "c7i.xlarge", headroom: 0.25, minNodes: 2 },
        },
        aurora: {
            instanceClass: "db.r7g.large",
            maxConnections: 1000,
            backupWindow: "03:00-04:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            performanceInsightsRetentionDays: 7,
        },
        redis: { nodeType: "cache.r7g.large", shards: 3, replicasPerShard: 1, snapshotRetentionDays: 3, snapshotWindow: "02:00-03:00", maintenanceWindow: "sun:05:00-sun:06:00" },
        nats: { replicas: 3, storageSize: "20Gi", cpuRequest: "500m", cpuLimit: "2", memoryRequest: "1Gi", memoryLimit: "2Gi" },
        waf: { perTenantLimit: 50000, perUserLimit: 5000 },
        platformComponents: platformComponents(2, 2, flagd.replicas.staging),
        nodeDaemons,
    },
    prod: {
        environment: "prod",
        natGateways: "per-az",
        nodePools: {
            platform: { instanceType: "m7i.xlarge", headroom: 0.25, minNodes: 3 },
            core: { instanceType: "c7i.2xlarge", headroom: 0.25, minNodes: 3 },
            worker: { instanceType: "c7i.2xlarge", headroom: 0.25, minNodes: 3 },
        },
        aurora: {
            instanceClass: "db.r7g.xlarge",
            maxConnections: 2000,
            backupWindow: "03:00-04:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            performanceInsightsRetentionDays: 31,
        },
        redis: { nodeType: "cache.r7g.large", shards: 3, replicasPerShard: 2, snapshotRetentionDays: 7, snapshotWindow: "02:00-03:00", maintenanceWindow: "sun:05:00-sun:06:00" },
        nats: { replicas: 3, storageSize: "50Gi", cpuRequest: "1", cpuLimit: "2", memoryRequest: "2Gi", memoryLimit: "4Gi" },
        waf: { perTenantLimit: 100000, perUserLimit: 5000 },
        platformComponents: platformComponents(2, 3, flagd.replicas.prod),
        nodeDaemons,
    },
};

/** Memory (GiB) of the RDS instance classes the profiles use: the default max_connections derives from it. */
export const rdsInstanceMemoryGiB: Readonly<Record<string, number>> = {
    "db.t4g.medium": 4,
    "db.t4g.large": 8,
    "db.r7g.large": 16,
    "db.r7g.xlarge": 32,
    "db.r7g.2xlarge": 64,
    "db.r6g.large": 16,
    "db.r6g.xlarge": 32,
};

/** Kubernetes version of every cluster (the schema library the tests validate manifests with is 1.34). */
export const eksVersion = "1.34";
export const auroraEngineVersion = "16.6";
export const redisEngineVersion = "7.1";
/** Node label carrying the pool name; workloads select pools with it. */
export const nodePoolLabel = "platform.melmastoon.com/pool";

/**
 * One /16 per AWS region, distinct across every region the program knows, so peered or
 * transit-connected regions of one stack never overlap: 10.<8·(i+1)>.0.0/16 by the region's index.
 * A region whose /16 would fall in the GCP address plan (`gcpAddressBlocks`: 10.64, 10.80) is moved
 * to 10.192.0.0/16, 10.200.0.0/16, … in index order: the clouds are routed to each other over HA VPN.
 */
export function vpcCidrFor(region: string): string | undefined {
    const all = Object.values(awsRegionsByZone).flat();
    const i = all.indexOf(region);
    if (i < 0) {
        return undefined;
    }
    const gcpOctets = new Set(gcpAddressBlocks.map((b) => Number(b.split(".")[1])));
    const octet = (k: number) => (8 * (k + 1)) % 256;
    if (!gcpOctets.has(octet(i))) {
        return `10.${octet(i)}.0.0/16`;
    }
    const moved = all.slice(0, i + 1).filter((_, k) => gcpOctets.has(octet(k))).length - 1;
    return `10.${192 + 8 * moved}.0.0/16`;
}
