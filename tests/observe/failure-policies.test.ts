import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";
import { authoringService } from "../../data/catalog/authoring";
import { notificationService } from "../../data/catalog/notification";
import { progressService } from "../../data/catalog/progress";
import { dependencyNames, failurePolicyConfig, failurePolicyProblems, routePolicies } from "../../data/catalog/failure-policies";
import { TopologyCard } from "../../data/catalog/types";

/**
 * Item 1 of issue 13: every dependency a document names has a failure policy in its card, with a
 * timeout, a bounded idempotent-only retry with a budget, a circuit breaker and a degradation; the
 * numbers the case study fixes (§14: 800 ms API deadline, 150 ms decision-path call, 0 or 1 retry)
 * hold for every card.
 */

describe("every dependency the documents name has a failure policy", () => {
    it("seeds/000 §6: assignment's outbound list (Postgres, Redis, NATS, ai-gateway, notification, tenant, catalog)", () => {
        expect(dependencyNames(assignmentService)).toEqual(["postgres", "redis", "nats", "ai-gateway-service", "notification-service", "tenant-service", "catalog-service"]);
        expect(assignmentService.failurePolicy.map((p) => p.dependency).sort()).toEqual([...dependencyNames(assignmentService)].sort());
    });

    it("seeds/002 §4, §7: authoring reaches S3, media, content, ai-gateway and catalog besides its stores", () => {
        expect(dependencyNames(authoringService)).toEqual(expect.arrayContaining(["object-storage", "media-service", "content-service", "ai-gateway-service", "catalog-service"]));
        expect(failurePolicyProblems(authoringService)).toEqual([]);
    });

    it("seeds/003 §9: progress reaches analytics, certification, notification and enrollment", () => {
        expect(dependencyNames(progressService)).toEqual(expect.arrayContaining(["analytics-service", "certification-service", "notification-service", "enrollment-service"]));
        expect(failurePolicyProblems(progressService)).toEqual([]);
    });

    it("seed 001 §4, §5: notification's Cloud SQL, Memorystore, Pub/Sub, Cloud Storage and each vendor", () => {
        expect(dependencyNames(notificationService)).toEqual(["cloud-sql", "redis", "pubsub", "cloud-storage", "sendgrid", "twilio", "meta-whatsapp", "firebase", "twilio-voice", "launchdarkly"]);
        expect(failurePolicyProblems(notificationService)).toEqual([]);
    });

    it("no card of the catalog has a problem", () => {
        expect(catalog).toHaveLength(4);
        expect(catalog.flatMap(failurePolicyProblems)).toEqual([]);
    });
});

describe("the check fails a card whose dependency has none, or whose rules break the case study", () => {
    const without = (card: TopologyCard, dep: string): TopologyCard => ({ ...card, failurePolicy: card.failurePolicy.filter((p) => p.dependency !== dep) }) as TopologyCard;

    it("a dependency without a policy", () => {
        expect(failurePolicyProblems(without(assignmentService, "tenant-service"))).toEqual(["assignment-service: dependency tenant-service has no failure policy"]);
    });

    it("a policy for something that is no dependency", () => {
        const card = { ...progressService, outbound: progressService.outbound.filter((d) => !(d.kind === "service" && d.name === "analytics-service")) };
        expect(failurePolicyProblems(card)).toEqual(["progress-service: failure policy for analytics-service, which is no dependency of the card"]);
    });

    it("two retries (§14 allows one), retries without a budget, no timeout, no degradation", () => {
        const [pg, ...rest] = assignmentService.failurePolicy;
        const card = {
            ...assignmentService,
            failurePolicy: [{ ...pg, timeoutMs: 0, behavior: " ", retry: { ...pg.retry, attempts: 2, budgetPercent: 0 } }, ...rest],
        };
        expect(failurePolicyProblems(card)).toEqual([
            "assignment-service → postgres: no timeout",
            "assignment-service → postgres: 2 retries; case study §14 allows 1 for a safe transient",
            "assignment-service → postgres: retries without a budget of 1–20% of calls",
            "assignment-service → postgres: no degradation stated",
        ]);
    });
});

describe("the case study's numbers (§14) hold on every policy", () => {
    const all = catalog.flatMap((c) => c.failurePolicy.map((p) => ({ service: c.service, ...p })));

    it("retries: 0 for an unknown outcome, at most 1 for a safe transient, idempotent only", () => {
        expect(all.length).toBeGreaterThan(30);
        expect(all.filter((p) => p.retry.attempts > 1 || p.retry.idempotentOnly !== true)).toEqual([]);
    });

    it("the tenant lookup on the command path has the decision-path timeout, 150 ms", () => {
        expect(assignmentService.failurePolicy.find((p) => p.dependency === "tenant-service")?.timeoutMs).toBe(150);
    });

    it("a call on the synchronous path, its one retry and the back-off fit the 800 ms API deadline", () => {
        const sync = all.filter((p) => ["postgres", "redis", "cloud-sql", "tenant-service", "catalog-service"].includes(p.dependency));
        expect(sync.length).toBeGreaterThan(8);
        expect(sync.filter((p) => p.timeoutMs * (1 + p.retry.attempts) + p.retry.backoffMs * p.retry.attempts > 800)).toEqual([]);
    });

    it("vendor sends are never retried in the call: Pub/Sub redelivers, 5 attempts, then the DLQ (seed 001 §4.4)", () => {
        const vendors = notificationService.failurePolicy.filter((p) => ["sendgrid", "twilio", "meta-whatsapp", "firebase", "twilio-voice"].includes(p.dependency));
        expect(vendors).toHaveLength(5);
        expect(vendors.map((v) => v.retry.attempts)).toEqual([0, 0, 0, 0, 0]);
        expect(vendors.every((v) => v.behavior.includes("5 attempts"))).toBe(true);
    });

    it("every edge route has a policy; HTTP routes carry the 800 ms API deadline, the WebSocket none", () => {
        const edge = catalog.flatMap((c) => (c.platform === "eks" ? c.roles.filter((r) => r.exposure?.reach === "edge").map((r) => `${c.service}/${r.name}`) : []));
        expect(edge.sort()).toEqual(Object.keys(routePolicies).sort());
        expect(Object.fromEntries(Object.entries(routePolicies).map(([k, p]) => [k, p.timeoutMs]))).toEqual({
            "assignment-service/api": 800,
            "authoring-service/api": 800,
            "authoring-service/collab": 0,
            "progress-service/api": 800,
        });
        expect(Object.values(routePolicies).every((p) => p.retry.attempts <= 1)).toBe(true);
    });

    it("the client library's config carries each dependency's numbers", () => {
        const parsed = JSON.parse(failurePolicyConfig(assignmentService).FAILURE_POLICIES_JSON) as Record<string, { timeoutMs: number; retries: number }>;
        expect(Object.keys(parsed)).toEqual(dependencyNames(assignmentService));
        expect(parsed["tenant-service"]).toMatchObject({ timeoutMs: 150, retries: 1 });
    });
});
