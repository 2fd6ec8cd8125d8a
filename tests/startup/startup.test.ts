import { catalog, k8sServices } from "../../data/catalog";
import { featureState, operationsFeatures } from "../../data/catalog/features";
import { RegisteredResource } from "../../plan/engine";
import { awaitingOperations, awsSecretIdMatches, gcpSecretIdMatches, startupPolicies, waitsForever } from "../../policy/rules/startup";
import { runPolicies } from "../../plan/policy-runner";
import { listStacks, readStackFile } from "../../plan/engine";
import { StackConfigError, parseStackConfig } from "../../data/config";
import { catalogRequirements } from "../../data/config";
import { byType, planOf, runProgram } from "../harness";
import {
    arnOf,
    awsSecret,
    awsVersion,
    awsVersionByDependency,
    cloudRun,
    configMap,
    cronJob,
    deployment,
    externalSecret,
    gcpSecret,
    gcpVersion,
    providers,
    secretStore,
} from "./fixtures";

/**
 * Issue 9 item 2: every pod and Cloud Run revision can start on the first `pulumi up`. A required
 * value nobody provides is mandatory (`startup/waits-forever`); an optional one operations will
 * provide is info naming its switch (`startup/awaiting-operations`).
 */

const ns = "assignment";
const TOKEN = "dev/assignment-service/AI_GATEWAY_TOKEN";
const URL_SECRET = "dev/assignment-service/POSTGRES_URL";
const SWITCH = "learning-platform:features.aiGateway";

function world(extra: RegisteredResource[]): RegisteredResource[] {
    return [...providers(), secretStore(ns), configMap("assignment-config", ns, { A: "1" }), ...extra];
}

const envFrom = (secret: string, optional?: boolean) => ({ envFrom: [{ configMapRef: { name: "assignment-config" } }, { secretRef: { name: secret, ...(optional === undefined ? {} : { optional }) } }] });
const ids = (fs: { ruleId: string }[]) => fs.map((f) => f.ruleId);

