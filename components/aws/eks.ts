import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NodePool, nodePools } from "../../data/catalog/types";
import type { NodeGroupSize } from "../../capacity/aws";
import { OidcIdentity, irsaRole } from "./irsa";

/** Every EKS control-plane log type: all five, so audits and auth decisions are on record. */
export const clusterLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface EksClusterArgs {
    /** AWS account id of the stack. */
    readonly accountId: string;
    /** AWS region of this platform. */
    readonly region: string;
    /** Physical cluster name (also the CloudWatch log group and the token's `--cluster-name`). */
    readonly clusterName: string;
    /** Pinned Kubernetes version. */
    readonly version: string;
    /** The region's VPC. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets (one per zone): control-plane ENIs and nodes. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /**
     * CIDRs allowed on the public endpoint (the pipeline runners' NAT /32s, then any operator ranges);
     * empty keeps the API private only. Never 0.0.0.0/0, nothing broader than /24.
     */
    readonly apiAccessCidrs: readonly string[];
    /** CMK of the cluster-secrets data class (envelope encryption of Kubernetes Secrets). */
    readonly clusterSecretsKeyArn: pulumi.Input<string>;
    /** CMK encrypting EBS volumes (node roots and PersistentVolumes). */
    readonly volumesKeyArn: pulumi.Input<string>;
    /** CMK of the logs data class (CloudWatch log groups). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Days log groups keep events (environment profile). */
    readonly logRetentionDays: number;
    /** IAM role granted cluster admin through an access entry (no aws-auth ConfigMap). */
    readonly adminRoleArn: string;
    /** Managed node groups per pool, sized by the capacity model. */
    readonly nodeGroups: Readonly<Record<NodePool, NodeGroupSize>>;
    /** Node label key carrying the pool name. */
    readonly nodePoolLabel: string;
    /** Standard labels (environment, service, owner, managed-by) of every Kubernetes object. */
    readonly labels: Readonly<Record<string, string>>;
    /** Retain encrypted volumes when their claim goes away (staging/prod) or delete them (dev). */
    readonly retainVolumes: boolean;
    /** Deletion protection and Pulumi `protect` for stateful resources (staging/prod). */
    readonly protect: boolean;
}

/** The broadest range the public endpoint admits: a pipeline's NAT /32s, an office's small block. */
export const maxApiAccessPrefix = 24;
/** EKS quota "public endpoint access CIDR ranges per cluster" (40, not adjustable). */
export const maxApiAccessCidrs = 40;

/** Validation before any resource: the public endpoint is never open to the world, nor to a wide range. */
export function validateEksArgs(args: Pick<EksClusterArgs, "apiAccessCidrs" | "nodeGroups">): string[] {
    const problems: string[] = [];
    for (const c of args.apiAccessCidrs) {
        const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(c);
        const prefix = m ? Number(m[5]) : NaN;
        if (c.endsWith("/0")) {
            problems.push(`apiAccessCidrs must not contain ${c}: the public endpoint would be open to the internet`);
        } else if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || prefix > 32) {
            problems.push(`apiAccessCidrs: ${c} is not an IPv4 CIDR`);
        } else if (prefix < maxApiAccessPrefix) {
            problems.push(`apiAccessCidrs must not contain ${c}: broader than /${maxApiAccessPrefix} (name the pipeline's or operators' addresses, not a network)`);
        }
    }
    if (args.apiAccessCidrs.length > maxApiAccessCidrs) {
        problems.push(`apiAccessCidrs has ${args.apiAccessCidrs.length} ranges; EKS admits at most ${maxApiAccessCidrs} per cluster`);
    }
    for (const pool of nodePools) {
        const g = args.nodeGroups[pool];
        if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize && g.maxSize >= 1)) {
            problems.push(`node group ${pool}: need min ≤ desired ≤ max and max ≥ 1 (got ${g.minSize}/${g.desiredSize}/${g.maxSize})`);
        }
    }
    return problems;
}

/** The kubeconfig of a cluster, authenticating with `aws eks get-token` (short-lived tokens, no static credentials). */
export function kubeconfigFor(clusterName: string, region: string, endpoint: string, caData: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    });
}

function assumePolicy(service: string): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"] }] });
}

/**
 * An EKS cluster with a private API endpoint, envelope-encrypted secrets, every log type, access
 * entries, an OIDC provider for IRSA, managed node groups per pool (IMDSv2, encrypted gp3 roots),
 * the core add-ons, an encrypted default gp3 StorageClass and metrics-server; plus the Kubernetes
 * provider built from it.
 */
