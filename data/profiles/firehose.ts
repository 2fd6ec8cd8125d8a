import { PerEnv } from "../catalog/types";

/** The analytics firehose's MSK cluster per environment (seed 003 §8; sizes ours). */
export interface FirehoseProfile {
    readonly kafkaVersion: string;
    readonly instanceType: string;
    /** A multiple of the zones (3). */
    readonly brokers: number;
    readonly volumeGb: number;
    /** Hours a record stays on the regional cluster (the replicator and analytics consume well within). */
    readonly retentionHours: number;
}

export const firehoseProfiles: PerEnv<FirehoseProfile> = {
    dev: { kafkaVersion: "3.7.x", instanceType: "kafka.t3.small", brokers: 3, volumeGb: 20, retentionHours: 24 },
    staging: { kafkaVersion: "3.7.x", instanceType: "kafka.m7g.large", brokers: 3, volumeGb: 100, retentionHours: 72 },
    prod: { kafkaVersion: "3.7.x", instanceType: "kafka.m7g.large", brokers: 3, volumeGb: 500, retentionHours: 168 },
};

/** The topics the firehose carries: progress's statements and completions for analytics (seed 003 §8–§9). */
export const firehoseTopics: readonly string[] = ["progress.analytics.statements.v1", "progress.analytics.completions.v1"];
