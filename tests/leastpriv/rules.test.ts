import { brokerPermissionsScoped, brokerTls, brokerUserProblems, cacheRbac, cacheUserProblems, cacheUsersScoped, leastPrivilegePolicies } from "../../policy/rules/least-privilege";
import { allPolicies } from "../../policy/rules";
import { runPolicies } from "../../plan/policy-runner";
import { listStacks } from "../../plan/engine";
import { StackRun } from "../../plan/engine";
import { fixture, planOf } from "../harness";
import { requestRun } from "../run-server";

/** The least-privilege rules (issue 11 item 4): each fails on a broad grant and passes a scoped one. */

const RELEASE = "kubernetes:helm.sh/v3:Release";
const scopedUser = {
    user: "progress-service-a",
    password: "$2a$11$hash",
    permissions: {
        publish: { allow: ["progress.completion.recorded.v1", "$JS.API.STREAM.INFO.PROGRESS", "$JS.API.CONSUMER.*.PROGRESS_STATEMENTS.>", "$JS.ACK.PROGRESS_STATEMENTS.>"] },
        subscribe: { allow: ["delivery.statement.emitted.v1", "_INBOX_progress.>"] },
    },
};
const natsRelease = (users: unknown[], tls = { nats: { tls: { enabled: true, merge: { verify: true } } }, cluster: { enabled: true, tls: { enabled: true } } }) =>
    fixture(RELEASE, { chart: "nats", values: { config: { ...tls, merge: { accounts: { SYS: { users: [{ user: "sys", password: "x" }] }, APP: { users } } } } } }, { name: "nats" });

async function messages(policy: (typeof leastPrivilegePolicies)[number], ...resources: ReturnType<typeof fixture>[]): Promise<string[]> {
    return (await runPolicies([policy], resources)).map((f) => f.message);
}

describe("least-privilege/broker-scoped", () => {
    it("fails a user that may publish $JS.API.> (the grant every user had before)", async () => {
        const broad = { ...scopedUser, permissions: { ...scopedUser.permissions, publish: { allow: ["progress.completion.recorded.v1", "$JS.API.>", "$JS.ACK.>"] } } };
        expect(await messages(brokerPermissionsScoped, natsRelease([broad]))).toEqual(['NATS release "nats" account APP: user progress-service-a may publish $JS.API.>']);
    });

    it("fails >, a service creating or deleting a stream, a subject outside the prefix, a shared inbox, and a user without permissions", () => {
        expect(brokerUserProblems({ user: "x-service-a", permissions: { publish: { allow: [">"] }, subscribe: { allow: ["_INBOX.>"] } } })).toEqual([
            "user x-service-a may publish >",
            "user x-service-a may subscribe to _INBOX.> (every client's replies)",
        ]);
        expect(brokerUserProblems({ user: "progress-service-b", permissions: { publish: { allow: ["$JS.API.STREAM.CREATE.PROGRESS", "$JS.API.STREAM.DELETE.PROGRESS", "assignment.window.materialized.v1"] }, subscribe: { allow: ["_INBOX_progress.>"] } } })).toEqual([
            "user progress-service-b may publish $JS.API.STREAM.CREATE.PROGRESS: stream management is the stream-admin's, not a service's",
            "user progress-service-b may publish $JS.API.STREAM.DELETE.PROGRESS",
            "user progress-service-b may publish assignment.window.materialized.v1, outside its service's prefix progress.",
        ]);
        expect(brokerUserProblems({ user: "progress-service-a", password: "x" })).toEqual(["user progress-service-a has no permissions block (it may publish and subscribe to everything)"]);
    });

    it("lets the stream-admin create streams but not delete them", () => {
        expect(brokerUserProblems({ user: "stream-admin-a", permissions: { publish: { allow: ["$JS.API.STREAM.CREATE.PROGRESS", "$JS.API.STREAM.INFO.PROGRESS"] }, subscribe: { allow: ["_INBOX_stream-admin.>"] } } })).toEqual([]);
        expect(brokerUserProblems({ user: "stream-admin-a", permissions: { publish: { allow: ["$JS.API.STREAM.DELETE.PROGRESS"] }, subscribe: { allow: ["_INBOX_stream-admin.>"] } } })).toEqual(["user stream-admin-a may publish $JS.API.STREAM.DELETE.PROGRESS"]);
    });

    it("passes a user scoped to its own subjects and streams", async () => {
        expect(await messages(brokerPermissionsScoped, natsRelease([scopedUser]))).toEqual([]);
    });
});

