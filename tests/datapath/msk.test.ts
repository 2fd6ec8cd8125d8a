import { topicArnOf, validateFirehose } from "../../components/aws/msk";
import { progressService } from "../../data/catalog/progress";
import { firehoseProfiles, firehoseTopics } from "../../data/profiles/firehose";
import { byType, nonEmpty, one, planOf } from "../harness";

/** Seed 003 §8: "Analytics firehose cross-region via Kafka MirrorMaker". */

type P = Record<string, unknown>;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});

describe("the analytics firehose", () => {
    it("accepts the profiles over three zones; refuses brokers that do not spread evenly", () => {
        for (const env of ["dev", "staging", "prod"] as const) {
            expect(validateFirehose(firehoseProfiles[env], 3)).toEqual([]);
        }
        expect(validateFirehose({ ...firehoseProfiles.prod, brokers: 4 }, 3)).toEqual(["4 brokers do not spread evenly over 3 zones (MSK needs a multiple)"]);
    });
    it("prod-us: MSK in both active regions (TLS, database CMK, IAM only, protected); MSK Replicator us-west-2 → us-east-1 runs in us-east-1", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const clusters = nonEmpty(byType(run, "aws:msk/cluster:Cluster"));
        expect(clusters.map((c) => c.region).sort()).toEqual(["us-east-1", "us-west-2"]);
        const keys = byType(run, "aws:kms/key:Key");
        for (const c of clusters) {
            const p = o(c.inputs);
            expect(o(o(p.encryptionInfo).encryptionInTransit)).toEqual({ clientBroker: "TLS", inCluster: true });
            expect(String(o(p.encryptionInfo).encryptionAtRestKmsKeyArn)).toMatch(/^arn:aws:kms:/);
            expect(o(p.clientAuthentication)).toEqual({ sasl: { iam: true }, unauthenticated: false });
            expect(o(o(p.brokerNodeGroupInfo).connectivityInfo)).toEqual({ publicAccess: { type: "DISABLED" } });
            expect(c.protect).toBe(true);
        }
        expect(keys.length).toBeGreaterThan(0);
        const replicators = byType(run, "aws:msk/replicator:Replicator");
        expect(replicators).toHaveLength(1);
        expect(replicators[0].region).toBe("us-east-1");
        const info = o(o(replicators[0].inputs).replicationInfoList);
        expect(String(info.sourceKafkaClusterArn)).toContain(":us-west-2:");
        expect(String(info.targetKafkaClusterArn)).toContain(":us-east-1:");
        expect(o((info.topicReplications as P[])[0]).topicsToReplicates).toEqual([...firehoseTopics]);
    });
    it("prod-eu: one active region, so one cluster and nothing to replicate (the passive region holds none)", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        expect(byType(run, "aws:msk/cluster:Cluster").map((c) => c.region)).toEqual(["eu-west-1"]);
        expect(byType(run, "aws:msk/replicator:Replicator")).toEqual([]);
    });
    it("progress produces to its region's cluster: its own IRSA role may connect and write the firehose topics only", async () => {
        expect(topicArnOf("arn:aws:kafka:us-east-1:1:cluster/analytics-prod-us-east-1/abc-1", "t.v1")).toBe("arn:aws:kafka:us-east-1:1:topic/analytics-prod-us-east-1/abc-1/t.v1");
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const policy = JSON.parse(String(o(one(run, "aws:iam/rolePolicy:RolePolicy", "us-east-1-progress-service-role-policy").inputs).policy)) as { Statement: { Sid: string; Action: string[]; Resource: string[] }[] };
        const write = policy.Statement.find((s) => s.Sid === "FirehoseWrite");
        expect(write?.Action).toEqual(["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"]);
        expect(write?.Resource).toEqual(firehoseTopics.map((t) => expect.stringMatching(new RegExp(`^arn:aws:kafka:us-east-1:\\d+:topic/analytics-prod-us-east-1/.+/${t.replace(/\./g, "\\.")}$`))));
        expect(progressService.secrets).toContain("ANALYTICS_FIREHOSE");
        // Only the card that feeds analytics gets the grant.
        const authoring = JSON.parse(String(o(one(run, "aws:iam/rolePolicy:RolePolicy", "us-east-1-authoring-service-role-policy").inputs).policy)) as { Statement: { Sid: string }[] };
        expect(authoring.Statement.map((s) => s.Sid)).not.toContain("FirehoseWrite");
    });
    it("progress's firehose failure policy points at MSK and its replicator", () => {
        expect(progressService.failurePolicy.find((f) => f.dependency === "analytics-service")?.behavior).toContain("MSK Replicator");
    });
});
