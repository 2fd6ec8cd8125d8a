import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Dead-letter after this many deliveries (seed 001 §4.4). */
export const maxDeliveryAttempts = 5;
/** Pub/Sub's maximum ack deadline; workers may run 540 s (seed 001 §3), so the longest is used. */
export const ackDeadlineSeconds = 600;

export interface SubscriptionSpec {
    readonly consumer: string;
    readonly subject: string;
    readonly topicId: pulumi.Input<string>;
    readonly dlqTopicId: pulumi.Input<string>;
    /** The consumer's Cloud Run URL in this region. */
    readonly pushUri: pulumi.Input<string>;
}

export interface SubscriptionsArgs {
    readonly region: string;
    readonly subscriptions: readonly SubscriptionSpec[];
    /** Identity Pub/Sub signs push requests as (holds `run.invoker` on the consumers). */
    readonly pushServiceAccountEmail: pulumi.Input<string>;
    readonly pubsubAgentEmail: pulumi.Input<string>;
    /** Set when the stack has several active regions: each region takes its own tenants' messages. */
    readonly regionFilter: boolean;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * One push subscription per consumer × subject in a region (seed 001 §4.4, §8: subscriptions per
 * region): ordered, ack deadline 600 s, exponential retry, dead-lettered to the consumer's topic
 * after 5 attempts, OIDC-authenticated push; the Pub/Sub agent may subscribe (to forward dead letters).
 */
export class Subscriptions extends pulumi.ComponentResource {
    readonly names: pulumi.Output<string>[];

    constructor(name: string, args: SubscriptionsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:Subscriptions", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        this.names = args.subscriptions.map((s) => {
            const subName = `${s.subject}.${s.consumer}.${args.region}`;
            const sub = new gcp.pubsub.Subscription(
                `${name}-${s.consumer}-${s.subject}`,
                {
                    name: subName,
                    topic: s.topicId,
                    ackDeadlineSeconds,
                    enableMessageOrdering: true,
                    messageRetentionDuration: `${7 * 86400}s`,
                    expirationPolicy: { ttl: "" },
                    retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
                    deadLetterPolicy: { deadLetterTopic: s.dlqTopicId, maxDeliveryAttempts },
                    pushConfig: {
                        pushEndpoint: pulumi.interpolate`${s.pushUri}/api/v1/internal/pubsub`,
                        oidcToken: { serviceAccountEmail: args.pushServiceAccountEmail, audience: s.pushUri },
                    },
                    ...(args.regionFilter ? { filter: `attributes.tenant_region = "${args.region}"` } : {}),
                    labels: args.labels,
                },
                { ...child, dependsOn: args.dependsOn },
            );
            new gcp.pubsub.SubscriptionIAMMember(
                `${name}-${s.consumer}-${s.subject}-agent`,
                { subscription: sub.name, role: "roles/pubsub.subscriber", member: pulumi.interpolate`serviceAccount:${args.pubsubAgentEmail}` },
                child,
            );
            return sub.name;
        });
        this.registerOutputs({ names: this.names });
    }
}