describe("least-privilege/broker-tls", () => {
    it("fails plaintext clients, unverified client certificates and plaintext routes", async () => {
        expect(await messages(brokerTls, natsRelease([scopedUser], { nats: { tls: { enabled: false, merge: { verify: true } } }, cluster: { enabled: true, tls: { enabled: false } } }))).toEqual([
            'NATS release "nats" accepts plaintext clients (config.nats.tls.enabled)',
            'NATS release "nats" routes between servers in plaintext (config.cluster.tls.enabled)',
        ]);
        expect(await messages(brokerTls, natsRelease([scopedUser], { nats: { tls: { enabled: true, merge: { verify: false } } }, cluster: { enabled: true, tls: { enabled: true } } }))).toEqual([
            'NATS release "nats" does not verify client certificates (config.nats.tls.merge.verify)',
        ]);
    });
    it("passes TLS with verified clients and TLS routes", async () => {
        expect(await messages(brokerTls, natsRelease([scopedUser]))).toEqual([]);
    });
});

describe("least-privilege/cache-users-scoped and cache-rbac", () => {
    const USER = "aws:elasticache/user:User";
    it("fails ~*, +@all, another service's prefix, and a default user that is on", async () => {
        expect(await messages(cacheUsersScoped, fixture(USER, { userName: "progress-service", accessString: "on ~* +@all" }, { name: "u" }))).toEqual(['ElastiCache user "u": user progress-service holds ~* +@all']);
        expect(cacheUserProblems("progress-service", "on ~assignment:* -@all +@read")).toEqual(["user progress-service reaches keys assignment:*, outside its prefix progress:*"]);
        expect(cacheUserProblems("progress-service", "on ~progress:* &authoring:* -@all +@read")).toEqual(["user progress-service reaches channels authoring:*, outside its prefix progress:*"]);
        expect(cacheUserProblems("default", "on ~* +@all")).toEqual(['the default user is on ("on ~* +@all"): every group\'s default user must be off']);
    });
    it("passes a user on its own prefix and the disabled default", async () => {
        expect(await messages(cacheUsersScoped, fixture(USER, { userName: "progress-service", accessString: "on ~progress:* &progress:* -@all +@read +@write -@dangerous" }, { name: "u" }))).toEqual([]);
        expect(cacheUserProblems("default", "off resetchannels -@all")).toEqual([]);
    });
    it("fails a replication group on a shared AUTH token, passes one on an RBAC user group", async () => {
        const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
        expect(await messages(cacheRbac, fixture(RG, { authToken: "shared-token-0123456789" }, { name: "r" }))).toEqual([
            'Redis "r" has no RBAC user group: every client would share one credential',
            'Redis "r" still has a shared AUTH token',
        ]);
        expect(await messages(cacheRbac, fixture(RG, { userGroupIds: ["platform-prod-users"] }, { name: "r" }))).toEqual([]);
    });
});

describe("the rules on the real stacks", () => {
    it("are in the pack, mandatory", () => {
        for (const p of leastPrivilegePolicies) {
            expect(allPolicies).toContain(p);
            expect(p.enforcementLevel).toBe("mandatory");
        }
    });

    it.each(listStacks())("%s: no finding from the least-privilege rules (the plan ran them on the plaintext values)", async (stack) => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        expect(planned.run.resources.filter((r) => r.type === RELEASE && r.props.chart === "nats").length).toBeGreaterThan(0);
        expect(planned.run.resources.filter((r) => r.type === "aws:elasticache/user:User").length).toBeGreaterThan(0);
        expect(planned.findings.filter((f) => f.ruleId.startsWith("least-privilege/"))).toEqual([]);
    });

    it("passes the real prod-us and fails it when a service's NATS user regains $JS.API.> and a cache user gets ~*", async () => {
        // The NATS values are secret: this run keeps the plaintext the policies see.
        const run = await requestRun<StackRun>({ stack: "prod-us", keepProps: true });
        expect(run.error).toBeNull();
        expect(await runPolicies(leastPrivilegePolicies, run.resources)).toEqual([]);
        const resources = run.resources.map((r) => {
            if (r.type === RELEASE && r.name === "us-east-1-nats-release") {
                const values = JSON.parse(JSON.stringify(r.props.values)) as { config: { merge: { accounts: { APP: { users: { user: string; permissions: { publish: { allow: string[] } } }[] } } } } };
                const user = values.config.merge.accounts.APP.users.find((u) => u.user === "assignment-service-a");
                user?.permissions.publish.allow.push("$JS.API.>");
                return { ...r, props: { ...r.props, values } };
            }
            if (r.type === "aws:elasticache/user:User" && r.name === "us-west-2-redis-progress-service-user") {
                return { ...r, props: { ...r.props, accessString: "on ~* -@all +@read" } };
            }
            return r;
        });
        const findings = await runPolicies(leastPrivilegePolicies, resources);
        expect(findings.map((f) => `${f.ruleId} ${f.resource}: ${f.message}`).sort()).toEqual([
            'least-privilege/broker-scoped us-east-1-nats-release: NATS release "us-east-1-nats-release" account APP: user assignment-service-a may publish $JS.API.>',
            'least-privilege/cache-users-scoped us-west-2-redis-progress-service-user: ElastiCache user "us-west-2-redis-progress-service-user": user progress-service holds ~*',
        ]);
    });
});