describe("startup/waits-forever", () => {
    it("fails a Deployment whose envFrom Secret comes from an ExternalSecret with a key that has no SecretVersion", async () => {
        const token = awsSecret("token", TOKEN);
        const findings = await runPolicies([waitsForever], world([
            awsSecret("url", URL_SECRET),
            awsVersion("url-value", URL_SECRET),
            token,
            externalSecret(ns, "assignment-secrets", { POSTGRES_URL: URL_SECRET, AI_GATEWAY_TOKEN: TOKEN }),
            deployment("assignment-api", ns, envFrom("assignment-secrets")),
        ]));
        expect(ids(findings)).toEqual(["startup/waits-forever"]);
        expect(findings[0].severity).toBe("mandatory");
        expect(findings[0].message).toContain("Deployment assignment/assignment-api");
        expect(findings[0].message).toContain("secret assignment-secrets");
        expect(findings[0].message).toContain(TOKEN);
    });

    it("passes when every remote key has a version (by ARN, or by dependency as under a real preview)", async () => {
        const token = awsSecret("token", TOKEN);
        const findings = await runPolicies([waitsForever], world([
            awsSecret("url", URL_SECRET),
            awsVersion("url-value", URL_SECRET),
            token,
            awsVersionByDependency("token-value", token),
            externalSecret(ns, "assignment-secrets", { POSTGRES_URL: URL_SECRET, AI_GATEWAY_TOKEN: TOKEN }),
            deployment("assignment-api", ns, envFrom("assignment-secrets")),
        ]));
        expect(findings).toEqual([]);
    });

    it("passes a value whose switch declares operations have provided it, and fails the same value with the switch off", async () => {
        const withSwitch = (enabled: string) =>
            world([
                awsSecret("token", TOKEN, { "value-source": "operations", "feature-switch": SWITCH, "feature-enabled": enabled }),
                externalSecret(ns, "assignment-secrets", { AI_GATEWAY_TOKEN: TOKEN }),
                deployment("assignment-api", ns, envFrom("assignment-secrets")),
            ]);
        expect(await runPolicies([waitsForever], withSwitch("true"))).toEqual([]);
        const off = await runPolicies([waitsForever], withSwitch("false"));
        expect(ids(off)).toEqual(["startup/waits-forever"]);
        expect(off[0].message).toContain(SWITCH);
    });

    it("fails a missing ConfigMap, a key the ExternalSecret does not write, and a CronJob's secret volume nobody creates", async () => {
        const findings = await runPolicies([waitsForever], world([
            awsSecret("url", URL_SECRET),
            awsVersion("url-value", URL_SECRET),
            externalSecret(ns, "assignment-secrets", { POSTGRES_URL: URL_SECRET }),
            deployment("a", ns, { envFrom: [{ configMapRef: { name: "absent-config" } }], env: [{ name: "X", valueFrom: { secretKeyRef: { name: "assignment-secrets", key: "REDIS_URL" } } }] }),
            cronJob("c", ns, {}, [{ name: "certs", secret: { secretName: "tls-certs" } }]),
        ]));
        expect(findings.map((f) => f.message.split(":")[0])).toEqual(["Deployment assignment/a waits forever", "Deployment assignment/a waits forever", "CronJob assignment/c waits forever"]);
        expect(findings[0].message).toContain("ConfigMap assignment/absent-config is not created by the program");
        expect(findings[1].message).toContain("writes no key REDIS_URL");
        expect(findings[2].message).toContain("volume certs requires secret tls-certs");
    });

    it("fails a Cloud Run revision mounting a secret without a version, passes one with a version", async () => {
        const env = (id: string) => [{ name: "HMAC_SIGNING_KEY", valueSource: { secretKeyRef: { secret: id, version: "latest" } } }];
        const failing = await runPolicies([waitsForever], [...providers(), gcpSecret("s", "notification--dev--vendor--twilio--platform--credentials"), cloudRun("notification-worker-sms", env("notification--dev--vendor--twilio--platform--credentials"))]);
        expect(ids(failing)).toEqual(["startup/waits-forever"]);
        expect(failing[0].message).toContain("Cloud Run notification-worker-sms never gets a ready revision");
        const passing = await runPolicies([waitsForever], [...providers(), gcpSecret("s", "notification--dev--platform--hmac"), gcpVersion("v", "notification--dev--platform--hmac"), cloudRun("notification-api", env("notification--dev--platform--hmac"))]);
        expect(passing).toEqual([]);
    });

    it("links versions to secrets by ARN / id form only when the name matches exactly", () => {
        expect(awsSecretIdMatches(arnOf(TOKEN), TOKEN)).toBe(true);
        expect(awsSecretIdMatches(arnOf(`${TOKEN}-OLD`), TOKEN)).toBe(false);
        expect(awsSecretIdMatches(TOKEN, TOKEN)).toBe(true);
        expect(gcpSecretIdMatches("projects/p/secrets/abc", "abc")).toBe(true);
        expect(gcpSecretIdMatches("projects/p/secrets/xabc", "abc")).toBe(false);
    });
});

describe("startup/awaiting-operations", () => {
    it("reports an optional reference awaiting operations as info naming the switch, with no mandatory finding", async () => {
        const findings = await runPolicies(startupPolicies, world([
            awsSecret("url", URL_SECRET),
            awsVersion("url-value", URL_SECRET),
            awsSecret("token", TOKEN, { "value-source": "operations", "feature-switch": SWITCH, "feature-enabled": "false" }),
            externalSecret(ns, "assignment-secrets", { POSTGRES_URL: URL_SECRET }),
            externalSecret(ns, "assignment-secrets-awaiting", { AI_GATEWAY_TOKEN: TOKEN }),
            deployment("assignment-api", ns, { envFrom: [...envFrom("assignment-secrets").envFrom, { secretRef: { name: "assignment-secrets-awaiting", optional: true } }] }),
        ]));
        expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["startup/awaiting-operations", "info"]]);
        expect(findings[0].message).toContain(TOKEN);
        expect(findings[0].message).toContain(`switch ${SWITCH}`);
    });

    it("reports a Secret Manager secret no revision mounts and nothing versions (vendor credentials read at run time)", async () => {
        const findings = await runPolicies([awaitingOperations], [...providers(), gcpSecret("v", "notification--dev--vendor--twilio--platform--credentials", { source: "vendor" }), cloudRun("notification-worker-sms", [])]);
        expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["startup/awaiting-operations", "info"]]);
        expect(findings[0].message).toContain("Secret Manager API");
    });
});

