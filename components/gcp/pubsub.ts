import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { TopicSpec } from "../../data/catalog/types";

/** Topic retention (seed 001 §4.4): 7 days operational, 30 days regulated (Pub/Sub allows ≤ 31). */
export function retentionOf(spec: TopicSpec): string {
    return spec.retention === "regulated" ? `${30 * 86400}s` : `${7 * 86400}s`;
}

/** Dead-letter topic of one consumer (seed 001 §4.4: `melmastoon.dlq.notif.<consumer>`). */
export function dlqTopicName(consumer: string): string {
    return `melmastoon.dlq.notif.${consumer}`;
}

/**
 * The envelope every notification event carries, as an Avro record (Pub/Sub validates Avro or
 * Protobuf; the document asks for Avro with JSON encoding). The payload stays a JSON string whose
 * shape is versioned by the subject (`….v1`); the ordering key is named in the schema's doc.
 */
export function avroEnvelope(spec: TopicSpec): string {
    const name = spec.subject.replace(/[^A-Za-z0-9]/g, "_");
    return JSON.stringify({
        type: "record",
        name,
        namespace: "com.melmastoon.notification",
        doc: `${spec.subject}; ordering key: ${spec.orderingKey}`,
        fields: [
            { name: "event_id", type: "string" },
            { name: "subject", type: "string" },
            { name: "tenant_id", type: "string" },
            { name: "tenant_region", type: "string" },
            { name: "occurred_at", type: "string" },
            { name: "ordering_key", type: "string" },
            { name: "payload", type: "string" },
        ],
    });
}

export interface PubSubArgs {
    readonly topics: readonly TopicSpec[];
    /** Consumers (role names) that get a dead-letter topic. */
    readonly consumers: readonly string[];
    /** Publisher service accounts per subject. */
    readonly publishers: Readonly<Record<string, readonly pulumi.Input<string>[]>>;
    /** Regions messages may be stored in (the stack's regions: residency). */
    readonly storageRegions: readonly string[];
    readonly keyId: pulumi.Input<string>;
    readonly pubsubAgentEmail: pulumi.Input<string>;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Global Pub/Sub: one schema-validated, CMEK-encrypted topic per published subject, stored only in
 * the stack's regions; one dead-letter topic per consumer with a pull subscription holding what
 * landed there, and the Pub/Sub agent allowed to publish to it (dead-lettering fails silently without).
 */
export class PubSub extends pulumi.ComponentResource {
    /** Topic ids by subject. */
    readonly topicIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Dead-letter topic ids by consumer. */
    readonly dlqTopicIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** What subscriptions on the dead-letter topics wait for. */
    readonly dlqGrants: gcp.pubsub.TopicIAMMember[];

    constructor(name: string, args: PubSubArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:PubSub", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const storage = { allowedPersistenceRegions: [...args.storageRegions], enforceInTransit: true };
        const topicIds: Record<string, pulumi.Output<string>> = {};
        for (const spec of args.topics) {
            const schema = new gcp.pubsub.Schema(`${name}-schema-${spec.subject}`, { name: `${spec.subject}.schema`, type: "AVRO", definition: avroEnvelope(spec) }, child);
            const topic = new gcp.pubsub.Topic(
                `${name}-topic-${spec.subject}`,
                {
                    name: spec.subject,
                    kmsKeyName: args.keyId,
                    messageRetentionDuration: retentionOf(spec),
                    messageStoragePolicy: storage,
                    schemaSettings: { schema: schema.id, encoding: "JSON" },
                    labels: { ...args.labels, retention: spec.retention },
                },
                { ...child, dependsOn: args.dependsOn },
            );
            topicIds[spec.subject] = topic.id;
            const publishers = args.publishers[spec.subject] ?? [];
            if (publishers.length > 0) {
                new gcp.pubsub.TopicIAMBinding(
                    `${name}-pub-${spec.subject}`,
                    { topic: topic.name, role: "roles/pubsub.publisher", members: publishers.map((sa) => pulumi.interpolate`serviceAccount:${sa}`) },
                    child,
                );
            }
        }
        const dlqTopicIds: Record<string, pulumi.Output<string>> = {};
        const dlqGrants: gcp.pubsub.TopicIAMMember[] = [];
        for (const consumer of args.consumers) {
            const topicName = dlqTopicName(consumer);
            const dlq = new gcp.pubsub.Topic(
                `${name}-dlq-${consumer}`,
                {
                    name: topicName,
                    kmsKeyName: args.keyId,
                    // Dead letters are evidence of failed sends: kept as long as regulated topics.
                    messageRetentionDuration: `${30 * 86400}s`,
                    messageStoragePolicy: storage,
                    labels: { ...args.labels, retention: "regulated" },
                },
                { ...child, dependsOn: args.dependsOn },
            );
            dlqTopicIds[consumer] = dlq.id;
            const grant = new gcp.pubsub.TopicIAMMember(
                `${name}-dlq-${consumer}-agent`,
                { topic: dlq.name, role: "roles/pubsub.publisher", member: pulumi.interpolate`serviceAccount:${args.pubsubAgentEmail}` },
                child,
            );
            dlqGrants.push(grant);
            // A subscription on every dead-letter topic: a topic without one drops what it receives.
            new gcp.pubsub.Subscription(
                `${name}-dlq-${consumer}-hold`,
                {
                    name: `${topicName}.hold`,
                    topic: dlq.id,
                    ackDeadlineSeconds: 60,
                    messageRetentionDuration: `${7 * 86400}s`,
                    retainAckedMessages: true,
                    expirationPolicy: { ttl: "" },
                    labels: args.labels,
                },
                child,
            );
        }
        this.topicIds = topicIds;
        this.dlqTopicIds = dlqTopicIds;
        this.dlqGrants = dlqGrants;
        this.registerOutputs({ topicIds: this.topicIds, dlqTopicIds: this.dlqTopicIds });
    }
}