export class EksCluster extends pulumi.ComponentResource {
    readonly cluster: aws.eks.Cluster;
    readonly clusterName: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    /** The EKS-managed cluster security group: nodes and pods carry it (launch templates set no SGs). */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly oidc: OidcIdentity;
    readonly k8sProvider: k8s.Provider;
    readonly storageClassName: string;
    readonly nodeGroups: readonly aws.eks.NodeGroup[];
    /** Add-ons and node groups that must exist before workloads schedule. */
    readonly ready: readonly pulumi.Resource[];

    constructor(name: string, args: EksClusterArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:EksCluster", name, {}, opts);
        const problems = validateEksArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid EKS arguments:\n  - ${problems.join("\n  - ")}`, this);
        }
        const provider = opts.provider;
        const o = { parent: this, provider };

        const clusterRole = new aws.iam.Role(`${name}-cluster-role`, { assumeRolePolicy: assumePolicy("eks.amazonaws.com") }, o);
        const clusterPolicy = new aws.iam.RolePolicyAttachment(`${name}-cluster-policy`, { role: clusterRole.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" }, o);
        // Envelope encryption of Secrets: the control plane uses exactly the cluster-secrets key.
        const clusterKms = new aws.iam.RolePolicy(
            `${name}-cluster-kms`,
            {
                role: clusterRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants", "kms:CreateGrant"], Resource: [args.clusterSecretsKeyArn] }],
                }),
            },
            o,
        );

        // Created first so the control plane writes into an encrypted group with our retention.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane-logs`,
            { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            o,
        );

        const publicAccess = args.apiAccessCidrs.length > 0;
        this.cluster = new aws.eks.Cluster(
            `${name}-cluster`,
            {
                name: args.clusterName,
                version: args.version,
                roleArn: clusterRole.arn,
                vpcConfig: {
                    subnetIds: args.privateSubnetIds,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: publicAccess,
                    publicAccessCidrs: publicAccess ? [...args.apiAccessCidrs] : undefined,
                },
                encryptionConfig: { resources: ["secrets"], provider: { keyArn: args.clusterSecretsKeyArn } },
                enabledClusterLogTypes: [...clusterLogTypes],
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                // The managed add-ons below replace the self-managed defaults, so their versions are ours.
                bootstrapSelfManagedAddons: false,
                kubernetesNetworkConfig: { ipFamily: "ipv4" },
                upgradePolicy: { supportType: "STANDARD" },
                deletionProtection: args.protect,
            },
            { ...o, dependsOn: [clusterPolicy, clusterKms, logGroup] },
        );
        this.clusterName = this.cluster.name;
        this.endpoint = this.cluster.endpoint;
        this.clusterSecurityGroupId = this.cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId);

        const admin = new aws.eks.AccessEntry(`${name}-admin-access`, { clusterName: this.cluster.name, principalArn: args.adminRoleArn, type: "STANDARD" }, o);
        new aws.eks.AccessPolicyAssociation(
            `${name}-admin-policy`,
            {
                clusterName: this.cluster.name,
                principalArn: admin.principalArn,
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                accessScope: { type: "cluster" },
            },
            o,
        );

