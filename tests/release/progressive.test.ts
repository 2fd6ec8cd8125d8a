import { listStacks, readStackFile, RegisteredResource } from "../../plan/engine";
import { runPolicies } from "../../plan/policy-runner";
import { k8sServices } from "../../data/catalog";
import { Environment } from "../../data/catalog/types";
import { isApiRole, releaseOf } from "../../data/catalog/release";
import { progressiveDelivery } from "../../policy/rules/release";
import { fixture, nonEmpty, planOf } from "../harness";

/**
 * Progressive delivery on EKS (issue 12): every API role has the strategy its document gives, in every
 * stack and region, rendered as a Flagger Canary over its Deployment with the rollback gate.
 * Numbers from the documents: seeds/000 §8 (staging 10 % → 100 %, prod 1 % → 10 % → 50 % → 100 %),
 * 002 §8 and 003 §10 (blue/green for the API, rolling workers), 001 §6 (error rate > 1 % over 5 min,
 * p95 > 2x baseline).
 */

const canaries = (resources: readonly RegisteredResource[]) => resources.filter((r) => r.type === "kubernetes:flagger.app/v1beta1:Canary");
const spec = (r: RegisteredResource) => r.props.spec as { analysis: Record<string, unknown>; targetRef: { name: string }; autoscalerRef?: { kind: string; name: string }; provider: string; service: Record<string, unknown> };
const envOf = (stack: string) => String(readStackFile(stack).environment) as Environment;

describe("the documents' strategies, as data", () => {
    const card = (ns: string) => k8sServices().find((c) => c.namespace === ns);
    const role = (ns: string, name: string) => {
        const r = card(ns)?.roles.find((x) => x.name === name);
        if (!r) {
            throw new Error(`${ns}/${name} missing`);
        }
        return r;
    };

    it("assignment api: canary 10 % in staging, 1 % → 10 % → 50 % in prod (seeds/000 §8)", () => {
        expect(releaseOf(role("assignment", "api"), "staging")).toMatchObject({ kind: "canary", stepWeights: [10] });
        expect(releaseOf(role("assignment", "api"), "prod")).toMatchObject({ kind: "canary", stepWeights: [1, 10, 50] });
    });

    it("authoring and progress APIs blue/green; their workers, ingest and projector rolling; collab drained (seeds/002 §8, 003 §10)", () => {
        for (const env of ["dev", "staging", "prod"] as const) {
            expect(releaseOf(role("authoring", "api"), env).kind).toBe("blue-green");
            expect(releaseOf(role("progress", "api"), env).kind).toBe("blue-green");
            expect(releaseOf(role("authoring", "collab"), env).kind).toBe("drain-recreate");
            for (const [ns, r] of [["authoring", "worker"], ["authoring", "ai-worker"], ["progress", "ingest"], ["progress", "projector"]]) {
                expect(releaseOf(role(ns, r), env)).toEqual({ kind: "rolling", maxSurge: 1, maxUnavailable: 0 });
            }
        }
    });
});

