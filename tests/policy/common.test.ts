import { dataResidency, noPlaintextSecrets, requiredTags } from "../../policy/rules/common";
import { runPolicies } from "../../plan/policy-runner";
import { secretMarkingFindings } from "../../plan/secrets";
import { fixture, planOf, providerFixture } from "../harness";
import { listStacks } from "../../plan/engine";

const tags = { environment: "prod", service: "platform", owner: "platform-infra", "managed-by": "pulumi" };

describe("required-tags", () => {
    const provider = providerFixture("aws", "aws-eu-west-1", { region: "eu-west-1", defaultTags: { tags } });
    it("passes when the provider's default tags supply them", async () => {
        const vpc = fixture("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }, { provider: provider.name });
        expect(await runPolicies([requiredTags], [provider, vpc])).toEqual([]);
    });
    it("fails when neither the resource nor its provider carry them", async () => {
        const bare = providerFixture("aws", "aws-bare", { region: "eu-west-1" });
        const vpc = fixture("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16", tags: { service: "x" } }, { name: "vpc", provider: bare.name });
        const findings = await runPolicies([requiredTags], [bare, vpc]);
        expect(findings).toEqual([
            { ruleId: "required-tags", severity: "mandatory", resource: "vpc", message: 'aws:ec2/vpc:Vpc "vpc" lacks tags/labels: environment, owner, managed-by' },
        ]);
    });
    it("treats GCP labels and Kubernetes metadata labels alike, and skips untaggable types", async () => {
        const ns = fixture("kubernetes:core/v1:Namespace", { metadata: { name: "a", labels: { environment: "dev" } } }, { name: "ns" });
        const attachment = fixture("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn" }, { name: "att" });
        const findings = await runPolicies([requiredTags], [ns, attachment]);
        expect(findings.map((f) => f.resource)).toEqual(["ns"]);
    });
});

describe("no-plaintext-secrets", () => {
    it("fails on a credential in a ConfigMap, a literal secret env value and a program-written Secret", async () => {
        const cm = fixture("kubernetes:core/v1:ConfigMap", { data: { DB_PASSWORD: "hunter2", REDIS_URL: "rediss://:tok@redis:6379" } }, { name: "cm" });
        const dep = fixture(
            "kubernetes:apps/v1:Deployment",
            { spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "AI_GATEWAY_TOKEN", value: "abc" }] }] } } } },
            { name: "dep" },
        );
        const secret = fixture("kubernetes:core/v1:Secret", { stringData: { KEY: "v" } }, { name: "sec" });
        const findings = await runPolicies([noPlaintextSecrets], [cm, dep, secret]);
        expect(findings.map((f) => `${f.resource}: ${f.message}`)).toEqual([
            'cm: ConfigMap "cm" holds "DB_PASSWORD", which is a credential; use the service\'s ExternalSecret',
            'cm: ConfigMap "cm" holds "REDIS_URL", which is a credential; use the service\'s ExternalSecret',
            'dep: container env "AI_GATEWAY_TOKEN" of "dep" is a literal credential; use valueFrom.secretKeyRef',
            'sec: Secret "sec" is written by the program; secrets come from Secrets Manager through External Secrets',
        ]);
    });
    it("fails once on a CronJob with a literal password (its pod spec is under jobTemplate)", async () => {
        const cron = fixture(
            "kubernetes:batch/v1:CronJob",
            { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "job", env: [{ name: "DB_PASSWORD", value: "hunter2" }, { name: "BATCH_SIZE", value: "500" }] }] } } } } } },
            { name: "cron" },
        );
        expect((await runPolicies([noPlaintextSecrets], [cron])).map((f) => `${f.resource}: ${f.message}`)).toEqual([
            'cron: container env "DB_PASSWORD" of "cron" is a literal credential; use valueFrom.secretKeyRef',
        ]);
        const init = fixture("kubernetes:batch/v1:Job", { spec: { template: { spec: { initContainers: [{ name: "migrate", env: [{ name: "PG_URL", value: "postgres://app:pw@db:5432/app" }] }] } } } }, { name: "job" });
        expect((await runPolicies([noPlaintextSecrets], [init])).map((f) => f.message)).toEqual(['container env "PG_URL" of "job" is a literal credential; use valueFrom.secretKeyRef']);
    });
    it("fails on a literal credential in a Cloud Run service's env, passes its secret reference", async () => {
        const service = (envs: unknown[]) => fixture("gcp:cloudrunv2/service:Service", { template: { containers: [{ image: "i", envs }] } }, { name: "run" });
        const literal = service([{ name: "SENDGRID_API_KEY", value: "SG.abc" }, { name: "LOG_LEVEL", value: "info" }]);
        expect((await runPolicies([noPlaintextSecrets], [literal])).map((f) => `${f.resource}: ${f.message}`)).toEqual([
            'run: Cloud Run env "SENDGRID_API_KEY" of "run" is a literal credential; use valueSource.secretKeyRef',
        ]);
        const url = service([{ name: "REDIS_URL", value: "rediss://default:tok@10.0.0.3:6379" }]);
        expect(await runPolicies([noPlaintextSecrets], [url])).toHaveLength(1);
        const referenced = service([{ name: "SENDGRID_API_KEY", valueSource: { secretKeyRef: { secret: "sendgrid", version: "latest" } } }]);
        expect(await runPolicies([noPlaintextSecrets], [referenced])).toEqual([]);
    });
    it("passes plain configuration and secretKeyRef env", async () => {
        const cm = fixture("kubernetes:core/v1:ConfigMap", { data: { RRULE_HORIZON_DAYS: "90", AI_GATEWAY_URL: "https://ai-gateway.ai-gateway.svc:8080" } });
        const dep = fixture("kubernetes:apps/v1:Deployment", {
            spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "AI_GATEWAY_TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] }] } } },
        });
        expect(await runPolicies([noPlaintextSecrets], [cm, dep])).toEqual([]);
    });
});

