import {
    auroraEncryptedWithCmk,
    auroraIamAuth,
    auroraNotPublic,
    auroraProtectedBackups,
    awsPolicies,
    eksHardened,
    imdsV2Required,
    kmsRotation,
    redisEncryptedAuthMultiAz,
    secretsCmk,
} from "../../policy/rules/aws";
import { runPolicies } from "../../plan/policy-runner";
import { listStacks } from "../../plan/engine";
import { fixture, planOf, providerFixture } from "../harness";

const tagsFor = (environment: string) => ({ environment, service: "platform", owner: "platform-infra", "managed-by": "pulumi" });
const prod = providerFixture("aws", "aws-prod", { region: "us-east-1", defaultTags: { tags: tagsFor("prod") } });
const dev = providerFixture("aws", "aws-dev", { region: "us-west-2", defaultTags: { tags: tagsFor("dev") } });
const cmk = "arn:aws:kms:us-east-1:410987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const goodCluster = {
    storageEncrypted: true,
    kmsKeyId: cmk,
    iamDatabaseAuthenticationEnabled: true,
    deletionProtection: true,
    backupRetentionPeriod: 35,
};

async function check(policy: Parameters<typeof runPolicies>[0][number], ...resources: Parameters<typeof runPolicies>[1]) {
    return runPolicies([policy], [prod, dev, ...resources]);
}

describe("aws-aurora-encrypted-cmk", () => {
    it("passes with storage encryption and a CMK", async () => {
        expect(await check(auroraEncryptedWithCmk, fixture("aws:rds/cluster:Cluster", goodCluster, { name: "db" }))).toEqual([]);
    });
    it("fails without a CMK or without encryption", async () => {
        const f = await check(auroraEncryptedWithCmk, fixture("aws:rds/cluster:Cluster", { ...goodCluster, kmsKeyId: undefined, storageEncrypted: false }, { name: "db" }));
        expect(f.map((x) => x.message)).toEqual([
            'Aurora cluster "db" does not encrypt its storage (storageEncrypted)',
            'Aurora cluster "db" uses the AWS-managed key; set kmsKeyId to the database CMK',
        ]);
        expect(f.map((x) => [x.ruleId, x.severity])).toEqual([
            ["aws-aurora-encrypted-cmk", "mandatory"],
            ["aws-aurora-encrypted-cmk", "mandatory"],
        ]);
    });
});

describe("aws-aurora-not-public", () => {
    it("passes when publiclyAccessible is explicitly false", async () => {
        expect(await check(auroraNotPublic, fixture("aws:rds/clusterInstance:ClusterInstance", { publiclyAccessible: false }))).toEqual([]);
    });
    it("fails when public or left unstated", async () => {
        const f = await check(
            auroraNotPublic,
            fixture("aws:rds/clusterInstance:ClusterInstance", { publiclyAccessible: true }, { name: "a" }),
            fixture("aws:rds/clusterInstance:ClusterInstance", {}, { name: "b" }),
        );
        expect(f.map((x) => x.resource)).toEqual(["a", "b"]);
    });
});

describe("aws-aurora-iam-auth", () => {
    it("passes with IAM auth", async () => {
        expect(await check(auroraIamAuth, fixture("aws:rds/cluster:Cluster", goodCluster))).toEqual([]);
    });
    it("fails without it", async () => {
        const f = await check(auroraIamAuth, fixture("aws:rds/cluster:Cluster", { ...goodCluster, iamDatabaseAuthenticationEnabled: false }, { name: "db" }));
        expect(f).toHaveLength(1);
        expect(f[0].message).toContain("IAM database authentication");
    });
});

describe("aws-aurora-protection-backups", () => {
    it("passes in prod with protection and 35 days, and in dev without protection", async () => {
        const prodDb = fixture("aws:rds/cluster:Cluster", goodCluster, { name: "p", provider: prod.name });
        const devDb = fixture("aws:rds/cluster:Cluster", { ...goodCluster, deletionProtection: false, backupRetentionPeriod: 1 }, { name: "d", provider: dev.name });
        expect(await check(auroraProtectedBackups, prodDb, devDb)).toEqual([]);
    });
    it("fails in prod without deletion protection or with short/default retention", async () => {
        const noProtection = fixture("aws:rds/cluster:Cluster", { ...goodCluster, deletionProtection: false }, { name: "a", provider: prod.name });
        const short = fixture("aws:rds/cluster:Cluster", { ...goodCluster, backupRetentionPeriod: 3 }, { name: "b", provider: prod.name });
        const unset = fixture("aws:rds/cluster:Cluster", { ...goodCluster, backupRetentionPeriod: undefined }, { name: "c", provider: prod.name });
        const f = await check(auroraProtectedBackups, noProtection, short, unset);
        expect(f.map((x) => x.message)).toEqual([
            'Aurora cluster "a" lacks deletion protection',
            'Aurora cluster "b" keeps backups 3 day(s); at least 7 required',
            'Aurora cluster "c" keeps backups 1 day(s); at least 7 required',
        ]);
    });
});

