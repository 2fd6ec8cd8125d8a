import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";
import { K8sServiceCard } from "../../data/catalog/types";
import { FlagdDocument, flagDefinitions, flagdDocument } from "../../data/flags";
import { listStacks, RegisteredResource, StackRun } from "../../plan/engine";
import { validateFlagdArgs } from "../../components/k8s/flagd";
import { poolWorkloads } from "../../capacity/aws";
import { awsProfiles } from "../../data/profiles/aws";
import { byType, nonEmpty, planOf, readStackFile, runProgram } from "../harness";

/**
 * Issue 15, feature flags inside the network (seeds/000 §7 "OpenFeature + Flagd"; pods have no
 * internet egress): flagd on every EKS cluster, the cards' flags per environment, the services
 * pointed at it, and NetworkPolicies admitting exactly that path.
 */

type Meta = { name: string; namespace?: string; labels?: Record<string, string> };
const meta = (r: RegisteredResource) => r.props.metadata as Meta;
const inNs = (run: StackRun, type: string, ns: string) => byType(run, type).filter((r) => meta(r).namespace === ns);
const clusters = (run: StackRun) => byType(run, "aws:eks/cluster:Cluster");
/** The flag file of every flagd in the run (one per cluster). */
const flagFiles = (run: StackRun): FlagdDocument[] =>
    byType(run, "kubernetes:core/v1:ConfigMap")
        .filter((r) => meta(r).name === "flagd-flags")
        .map((r) => JSON.parse((r.props.data as Record<string, string>)["flags.json"]) as FlagdDocument);
const aiSuggest = (run: StackRun) => nonEmpty(flagFiles(run)).map((f) => f.flags.FEATURE_AI_SUGGEST?.defaultVariant);
const eksCards = catalog.filter((c): c is K8sServiceCard => c.platform === "eks");
/** The cards' flag keys, read from the cards themselves (seeds/000 §7 names FEATURE_AI_SUGGEST). */
const cardFlagKeys = [...new Set(eksCards.flatMap((c) => Object.keys(c.config).filter((k) => k.startsWith("FEATURE_"))))].sort();

describe("the flags as data", () => {
    it("the cards' flags are exactly FEATURE_AI_SUGGEST today (seeds/000 §7), read by assignment-service", () => {
        expect(cardFlagKeys).toEqual(["FEATURE_AI_SUGGEST"]);
        expect(flagDefinitions(catalog, "prod", { aiGateway: true })).toEqual([{ key: "FEATURE_AI_SUGGEST", services: ["assignment-service"], defaultVariant: "on" }]);
    });

    it("FEATURE_AI_SUGGEST is off while the aiGateway switch is off, whatever the card says", () => {
        expect(flagDefinitions(catalog, "prod", { aiGateway: false })).toEqual([{ key: "FEATURE_AI_SUGGEST", services: ["assignment-service"], defaultVariant: "off", forcedOffBy: "aiGateway" }]);
        // dev: the card has it off (no AI gateway budget in dev loops) even with the switch on.
        expect(flagDefinitions(catalog, "dev", { aiGateway: true })[0].defaultVariant).toBe("off");
    });

    it("a flag read by a card without the switch's secret is not forced off by it", () => {
        const card: K8sServiceCard = { ...assignmentService, secrets: ["POSTGRES_URL"], config: { FEATURE_X: { dev: "on", staging: "on", prod: "on" } } };
        expect(flagDefinitions([card], "dev", { aiGateway: false })).toEqual([{ key: "FEATURE_X", services: ["assignment-service"], defaultVariant: "on" }]);
    });

    it("flagd's document: boolean variants, ENABLED, the default variant", () => {
        expect(flagdDocument([{ key: "FEATURE_X", services: ["a"], defaultVariant: "off" }])).toEqual({
            flags: { FEATURE_X: { state: "ENABLED", variants: { on: true, off: false }, defaultVariant: "off" } },
        });
    });

    it("validateFlagdArgs refuses a tag, no replicas, no clients and an empty flag file; accepts a pinned image", () => {
        const ok = { image: `r/flagd@sha256:${"a".repeat(64)}`, replicas: 2, clientNamespaces: ["assignment"], flags: flagdDocument([{ key: "F", services: ["a"], defaultVariant: "on" }]) };
        expect(validateFlagdArgs(ok)).toEqual([]);
        expect(validateFlagdArgs({ image: "ghcr.io/open-feature/flagd:v0.12.9", replicas: 0, clientNamespaces: [], flags: { flags: {} } })).toEqual([
            'flagd image "ghcr.io/open-feature/flagd:v0.12.9" is not pinned by digest',
            "flagd replicas must be a positive integer (got 0)",
            "flagd without client namespaces: nothing could reach it",
            "flagd with an empty flag file",
        ]);
    });
});