describe.each(listStacks())("%s: every API role has its progressive strategy", (stack) => {
    it("one Canary per API role per cluster, its document's steps, the 1 % / 2x gate, KEDA kept, the edge route", async () => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const env = envOf(stack);
        const regions = (readStackFile(stack).aws as { regions: unknown[] }).regions.length;
        const all = canaries(planned.run.resources);
        const apiRoles = k8sServices().flatMap((c) => c.roles.filter(isApiRole).map((r) => ({ card: c, role: r })));
        expect(apiRoles.map(({ card, role }) => `${card.namespace}/${role.name}`)).toEqual(["assignment/api", "authoring/api", "progress/api"]);
        expect(all).toHaveLength(apiRoles.length * regions);
        for (const c of nonEmpty(all)) {
            const s = spec(c);
            const a = s.analysis;
            expect(s.provider).toBe("gatewayapi:v1");
            // KEDA keeps scaling: Flagger copies the role's ScaledObject for the primary.
            expect(s.autoscalerRef).toEqual({ apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", name: s.targetRef.name });
            expect(s.service).toMatchObject({ gatewayRefs: [{ name: "edge", namespace: "gateway" }], port: 8080 });
            // seeds/000 §8: staging (and dev) 10 %, prod 1 → 10 → 50 %; seeds/002 §8, 003 §10: blue/green (no steps, analysis iterations).
            const steps: Record<string, number[] | undefined> = { "assignment-api": env === "prod" ? [1, 10, 50] : [10], "authoring-api": undefined, "progress-api": undefined };
            expect(a.stepWeights).toEqual(steps[s.targetRef.name]);
            expect(a.iterations === undefined).toBe(s.targetRef.name === "assignment-api");
            const metrics = a.metrics as { name: string; thresholdRange: { max: number }; interval: string }[];
            expect(metrics.map((m) => [m.name, m.thresholdRange.max, m.interval])).toEqual([
                ["error-rate", 1, "5m"],
                ["p95-versus-baseline", 2, "5m"],
            ]);
            expect(a.threshold).toBe(1);
        }
        expect(planned.findings.filter((f) => f.ruleId.startsWith("release-"))).toEqual([]);
    });
});

describe("prod-us: Deployments the controller does not run roll as the documents say", () => {
    it("workers maxSurge 1 / maxUnavailable 0; progressive Deployments select on their instance (Flagger's selector label)", async () => {
        const planned = await planOf("prod-us");
        expect(planned.run.error).toBeNull();
        const deployments = planned.manifests.filter((p) => p.cluster === "us-east-1-eks-k8s" && p.manifest.kind === "Deployment").map((p) => p.manifest as unknown as { metadata: { name: string }; spec: { strategy: unknown; selector: { matchLabels: Record<string, string> } } });
        const byName = (n: string) => deployments.find((d) => d.metadata.name === n);
        for (const w of ["authoring-worker", "progress-ingest", "progress-projector", "assignment-worker"]) {
            expect(byName(w)?.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        }
        for (const api of ["assignment-api", "authoring-api", "progress-api"]) {
            expect(byName(api)?.spec.selector.matchLabels["app.kubernetes.io/instance"]).toBe(api);
        }
        // The collab server keeps its own, unchanged, one-at-a-time replacement with the 330 s drain.
        expect(byName("authoring-collab")?.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        expect(byName("authoring-collab")?.spec.selector.matchLabels["app.kubernetes.io/instance"]).toBeUndefined();
    });
});

describe("release-progressive-delivery", () => {
    it("passes on the planned prod-us and fails on wrong steps, a loose gate and a missing Canary", async () => {
        const planned = await planOf("prod-us");
        expect(planned.run.error).toBeNull();
        const rs = planned.run.resources;
        expect(await runPolicies([progressiveDelivery], rs)).toEqual([]);
        const edit = (r: RegisteredResource, analysis: Record<string, unknown>): RegisteredResource => ({ ...r, props: { ...r.props, spec: { ...spec(r), analysis: { ...spec(r).analysis, ...analysis } } } });
        const assignment = (r: RegisteredResource) => r.type.endsWith(":Canary") && spec(r).targetRef.name === "assignment-api" && r.provider === "us-east-1-eks-k8s";
        const wrongSteps = rs.map((r) => (assignment(r) ? edit(r, { stepWeights: [10, 50] }) : r));
        expect((await runPolicies([progressiveDelivery], wrongSteps)).map((f) => f.message)).toEqual(["assignment-service/api (prod): canary steps 10, 50, the document's are 1, 10, 50 (then 100)"]);
        const loose = rs.map((r) => (assignment(r) ? edit(r, { metrics: [{ name: "error-rate", thresholdRange: { max: 5 } }] }) : r));
        expect((await runPolicies([progressiveDelivery], loose)).map((f) => f.message)).toEqual([
            "assignment-service/api (prod): no error-rate check at ≤ 1 %",
            "assignment-service/api (prod): no p95 check at ≤ 2x the baseline",
        ]);
        const missing = rs.filter((r) => !assignment(r));
        expect((await runPolicies([progressiveDelivery], missing)).map((f) => f.message)).toEqual(["assignment-service/api (prod): no Canary targets Deployment assignment-api"]);
        const ns = fixture("kubernetes:core/v1:Namespace", { metadata: { name: "assignment", labels: { "app.kubernetes.io/part-of": "learning-platform", environment: "staging" } } });
        expect((await runPolicies([progressiveDelivery], [ns])).map((f) => f.message)).toEqual(["assignment-service/api (staging): no Canary targets Deployment assignment-api"]);
    });
});
