import { jetStreamCrossRegionFinding, jetStreamStorageFinding } from "../../capacity/jetstream";
import { catalog, k8sServices } from "../../data/catalog";
import { catalogRequirements, parseStackConfig } from "../../data/config";
import { deployContext } from "../../data/context";
import { awsProfiles } from "../../data/profiles/aws";
import { streamProfiles, streamsOf, validateStreams } from "../../data/streams";
import { nackChart, streamResourceName } from "../../components/k8s/jetstream";
import { runPolicies } from "../../plan/policy-runner";
import { jetStreamStreamReplicas } from "../../policy/rules/datapath";
import { byType, fixture, nonEmpty, planOf, readStackFile } from "../harness";

/** Seed 000 §9: "RPO: 5 min (PITR + NATS JetStream replication)". */

type P = Record<string, unknown>;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const ctxOf = (stack: string) => deployContext(parseStackConfig(stack, readStackFile(stack), catalogRequirements(catalog)), catalog);
const eks = k8sServices(catalog);

describe("the streams the cards need", () => {
    it("one per publishing service with its subjects, plus progress's PROGRESS_STATEMENTS its KEDA trigger names", () => {
        expect(streamsOf(eks).map((s) => [s.name, s.subjects])).toEqual([
            ["ASSIGNMENT", ["assignment.window.materialized.v1", "assignment.reminder.due.v1"]],
            ["AUTHORING", ["authoring.course_version.publish_requested.v1"]],
            ["PROGRESS", ["progress.attempt.recorded.v1", "progress.completion.recorded.v1"]],
            ["PROGRESS_STATEMENTS", ["delivery.statement.emitted.v1", "assessment.attempt.submitted.v1"]],
        ]);
        // Every stream a KEDA trigger scales on exists.
        const triggered = eks.flatMap((c) => c.roles.flatMap((r) => r.scaling)).flatMap((t) => (t.kind === "nats-jetstream" ? [t.stream] : []));
        expect(nonEmpty(triggered).every((name) => streamsOf(eks).some((s) => s.name === name))).toBe(true);
        expect(validateStreams(streamsOf(eks), "prod")).toEqual([]);
    });
    it("refuses a subject in two streams and a lower-case name", () => {
        expect(validateStreams([{ name: "A", subjects: ["x.v1"], owner: "a" }, { name: "b", subjects: ["x.v1"], owner: "b" }], "prod")).toEqual([
            "stream name b: upper-case letters, digits and _ only",
            "subject x.v1 is in streams A and b",
        ]);
    });
});

describe("policy datapath/jetstream-stream-replicas", () => {
    const stream = (env: string, spec: P) =>
        fixture("kubernetes:jetstream.nats.io/v1beta2:Stream", { metadata: { name: "progress", namespace: "nats", labels: { environment: env } }, spec: { name: "PROGRESS", ...spec } });
    it("passes R3 file streams that survive deletion in prod, and an R1 stream in dev", async () => {
        expect(await runPolicies([jetStreamStreamReplicas], [stream("prod", { replicas: 3, storage: "file", preventDelete: true }), stream("dev", { replicas: 1, storage: "file" })])).toEqual([]);
    });
    it("fails an R1 memory stream without preventDelete in prod", async () => {
        const fs = await runPolicies([jetStreamStreamReplicas], [stream("prod", { replicas: 1, storage: "memory" })]);
        expect(fs.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
            ["datapath/jetstream-stream-replicas", "mandatory", "stream PROGRESS: replicas 1 (needs 3), storage memory (needs file), preventDelete is not set"],
        ]);
    });
});

describe("streams in the plans", () => {
    it("prod-eu: every region's NATS gets the four streams through NACK, R3 on file, protected; the chart is the official one, pinned", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        // The local streams (the passive region's mirrors are tests/datapath/mirror.test.ts's).
        const streams = nonEmpty(byType(run, "kubernetes:jetstream.nats.io/v1beta2:Stream").filter((s) => o(o(s.inputs).spec).mirror === undefined));
        expect(streams).toHaveLength(2 * 4);
        for (const s of streams) {
            expect(o(o(s.inputs).spec)).toMatchObject({ replicas: 3, storage: "file", retention: "limits", maxAge: "168h", discard: "old", preventDelete: true, account: "app" });
            expect(s.protect).toBe(true);
        }
        expect(streams.map((s) => String(o(o(s.inputs).metadata).name)).sort()).toEqual(
            ["assignment", "assignment", "authoring", "authoring", "progress", "progress", "progress-statements", "progress-statements"].map(streamResourceName),
        );
        const nack = byType(run, "kubernetes:helm.sh/v3:Release").filter((r) => o(r.inputs).name === "nack");
        expect(nack).toHaveLength(2);
        expect(o(nack[0].inputs)).toMatchObject({ chart: "nack", version: nackChart.version, repositoryOpts: { repo: "https://nats-io.github.io/k8s/helm/charts/" } });
        // The controller logs in through External Secrets (Secrets Manager), never a Secret the program writes.
        expect(byType(run, "kubernetes:core/v1:Secret").filter((x) => String(o(o(x.inputs).metadata).namespace) === "nats")).toEqual([]);
        expect(byType(run, "aws:secretsmanager/secret:Secret").filter((x) => o(x.inputs).name === "prod/nats/jetstream-controller")).toHaveLength(2);
    });
    it("dev: R1 streams on its single server, not protected", async () => {
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        const streams = nonEmpty(byType(run, "kubernetes:jetstream.nats.io/v1beta2:Stream"));
        expect(streams.every((s) => o(o(s.inputs).spec).replicas === 1 && s.protect === false)).toBe(true);
    });
});

describe("JetStream storage and cross-region replication", () => {
    it("prod: 4 streams × 8 GiB × R3 over 3 servers = 32 GiB per server within 75% of 50Gi; a 20Gi volume does not hold them", () => {
        const f = jetStreamStorageFinding(eks, awsProfiles.prod, "eu-west-1");
        expect(f.severity).toBe("info");
        expect(f.message).toContain("= 32768 MiB per server vs 75% of 50Gi = 38400 MiB (margin 5632 MiB)");
        const small = jetStreamStorageFinding(eks, { ...awsProfiles.prod, nats: { ...awsProfiles.prod.nats, storageSize: "20Gi" } }, "eu-west-1");
        expect(small.severity).toBe("mandatory");
        expect(streamProfiles.prod.replicas).toBe(3);
    });
    it("reports the mirrors over the leaf link and their lag against the 5-min RPO where a stack has a passive region, and nothing where it has none", () => {
        const f = jetStreamCrossRegionFinding(ctxOf("prod-eu"), eks);
        expect(f).toMatchObject({ ruleId: "capacity/jetstream-cross-region", severity: "info", resource: "nats@eu-central-1" });
        expect(f?.message).toContain("eu-central-1 mirrors eu-west-1's streams (ASSIGNMENT_MIRROR, AUTHORING_MIRROR, PROGRESS_MIRROR, PROGRESS_STATEMENTS_MIRROR) at R3");
        expect(f?.message).toContain("5-min RPO (margin 295 s)");
        expect(jetStreamCrossRegionFinding(ctxOf("dev"))).toBeUndefined();
    });
});
