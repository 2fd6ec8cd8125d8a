import { catalog } from "../../data/catalog";
import { K8sServiceCard } from "../../data/catalog/types";
import { RegisteredResource, StackRun } from "../../plan/engine";
import { mockBootstrapOutputs } from "../../plan/mocks/pulumi";
import { byType, childrenOf, nonEmpty, one, planOf } from "../harness";

const eksCards = catalog.filter((c): c is K8sServiceCard => c.platform === "eks");
const withDb = eksCards.filter((c) => c.database);

const json = (r: RegisteredResource, key: string) => JSON.parse(String(r.props[key])) as Record<string, unknown>;
const inRegion = (run: StackRun, type: string, region: string) => byType(run, type).filter((r) => r.name.startsWith(`${region}-`));

describe("prod-us: two complete active regional platforms", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = (await planOf("prod-us")).run;
        expect(run.error).toBeNull();
    });

    it("one RegionalPlatform per region, each on its own explicit provider, with distinct /16s", () => {
        expect(byType(run, "learning-platform:aws:RegionalPlatform").map((r) => r.name).sort()).toEqual(["us-east-1", "us-west-2"]);
        const vpcs = byType(run, "aws:ec2/vpc:Vpc");
        expect(vpcs.map((v) => [v.name, v.provider, v.props.cidrBlock])).toEqual([
            ["us-east-1-net-vpc", "aws-us-east-1", "10.8.0.0/16"],
            ["us-west-2-net-vpc", "aws-us-west-2", "10.32.0.0/16"],
        ]);
        const provider = one(run, "pulumi:providers:aws", "aws-us-east-1");
        expect(JSON.parse(String(provider.props.defaultTags))).toEqual({ tags: { environment: "prod", service: "platform", owner: "platform-infra", "managed-by": "pulumi", residency: "us" } });
    });

    it("network: 9 subnets over 3 zones, a NAT per zone, locked default SG, flow logs, private endpoints", () => {
        for (const region of ["us-east-1", "us-west-2"]) {
            const subnets = inRegion(run, "aws:ec2/subnet:Subnet", region);
            expect(subnets).toHaveLength(9);
            expect(new Set(subnets.map((s) => s.props.availabilityZone))).toEqual(new Set(["a", "b", "c"].map((z) => `${region}${z}`)));
            const pub = subnets.filter((s) => (s.props.tags as Record<string, string>).tier === "public");
            expect(nonEmpty(pub).every((s) => (s.props.tags as Record<string, string>)["kubernetes.io/role/elb"] === "1" && s.props.mapPublicIpOnLaunch === false)).toBe(true);
            expect(subnets.filter((s) => (s.props.tags as Record<string, string>)["kubernetes.io/role/internal-elb"] === "1")).toHaveLength(3);
            expect(inRegion(run, "aws:ec2/natGateway:NatGateway", region)).toHaveLength(3);
            const sg = one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", `${region}-net-default-sg`);
            expect([sg.props.ingress, sg.props.egress]).toEqual([[], []]);
            expect(one(run, "aws:ec2/flowLog:FlowLog", `${region}-net-flow-log`).props.trafficType).toBe("ALL");
            const endpoints = inRegion(run, "aws:ec2/vpcEndpoint:VpcEndpoint", region).map((e) => [e.props.serviceName, e.props.vpcEndpointType, e.props.privateDnsEnabled ?? null]);
            expect(endpoints.sort()).toEqual(
                [
                    [`com.amazonaws.${region}.ecr.api`, "Interface", true],
                    [`com.amazonaws.${region}.ecr.dkr`, "Interface", true],
                    [`com.amazonaws.${region}.logs`, "Interface", true],
                    [`com.amazonaws.${region}.s3`, "Gateway", null],
                    [`com.amazonaws.${region}.secretsmanager`, "Interface", true],
                    [`com.amazonaws.${region}.sts`, "Interface", true],
                ].sort(),
            );
            // Isolated data subnets have no route out.
            expect(one(run, "aws:ec2/routeTable:RouteTable", `${region}-net-isolated-rt`).props.routes).toBeUndefined();
        }
    });

    it("KMS: a rotating CMK per data class with a policy naming no wildcard principal; logs key admits CloudWatch Logs of the region", () => {
        // The data-class keys (the release's asymmetric image-signing key, which cannot rotate, is tests/release's).
        const keys = inRegion(run, "aws:kms/key:Key", "us-east-1").filter((k) => k.name.startsWith("us-east-1-kms-"));
        expect(keys.map((k) => k.name.replace("us-east-1-kms-", "")).sort()).toEqual(["cache", "cluster-secrets", "database", "logs", "object-storage", "secrets", "volumes"]);
        for (const k of keys) {
            expect(k.props.enableKeyRotation).toBe(true);
            expect(k.props.deletionWindowInDays).toBe(30);
            expect(k.protect).toBe(true);
            const principals = (json(k, "policy").Statement as { Principal: unknown }[]).map((s) => JSON.stringify(s.Principal));
            expect(principals.some((p) => p.includes('"*"'))).toBe(false);
            expect(principals[0]).toBe(JSON.stringify({ AWS: "arn:aws:iam::410987654321:root" }));
        }
        const logs = json(one(run, "aws:kms/key:Key", "us-east-1-kms-logs"), "policy").Statement as { Principal: { Service?: string } }[];
        expect(logs.map((s) => s.Principal.Service).filter(Boolean)).toEqual(["logs.us-east-1.amazonaws.com"]);
    });

    it("EKS: pinned 1.34, private endpoint (public only for the pipeline runners), secrets encrypted with the cluster-secrets key, all logs, API access entries", () => {
        const c = one(run, "aws:eks/cluster:Cluster", "us-east-1-eks-cluster");
        expect(c.props.version).toBe("1.34");
        // Private for nodes and pods; public only for the pipeline runners' NAT /32s (bootstrap stack, mocked offline).
        expect(c.props.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true });
        expect((c.props.vpcConfig as Record<string, unknown>).publicAccessCidrs).toEqual(mockBootstrapOutputs("melmastoon/bootstrap/deploy-prod-us").runnerEgressCidrs);
        const clusterSecretsKeyId = one(run, "aws:kms/alias:Alias", "us-east-1-kms-cluster-secrets-alias").props.targetKeyId;
        expect(c.props.encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: expect.stringContaining(`key/${clusterSecretsKeyId}`) } });
        expect(c.props.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        expect(c.props.accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
        expect(one(run, "aws:eks/accessEntry:AccessEntry", "us-east-1-eks-admin-access").props.principalArn).toBe("arn:aws:iam::410987654321:role/platform-admin");
        expect(one(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "us-east-1-eks-admin-policy").props.policyArn).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
        expect(run.resources.some((r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.props.metadata as Record<string, unknown>)?.name === "aws-auth")).toBe(false);
        const oidc = one(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "us-east-1-eks-oidc");
        expect(oidc.props.url).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
        expect(oidc.props.clientIdLists).toEqual(["sts.amazonaws.com"]);
    });

    it("the Kubernetes provider authenticates with aws eks get-token for its own cluster and region", () => {
        const p = one(run, "pulumi:providers:kubernetes", "us-west-2-eks-k8s");
        const kubeconfig = JSON.parse(String(p.props.kubeconfig));
        expect(kubeconfig.clusters[0].cluster.server).toMatch(/^https:\/\/[0-9A-F]+\.gr7\.us-west-2\.eks\.amazonaws\.com$/);
        expect(kubeconfig.users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "learning-prod-us-west-2", "--region", "us-west-2", "--output", "json"]);
    });

    it("node groups per pool, sized by the capacity model, labelled, over the 3 private subnets, IMDSv2 + encrypted gp3 roots", () => {
        // The sizes worked by hand in tests/capacity/aws.test.ts from the documents' prod requests and
        // ranges; the platform pool runs on its floor of one node per zone (ours) and may grow to a fourth
        // since it also holds istiod (2 × 500m / 2Gi) and every node gives ztunnel + istio-cni their share.
        const expected = {
            platform: { instanceTypes: ["m7i.xlarge"], scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 4 } },
            core: { instanceTypes: ["c7i.2xlarge"], scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 12 } },
            worker: { instanceTypes: ["c7i.2xlarge"], scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 23 } },
        };
        for (const pool of ["platform", "core", "worker"] as const) {
            const ng = one(run, "aws:eks/nodeGroup:NodeGroup", `us-east-1-eks-${pool}`);
            expect({ instanceTypes: ng.props.instanceTypes, scalingConfig: ng.props.scalingConfig }).toEqual(expected[pool]);
            expect(ng.props.labels).toEqual({ "platform.melmastoon.com/pool": pool });
            expect(ng.props.subnetIds).toHaveLength(3);
            expect(ng.props.taints).toBeUndefined();
            const lt = one(run, "aws:ec2/launchTemplate:LaunchTemplate", `us-east-1-eks-${pool}-lt`);
            expect(lt.props.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
            const volumesKeyId = one(run, "aws:kms/alias:Alias", "us-east-1-kms-volumes-alias").props.targetKeyId;
            expect((lt.props.blockDeviceMappings as { ebs: Record<string, unknown> }[])[0].ebs).toMatchObject({ volumeType: "gp3", encrypted: "true", kmsKeyId: expect.stringContaining(String(volumesKeyId)) });
        }
    });

    it("add-ons: VPC CNI with network policy + prefix delegation, CoreDNS, kube-proxy, EBS CSI (IRSA), encrypted default gp3 class, metrics-server", () => {
        const addons = inRegion(run, "aws:eks/addon:Addon", "us-east-1").map((a) => a.props.addonName).sort();
        expect(addons).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
        const cni = one(run, "aws:eks/addon:Addon", "us-east-1-eks-vpc-cni");
        expect(json(cni, "configurationValues")).toEqual({ enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } });
        expect(cni.props.addonVersion).toBe("v1.20.4-eksbuild.1");
        expect(one(run, "aws:eks/addon:Addon", "us-east-1-eks-aws-ebs-csi-driver").props.serviceAccountRoleArn).toMatch(/role\/us-east-1-eks-ebs-csi-role$/);
        const sc = one(run, "kubernetes:storage.k8s.io/v1:StorageClass", "us-east-1-eks-gp3-encrypted");
        expect(sc.props).toMatchObject({ provisioner: "ebs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Retain", parameters: { type: "gp3", encrypted: "true" } });
        expect((sc.props.metadata as { annotations: Record<string, string> }).annotations["storageclass.kubernetes.io/is-default-class"]).toBe("true");
        expect(sc.provider).toBe("us-east-1-eks-k8s");
        const releases = inRegion(run, "kubernetes:helm.sh/v3:Release", "us-east-1").map((r) => [String(r.props.chart), String(r.props.namespace)]);
        expect(releases.sort()).toEqual([
            ["aws-load-balancer-controller", "kube-system"],
            ["base", "istio-system"],
            ["cert-manager", "cert-manager"],
            ["cni", "istio-system"],
            ["external-secrets", "external-secrets"],
            ["flagger", "flagger"],
            ["istiod", "istio-system"],
            ["keda", "keda"],
            ["kube-prometheus-stack", "monitoring"],
            ["loadtester", "flagger"],
            ["metrics-server", "kube-system"],
            // NACK, the JetStream controller that declares the streams (components/k8s/jetstream.ts).
            ["nack", "nats"],
            ["nats", "nats"],
            ["oci://docker.io/envoyproxy/gateway-helm", "gateway"],
            ["opentelemetry-collector", "platform"],
            ["policy-controller", "cosign-system"],
            ["ztunnel", "istio-system"],
        ]);
        for (const r of nonEmpty(inRegion(run, "kubernetes:helm.sh/v3:Release", "us-east-1"))) {
            expect(r.props.version).toMatch(/^v?\d+\.\d+\.\d+$/);
            expect(r.props.createNamespace).toBe(false);
        }
    });

    it("Aurora per service: 16.x, CMK, the primary of a global database (copied to the other home), IAM auth, 35-day backups, protected, writer + 2 readers in 3 zones", () => {
        for (const card of nonEmpty(withDb)) {
            const c = one(run, "aws:rds/cluster:Cluster", `us-east-1-${card.service}-db-cluster`);
            expect(c.props).toMatchObject({
                engine: "aurora-postgresql",
                engineVersion: "16.6",
                storageEncrypted: true,
                iamDatabaseAuthenticationEnabled: true,
                backupRetentionPeriod: 35,
                deletionProtection: true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${card.service}-prod-final`,
                copyTagsToSnapshot: true,
                enabledCloudwatchLogsExports: ["postgresql"],
            });
            // Global databases take no RDS-managed password: ours, in Secrets Manager under the secrets key.
            expect(c.props.manageMasterUserPassword).toBeUndefined();
            expect(c.props.globalClusterIdentifier).toBe(`${card.service}-prod`);
            const dbKey = String(one(run, "aws:kms/alias:Alias", "us-east-1-kms-database-alias").props.targetKeyId);
            const secretsKey = String(one(run, "aws:kms/alias:Alias", "us-east-1-kms-secrets-alias").props.targetKeyId);
            expect(c.props.kmsKeyId).toContain(dbKey);
            expect(String(one(run, "aws:secretsmanager/secret:Secret", `us-east-1-${card.service}-db-master-secret`).props.kmsKeyId)).toContain(secretsKey);
            expect(c.protect).toBe(true);
            const instances = byType(run, "aws:rds/clusterInstance:ClusterInstance").filter((i) => i.parent === `us-east-1-${card.service}-db`);
            expect(instances).toHaveLength(3);
            expect(new Set(instances.map((i) => i.props.availabilityZone)).size).toBe(3);
            for (const i of instances) {
                expect(i.props).toMatchObject({ publiclyAccessible: false, performanceInsightsEnabled: true, instanceClass: "db.r7g.xlarge", autoMinorVersionUpgrade: true });
                expect(i.props.performanceInsightsKmsKeyId).toContain(dbKey);
                expect(i.protect).toBe(true);
            }
            const params = one(run, "aws:rds/parameterGroup:ParameterGroup", `us-east-1-${card.service}-db-instance-params`);
            expect(params.props.family).toBe("aurora-postgresql16");
            expect(params.props.parameters).toEqual([{ name: "max_connections", value: "2000", applyMethod: "pending-reboot" }]);
            const cparams = one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup", `us-east-1-${card.service}-db-cluster-params`);
            expect(cparams.props.parameters).toEqual(expect.arrayContaining([{ name: "rds.force_ssl", value: "1" }]));
            const sg = one(run, "aws:ec2/securityGroup:SecurityGroup", `us-east-1-${card.service}-db-sg`);
            // The pods, the Secrets Manager rotation function of the global primary's master password (issue 11),
            // and for a pooled service its RDS Proxy (components/aws/pooler.ts).
            const proxyRule = card.database?.pooled ? [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [expect.stringMatching(/^sg-/)], description: "RDS Proxy" }] : [];
            expect(sg.props.ingress).toEqual([
                { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [expect.stringMatching(/^sg-/)], description: "EKS nodes and pods" },
                { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [expect.stringMatching(/^sg-/)], description: "master password rotation function" },
                ...proxyRule,
            ]);
            expect(sg.props.egress).toEqual([]);
        }
        expect(byType(run, "aws:rds/globalCluster:GlobalCluster")).toHaveLength(6);
    });

    it("Redis: cluster mode, 3 shards × 2 replicas, encrypted (cache key) in transit and at rest, RBAC user group (no shared AUTH token), Multi-AZ, snapshots, protected", () => {
        const rg = one(run, "aws:elasticache/replicationGroup:ReplicationGroup", "us-east-1-redis-rg");
        expect(rg.props).toMatchObject({
            engine: "redis",
            engineVersion: "7.1",
            numNodeGroups: 3,
            replicasPerNodeGroup: 2,
            clusterMode: "enabled",
            transitEncryptionEnabled: true,
            atRestEncryptionEnabled: true,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            snapshotRetentionLimit: 7,
            userGroupIds: ["platform-prod-users"],
        });
        expect(rg.props.authToken).toBeUndefined();
        expect(rg.protect).toBe(true);
        const params = one(run, "aws:elasticache/parameterGroup:ParameterGroup", "us-east-1-redis-params");
        expect(params.props.parameters).toEqual(expect.arrayContaining([{ name: "cluster-enabled", value: "yes" }]));
        const password = one(run, "random:index/randomPassword:RandomPassword", "us-east-1-redis-assignment-service-password-a");
        expect(password.props).toMatchObject({ length: 64, special: false });
    });

    it("NATS: official chart pinned 1.x, 3 servers, JetStream on the encrypted class, PDB, zone spread, exporter; values secret", () => {
        const nats = one(run, "kubernetes:helm.sh/v3:Release", "us-east-1-nats-release");
        expect(nats.props.repositoryOpts).toEqual({ repo: "https://nats-io.github.io/k8s/helm/charts/" });
        expect(nats.props.version).toMatch(/^1\./);
        expect(nats.inputs).toMatchObject({ values: "[secret]" });
        expect(nats.secretPaths).toContain("values");
    });

    it("secrets per service: only the documented keys, CMK, 30-day recovery, protected; values secret; AI_GATEWAY_TOKEN created without a value", () => {
        // seeds/000 §7 lists assignment-service's seven; authoring and progress reuse that set (ours:
        // README departures; their documents list none), progress without the AI gateway.
        const platformKeys = ["POSTGRES_URL", "REDIS_URL", "NATS_CREDS", "INTERNAL_SVC_JWT_SIGNING_KEY", "OTEL_EXPORTER_OTLP_ENDPOINT"];
        const documented: Record<string, string[]> = {
            "assignment-service": [...platformKeys, "AI_GATEWAY_URL", "AI_GATEWAY_TOKEN"],
            "authoring-service": [...platformKeys, "AI_GATEWAY_URL", "AI_GATEWAY_TOKEN"],
            // The analytics firehose's brokers and topics (seed 003 §8, components/aws/msk.ts).
            "progress-service": [...platformKeys, "ANALYTICS_FIREHOSE"],
        };
        expect(eksCards.map((c) => c.service)).toEqual(Object.keys(documented));
        for (const card of nonEmpty(eksCards)) {
            const secrets = byType(run, "aws:secretsmanager/secret:Secret").filter((s) => s.parent === `us-east-1-${card.service}`);
            expect(secrets.map((s) => s.props.name).sort()).toEqual(documented[card.service].map((k) => `prod/${card.service}/${k}`).sort());
            for (const s of nonEmpty(secrets)) {
                expect(s.props.kmsKeyId).toContain(String(one(run, "aws:kms/alias:Alias", "us-east-1-kms-secrets-alias").props.targetKeyId));
                expect(s.props.recoveryWindowInDays).toBe(30);
                expect(s.protect).toBe(true);
            }
            const versions = byType(run, "aws:secretsmanager/secretVersion:SecretVersion").filter((v) => v.parent === `us-east-1-${card.service}`);
            expect(nonEmpty(versions).every((v) => v.secretPaths.includes("secretString") && v.inputs && (v.inputs as Record<string, unknown>).secretString === "[secret]")).toBe(true);
            const withValue = versions.map((v) => v.name.replace(`us-east-1-${card.service}-`, "").replace(/-value$/, ""));
            expect(withValue).not.toContain("ai-gateway-token");
            expect(withValue.length).toBe(documented[card.service].filter((k) => k !== "AI_GATEWAY_TOKEN").length);
        }
    });

    it("IRSA per service: trusts exactly its ServiceAccount; reads only its own secrets, its own buckets, connects as its own DB user", () => {
        for (const card of nonEmpty(eksCards)) {
            const role = one(run, "aws:iam/role:Role", `us-east-1-${card.service}-role`);
            const trust = json(role, "assumeRolePolicy").Statement as { Condition: { StringEquals: Record<string, string> } }[];
            expect(trust).toHaveLength(1);
            expect(Object.values(trust[0].Condition.StringEquals).sort()).toEqual([`system:serviceaccount:${card.namespace}:${card.service}`, "sts.amazonaws.com"].sort());
            const policy = json(one(run, "aws:iam/rolePolicy:RolePolicy", `us-east-1-${card.service}-role-policy`), "policy").Statement as { Sid: string; Resource: string[] | string }[];
            const secretRes = policy.find((s) => s.Sid === "ReadOwnSecrets")?.Resource as string[];
            expect(secretRes).toHaveLength(card.secrets.length);
            expect(nonEmpty(secretRes).every((arn) => arn.includes(`:secret:prod/${card.service}/`))).toBe(true);
            const objects = policy.find((s) => s.Sid === "OwnObjects");
            expect(objects === undefined).toBe(card.buckets.length === 0);
            // A service with a database connects as its own user (through its RDS Proxy when pooled); one without gets no rds-db statement.
            const target = card.database?.pooled ? "prx-[0-9a-f]+" : "cluster-[0-9A-F]+";
            const dbUser = [expect.stringMatching(new RegExp(`^arn:aws:rds-db:us-east-1:410987654321:dbuser:${target}/${card.service.replace(/-/g, "_")}$`))];
            expect(policy.find((s) => s.Sid === "ConnectAsOwnDbUser")?.Resource).toEqual(card.database ? dbUser : undefined);
            // No statement on every resource, whether written "*" or ["*"], and no wildcard inside an ARN's resource part.
            const resources = nonEmpty(policy).flatMap((s) => [s.Resource].flat());
            expect(resources.filter((r) => r === "*" || /:\*$/.test(r))).toEqual([]);
        }
    });

    it("buckets: per card bucket purpose, KMS, versioned, public access blocked, TLS only, lifecycle from the card", () => {
        for (const card of nonEmpty(eksCards)) {
            for (const b of card.buckets) {
                const bucket = one(run, "aws:s3/bucket:Bucket", `us-east-1-${card.service}-${b.purpose}`);
                expect(String(bucket.props.bucket).length).toBeLessThanOrEqual(63);
                expect(bucket.protect).toBe(true);
                expect(one(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `us-east-1-${card.service}-${b.purpose}-public-access`).props).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
                const lifecycle = one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `us-east-1-${card.service}-${b.purpose}-lifecycle`).props.rules as Record<string, unknown>[];
                const retention = lifecycle.find((r) => r.id === "retention");
                expect(retention?.expiration).toEqual(b.expireAfterDays > 0 ? { days: b.expireAfterDays } : undefined);
                expect(retention?.transitions).toEqual(b.coldAfterDays > 0 ? [{ days: b.coldAfterDays, storageClass: "GLACIER_IR" }] : undefined);
            }
        }
    });

    it("edge: internet-facing ALB, TLS 1.3 policy, HTTP→HTTPS, ACM DNS validation for *.domain, ip target group bound to Envoy, WAF with managed groups, LRS guard and rate limits", () => {
        const alb = one(run, "aws:lb/loadBalancer:LoadBalancer", "us-east-1-edge-alb");
        expect(alb.props).toMatchObject({ internal: false, loadBalancerType: "application", dropInvalidHeaderFields: true, enableDeletionProtection: true });
        expect(one(run, "aws:lb/listener:Listener", "us-east-1-edge-https").props).toMatchObject({ port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
        expect(one(run, "aws:lb/listener:Listener", "us-east-1-edge-http-redirect").props.defaultActions).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
        expect(one(run, "aws:acm/certificate:Certificate", "us-east-1-edge-cert").props).toMatchObject({ domainName: "*.us.melmastoon.com", validationMethod: "DNS" });
        expect(one(run, "aws:lb/targetGroup:TargetGroup", "us-east-1-edge-envoy-tg").props).toMatchObject({ targetType: "ip", port: 10080 });
        const tgb = one(run, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "us-east-1-edge-target-group-binding");
        expect(tgb.props.spec).toMatchObject({ serviceRef: { name: "edge-envoy", port: 80 }, targetType: "ip", targetGroupARN: expect.stringContaining(":targetgroup/") });
        const proxy = one(run, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "us-east-1-edge-envoy-proxy");
        expect(((proxy.props.spec as Record<string, Record<string, Record<string, unknown>>>).provider.kubernetes.envoyService as Record<string, unknown>).type).toBe("ClusterIP");
        const gw = one(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "us-east-1-edge-gateway");
        expect(gw.props.metadata).toMatchObject({ name: "edge", namespace: "gateway" });

        const acl = one(run, "aws:wafv2/webAcl:WebAcl", "us-east-1-edge-waf");
        expect(acl.props.scope).toBe("REGIONAL");
        const rules = acl.props.rules as { name: string; statement: Record<string, Record<string, unknown>> }[];
        expect(rules.map((r) => r.name)).toEqual([
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesSQLiRuleSet",
            "lrs-ingest-ip-allowlist",
            "lrs-ingest-api-key",
            "rate-per-tenant",
            "rate-per-user",
            "rate-per-ip",
        ]);
        const tenant = rules.find((r) => r.name === "rate-per-tenant")?.statement.rateBasedStatement;
        // seeds/003 "rate limits at edge (per tenant + per user)" gives no number; 100 000 per 5 min is ours (README departures).
        expect(tenant).toMatchObject({ aggregateKeyType: "CUSTOM_KEYS", limit: 100000, customKeys: [{ header: { name: "x-tenant-id" } }] });
        const apiKey = JSON.stringify(rules.find((r) => r.name === "lrs-ingest-api-key"));
        expect(apiKey).toContain('"x-api-key"');
        expect(apiKey).toContain('"/xapi/statements"');
        expect(JSON.stringify(rules.find((r) => r.name === "lrs-ingest-ip-allowlist"))).toContain(":regional/ipset/us-east-1-edge-lrs-sources/");
        expect(one(run, "aws:wafv2/ipSet:IpSet", "us-east-1-edge-lrs-sources").props.addresses).toEqual(["203.0.113.0/24", "198.51.100.16/28"]);
        expect(one(run, "aws:wafv2/webAclAssociation:WebAclAssociation", "us-east-1-edge-waf-alb").props.resourceArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:410987654321:loadbalancer\/app\/edge-prod\//);
    });

    it("the handle's cluster services reach the workloads: priority classes, S3 ranges of the gateway endpoint", () => {
        const classes = byType(run, "kubernetes:scheduling.k8s.io/v1:PriorityClass").filter((p) => p.provider === "us-east-1-eks-k8s");
        expect(classes.map((c) => (c.props.metadata as { name: string }).name).sort()).toEqual(["learning-platform-critical", "learning-platform-high", "learning-platform-medium"]);
        const withBuckets = eksCards.filter((c) => c.buckets.length > 0 && c.outbound.some((d) => d.kind === "object-storage"));
        const policies = byType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.provider === "us-east-1-eks-k8s");
        for (const card of nonEmpty(withBuckets)) {
            const egress = policies.filter((p) => (p.props.metadata as { namespace: string }).namespace === card.namespace).map((p) => JSON.stringify(p.props.spec));
            expect(egress.some((e) => e.includes("52.216.0.0/15"))).toBe(true);
        }
    });

    it("each service's workload runs on its region's cluster provider, after the CRD-installing releases", () => {
        const workloads = byType(run, "learning-platform:k8s:ServiceWorkload").map((w) => w.name).sort();
        expect(workloads).toEqual(eksCards.flatMap((c) => [`${c.service}-us-east-1`, `${c.service}-us-west-2`]).sort());
        const deployments = byType(run, "kubernetes:apps/v1:Deployment").filter((d) => d.name.includes("us-west-2"));
        expect(deployments.length).toBeGreaterThan(0);
        expect(nonEmpty(deployments).every((d) => d.provider === "us-west-2-eks-k8s")).toBe(true);
    });
});

describe("prod-eu: one active, one passive (Aurora global secondary, no writer)", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = (await planOf("prod-eu")).run;
        expect(run.error).toBeNull();
    });

    it("the active region creates a global cluster per database and is its primary, with a random master password in Secrets Manager", () => {
        for (const card of nonEmpty(withDb)) {
            const g = one(run, "aws:rds/globalCluster:GlobalCluster", `eu-west-1-${card.service}-db-global`);
            expect(g.props).toMatchObject({ engine: "aurora-postgresql", engineVersion: "16.6", storageEncrypted: true, deletionProtection: true });
            expect(g.provider).toBe("aws-eu-west-1");
            const primary = one(run, "aws:rds/cluster:Cluster", `eu-west-1-${card.service}-db-cluster`);
            expect(primary.props.globalClusterIdentifier).toBe(`${card.service}-prod`);
            expect(primary.props.manageMasterUserPassword).toBeUndefined();
            expect(primary.props.masterPassword).toBe("[secret]");
            expect(primary.secretPaths).toContain("masterPassword");
            const secret = one(run, "aws:secretsmanager/secret:Secret", `eu-west-1-${card.service}-db-master-secret`);
            expect(secret.props.name).toBe(`prod/${card.service}/aurora-master`);
            expect(byType(run, "aws:rds/clusterInstance:ClusterInstance").filter((i) => i.parent === `eu-west-1-${card.service}-db`)).toHaveLength(3);
        }
    });

    it("the passive region joins as a secondary: no master credentials, no database name, encrypted with its own key, readers only", () => {
        for (const card of nonEmpty(withDb)) {
            const s = one(run, "aws:rds/cluster:Cluster", `eu-central-1-${card.service}-db-cluster`);
            expect(s.provider).toBe("aws-eu-central-1");
            expect(s.props.globalClusterIdentifier).toBe(`${card.service}-prod`);
            for (const k of ["masterUsername", "masterPassword", "manageMasterUserPassword", "databaseName"]) {
                expect(s.props[k]).toBeUndefined();
            }
            expect(s.props.kmsKeyId).toMatch(/^arn:aws:kms:eu-central-1:/);
            const instances = byType(run, "aws:rds/clusterInstance:ClusterInstance").filter((i) => i.parent === `eu-central-1-${card.service}-db`);
            expect(instances).toHaveLength(2);
            expect(nonEmpty(instances).every((i) => (i.props.tags as Record<string, string>).member === "reader")).toBe(true);
        }
    });

    it("every AWS resource stays in the EU; the passive region is only the DNS failover secondary", () => {
        const regions = new Set(run.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.region));
        expect(regions).toEqual(new Set(["eu-west-1", "eu-central-1"]));
        expect(byType(run, "aws:route53/record:Record").filter((r) => r.name.endsWith("-edge-dns")).map((r) => [r.name, r.props.failoverRoutingPolicies])).toEqual([
            ["eu-west-1-edge-dns", [{ type: "PRIMARY" }]],
            ["eu-central-1-edge-dns", [{ type: "SECONDARY" }]],
        ]);
        expect(byType(run, "learning-platform:aws:RegionalPlatform").map((r) => r.name)).toEqual(["eu-west-1", "eu-central-1"]);
    });
});

describe("dev: a small, unprotected platform", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = (await planOf("dev")).run;
        expect(run.error).toBeNull();
    });

    it("one region, one NAT, unprotected state with no final snapshot, 7-day backups, a single Aurora writer", () => {
        expect(byType(run, "learning-platform:aws:RegionalPlatform").map((r) => r.name)).toEqual(["us-west-2"]);
        expect(byType(run, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
        for (const card of nonEmpty(withDb)) {
            const c = one(run, "aws:rds/cluster:Cluster", `us-west-2-${card.service}-db-cluster`);
            expect(c.props).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true, backupRetentionPeriod: 7 });
            expect(c.props.finalSnapshotIdentifier).toBeUndefined();
            expect(c.protect).toBe(false);
            expect(byType(run, "aws:rds/clusterInstance:ClusterInstance").filter((i) => i.parent === `us-west-2-${card.service}-db`)).toHaveLength(1);
        }
        expect(nonEmpty(byType(run, "aws:kms/key:Key")).every((k) => k.protect === false && k.props.deletionWindowInDays === 7)).toBe(true);
        expect(one(run, "aws:elasticache/replicationGroup:ReplicationGroup", "us-west-2-redis-rg").props).toMatchObject({ numNodeGroups: 1, replicasPerNodeGroup: 1, multiAzEnabled: true });
        expect(one(run, "kubernetes:storage.k8s.io/v1:StorageClass", "us-west-2-eks-gp3-encrypted").props.reclaimPolicy).toBe("Delete");
        expect(nonEmpty(byType(run, "aws:secretsmanager/secret:Secret")).every((s) => s.props.recoveryWindowInDays === 7 && s.protect === false)).toBe(true);
    });

    it("platform children are parented under their component", () => {
        const kids = childrenOf(run, "us-west-2").map((r) => r.type);
        expect(kids.sort()).toEqual([
            "learning-platform:aws:AccessLogBucket",
            "learning-platform:aws:AnalyticsFirehose",
            "learning-platform:aws:AuroraDatabase",
            "learning-platform:aws:AuroraDatabase",
            "learning-platform:aws:AuroraDatabase",
            "learning-platform:aws:DatabasePooler",
            "learning-platform:aws:DatabasePooler",
            "learning-platform:aws:Edge",
            "learning-platform:aws:EksCluster",
            "learning-platform:aws:KmsKeys",
            "learning-platform:aws:Network",
            "learning-platform:aws:RedisCluster",
            "learning-platform:aws:ReleaseControllers",
            "learning-platform:aws:ServiceCloudResources",
            "learning-platform:aws:ServiceCloudResources",
            "learning-platform:aws:ServiceCloudResources",
            "learning-platform:k8s:CertManager",
            "learning-platform:k8s:ClusterAddons",
            "learning-platform:k8s:Flagd",
            "learning-platform:k8s:JetStreamStreams",
            "learning-platform:k8s:NatsJetStream",
            "learning-platform:k8s:PriorityClasses",
            "learning-platform:k8s:ServiceMesh",
        ]);
    });
});

describe("staging: protected like prod, smaller", () => {
    it("staging is protected like prod with 7-day backups and one reader", async () => {
        const staging = (await planOf("staging")).run;
        expect(staging.error).toBeNull();
        for (const card of nonEmpty(withDb)) {
            const c = one(staging, "aws:rds/cluster:Cluster", `us-east-1-${card.service}-db-cluster`);
            expect(c.props).toMatchObject({ deletionProtection: true, backupRetentionPeriod: 7, skipFinalSnapshot: false });
            expect(c.protect).toBe(true);
            expect(byType(staging, "aws:rds/clusterInstance:ClusterInstance").filter((i) => i.parent === `us-east-1-${card.service}-db`)).toHaveLength(2);
        }
        expect(byType(staging, "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    });
});
