import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * What a regional AWS platform hands the service workloads that run on it. The platform owns the
 * cloud side of a service (its IAM role for IRSA, its Secrets Manager entries, its database and
 * buckets); the workload owns the Kubernetes side (namespace, service account, pods, policies).
 */

/** The platform's cloud-side resources for one service in one region. */
export interface ServiceBinding {
    readonly service: string;
    readonly namespace: string;
    /** The Kubernetes ServiceAccount the workload must create; the IAM role trusts exactly this one. */
    readonly serviceAccountName: string;
    /** IAM role assumed through IRSA: reads only this service's secrets, reaches only its own data. */
    readonly roleArn: pulumi.Output<string>;
    /** Secrets Manager secret name per environment key (POSTGRES_URL, REDIS_URL, ...). */
    readonly secretNames: Readonly<Record<string, pulumi.Output<string>>>;
    /** S3 bucket names by purpose. */
    readonly bucketNames: Readonly<Record<string, pulumi.Output<string>>>;
    /** `postgresql://` URL of the service's Aurora reader endpoint (IAM authentication, no password), when it has a database. */
    readonly databaseReadUrl?: pulumi.Output<string>;
    /** Non-secret settings the platform hands the service's ConfigMap (its Redis user, NATS inbox prefix and TLS files). */
    readonly config?: Readonly<Record<string, string>>;
    /**
     * The one-time database bootstrap (issue 12), where the region's database has a writer: an IRSA
     * role that reads only the cluster's master secret, for the Job that creates the service's login
     * role and grants it rds_iam.
     */
    readonly dbBootstrap?: { readonly serviceAccountName: string; readonly roleArn: pulumi.Output<string>; readonly masterSecretArn: pulumi.Output<string>; readonly dbUser: string };
}

/** Where the shared in-cluster platform services are. */
export interface ClusterServices {
    /** Namespace of the ingress gateway; NetworkPolicies admit edge traffic from it. */
    readonly gatewayNamespace: string;
    /** Gateway API Gateway that edge HTTPRoutes attach to. */
    readonly gatewayName: string;
    /** Namespace of Prometheus; NetworkPolicies admit scrapes from it. */
    readonly monitoringNamespace: string;
    /** Label selector value `release` the Prometheus Operator uses to pick ServiceMonitors. */
    readonly serviceMonitorSelector: Readonly<Record<string, string>>;
    /** In-cluster Prometheus URL (KEDA's Prometheus scaler queries it). */
    readonly prometheusUrl: string;
    /** NATS namespace, client URL and monitoring endpoint host:port (KEDA's JetStream scaler). */
    readonly natsNamespace: string;
    readonly natsUrl: string;
    readonly natsMonitoringEndpoint: string;
    /**
     * PriorityClass names per service criticality, when the platform created them
     * (components/k8s/priority-classes.ts); absent: pods run at the default priority.
     */
    readonly priorityClassNames?: Readonly<Record<"critical" | "high" | "medium", string>>;
    /**
     * S3's public address ranges in the region (the `com.amazonaws.<region>.s3` managed prefix list),
     * when S3 is reached through a gateway endpoint: the route stays private, but the addresses are
     * outside the VPC, so NetworkPolicies must name them. Absent: S3 is an interface endpoint in the VPC.
     */
    readonly objectStorageCidrs?: pulumi.Input<readonly string[]>;
    /** NATS account holding the services' streams (KEDA reads consumer lag per account); default "APP". */
    readonly natsAccount?: string;
    /**
     * NATS requires TLS with a client certificate: each NATS client namespace gets a Certificate
     * from this ClusterIssuer into `secretName` (`ca.crt`, `tls.crt`, `tls.key`), mounted in its pods.
     */
    readonly natsTls?: { readonly issuerName: string; readonly secretName: string };
    /** Namespace of the OpenTelemetry Collector (egress target). */
    readonly otelNamespace: string;
    /** Node label key and values selecting each node pool. */
    readonly nodePoolLabel: string;
    /** The VPC CIDR: Aurora and ElastiCache are reached inside it on 5432 / 6379. */
    readonly vpcCidr: string;
    /** The in-cluster flag service (components/k8s/flagd.ts), when the platform runs one: egress target and the services' FLAGD_HOST. */
    readonly flags?: { readonly namespace: string; readonly host: string; readonly port: number };
}

/**
 * A service on the other cloud as its EKS clients see it (a card's `cross-cloud` dependency): the
 * private name that resolves from the pods (Route 53 private zone → the GCP internal load balancer),
 * and the address ranges and port the NetworkPolicy admits (components/interconnect).
 */
export interface CrossCloudEndpoint {
    /** The dependency's service, e.g. `notification-service`. */
    readonly service: string;
    /** Private host, e.g. `notification-internal.<domain>`. */
    readonly host: string;
    /** What the pods get under the dependency's `configKey`, e.g. `https://notification-internal.<domain>`. */
    readonly url: string;
    readonly port: number;
    /** The GCP ranges the name resolves into (the active regions' subnets, where the internal load balancers listen). */
    readonly cidrs: readonly string[];
    /** The ID-token audience the service accepts from its callers (Cloud Run `customAudiences`). */
    readonly audience: string;
    /**
     * Google APIs the callers mint ID tokens with (STS, IAM Credentials), reached over the same VPN at
     * `private.googleapis.com`'s range on 443.
     */
    readonly googleApis: { readonly hosts: readonly string[]; readonly cidr: string };
    /**
     * The callers' GCP identity (Workload Identity Federation): the token-exchange audience and the
     * service account each calling service impersonates. Absent until the GCP side exists.
     */
    readonly identity?: { readonly workloadProviderAudience: pulumi.Input<string>; readonly serviceAccounts: Readonly<Record<string, pulumi.Input<string>>> };
}

/** Everything a ServiceWorkload needs from the region it runs in. */
export interface RegionalPlatformHandle {
    readonly region: string;
    /** `active` or `passive` (warm standby). */
    readonly role: "active" | "passive";
    readonly k8sProvider: k8s.Provider;
    readonly cluster: ClusterServices;
    readonly bindings: Readonly<Record<string, ServiceBinding>>;
    /** Resources (CRD-installing Helm releases) that custom resources must wait for. */
    readonly crdsReady: readonly pulumi.Resource[];
}
