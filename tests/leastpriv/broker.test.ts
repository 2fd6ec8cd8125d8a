import { assignmentService } from "../../data/catalog/assignment";
import { authoringService } from "../../data/catalog/authoring";
import { progressService } from "../../data/catalog/progress";
import { inboxPrefixOf, natsPermissionsOf, streamAdminPermissions, streamOf, streams, subjectMatches, subjectPrefixOf } from "../../data/broker";
import { rotationSlots } from "../../data/rotation";
import { natsServerDnsNames, natsUserNames, validateNatsArgs } from "../../components/aws/nats";
import { redisAccessString, redisDefaultAccessString, redisUserId, validateRedisArgs } from "../../components/aws/redis";

/**
 * Least privilege on the broker and the cache (issue 11 item 4): what each service may do, derived
 * from its card (seeds 002 §5 and 003 §5 name the subjects), and the rotation schedule.
 */

describe("subjects and streams", () => {
    it("matches NATS wildcards token by token", () => {
        expect(subjectMatches("assignment.>", "assignment.window.materialized.v1")).toBe(true);
        expect(subjectMatches("assignment.>", "assignment")).toBe(false);
        expect(subjectMatches("progress.*.recorded.v1", "progress.completion.recorded.v1")).toBe(true);
        expect(subjectMatches("progress.*", "progress.completion.recorded.v1")).toBe(false);
        expect(subjectMatches("content.play_package.built.v1", "content.play_package.built.v1")).toBe(true);
    });

    it("declares streams whose subjects never overlap (JetStream refuses overlapping streams)", () => {
        const all = streams.flatMap((s) => s.subjects.map((subject) => ({ stream: s.name, subject })));
        expect(all.length).toBeGreaterThan(5);
        for (const a of all) {
            const others = all.filter((b) => b.stream !== a.stream && (subjectMatches(a.subject, b.subject) || subjectMatches(b.subject, a.subject)));
            expect(others).toEqual([]);
        }
    });

    it("puts seed 003's statements from delivery and assessment in the stream progress-ingest scales on", () => {
        expect(streamOf("delivery.statement.emitted.v1")?.name).toBe("PROGRESS_STATEMENTS");
        expect(streamOf("assessment.attempt.submitted.v1")?.name).toBe("PROGRESS_STATEMENTS");
        const trigger = progressService.roles.flatMap((r) => r.scaling).find((t) => t.kind === "nats-jetstream");
        expect(trigger).toMatchObject({ stream: "PROGRESS_STATEMENTS" });
    });
});