describe("flagd on every EKS cluster of every stack", () => {
    it.each(listStacks())("%s: one flagd per cluster, its flag file lists exactly the cards' flags, hardened and on the platform pool", async (stack) => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const n = nonEmpty(clusters(run)).length;
        const deployments = inNs(run, "kubernetes:apps/v1:Deployment", "flags");
        expect(deployments.length).toBe(n);
        expect(flagFiles(run).map((f) => Object.keys(f.flags).sort())).toEqual(Array.from({ length: n }, () => cardFlagKeys));
        for (const d of deployments) {
            const spec = d.props.spec as { replicas: number; template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } };
            const pod = spec.template.spec;
            const c = pod.containers[0];
            expect(c.args).toEqual(["start", "--uri", "file:/etc/flagd/flags.json", "--port", "8013", "--management-port", "8014"]);
            expect(String(c.image)).toMatch(/\/flagd@sha256:[a-f0-9]{64}$/);
            expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
            expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/readyz", port: 8014 } });
            expect(c.resources).toMatchObject({ requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } });
            expect(pod.nodeSelector).toEqual({ "platform.melmastoon.com/pool": "platform" });
            expect(pod.volumes).toEqual([{ name: "flags", configMap: { name: "flagd-flags" } }]);
            // Scheduled with the critical services' class, and its instance label names the Deployment
            // (Polaris' priorityClassNotSet and metadataAndInstanceMismatched).
            expect(pod.priorityClassName).toBe("learning-platform-critical");
            expect(meta(d).labels?.["app.kubernetes.io/instance"]).toBe(meta(d).name);
            // seeds/000 §2: staging and prod survive a zone loss, so ≥ 2 replicas there, with a PDB.
            expect(spec.replicas).toBeGreaterThanOrEqual(run.stack === "dev" ? 1 : 2);
        }
        expect(inNs(run, "kubernetes:policy/v1:PodDisruptionBudget", "flags").length).toBe(run.stack === "dev" ? 0 : n);
        // Prometheus (admitted on 8014) scrapes it through a ServiceMonitor the operator selects.
        const monitors = inNs(run, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "flags");
        expect(monitors.map((m) => [meta(m).labels?.release, (m.props.spec as { endpoints: { port: string }[] }).endpoints[0].port])).toEqual(
            Array.from({ length: n }, () => ["kube-prometheus-stack", "http-management"]),
        );
        const ns = byType(run, "kubernetes:core/v1:Namespace").filter((r) => meta(r).name === "flags");
        expect(ns.map((r) => meta(r).labels?.["pod-security.kubernetes.io/enforce"])).toEqual(Array.from({ length: n }, () => "restricted"));
    });
});

it("capacity: the platform pool's fit counts flagd's pods at their requests (50m / 64Mi), ≥ 2 in prod", () => {
    const flagdPods = poolWorkloads("platform", catalog, {}, awsProfiles.prod).filter((w) => w.name === "flagd");
    expect(flagdPods).toEqual([{ name: "flagd", maxReplicas: 3, cpuMillis: 50, memoryMiB: 64 }]);
    expect(poolWorkloads("core", catalog, {}, awsProfiles.prod).filter((w) => w.name === "flagd")).toEqual([]);
});

describe("the FEATURE_AI_SUGGEST default per environment and switch", () => {
    it("dev: off (the card's dev value)", async () => {
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        expect(aiSuggest(run)).toEqual(["off"]);
    });

    it("prod-us: off while learning-platform:features.aiGateway is off, on once it is on; the ConfigMap's start-up default agrees", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        expect(aiSuggest(run)).toEqual(["off", "off"]);
        const config = readStackFile("prod-us");
        config.features = { aiGateway: true };
        const on = await runProgram("prod-us", { config });
        expect(on.error).toBeNull();
        expect(aiSuggest(on)).toEqual(["on", "on"]);
        const cms = byType(on, "kubernetes:core/v1:ConfigMap").filter((r) => meta(r).name === "assignment-config");
        expect(nonEmpty(cms).map((r) => (r.props.data as Record<string, string>).FEATURE_AI_SUGGEST)).toEqual(["on", "on"]);
    });
});

describe("the services are pointed at flagd, and only that path is admitted", () => {
    it("prod-us: every EKS service's ConfigMap names flagd; its egress admits namespace flags on 8013; flags admits exactly the service namespaces on 8013 and Prometheus on 8014", async () => {
        const { run, graph } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const namespaces = eksCards.map((c) => c.namespace);
        for (const card of nonEmpty(eksCards)) {
            const cms = byType(run, "kubernetes:core/v1:ConfigMap").filter((r) => meta(r).namespace === card.namespace && meta(r).name.endsWith("-config"));
            expect(nonEmpty(cms).map((r) => r.props.data)).toEqual(
                cms.map(() => expect.objectContaining({ FLAGD_HOST: "flagd.flags.svc.cluster.local", FLAGD_PORT: "8013", OPENFEATURE_PROVIDER: "flagd" })),
            );
            const egress = inNs(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", card.namespace).filter((p) => meta(p).name.endsWith("-allow-egress"));
            const toFlags = nonEmpty(egress).map((p) =>
                (p.props.spec as { egress: { to: { namespaceSelector?: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[] }).egress.filter((e) =>
                    e.to.some((t) => t.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] === "flags"),
                ),
            );
            expect(toFlags).toEqual(egress.map(() => [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "flags" } } }], ports: [{ protocol: "TCP", port: 8013 }] }]));
        }
        const ingress = inNs(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "flags").map((p) => [meta(p).name, (p.props.spec as { ingress?: unknown[] }).ingress ?? []]);
        const from = (names: string[]) => names.map((n) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } }));
        expect(ingress.length).toBe(2 * 3);
        const rulesOf = (name: string) => ingress.filter(([n]) => n === name).map(([, i]) => i);
        const twice = <T>(x: T) => [x, x];
        expect(rulesOf("flagd-default-deny")).toEqual(twice([]));
        expect(rulesOf("flagd-allow-evaluation")).toEqual(twice([{ from: from(namespaces), ports: [{ protocol: "TCP", port: 8013 }] }]));
        expect(rulesOf("flagd-allow-metrics-scrape")).toEqual(twice([{ from: from(["monitoring"]), ports: [{ protocol: "TCP", port: 8014 }] }]));
        // The graph: every EKS service in each region reaches flagd, with a path and no problem.
        const edges = graph.filter((e) => e.to === "flagd");
        expect(edges.map((e) => e.from).sort()).toEqual(eksCards.flatMap((c) => [`${c.service}@us-east-1`, `${c.service}@us-west-2`]).sort());
        expect(edges.filter((e) => e.problems.length > 0)).toEqual([]);
    });
});