        const issuer = this.cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? "");
        const oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: issuer, clientIdLists: ["sts.amazonaws.com"] }, o);
        this.oidc = { providerArn: oidcProvider.arn, issuerHostPath: issuer.apply((u) => u.replace(/^https:\/\//, "")) };

        const addonVersion = (addon: string) => aws.eks.getAddonVersionOutput({ addonName: addon, kubernetesVersion: args.version, mostRecent: false }, { parent: this, provider }).version;
        const addon = (addonName: string, extra: Partial<aws.eks.AddonArgs>, dependsOn: pulumi.Resource[] = []) =>
            new aws.eks.Addon(
                `${name}-${addonName}`,
                { clusterName: this.cluster.name, addonName, addonVersion: addonVersion(addonName), resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE", ...extra },
                { ...o, dependsOn },
            );

        // VPC CNI with its own IRSA role (not the node role): network policy enforcement + prefix delegation.
        const cniRole = irsaRole(`${name}-vpc-cni-role`, this.oidc, "kube-system", "aws-node", o);
        new aws.iam.RolePolicyAttachment(`${name}-vpc-cni-policy`, { role: cniRole.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" }, o);
        const vpcCni = addon("vpc-cni", {
            serviceAccountRoleArn: cniRole.arn,
            configurationValues: JSON.stringify({
                enableNetworkPolicy: "true",
                env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" },
            }),
        });
        const kubeProxy = addon("kube-proxy", {});

        // Nodes: role, launch template per pool, managed node group per pool.
        const nodeRole = new aws.iam.Role(`${name}-node-role`, { assumeRolePolicy: assumePolicy("ec2.amazonaws.com") }, o);
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
            (p) => new aws.iam.RolePolicyAttachment(`${name}-node-${p}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${p}` }, o),
        );
        const nodeGroups: aws.eks.NodeGroup[] = [];
        for (const pool of nodePools) {
            const size = args.nodeGroups[pool];
            const lt = new aws.ec2.LaunchTemplate(
                `${name}-${pool}-lt`,
                {
                    description: `EKS ${args.clusterName} ${pool} pool`,
                    updateDefaultVersion: true,
                    // IMDSv2 only; hop limit 1 keeps pods off the node's credentials (they use IRSA).
                    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                    blockDeviceMappings: [
                        {
                            deviceName: "/dev/xvda",
                            ebs: { volumeSize: 80, volumeType: "gp3", encrypted: "true", kmsKeyId: args.volumesKeyArn, deleteOnTermination: "true" },
                        },
                    ],
                    monitoring: { enabled: true },
                    tagSpecifications: [
                        { resourceType: "instance", tags: { Name: `${args.clusterName}-${pool}`, pool } },
                        { resourceType: "volume", tags: { Name: `${args.clusterName}-${pool}`, pool } },
                    ],
                },
                o,
            );
            nodeGroups.push(
                new aws.eks.NodeGroup(
                    `${name}-${pool}`,
                    {
                        clusterName: this.cluster.name,
                        nodeGroupNamePrefix: `${pool}-`,
                        nodeRoleArn: nodeRole.arn,
                        subnetIds: args.privateSubnetIds,
                        amiType: "AL2023_x86_64_STANDARD",
                        capacityType: "ON_DEMAND",
                        instanceTypes: [size.instanceType],
                        launchTemplate: { id: lt.id, version: pulumi.interpolate`${lt.latestVersion}` },
                        scalingConfig: { minSize: size.minSize, desiredSize: size.desiredSize, maxSize: size.maxSize },
                        updateConfig: { maxUnavailablePercentage: 33 },
                        labels: { [args.nodePoolLabel]: pool },
                        tags: { pool },
                    },
                    // The autoscaler owns desiredSize after creation.
                    { ...o, dependsOn: [vpcCni, kubeProxy, ...nodePolicies], ignoreChanges: ["scalingConfig.desiredSize"] },
                ),
            );
        }
        this.nodeGroups = nodeGroups;

        const coredns = addon("coredns", { configurationValues: JSON.stringify({ replicaCount: 2, nodeSelector: { [args.nodePoolLabel]: "platform" } }) }, nodeGroups);
        const ebsRole = irsaRole(`${name}-ebs-csi-role`, this.oidc, "kube-system", "ebs-csi-controller-sa", o);
        new aws.iam.RolePolicyAttachment(`${name}-ebs-csi-policy`, { role: ebsRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" }, o);
        // Volumes are encrypted with our CMK: the driver needs grants on exactly that key.
        new aws.iam.RolePolicy(
            `${name}-ebs-csi-kms`,
            {
                role: ebsRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: [args.volumesKeyArn], Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
                        { Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: [args.volumesKeyArn] },
                    ],
                }),
            },
            o,
        );
        const ebsCsi = addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebsRole.arn }, nodeGroups);
        const podIdentity = addon("eks-pod-identity-agent", {}, nodeGroups);

        const kubeconfig = pulumi
            .all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority])
            .apply(([n, endpoint, ca]) => kubeconfigFor(n, args.region, endpoint, ca.data ?? ""));
        this.k8sProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig, enableServerSideApply: true, deleteUnreachable: false }, { parent: this, dependsOn: [admin] });
        const k = { parent: this, provider: this.k8sProvider };

        this.storageClassName = "gp3-encrypted";
        const storageClass = new k8s.storage.v1.StorageClass(
            `${name}-gp3-encrypted`,
            {
                metadata: { name: this.storageClassName, labels: { ...args.labels }, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
                provisioner: "ebs.csi.aws.com",
                parameters: { type: "gp3", encrypted: "true", kmsKeyId: args.volumesKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
                reclaimPolicy: args.retainVolumes ? "Retain" : "Delete",
            },
            { ...k, dependsOn: [ebsCsi] },
        );

        const metricsServer = new k8s.helm.v3.Release(
            `${name}-metrics-server`,
            {
                name: "metrics-server",
                chart: "metrics-server",
                version: "3.13.0",
                repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" },
                namespace: "kube-system",
                createNamespace: false,
                atomic: true,
                values: {
                    replicas: 2,
                    nodeSelector: { [args.nodePoolLabel]: "platform" },
                    podDisruptionBudget: { enabled: true, minAvailable: 1 },
                    resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
                },
            },
            { ...k, dependsOn: nodeGroups },
        );
        this.ready = [...nodeGroups, coredns, ebsCsi, podIdentity, storageClass, metricsServer];
        this.registerOutputs({ clusterName: this.clusterName, endpoint: this.endpoint, oidcProviderArn: this.oidc.providerArn });
    }
}