describe("a broker principal per service (seed 004 §19), limited to its own subjects and streams", () => {
    it("authoring: publishes its saga event, consumes seed 002's two events, on its own inbox, no stream management", () => {
        const p = natsPermissionsOf(authoringService);
        expect(p.subscribe).toEqual(["content.play_package.built.v1", "catalog.course_version.published.v1", "_INBOX_authoring.>"]);
        expect(p.publish).toEqual([
            "authoring.course_version.publish_requested.v1",
            "$JS.API.STREAM.INFO.AUTHORING",
            "$JS.API.STREAM.INFO.CATALOG",
            "$JS.API.STREAM.INFO.CONTENT",
            "$JS.API.CONSUMER.*.CATALOG.>",
            "$JS.API.CONSUMER.DURABLE.CREATE.CATALOG.*",
            "$JS.API.CONSUMER.MSG.NEXT.CATALOG.*",
            "$JS.ACK.CATALOG.>",
            "$JS.API.CONSUMER.*.CONTENT.>",
            "$JS.API.CONSUMER.DURABLE.CREATE.CONTENT.*",
            "$JS.API.CONSUMER.MSG.NEXT.CONTENT.*",
            "$JS.ACK.CONTENT.>",
        ]);
    });

    it("progress: consumer rights on the statements stream it ingests (seed 003 §5), none on streams it does not read", () => {
        const p = natsPermissionsOf(progressService);
        expect(p.publish).toContain("$JS.API.CONSUMER.MSG.NEXT.PROGRESS_STATEMENTS.*");
        expect(p.publish).toContain("$JS.ACK.PROGRESS_STATEMENTS.>");
        expect(p.publish.filter((s) => /CONSUMER.*\.(ASSIGNMENT|AUTHORING|CATALOG|CONTENT)\b/.test(s))).toEqual([]);
    });

    it("no service may publish > or $JS.API.>, or create, update, delete or purge a stream; events stay within its prefix", () => {
        for (const card of [assignmentService, authoringService, progressService]) {
            const p = natsPermissionsOf(card);
            expect(p.publish).not.toContain(">");
            expect(p.publish).not.toContain("$JS.API.>");
            expect(p.publish.filter((s) => /^\$JS\.API\.STREAM\.(CREATE|UPDATE|DELETE|PURGE)/.test(s))).toEqual([]);
            const events = p.publish.filter((s) => !s.startsWith("$JS."));
            expect(events.length).toBeGreaterThan(0);
            expect(events.filter((s) => !s.startsWith(`${subjectPrefixOf(card.service)}.`))).toEqual([]);
            expect(p.subscribe).toContain(`${inboxPrefixOf(card.service)}.>`);
            expect(p.subscribe).not.toContain("_INBOX.>");
        }
    });

    it("the stream-admin creates and updates the declared streams only: never deletes or purges", () => {
        const p = streamAdminPermissions();
        expect(p.publish).toContain("$JS.API.STREAM.CREATE.PROGRESS_STATEMENTS");
        expect(p.publish.filter((s) => /DELETE|PURGE|>$/.test(s))).toEqual([]);
    });

    it("validateNatsArgs refuses a service user with the whole JetStream API or stream creation, and passes the cards' permissions", () => {
        expect(validateNatsArgs({ replicas: 3, users: [{ service: "x-service", publish: ["x.a.v1", "$JS.API.>"], subscribe: [] }] })).toEqual(["user x-service may publish $JS.API.>: services manage no streams"]);
        expect(validateNatsArgs({ replicas: 3, users: [{ service: "x-service", publish: ["$JS.API.STREAM.CREATE.X"], subscribe: [] }] })).toEqual(["user x-service may publish $JS.API.STREAM.CREATE.X: services manage no streams"]);
        expect(validateNatsArgs({ replicas: 3, users: [authoringService, progressService].map((c) => ({ service: c.service, ...natsPermissionsOf(c) })) })).toEqual([]);
    });

    it("users come in rotation pairs; the server certificate covers the client Service and every route peer", () => {
        expect(natsUserNames("progress-service")).toEqual({ a: "progress-service-a", b: "progress-service-b" });
        expect(natsServerDnsNames("nats")).toEqual(expect.arrayContaining(["nats.nats.svc.cluster.local", "*.nats-headless.nats.svc.cluster.local", "nats"]));
    });
});

describe("ElastiCache RBAC", () => {
    it("a service's ACL reaches its own keys and channels only, nothing dangerous; the default user is off", () => {
        expect(redisAccessString("authoring-service")).toBe("on ~authoring:* &authoring:* -@all +@connection +@read +@write +@transaction +@scripting +@pubsub -@dangerous +cluster|slots +cluster|shards");
        expect(redisDefaultAccessString.startsWith("off ")).toBe(true);
        expect(redisUserId("prod", "assignment-service")).toBe("prod-assignment-service");
    });

    it("validateRedisArgs refuses a service listed twice or named default, and passes distinct services", () => {
        const base = { shards: 1, replicasPerShard: 1, snapshotRetentionDays: 1 };
        expect(validateRedisArgs({ ...base, services: ["a-service", "a-service"] })).toEqual(["a service is listed twice"]);
        expect(validateRedisArgs({ ...base, services: ["default"] })).toEqual(['"default" is the disabled default user, not a service']);
        expect(validateRedisArgs({ ...base, services: ["a-service", "b-service"] })).toEqual([]);
    });
});

describe("rotation schedule", () => {
    const day = 86_400_000;
    it("renews slot a in even periods and b in odd ones; the one just renewed is handed out, the other stays valid a period", () => {
        const p0 = rotationSlots(180 * day, 90); // period 2
        expect(p0).toEqual({ period: 2, a: "2", b: "1", current: "a" });
        const p1 = rotationSlots(270 * day, 90); // period 3: b renewed, a unchanged
        expect(p1).toEqual({ period: 3, a: "2", b: "3", current: "b" });
        const p2 = rotationSlots(360 * day, 90); // period 4: a renewed, b unchanged
        expect(p2).toEqual({ period: 4, a: "4", b: "3", current: "a" });
        expect(rotationSlots(269 * day, 90)).toEqual(p0);
        expect(() => rotationSlots(0, 0)).toThrow(/whole number of days/);
    });
});