describe("data-residency", () => {
    const euProvider = providerFixture("gcp", "gcp-europe-west1", { region: "europe-west1", defaultLabels: { ...tags, residency: "eu" } });
    it("fails for a resource placed outside the stack's zone", async () => {
        const usProvider = providerFixture("gcp", "gcp-us-east4", { region: "us-east4", defaultLabels: { ...tags, residency: "eu" } });
        const sql = fixture("gcp:sql/databaseInstance:DatabaseInstance", { region: "us-east4" }, { name: "pg", provider: usProvider.name });
        const findings = await runPolicies([dataResidency], [euProvider, usProvider, sql]);
        expect(findings.map((f) => f.resource)).toEqual(["gcp-us-east4", "pg"]);
        expect(findings[1].message).toContain('outside residency zone "eu"');
    });
    it("passes for EU resources, zones included", async () => {
        const sql = fixture("gcp:sql/databaseInstance:DatabaseInstance", { region: "europe-west1" }, { name: "pg", provider: euProvider.name });
        const redis = fixture("gcp:redis/instance:Instance", { locationId: "europe-west1-b", region: "europe-west1" }, { name: "r", provider: euProvider.name });
        expect(await runPolicies([dataResidency], [euProvider, sql, redis])).toEqual([]);
    });
});

describe("secrets-marked (plan check)", () => {
    it("fails when a credential input is not a Pulumi secret, passes when it is", () => {
        const plain = fixture("aws:elasticache/replicationGroup:ReplicationGroup", { authToken: "x" }, { name: "plain" });
        const marked = fixture("aws:elasticache/replicationGroup:ReplicationGroup", { authToken: "x" }, { name: "marked", secretPaths: ["authToken"] });
        expect(secretMarkingFindings([plain, marked]).map((f) => f.resource)).toEqual(["plain"]);
    });
});

describe("the real stacks", () => {
    it.each(listStacks())("%s: no mandatory finding from the common rules or secret marking", async (stack) => {
        const { run, findings } = await planOf(stack);
        expect(run.error).toBeNull();
        expect(run.resources.length).toBeGreaterThan(0);
        const common = findings.filter((f) => ["required-tags", "no-plaintext-secrets", "data-residency", "secrets-marked"].includes(f.ruleId));
        expect(common.filter((f) => f.severity === "mandatory")).toEqual([]);
    });
});