describe("aws-redis-encryption-auth-failover", () => {
    const good = { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, authToken: "tok", multiAzEnabled: true, automaticFailoverEnabled: true };
    it("passes when encrypted, authenticated and Multi-AZ", async () => {
        expect(await check(redisEncryptedAuthMultiAz, fixture("aws:elasticache/replicationGroup:ReplicationGroup", good))).toEqual([]);
    });
    it("names everything missing", async () => {
        const f = await check(redisEncryptedAuthMultiAz, fixture("aws:elasticache/replicationGroup:ReplicationGroup", { ...good, transitEncryptionEnabled: false, authToken: undefined, multiAzEnabled: false }, { name: "r" }));
        expect(f.map((x) => x.message)).toEqual(['Redis "r" lacks in-transit encryption, AUTH (authToken or RBAC user groups), Multi-AZ']);
    });
});

describe("aws-eks-hardened", () => {
    const good = {
        vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: cmk } },
        enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    };
    it("passes private, encrypted, fully logged; and a public endpoint restricted to CIDRs", async () => {
        const restricted = { ...good, vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } };
        expect(await check(eksHardened, fixture("aws:eks/cluster:Cluster", good, { name: "a" }), fixture("aws:eks/cluster:Cluster", restricted, { name: "b" }))).toEqual([]);
    });
    it("fails an endpoint open to the world (explicitly or by default), missing encryption and missing logs", async () => {
        const open = fixture("aws:eks/cluster:Cluster", { ...good, vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }, { name: "open" });
        const defaulted = fixture("aws:eks/cluster:Cluster", { ...good, vpcConfig: {} }, { name: "defaulted" });
        const bare = fixture("aws:eks/cluster:Cluster", { ...good, encryptionConfig: undefined, enabledClusterLogTypes: ["api"] }, { name: "bare" });
        const f = await check(eksHardened, open, defaulted, bare);
        expect(f.map((x) => `${x.resource}: ${x.message}`)).toEqual([
            'open: EKS cluster "open" exposes its API endpoint to the internet; turn it off or restrict publicAccessCidrs',
            'defaulted: EKS cluster "defaulted" exposes its API endpoint to the internet; turn it off or restrict publicAccessCidrs',
            'bare: EKS cluster "bare" does not envelope-encrypt secrets with a KMS key (encryptionConfig)',
            'bare: EKS cluster "bare" lacks control-plane logs: audit, authenticator, controllerManager, scheduler',
        ]);
    });
});

describe("aws-imdsv2-required", () => {
    it("passes a launch template requiring tokens and a node group that uses one", async () => {
        const lt = fixture("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } }, { name: "lt" });
        const ng = fixture("aws:eks/nodeGroup:NodeGroup", { launchTemplate: { id: "lt-123", version: "1" } }, { name: "ng" });
        expect(await check(imdsV2Required, lt, ng)).toEqual([]);
    });
    it("fails optional tokens and a node group without a launch template", async () => {
        const lt = fixture("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "optional" } }, { name: "lt" });
        const ng = fixture("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["m7i.xlarge"] }, { name: "ng" });
        const f = await check(imdsV2Required, lt, ng);
        expect(f.map((x) => x.resource)).toEqual(["lt", "ng"]);
    });
});

describe("aws-kms-rotation", () => {
    it("passes a rotating key and fails a static one", async () => {
        expect(await check(kmsRotation, fixture("aws:kms/key:Key", { enableKeyRotation: true }))).toEqual([]);
        const f = await check(kmsRotation, fixture("aws:kms/key:Key", { enableKeyRotation: false }, { name: "k" }));
        expect(f).toEqual([{ ruleId: "aws-kms-rotation", severity: "mandatory", resource: "k", message: 'KMS key "k" does not rotate' }]);
    });
});

describe("aws-secrets-cmk", () => {
    it("passes a secret with a CMK and fails one without", async () => {
        expect(await check(secretsCmk, fixture("aws:secretsmanager/secret:Secret", { kmsKeyId: cmk }))).toEqual([]);
        const f = await check(secretsCmk, fixture("aws:secretsmanager/secret:Secret", { name: "x" }, { name: "s" }));
        expect(f.map((x) => x.resource)).toEqual(["s"]);
    });
});

describe("the AWS rules on the real stacks", () => {
    it.each(listStacks())("%s: no mandatory finding from the AWS rules", async (stack) => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        expect(planned.run.resources.filter((r) => r.type.startsWith("aws:")).length).toBeGreaterThan(0);
        const findings = await runPolicies(awsPolicies, planned.run.resources);
        expect(findings.filter((f) => f.severity === "mandatory")).toEqual([]);
    });
    it("fails the real prod-us when its cluster's endpoint is opened and its Redis loses AUTH", async () => {
        const planned = await planOf("prod-us");
        expect(planned.run.error).toBeNull();
        const resources = planned.run.resources.map((r) => {
            if (r.type === "aws:eks/cluster:Cluster" && r.name === "us-east-1-eks-cluster") {
                return { ...r, props: { ...r.props, vpcConfig: { ...(r.props.vpcConfig as object), endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } } };
            }
            if (r.type === "aws:elasticache/replicationGroup:ReplicationGroup" && r.name === "us-west-2-redis-rg") {
                return { ...r, props: { ...r.props, authToken: undefined, userGroupIds: [] } };
            }
            return r;
        });
        const findings = await runPolicies(awsPolicies, resources);
        expect(findings.map((f) => `${f.ruleId} ${f.resource}`).sort()).toEqual(["aws-eks-hardened us-east-1-eks-cluster", "aws-redis-encryption-auth-failover us-west-2-redis-rg"]);
    });
});