describe("the feature switch", () => {
    const requires = catalogRequirements();

    it("is off unless the stack file turns it on, and rejects a non-boolean", () => {
        const raw = readStackFile("dev");
        delete raw.features;
        expect(parseStackConfig("dev", raw, requires).features).toEqual({ aiGateway: false });
        expect(() => parseStackConfig("dev", { ...readStackFile("dev"), features: { aiGateway: "yes" } }, requires)).toThrow(StackConfigError);
    });

    it("owns AI_GATEWAY_TOKEN and, off, leaves it optional and FEATURE_AI_SUGGEST off; on, requires it and turns the flag on", () => {
        const assignment = k8sServices(catalog).find((c) => c.service === "assignment-service");
        expect(assignment).toBeDefined();
        const card = assignment as NonNullable<typeof assignment>;
        expect(operationsFeatures.map((f) => [f.name, f.secrets])).toEqual([["aiGateway", ["AI_GATEWAY_TOKEN"]]]);
        expect(featureState(card, { aiGateway: false })).toEqual({ optionalSecrets: ["AI_GATEWAY_TOKEN"], providedSecrets: [], flags: { AI_GATEWAY_ENABLED: "false", FEATURE_AI_SUGGEST: "off" } });
        expect(featureState(card, { aiGateway: true })).toEqual({ optionalSecrets: [], providedSecrets: ["AI_GATEWAY_TOKEN"], flags: { AI_GATEWAY_ENABLED: "true", FEATURE_AI_SUGGEST: "on" } });
    });
});

describe("the real plans", () => {
    it.each(listStacks())("%s: every workload starts; AI_GATEWAY_TOKEN awaits operations (switch off) for each service reading it", async (stack) => {
        const { run, findings } = await planOf(stack);
        expect(run.error).toBeNull();
        expect(readStackFile(stack).features).toEqual({ aiGateway: false });
        expect(findings.filter((f) => f.ruleId === "startup/waits-forever")).toEqual([]);
        const awaiting = findings.filter((f) => f.ruleId === "startup/awaiting-operations" && f.message.includes("/AI_GATEWAY_TOKEN"));
        const users = k8sServices(catalog).filter((c) => c.secrets.includes("AI_GATEWAY_TOKEN"));
        expect(users.map((c) => c.service)).toEqual(["assignment-service", "authoring-service"]);
        for (const card of users) {
            const mine = awaiting.filter((f) => f.message.includes(`/${card.service}/AI_GATEWAY_TOKEN`));
            // One per workload of the service in each AWS region.
            expect(mine.length).toBeGreaterThanOrEqual(card.roles.length);
            expect(mine.every((f) => f.severity === "info" && f.message.includes(SWITCH))).toBe(true);
        }
    });

    it("prod-eu: no Cloud Run revision mounts a vendor credential; the vendor workers are told where to read them", async () => {
        const { run, findings } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const services = byType(run, "gcp:cloudrunv2/service:Service");
        // seeds/001 §3's 13 services and the peers' entry (issue 15).
        expect(services.length).toBe(13 + 1);
        const envs = (s: RegisteredResource) => ((s.props.template as { containers: { envs: { name: string; value?: string; valueSource?: { secretKeyRef: { secret: string } } }[] }[] }).containers[0].envs);
        const mounted = services.flatMap((s) => envs(s).filter((e) => e.valueSource).map((e) => e.valueSource?.secretKeyRef.secret ?? ""));
        expect(mounted.length).toBeGreaterThan(0);
        expect(mounted.filter((id) => id.includes("--vendor--"))).toEqual([]);
        const sms = services.find((s) => s.props.name === "notification-worker-sms") as RegisteredResource;
        expect(envs(sms).find((e) => e.name === "VENDOR_SM_PREFIX")?.value).toBe("notification--prod--vendor--");
        // Read at run time: each vendor worker may read exactly its vendor's per-tenant secrets (an IAM condition on the id prefix).
        const grants = byType(run, "gcp:projects/iAMMember:IAMMember").filter((g) => (g.props.condition as { expression?: string } | undefined)?.expression?.includes("--vendor--"));
        const readers = (vendor: string) => grants.filter((g) => String((g.props.condition as { expression: string }).expression).endsWith(`/secrets/notification--prod--vendor--${vendor}--")`)).map((g) => String(g.props.member).split("@")[0]);
        expect(readers("twilio")).toEqual(["serviceAccount:notif-worker-sms", "serviceAccount:notif-channel-prober"]);
        expect(readers("twilio-voice")).toEqual(["serviceAccount:notif-worker-voice"]);
        expect(grants.every((g) => g.props.role === "roles/secretmanager.secretAccessor")).toBe(true);
        // The seven vendor containers (seed 001 §4.5 purposes, with §6's LaunchDarkly key) await operations, each reported once.
        expect(findings.filter((f) => f.ruleId === "startup/awaiting-operations" && f.message.includes("--vendor--")).length).toBe(7);
        // LaunchDarkly's platform key (seed 001 §6): read at run time by the roles evaluating flags, never mounted.
        expect(readers("launchdarkly")).toEqual(["serviceAccount:notif-api", "serviceAccount:notif-api-internal", "serviceAccount:notif-router"]);
    });

    it("dev: the rule catches the original fault: the awaiting Secret read without `optional` waits forever", async () => {
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        const resources = run.resources.map((r) => {
            if (r.type !== "kubernetes:apps/v1:Deployment" || (r.props.metadata as { name: string }).name !== "assignment-api") {
                return r;
            }
            const props = structuredClone(r.props);
            const c = (props.spec as { template: { spec: { containers: { envFrom: { secretRef?: { optional?: boolean } }[] }[] } } }).template.spec.containers[0];
            c.envFrom.forEach((e) => delete e.secretRef?.optional);
            return { ...r, props };
        });
        const findings = await runPolicies([waitsForever], resources);
        expect(findings.map((f) => f.resource)).toEqual(["assignment-service-us-west-2-api"]);
        expect(findings[0].message).toContain("dev/assignment-service/AI_GATEWAY_TOKEN");
    });

    it("dev with the switch on: the token is a required reference, the AI flags are on, and nothing waits", async () => {
        const config = readStackFile("dev");
        config.features = { aiGateway: true };
        const run = await runProgram("dev", { config });
        expect(run.error).toBeNull();
        const api = run.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && (r.props.metadata as { name: string }).name === "assignment-api") as RegisteredResource;
        const container = (api.props.spec as { template: { spec: { containers: { envFrom: { secretRef?: { name: string; optional?: boolean } }[] }[] } } }).template.spec.containers[0];
        expect(container.envFrom.filter((e) => e.secretRef).map((e) => e.secretRef)).toEqual([{ name: "assignment-secrets" }]);
        const es = run.resources.find((r) => r.type === "kubernetes:external-secrets.io/v1:ExternalSecret" && (r.props.metadata as { name: string }).name === "assignment-secrets") as RegisteredResource;
        expect((es.props.spec as { data: { secretKey: string }[] }).data.map((d) => d.secretKey)).toContain("AI_GATEWAY_TOKEN");
        const cm = run.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.props.metadata as { name: string }).name === "assignment-config") as RegisteredResource;
        expect(cm.props.data).toMatchObject({ FEATURE_AI_SUGGEST: "on", AI_GATEWAY_ENABLED: "true" });
        const findings = await runPolicies(startupPolicies, run.resources);
        expect(findings.filter((f) => f.ruleId === "startup/waits-forever")).toEqual([]);
        expect(findings.filter((f) => f.message.includes("AI_GATEWAY_TOKEN"))).toEqual([]);
    });
});
